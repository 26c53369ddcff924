"""Bring a database to the head revision with Alembic; tell a caller when one is behind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect



MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"


def _config(connection: Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


@dataclass(frozen=True)
class Revision:
    current: str | None  # None: no alembic_version table
    head: str
    tables: bool  # does the database hold any of duluan's tables?

    @property
    def behind(self) -> bool:
        return self.current != self.head

    @property
    def empty(self) -> bool:
        return self.current is None and not self.tables


def revision(engine: Engine) -> Revision:
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = "articles" in inspect(conn).get_table_names()
    return Revision(current=current, head=head(), tables=tables)


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate to head; idempotent. Returns (revision before, revision after).

    A database made by release 0.1 (``create_all``, no ``alembic_version``) holds the
    baseline's tables: it is stamped at the baseline and migrated from there.
    """
    before = revision(engine)
    with engine.begin() as conn:
        cfg = _config(conn)
        if before.current is None and before.tables:
            command.stamp(cfg, BASELINE)
        command.upgrade(cfg, "head")
    return before.current, head()
