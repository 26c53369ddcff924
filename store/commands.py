"""``duluan db …``: bring the record's schema to head, show where it stands."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from duluan.config import load_config
from duluan.config.options import DbOpt, JsonOpt


def _engine_db(db: str | None):
    from .db import open_record

    return open_record(db, load_config(None).settings.database_url, migrate=False)


def upgrade(db: DbOpt = None, json_out: JsonOpt = False) -> None:
    """Nâng cấp lược đồ CSDL lên bản mới nhất / migrate the database to the latest schema (idempotent)."""
    from .migrate import upgrade as run_upgrade

    database = _engine_db(db)
    try:
        before, after = run_upgrade(database.engine)
    finally:
        database.close()
    result = {"db": database.safe_url, "from": before, "to": after, "changed": before != after}
    if json_out:
        print(json.dumps(result))
    elif before == after:
        print(f"Đã ở bản mới nhất / already at head: {after} ({database.safe_url})")
    else:
        print(f"Đã nâng cấp / upgraded {before or 'release 0.1 / new'} → {after} ({database.safe_url})")


def status(db: DbOpt = None, json_out: JsonOpt = False) -> None:
    """Phiên bản lược đồ CSDL / the schema revision of the database and the head revision."""
    from .migrate import revision

    database = _engine_db(db)
    try:
        rev = revision(database.engine)
    finally:
        database.close()
    result = {"db": database.safe_url, "current": rev.current, "head": rev.head, "behind": rev.behind}
    if json_out:
        print(json.dumps(result))
    else:
        state = "cần nâng cấp / behind: duluan db upgrade" if rev.behind else "mới nhất / at head"
        print(f"{database.safe_url}: {rev.current or '—'} / head {rev.head} — {state}")


def export(
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl")] = "jsonl",
) -> None:
    """Xuất toàn bộ bài báo / export every article (JSON lines), in id order."""
    from duluan.errors import DuluanError

    from .articles import iter_articles
    from .db import open_record

    if fmt != "jsonl":
        raise DuluanError(f"định dạng không hỗ trợ / unknown format {fmt!r}; use --format jsonl")
    database = open_record(db, load_config(None).settings.database_url)
    for a in iter_articles(database):
        sys.stdout.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
