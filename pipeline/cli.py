"""The ``duluan`` command line (typer). Domain errors become one line and a non-zero exit."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from duluan.config import Config, load_config, load_model
from duluan.config.models import Source, SourcesConfig
from duluan.errors import DuluanError
from duluan.pipeline.logs import setup_logging

app = typer.Typer(
    help="duluan — theo dõi dư luận báo chí về tỉnh / press monitoring for Vietnamese provinces.",
    no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
)
sources_app = typer.Typer(help="Nguồn tin / news sources.", no_args_is_help=True)
index_app = typer.Typer(help="Chỉ mục tìm kiếm / search index.", no_args_is_help=True)
config_app = typer.Typer(help="Cấu hình / configuration.", no_args_is_help=True)
alerts_app = typer.Typer(help="Cảnh báo / alerts.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")
app.add_typer(sources_app, name="sources")
app.add_typer(index_app, name="index")
app.add_typer(config_app, name="config")

out = Console()
err = Console(stderr=True)

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLAlchemy URL; default: $DULUAN_DB or config")]
EsOpt = Annotated[Optional[str], typer.Option("--es", help="Elasticsearch URL(s), comma-separated; default: $DULUAN_ES or config")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON object")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="configuration folder (default: the bundled config/)")]


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress (INFO)")] = False,
          log_json: Annotated[bool, typer.Option("--log-json", help="logs as JSON lines")] = False) -> None:
    setup_logging(verbose, log_json)


def _config(directory: Path | None) -> Config:
    return load_config(directory)


def _sources(cfg: Config, sources_file: Path | None) -> list[Source]:
    """The sources of ``--sources FILE`` (same schema as config/sources.yaml), else the configured ones."""
    return load_model(sources_file, SourcesConfig).sources if sources_file else cfg.sources.sources


def _db(cfg: Config, db: str | None):
    from duluan.store.db import open_database, resolve_url

    return open_database(resolve_url(db, cfg.settings.database_url))


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)


def run_sources(cfg: Config, db, index, sources: list[Source], pipe=None, crawler=None):
    """One crawl cycle over ``sources``, several at a time, with a progress bar; returns the RunReport.

    Pass ``pipe`` and ``crawler`` to reuse them across scheduled runs (loaded models,
    story-cluster signatures, robots and rate-limit state).
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from duluan.crawlers import Crawler
    from duluan.crawlers.schedule import MAX_PARALLEL_SOURCES
    from duluan.index.writer import replay_pending
    from duluan.pipeline.run import Pipeline, RunReport

    replay_pending(db, index)
    pipe = pipe or Pipeline(cfg, db, index)
    own_crawler = crawler is None
    crawler = crawler or Crawler(db, cfg.settings.crawl)
    total = RunReport()
    try:
        with _progress() as progress, ThreadPoolExecutor(min(MAX_PARALLEL_SOURCES, len(sources) or 1)) as pool:
            task = progress.add_task("Thu thập / crawling", total=len(sources))
            futures = {pool.submit(pipe.crawl_source, crawler, s): s for s in sources}
            for fut in as_completed(futures):
                total.add(fut.result())
                progress.advance(task)
        total.alerts = pipe.fire_alerts()
    finally:
        if own_crawler:
            crawler.close()
    return total


def _schedule(cfg: Config, db, index, sources: list[Source]) -> None:
    """Crawl each source on its own interval until Ctrl+C, reusing one pipeline and crawler."""
    from duluan.crawlers import Crawler
    from duluan.crawlers.schedule import run_forever
    from duluan.pipeline.run import Pipeline

    pipe, crawler = Pipeline(cfg, db, index), Crawler(db, cfg.settings.crawl)
    try:
        run_forever(lambda s: run_sources(cfg, db, index, [s], pipe, crawler), sources, start_now=False)
    finally:
        crawler.close()


def _summary_table(rows: list[tuple[str, object]]) -> Table:
    t = Table(show_header=False)
    for k, v in rows:
        t.add_row(k, str(v))
    return t


# -- demo ----------------------------------------------------------------------


def _start_mirror(root: Path, data_dir: Path, port: int):
    """Serve the mirror on the port this data dir used before: article ids hash the URL, port included."""
    from duluan.pipeline.mirror import MirrorServer

    remembered = data_dir / "mirror-port"
    if not port and remembered.exists():
        try:
            return MirrorServer(root, port=int(remembered.read_text().strip())).start()
        except (OSError, ValueError) as e:
            err.print(f"[yellow]Cổng cũ bận / previous mirror port unavailable ({e}); bài cũ sẽ có URL mới / "
                      "stored articles will not match new URLs[/yellow]")
    server = MirrorServer(root, port=port).start()
    remembered.write_text(str(server.url.rsplit(":", 1)[1]))
    return server



@app.command()
def demo(
    once: Annotated[bool, typer.Option("--once", help="run one cycle and exit")] = False,
    json_out: JsonOpt = False,
    data_dir: Annotated[Path, typer.Option("--data-dir", help="where the demo database lives")] = Path("duluan-data/demo"),
    mirror: Annotated[Optional[Path], typer.Option("--mirror", help="offline press mirror folder")] = None,
    port: Annotated[int, typer.Option("--port", help="port of the mirror server (0: any free)")] = 0,
) -> None:
    """Phục vụ bản sao báo chí ngoại tuyến, thu thập, phân loại, lập chỉ mục / serve the offline mirror, crawl, classify, index."""
    from duluan.index.factory import open_index
    from duluan.pipeline.mirror import DEFAULT_ROOT
    from duluan.store.articles import count_articles
    from duluan.store.db import open_database

    root = mirror or DEFAULT_ROOT
    data_dir.mkdir(parents=True, exist_ok=True)
    server = _start_mirror(root, data_dir, port)
    os.environ["DULUAN_MIRROR_URL"] = server.url
    try:
        cfg = _config(None)
        sources = load_model(root / "sources.yaml", SourcesConfig).sources
        url = f"sqlite:///{data_dir.resolve() / 'duluan.db'}"
        db = open_database(url)
        index = open_index(db, cfg.settings, None)
        started = time.perf_counter()
        report = run_sources(cfg, db, index, sources)
        elapsed = time.perf_counter() - started
        result = {
            "articles": count_articles(db),
            "sources": len(sources),
            "flagged": count_articles(db, flagged=True),
            "new_articles": report.new_articles,
            "errors": [e.to_dict() for e in report.errors],
            "db": url,
            "seconds": round(elapsed, 2),
        }
        if json_out:
            print(json.dumps(result, ensure_ascii=False))
        else:
            out.print(_summary_table([
                ("Bài báo / articles", result["articles"]), ("Nguồn / sources", result["sources"]),
                ("Bị gắn cờ / flagged", result["flagged"]), ("Lỗi / errors", len(result["errors"])),
                ("CSDL / database", url), ("Thời gian / seconds", result["seconds"]),
            ]))
            out.print(f'Tìm kiếm / search:  duluan search "hai phong" --db {url}')
        if once:
            return
        out.print(f"Bản sao báo chí / press mirror: {server.url}/  — Ctrl+C để dừng / to stop")

        _schedule(cfg, db, index, sources)
    finally:
        server.stop()


# -- crawl ---------------------------------------------------------------------


@app.command()
def crawl(
    sources_file: Annotated[Optional[Path], typer.Option("--sources", help="sources YAML (schema of config/sources.yaml)")] = None,
    db: DbOpt = None,
    es: EsOpt = None,
    once: Annotated[bool, typer.Option("--once", help="one cycle, then exit")] = False,
    json_out: JsonOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Thu thập các nguồn / crawl sources."""
    from duluan.index.factory import open_index

    cfg = _config(config)
    sources = _sources(cfg, sources_file)
    database = _db(cfg, db)
    index = open_index(database, cfg.settings, es)
    report = run_sources(cfg, database, index, sources)
    result = {"new_articles": report.new_articles, "fetched": report.fetched,
              "not_modified": report.not_modified, "errors": [e.to_dict() for e in report.errors]}
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
    else:
        out.print(_summary_table([("Bài mới / new articles", report.new_articles), ("Tải / fetched", report.fetched),
                                  ("Không đổi / not modified (304)", report.not_modified),
                                  ("Lỗi / errors", len(report.errors))]))
        for e in report.errors:
            out.print(f"[red]{e.kind}[/red] {e.source} {e.url}: {e.message}", markup=True, highlight=False)
    if not once:
        _schedule(cfg, database, index, sources)


# -- search, export, import ----------------------------------------------------


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='e.g. hai phong, "Hải Phòng" -bão, province:hai-phong flagged:true')],
    db: DbOpt = None,
    es: EsOpt = None,
    json_out: JsonOpt = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
    config: ConfigOpt = None,
) -> None:
    """Tìm bài báo, có hoặc không dấu / search articles, with or without diacritics."""
    from duluan.index.factory import open_index

    cfg = _config(config)
    database = _db(cfg, db)
    with open_index(database, cfg.settings, es) as index:
        result = index.search(query, limit=limit)
    if json_out:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    t = Table(title=f"{result.total} kết quả / results")
    for col in ("Tiêu đề / title", "Nguồn / source", "Ngày / date", "Trích đoạn / snippet"):
        t.add_column(col, overflow="fold")
    for h in result.hits:
        t.add_row(h.title, h.source, (h.published or "")[:10], h.snippet)
    out.print(t)


@app.command()
def export(
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl")] = "jsonl",
    config: ConfigOpt = None,
) -> None:
    """Xuất toàn bộ bài báo / export every article (JSON lines)."""
    from duluan.store.articles import iter_articles

    if fmt != "jsonl":
        raise DuluanError(f"unknown format {fmt!r}; use --format jsonl")
    cfg = _config(config)
    for a in iter_articles(_db(cfg, db)):
        sys.stdout.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="JSONL: id, url, title, body, language, source_kind, published, source")],
    db: DbOpt = None,
    es: EsOpt = None,
    json_out: JsonOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Nhập bài báo từ JSONL, phân loại, lưu, lập chỉ mục / import, classify, store, index."""
    from duluan.index.factory import open_index
    from duluan.index.writer import replay_pending
    from duluan.pipeline.importer import LineError, read_jsonl
    from duluan.pipeline.run import Pipeline

    cfg = _config(config)
    database = _db(cfg, db)
    index = open_index(database, cfg.settings, es)
    replay_pending(database, index)
    pipe = Pipeline(cfg, database, index)
    errors, batch, done, flagged = [], [], 0, 0
    for _n, item in read_jsonl(file):
        if isinstance(item, LineError):
            errors.append(str(item))
            err.print(f"[red]{item}[/red]")
            continue
        batch.append(item)
        if len(batch) >= 200:
            arts = pipe.process_many(batch)
            done, flagged, batch = done + len(arts), flagged + sum(a.classification.flagged for a in arts), []
    if batch:
        arts = pipe.process_many(batch)
        done, flagged = done + len(arts), flagged + sum(a.classification.flagged for a in arts)
    alerts = pipe.fire_alerts()
    result = {"imported": done, "flagged": flagged, "errors": errors, "alerts": alerts}
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
    else:
        out.print(_summary_table([("Đã nhập / imported", done), ("Bị gắn cờ / flagged", flagged),
                                  ("Dòng lỗi / bad lines", len(errors))]))
    if errors:
        raise typer.Exit(1)


# -- sources, config -------------------------------------------------------------


@sources_app.command("status")
def sources_status(
    sources_file: Annotated[Optional[Path], typer.Option("--sources")] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Tình trạng từng nguồn / health of every source."""
    from duluan.store.crawlstate import open_errors, source_health

    cfg = _config(config)
    sources = _sources(cfg, sources_file)
    database = _db(cfg, db)
    health = source_health(database, [s.id for s in sources])
    errors = open_errors(database)
    if json_out:
        print(json.dumps({"sources": [
            {**h.__dict__, "last_run": h.last_run.isoformat() if h.last_run else None} for h in health],
            "errors": errors}, ensure_ascii=False))
        return
    t = Table(title="Tình trạng nguồn / source health")
    for col in ("Nguồn / source", "Lần chạy cuối / last run", "Bài / articles", "Tải / fetched", "304",
                "Mới / new", "Lỗi mở / open errors"):
        t.add_column(col)
    for h in health:
        t.add_row(h.source, h.last_run.strftime("%Y-%m-%d %H:%M") if h.last_run else "—", str(h.articles),
                  str(h.fetched), str(h.not_modified), str(h.new_articles),
                  f"[red]{h.open_errors}[/red]" if h.open_errors else "0")
    out.print(t)
    for e in errors[:50]:
        out.print(f"[red]{e['kind']}[/red] {e['source']} {e['url']} ×{e['attempts']}: {e['message']}", highlight=False)


@alerts_app.command("deliver")
def alerts_deliver(db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Gửi các cảnh báo đang chờ / send pending alerts (email, webhook)."""
    from duluan.alerts.dispatch import deliver

    cfg = _config(config)
    counts = deliver(_db(cfg, db), cfg, force=True)
    print(json.dumps(counts)) if json_out else out.print(f"Đã gửi / sent {counts['sent']}, lỗi / failed {counts['failed']}")


@alerts_app.command("status")
def alerts_status(db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Cảnh báo chưa gửi được / alerts not yet delivered, with their last error."""
    from sqlalchemy import select

    from duluan.store.schema import AlertRow

    cfg = _config(config)
    with _db(cfg, db).session() as s:
        rows = list(s.scalars(select(AlertRow).where(AlertRow.status != "sent").order_by(AlertRow.id)))
    items = [{"id": r.id, "rule": r.rule_id, "article": r.article_id, "channel": r.channel_id,
              "attempts": r.attempts, "last_error": r.last_error} for r in rows]
    if json_out:
        print(json.dumps({"pending": items}, ensure_ascii=False))
        return
    for i in items:
        out.print(f"{i['id']} {i['rule']} → {i['channel']} ×{i['attempts']}: {i['last_error'] or 'chưa gửi / not sent yet'}",
                  highlight=False)
    out.print(f"{len(items)} cảnh báo chờ / pending")


@config_app.command("check")
def config_check(config: ConfigOpt = None) -> None:
    """Kiểm tra cấu hình / validate the configuration files."""
    cfg = _config(config)
    out.print(f"OK: {len(cfg.provinces.monitored)} tỉnh theo dõi / monitored provinces, "
              f"{len(cfg.sources.sources)} nguồn / sources, {len(cfg.agencies.agencies)} cơ quan / agencies, "
              f"{len(cfg.routing.routes)} chủ đề / topics, {len(cfg.alerts.rules)} quy tắc cảnh báo / alert rules")


# -- classifiers and index maintenance: implementations live in their packages --------
# Thin wrappers keep scikit-learn out of the import of every other command (2–3 s).


@app.command("classify")
def classify(file: Annotated[Path, typer.Argument(help="JSONL: một bài mỗi dòng / one article a line")]) -> None:
    """Phân loại bài báo từ JSONL / classify articles, one JSON line each."""
    from duluan.classifiers import commands

    commands.classify(file)


@app.command("eval")
def evaluate(split: Annotated[str, typer.Option(help="dev | nlp-dev | heldout | mirror-a | mirror-b | blind")] = "dev",
             json_out: JsonOpt = False) -> None:
    """Đánh giá bộ phân loại / evaluate the classifiers (precision, recall, F1, confusion)."""
    from duluan.classifiers import commands

    commands.evaluate(split, json_out)


@app.command("train")
def train() -> None:
    """Huấn luyện lại mô hình từ dữ liệu trong kho / retrain the models from the repository's data."""
    from duluan.classifiers import commands

    commands.train()


from duluan.index import commands as _index_commands  # noqa: E402 — light: imports lazily inside

index_app.command("replay")(_index_commands.replay)
index_app.command("reindex")(_index_commands.reindex)
index_app.command("status")(_index_commands.status)


def main() -> None:
    try:
        app()
    except DuluanError as e:
        err.print(f"[red]Lỗi / error:[/red] {e}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
