"""``duluan index …`` commands: replay the outbox, rebuild the index, show its state.

Plain functions with typer-annotated parameters; ``pipeline/cli.py`` registers them.
"""

from __future__ import annotations

import json
import time
from typing import Annotated, Optional

import typer

from duluan.config import load_config

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLAlchemy URL; default: $DULUAN_DB or config")]
EsOpt = Annotated[Optional[str], typer.Option("--es", help="Elasticsearch URL(s), comma-separated; default: $DULUAN_ES or config")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON object")]


def _open(db: str | None, es: str | None):
    from duluan.store.db import open_database, resolve_url

    from .factory import open_index

    settings = load_config(None).settings
    database = open_database(resolve_url(db, settings.database_url))
    return database, open_index(database, settings, es)


def _print(result: dict, json_out: bool, lines: list[tuple[str, object]]) -> None:
    if json_out:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for label, value in lines:
            print(f"{label}: {value}")


def replay(db: DbOpt = None, es: EsOpt = None, json_out: JsonOpt = False) -> None:
    """Ghi lại các bài còn chờ trong outbox vào chỉ mục / write what the outbox still holds to the index."""
    from duluan.errors import IndexUnavailable

    from .writer import IndexWriter

    database, index = _open(db, es)
    with index:
        report = IndexWriter(database, index).replay()
    _print(report.to_dict(), json_out, [
        ("Đã ghi / indexed", report.indexed), ("Đã xoá / deleted", report.deleted),
        ("Còn chờ / still pending", report.pending)])
    if report.unavailable:
        raise IndexUnavailable(report.unavailable)


def reindex(db: DbOpt = None, es: EsOpt = None, json_out: JsonOpt = False) -> None:
    """Dựng lại chỉ mục từ CSDL / rebuild the search index from the SQL record.

    Elasticsearch: a new versioned index, then the alias swaps to it atomically.
    SQLite FTS5: rebuilt in one transaction.
    """
    from duluan.store.articles import count_articles, iter_articles
    from duluan.store.outbox import mark_done, pending

    from .writer import outbox_target

    database, index = _open(db, es)
    started = time.perf_counter()
    with index:
        # Rows pending before the rebuild are covered by it: the record is read after them.
        target = outbox_target(index)
        before = [r.id for r in pending(database, target, limit=10**9)]
        done = index.reindex(iter_articles(database))  # type: ignore[attr-defined]
        mark_done(database, before)
    result = done if isinstance(done, dict) else {"written": done}
    result |= {"backend": index.name, "articles": count_articles(database),
               "seconds": round(time.perf_counter() - started, 2)}
    _print(result, json_out, [(k, v) for k, v in result.items()])


def status(db: DbOpt = None, es: EsOpt = None, json_out: JsonOpt = False) -> None:
    """Tình trạng chỉ mục và outbox / state of the search index and the outbox."""
    from duluan.errors import IndexError_
    from duluan.store.articles import count_articles
    from duluan.store.outbox import summary

    database, index = _open(db, es)
    with index:
        try:
            state = index.status()  # type: ignore[attr-defined]
        except IndexError_ as e:
            state = {"backend": index.name, "error": str(e)}
    result = {"index": state, "articles": count_articles(database), "outbox": summary(database)}
    pending_rows = sum(o["pending"] for o in result["outbox"])
    _print(result, json_out, [
        ("Chỉ mục / index", json.dumps(state, ensure_ascii=False)),
        ("Bài trong CSDL / articles in the record", result["articles"]),
        ("Outbox còn chờ / pending", pending_rows)] + [
        (f"  {o['target']}", f"{o['pending']} (lần thử tối đa / max attempts {o['max_attempts']}; {o['last_error'] or ''})")
        for o in result["outbox"]])
