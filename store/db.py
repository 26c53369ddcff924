"""Open the SQL database named by an SQLAlchemy URL (SQLite file or PostgreSQL).

A new, empty database is migrated to head at once; one that is behind is refused
with the command that upgrades it. Every store function runs under ``guarded``, so a
database fault reaches callers as ``StoreError`` (one source's error, not a crash).
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from duluan.errors import StoreError

P = ParamSpec("P")
T = TypeVar("T")


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

    @property
    def safe_url(self) -> str:
        """The URL with its password hidden, for messages and logs."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def guarded(fn: Callable[P, T]) -> Callable[P, T]:
    """Turn SQLAlchemy errors of a store function into ``StoreError`` naming the function."""

    def fail(e: SQLAlchemyError) -> StoreError:
        detail = str(e.orig if getattr(e, "orig", None) is not None else e).splitlines()[0]
        return StoreError(f"CSDL lỗi / database error in {fn.__name__}: {detail}")

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args: P.args, **kwargs: P.kwargs):  # the fault may come at any step
            try:
                yield from fn(*args, **kwargs)
            except SQLAlchemyError as e:
                raise fail(e) from e

        return gen_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except SQLAlchemyError as e:
            raise fail(e) from e

    return wrapper


def resolve_url(db: str | None, default: str) -> str:
    """``--db`` wins, then ``DULUAN_DB``, then the configured default."""
    return db or os.environ.get("DULUAN_DB") or default


def open_record(db: str | None, default_url: str, migrate: bool = True) -> Database:
    """The record a command names: ``--db``, else ``DULUAN_DB``, else the configured URL."""
    return open_database(resolve_url(db, default_url), migrate)


def open_database(url: str, migrate: bool = True) -> Database:
    """Open ``url``; with ``migrate`` an empty database gets the schema, one behind is refused."""
    from .migrate import revision, upgrade

    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise StoreError(f"not an SQLAlchemy URL: {url!r} ({e}); e.g. sqlite:///duluan.db or "
                         "postgresql+psycopg://duluan:duluan@127.0.0.1:5432/duluan") from None
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
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()
        db = Database(url=parsed.render_as_string(hide_password=False), engine=engine,
                      session=sessionmaker(engine, expire_on_commit=False))
        if migrate:
            rev = revision(engine)
            if rev.empty:
                upgrade(engine)
            elif rev.behind:
                engine.dispose()
                raise StoreError(
                    f"CSDL {db.safe_url} ở phiên bản {rev.current or 'release 0.1'}, cần {rev.head}: "
                    f"chạy / database is behind (at {rev.current or 'release 0.1'}, head {rev.head}); "
                    f"run: duluan db upgrade --db '{db.safe_url}'")
    except SQLAlchemyError as e:
        detail = str(getattr(e, "orig", None) or e).splitlines()[0]
        raise StoreError(f"không mở được CSDL / cannot open database "
                         f"{parsed.render_as_string(hide_password=True)}: {detail}") from e
    return db
