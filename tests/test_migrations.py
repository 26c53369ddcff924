"""Alembic migrations: a release-0.1 database upgrades with nothing lost; the head matches the models."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from conftest import run_cli, run_json
from duluan.errors import StoreError
from duluan.records import RawPage
from duluan.store import articles as store
from duluan.store import open_database
from duluan.store.migrate import head
from duluan.store.schema import Base

RELEASE_01 = Path(__file__).parent / "fixtures" / "store" / "release-0.1.sql"


@pytest.fixture
def old_db(tmp_path) -> str:
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.executescript(RELEASE_01.read_text("utf-8"))
    con.close()
    return f"sqlite:///{path}"


def test_a_database_behind_is_refused_with_the_command_that_upgrades_it(old_db):
    with pytest.raises(StoreError) as e:
        open_database(old_db)
    assert "duluan db upgrade --db" in str(e.value) and "release 0.1" in str(e.value)


def test_release_01_upgrades_twice_and_keeps_every_row(old_db):
    first = run_json("db", "upgrade", "--db", old_db, "--json")
    assert first == {"db": old_db, "from": None, "to": head(), "changed": True}
    second = run_json("db", "upgrade", "--db", old_db, "--json")
    assert second["from"] == second["to"] == head() and second["changed"] is False

    db = open_database(old_db)  # at head now: opens without complaint
    assert store.count_articles(db) == 3
    got = store.get_article(db, "rel01-0")
    assert got.title == "Hải Phòng khánh thành cầu mới" and got.published is not None
    assert [sha for sha, _, _ in store.page_bytes(db, "rel01-0")]  # its evidence page survived
    with db.engine.connect() as c:
        # the page whose article never existed is kept, pointing at nothing
        assert c.execute(text("SELECT article_id FROM pages WHERE url LIKE '%/mat'")).scalar_one() is None
        assert c.execute(text("SELECT count(*) FROM alerts")).scalar_one() == 1
        assert c.execute(text("SELECT kind FROM alerts")).scalar_one() == "article"  # 0003: what it was about
        assert c.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 1
    exported = run_cli("export", "--db", old_db).stdout.splitlines()
    assert len(exported) == 3


def test_foreign_keys_hold_on_both_backends(record_url):
    db = open_database(record_url)
    page = RawPage(url="https://x.vn/a", final_url="https://x.vn/a", status=200, headers={}, body=b"<p>x</p>",
                   fetched_at=datetime(2025, 1, 1, tzinfo=timezone.utc), source_id="x")
    with pytest.raises(StoreError, match="save_page"):
        store.save_page(db, page, "no-such-article")
    db.close()


def test_the_models_and_the_migrations_agree(record_url):
    """A change to ``store/schema.py`` without a revision fails here, on both backends."""
    db = open_database(record_url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    db.close()
    assert diff == []


def test_db_status_names_the_revision(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    open_database(url).close()
    assert run_json("db", "status", "--db", url, "--json") == {"db": url, "current": head(), "head": head(),
                                                               "behind": False}


def test_postgresql_upgrade_is_idempotent(pg_url):
    assert run_json("db", "upgrade", "--db", pg_url, "--json")["changed"] is True
    assert run_json("db", "upgrade", "--db", pg_url, "--json")["changed"] is False
    engine = create_engine(pg_url)
    with engine.connect() as c:
        fks = c.execute(text("SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY conname")).scalars().all()
    engine.dispose()
    assert fks == ["fk_alerts_article", "fk_alerts_case", "fk_appearances_article", "fk_appearances_claim",
                   "fk_case_events_case", "fk_cases_article", "fk_claims_case", "fk_pages_article", "fk_triage_article"]


def test_a_bad_url_names_the_forms_that_work():
    with pytest.raises(StoreError, match="postgresql\\+psycopg://"):
        open_database("not a url")


def test_revision_0003_downgrades_and_upgrades_again(record_url):
    """The cases revision can be rolled back to 0002 (article alerts kept) and applied again."""
    from alembic import command
    from sqlalchemy import inspect

    from duluan.store.migrate import _config

    db = open_database(record_url)
    with db.engine.begin() as c:
        c.execute(text("INSERT INTO articles (id, url, source, source_kind, language, title, body, provinces, "
                       "mentions, distorted, distortion_score, evidence, agencies, severity, flagged, created_at, "
                       "updated_at) VALUES ('a1', 'https://x.vn/a', 'x', 'domestic', 'vi', 't', 'b', '[]', '[]', "
                       "false, 0, '[]', '[]', 0, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        c.execute(text("INSERT INTO alerts (rule_id, article_id, channel_id, status, attempts, created_at) "
                       "VALUES ('r', 'a1', 'press-office', 'pending', 0, CURRENT_TIMESTAMP)"))
        c.execute(text("INSERT INTO alerts (rule_id, article_id, channel_id, status, attempts, created_at, kind) "
                       "VALUES ('digest:x', NULL, 'press-office', 'pending', 0, CURRENT_TIMESTAMP, 'digest')"))
    with db.engine.begin() as conn:
        command.downgrade(_config(conn), "0002")
    with db.engine.connect() as c:
        tables = set(inspect(c).get_table_names())
        assert not tables & {"users", "cases", "case_events", "claims", "triage_decisions"}
        assert c.execute(text("SELECT rule_id FROM alerts")).scalars().all() == ["r"]
    with db.engine.begin() as conn:
        command.upgrade(_config(conn), "head")
    with db.engine.connect() as c:
        assert c.execute(text("SELECT kind FROM alerts")).scalar_one() == "article"
    db.close()
