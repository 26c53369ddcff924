"""Open the SQL database named by an SQLAlchemy URL and create the schema."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from duluan.errors import StoreError

from .schema import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


@dataclass
class Database:
    url: str
    engine: Engine
    session: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> str | None:
        return self.engine.url.database if self.is_sqlite else None

    def close(self) -> None:
        self.engine.dispose()


def resolve_url(db: str | None, default: str) -> str:
    """``--db`` wins, then ``DULUAN_DB``, then the configured default."""
    return db or os.environ.get("DULUAN_DB") or default


def open_database(url: str) -> Database:
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise StoreError(f"not an SQLAlchemy URL: {url!r} ({e}); e.g. sqlite:///duluan.db") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, future=True)
        if engine.dialect.name == "sqlite":
            @event.listens_for(engine, "connect")
            def _pragmas(conn, _record):  # noqa: ANN001 — DB-API connection
                cur = conn.cursor()
                # WAL lets the web UI read while a crawl writes.
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA busy_timeout=10000")
                cur.close()
        Base.metadata.create_all(engine)
    except SQLAlchemyError as e:
        raise StoreError(f"cannot open database {url}: {e}") from e
    return Database(url=str(parsed), engine=engine, session=sessionmaker(engine, expire_on_commit=False))
