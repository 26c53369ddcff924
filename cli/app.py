"""Compose the ``duluan`` command from each area's command functions.

Each area owns its commands (``pipeline/commands.py``, ``index/commands.py``, …) as
plain typer-annotated functions that import their heavy dependencies lazily, so
``duluan --help`` does not load scikit-learn or Elasticsearch. Domain errors become
one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from duluan.alerts import commands as alerts
from duluan.cases import commands as cases
from duluan.config import commands as config
from duluan.errors import DuluanError
from duluan.index import commands as index
from duluan.logs import setup_logging
from duluan.pipeline import commands as pipeline
from duluan.store import commands as store
from duluan.web import commands as web

app = typer.Typer(
    help="duluan — theo dõi dư luận báo chí về tỉnh / press monitoring for Vietnamese provinces.",
    no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
)


def _group(name: str, help_text: str, commands: dict) -> None:
    sub = typer.Typer(help=help_text, no_args_is_help=True)
    for command_name, fn in commands.items():
        sub.command(command_name)(fn)
    app.add_typer(sub, name=name)


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress (INFO)")] = False,
          log_json: Annotated[bool, typer.Option("--log-json", help="logs as JSON lines")] = False) -> None:
    setup_logging(verbose, log_json)


app.command("demo")(web.demo)
app.command("crawl")(pipeline.crawl)
app.command("import")(pipeline.import_)
app.command("search")(index.search)
app.command("serve")(web.serve)
app.command("export")(store.export)


# The classifiers' commands load scikit-learn (about 2 s) when their package is imported:
# these wrappers keep that out of every other command and only forward their options.
@app.command("classify")
def classify(file: Annotated[Path, typer.Argument(help="JSONL: một bài mỗi dòng / one article a line")]) -> None:
    """Phân loại bài báo từ JSONL / classify articles, one JSON line each."""
    from duluan.classifiers import commands

    commands.classify(file)


@app.command("eval")
def evaluate(split: Annotated[str, typer.Option(
                 help="dev | nlp-dev | heldout | mirror-a | mirror-b | written-check | blind")] = "dev",
             json_out: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False) -> None:
    """Đánh giá bộ phân loại / evaluate the classifiers (precision, recall, F1, confusion)."""
    from duluan.classifiers import commands

    commands.evaluate(split, json_out)


@app.command("train")
def train(feedback: Annotated[Optional[Path], typer.Option(
              "--feedback", help="JSONL của `duluan feedback export` / the analysts' decisions as labelled items; "
                                 "a fixed fifth is held out and scored before and after")] = None) -> None:
    """Huấn luyện lại mô hình từ dữ liệu trong kho / retrain the models from the repository's data."""
    from duluan.classifiers import commands

    commands.train(feedback)


_group("sources", "Nguồn tin / news sources.", {"status": pipeline.sources_status})
_group("index", "Chỉ mục tìm kiếm / search index.",
       {"replay": index.replay, "reindex": index.reindex, "status": index.status})
_group("db", "Cơ sở dữ liệu / the SQL record.", {"upgrade": store.upgrade, "status": store.status})
_group("alerts", "Cảnh báo / alerts.", {"deliver": alerts.deliver, "status": alerts.status})
_group("config", "Cấu hình / configuration.", {"check": config.check})
_group("site", "Trang công khai / public pages.", {"build": web.site_build})
_group("users", "Người dùng và vai trò / users and roles.",
       {"add": cases.users_add, "list": cases.users_list, "disable": cases.users_disable,
        "enable": cases.users_enable})
_group("agencies", "Danh bạ cơ quan / the agency directory.", {"list": cases.agencies_list})
_group("case", "Hồ sơ xử lý thông tin sai lệch / cases: from flag to published clarification.",
       {"open": cases.case_open, "route": cases.case_route, "draft": cases.case_draft,
        "approve": cases.case_approve, "return": cases.case_return, "publish": cases.case_publish,
        "close": cases.case_close, "show": cases.case_show, "list": cases.case_list,
        "notice": cases.case_notice, "tick": cases.case_tick, "claim": cases.case_claim,
        "appearance": cases.case_appearance})
app.command("recheck")(cases.recheck)
_group("audit", "Nhật ký kiểm toán / the audit trail.", {"verify": cases.audit_verify})
_group("feedback", "Phản hồi của chuyên viên / analysts' feedback.", {"export": cases.feedback_export})
app.command("triage")(cases.triage)
app.command("report")(cases.report)


def main() -> None:
    try:
        app()
    except DuluanError as e:
        Console(stderr=True, soft_wrap=True).print(f"[red]Lỗi / error:[/red] {e}", highlight=False)
        sys.exit(2)
