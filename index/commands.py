"""``duluan index …`` commands: replay the outbox, rebuild the index, show its state.

Plain functions with typer-annotated parameters; ``cli/`` registers them.
"""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

from duluan.config import load_config
from duluan.config.options import ConfigOpt, DbOpt, EsOpt, JsonOpt


def _open(db: str | None, es: str | None, config=None):
    from duluan.store.db import open_record

    from .factory import open_index

    settings = load_config(config).settings
    database = open_record(db, settings.database_url)
    return database, open_index(database, settings, es)


def search(
    query: Annotated[str, typer.Argument(help='e.g. hai phong, "Hải Phòng" -bão, province:hai-phong flagged:true')],
    db: DbOpt = None,
    es: EsOpt = None,
    json_out: JsonOpt = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
    config: ConfigOpt = None,
) -> None:
    """Tìm bài báo, có hoặc không dấu / search articles, with or without diacritics."""
    from rich.console import Console
    from rich.table import Table

    _database, index = _open(db, es, config)
    with index:
        result = index.search(query, limit=limit)
    if json_out:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    t = Table(title=f"{result.total} kết quả / results")
    for col in ("Tiêu đề / title", "Nguồn / source", "Ngày / date", "Trích đoạn / snippet"):
        t.add_column(col, overflow="fold")
    for h in result.hits:
        t.add_row(h.title, h.source, (h.published or "")[:10], h.snippet)
    Console().print(t)


def _print(result: dict, json_out: bool, lines: list[tuple[str, object]]) -> None:
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for label, value in lines:
            print(f"{label}: {value}")


def replay(db: DbOpt = None, es: EsOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Ghi lại các bài còn chờ trong outbox vào chỉ mục / write what the outbox still holds to the index."""
    from duluan.errors import IndexUnavailable

    from .writer import IndexWriter

    database, index = _open(db, es, config)
    with index:
        report = IndexWriter(database, index).replay()
    _print(report.to_dict(), json_out, [
        ("Đã ghi / indexed", report.indexed), ("Đã xoá / deleted", report.deleted),
        ("Còn chờ / still pending", report.pending)])
    if report.unavailable:
        raise IndexUnavailable(report.unavailable)


def reindex(db: DbOpt = None, es: EsOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Dựng lại chỉ mục từ CSDL / rebuild the search index from the SQL record.

    Elasticsearch: a new versioned index, then the alias swaps to it atomically.
    SQLite FTS5: rebuilt in one transaction.
    """
    from duluan.store.articles import count_articles, iter_articles
    from duluan.store.outbox import mark_done, pending

    from .writer import outbox_target

    database, index = _open(db, es, config)
    started = time.perf_counter()
    with index:
        # Rows pending before the rebuild are covered by it: the record is read after them.
        target = outbox_target(index)
        before = [r.id for r in pending(database, target, limit=10**9)]
        result = index.reindex(iter_articles(database))
        mark_done(database, before)
    result |= {"backend": index.name, "articles": count_articles(database),
               "seconds": round(time.perf_counter() - started, 2)}
    _print(result, json_out, [(k, v) for k, v in result.items()])


def status(db: DbOpt = None, es: EsOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Tình trạng chỉ mục và outbox / state of the search index and the outbox."""
    from duluan.errors import IndexError_
    from duluan.store.articles import count_articles
    from duluan.store.outbox import summary

    database, index = _open(db, es, config)
    with index:
        try:
            state = index.status()
        except IndexError_ as e:
            state = {"backend": index.name, "error": str(e)}
    outbox = summary(database)
    pending_rows = sum(o["pending"] for o in outbox)
    result = {"documents": state.get("documents"), "articles": count_articles(database), "pending": pending_rows,
              "index": state, "outbox": outbox}
    _print(result, json_out, [
        ("Chỉ mục / index", json.dumps(state, ensure_ascii=False)),
        ("Bài trong CSDL / articles in the record", result["articles"]),
        ("Outbox còn chờ / pending", pending_rows)] + [
        (f"  {o['target']}", f"{o['pending']} (lần thử tối đa / max attempts {o['max_attempts']}; {o['last_error'] or ''})")
        for o in result["outbox"]])
