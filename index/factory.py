"""Choose the search backend: Elasticsearch when a URL is given or configured, else SQLite FTS5.

SQLite FTS5 is the embedded index of an SQLite record only; a PostgreSQL record needs Elasticsearch.
"""

from __future__ import annotations

import os
from pathlib import Path

from duluan.config.models import Settings
from duluan.errors import IndexError_
from duluan.store import Database

from .base import SearchIndex


def sqlite_index_path(db: Database) -> str:
    """The FTS5 index lives in the record's SQLite file, or beside the working dir for other databases."""
    if db.sqlite_path and db.sqlite_path != ":memory:":
        return db.sqlite_path
    return str(Path(os.environ.get("DULUAN_INDEX_PATH", "duluan-data/search.sqlite3")))


def open_index(db: Database, settings: Settings, es: str | None = None) -> SearchIndex:
    urls = [u.strip() for u in (es or os.environ.get("DULUAN_ES") or "").split(",") if u.strip()] \
        or settings.elasticsearch.urls
    if urls:
        from .elasticsearch import ElasticsearchIndex

        return ElasticsearchIndex.from_settings(urls, settings.elasticsearch)
    if not db.is_sqlite:
        # The embedded index lives inside an SQLite record; a server record needs a server index.
        raise IndexError_(
            f"CSDL {db.engine.dialect.name} cần chỉ mục Elasticsearch / a {db.engine.dialect.name} record is "
            "searched through Elasticsearch: pass --es http://127.0.0.1:9200 or set DULUAN_ES")
    from .sqlite import SqliteIndex

    return SqliteIndex(sqlite_index_path(db))
