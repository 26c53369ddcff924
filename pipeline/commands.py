"""``duluan crawl``, ``import`` and ``sources status``, and the demo's crawl cycle: the pipeline's commands.

The orchestration they call lives in ``pipeline/run.py``; these only read options,
show progress and print results.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from duluan.config import Config, load_config, load_model
from duluan.config.models import Source, SourcesConfig
from duluan.config.options import ConfigOpt, DbOpt, EsOpt, JsonOpt

out = Console()
err = Console(stderr=True)


def _sources(cfg: Config, sources_file: Path | None) -> list[Source]:
    """The sources of ``--sources FILE`` (same schema as config/sources.yaml), else the configured ones."""
    return load_model(sources_file, SourcesConfig).sources if sources_file else cfg.sources.sources


def _db(cfg: Config, db: str | None):
    from duluan.store.db import open_record

    return open_record(db, cfg.settings.database_url)


def _table(rows: list[tuple[str, object]]) -> Table:
    t = Table(show_header=False)
    for k, v in rows:
        t.add_row(k, str(v))
    return t


def crawl_with_progress(cfg: Config, db, index, sources: list[Source]):
    """``run.run_sources`` with a progress bar on stderr (hidden when stderr is not a terminal)."""
    from .run import run_sources

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("Thu thập / crawling", total=len(sources))
        return run_sources(cfg, db, index, sources, on_source_done=lambda _s, _r: progress.advance(task))


# -- demo ----------------------------------------------------------------------


def _start_mirror(root: Path, data_dir: Path, port: int):
    """Serve the mirror on the port this data dir used before: article ids hash the URL, port included."""
    from duluan.mirror.server import MirrorServer

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


@dataclass
class DemoRun:
    """What one demo cycle leaves running: the mirror server, the record, its index."""

    config: Config
    db: object
    index: object
    sources: list[Source]
    server: object
    result: dict


def demo_cycle(data_dir: Path, mirror: Path | None = None, port: int = 0) -> DemoRun:
    """Serve the offline mirror, crawl, classify and index it once into ``data_dir`` (the mirror keeps running)."""
    from duluan.index.factory import open_index
    from duluan.mirror import ROOT
    from duluan.store.articles import count_articles
    from duluan.store.db import open_database
    from duluan.store.migrate import upgrade

    root = mirror or ROOT
    data_dir.mkdir(parents=True, exist_ok=True)
    server = _start_mirror(root, data_dir, port)
    os.environ["DULUAN_MIRROR_URL"] = server.url
    try:
        cfg = load_config(None)
        sources = load_model(root / "sources.yaml", SourcesConfig).sources
        url = f"sqlite:///{data_dir.resolve() / 'duluan.db'}"
        # The demo owns its data dir: a database an older release left there is upgraded in place.
        upgrade(open_database(url, migrate=False).engine)
        db = open_database(url)
        index = open_index(db, cfg.settings, None)
        started = time.perf_counter()
        report = crawl_with_progress(cfg, db, index, sources)
        result = {
            "articles": count_articles(db),
            "sources": len(sources),
            "flagged": count_articles(db, flagged=True),
            "new_articles": report.new_articles,
            "errors": [e.to_dict() for e in report.errors],
            "db": url,
            "seconds": round(time.perf_counter() - started, 2),
        }
    except BaseException:
        server.stop()
        raise
    return DemoRun(cfg, db, index, sources, server, result)


def print_demo(result: dict, json_out: bool) -> None:
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
        return
    out.print(_table([
        ("Bài báo / articles", result["articles"]), ("Nguồn / sources", result["sources"]),
        ("Bị gắn cờ / flagged", result["flagged"]), ("Lỗi / errors", len(result["errors"])),
        ("CSDL / database", result["db"]), ("Thời gian / seconds", result["seconds"]),
    ]))
    out.print(f'Tìm kiếm / search:  duluan search "hai phong" --db {result["db"]}')


# -- crawl, import ---------------------------------------------------------------


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

    from .run import schedule

    cfg = load_config(config)
    sources = _sources(cfg, sources_file)
    database = _db(cfg, db)
    index = open_index(database, cfg.settings, es)
    report = crawl_with_progress(cfg, database, index, sources)
    result = {"new_articles": report.new_articles, "fetched": report.fetched,
              "not_modified": report.not_modified, "errors": [e.to_dict() for e in report.errors]}
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
    else:
        out.print(_table([("Bài mới / new articles", report.new_articles), ("Tải / fetched", report.fetched),
                          ("Không đổi / not modified (304)", report.not_modified),
                          ("Lỗi / errors", len(report.errors))]))
        for e in report.errors:
            out.print(f"[red]{e.kind}[/red] {e.source} {e.url}: {e.message}", markup=True, highlight=False)
    if not once:
        schedule(cfg, database, index, sources)


def import_(
    file: Annotated[Path, typer.Argument(help="JSONL: id, url, title, body, language, source_kind, published, source")],
    db: DbOpt = None,
    es: EsOpt = None,
    json_out: JsonOpt = False,
    config: ConfigOpt = None,
    batch_size: Annotated[int, typer.Option("--batch", min=1, help="articles indexed together")] = 200,
) -> None:
    """Nhập bài báo từ JSONL, phân loại, lưu, lập chỉ mục / import, classify, store, index."""
    from duluan.index.factory import open_index
    from duluan.index.writer import replay_pending
    from duluan.jsonl import LineError, read_jsonl

    from .run import Pipeline

    cfg = load_config(config)
    database = _db(cfg, db)
    index = open_index(database, cfg.settings, es)
    replay_pending(database, index)  # what a killed import left in the outbox goes first
    pipe = Pipeline(cfg, database, index)
    errors: list[str] = []
    failed = []
    batch, done, flagged = [], 0, 0
    for _n, item in read_jsonl(file):
        if isinstance(item, LineError):
            errors.append(str(item))
            err.print(f"[red]{item}[/red]")
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            arts = pipe.process_many(batch, failed)
            done, flagged, batch = done + len(arts), flagged + sum(a.classification.flagged for a in arts), []
    if batch:
        arts = pipe.process_many(batch, failed)
        done, flagged = done + len(arts), flagged + sum(a.classification.flagged for a in arts)
    errors.extend(f"{e.url}: {e.message}" for e in failed)
    alerts = pipe.fire_alerts()
    result = {"imported": done, "flagged": flagged, "errors": errors, "alerts": alerts}
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
    else:
        out.print(_table([("Đã nhập / imported", done), ("Bị gắn cờ / flagged", flagged),
                          ("Dòng lỗi / bad lines", len(errors))]))
    if errors:
        raise typer.Exit(1)


# -- sources ---------------------------------------------------------------------


def sources_status(
    sources_file: Annotated[Optional[Path], typer.Option("--sources")] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Tình trạng từng nguồn / health of every source."""
    from duluan.store.crawlstate import open_errors, source_health

    cfg = load_config(config)
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
