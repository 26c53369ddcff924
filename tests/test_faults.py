"""Faults stay local: a database fault on one article or one source is that source's error, and
the run goes on (issue #9). Faults are injected into the real SQLite connection."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event

from duluan.config import load_config, load_model
from duluan.config.models import SourcesConfig
from duluan.index.sqlite import SqliteIndex
from duluan.mirror import ROOT as MIRROR_ROOT
from duluan.pipeline.run import run_sources
from duluan.store import articles as store
from duluan.store import crawlstate, open_database


def _fail_when(db, predicate):
    """Make the database refuse statements ``predicate(sql, params)`` picks, as a full disk would."""
    @event.listens_for(db.engine, "before_cursor_execute")
    def _refuse(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if predicate(statement, parameters):
            raise sqlite3.OperationalError("database or disk is full")
    return _refuse


def _setup(tmp_path, mirror):
    cfg = load_config(None)
    sources = [s for s in load_model(MIRROR_ROOT / "sources.yaml", SourcesConfig).sources][:3]
    db = open_database(f"sqlite:///{tmp_path / 'duluan.db'}")
    return cfg, sources, db, SqliteIndex(tmp_path / "duluan.db")


def test_a_fault_saving_one_article_is_recorded_and_the_run_goes_on(tmp_path, mirror):
    cfg, sources, db, index = _setup(tmp_path, mirror)
    victim = {}

    def pick(sql, params):
        if not sql.startswith("INSERT INTO articles") or not isinstance(params, (tuple, list)):
            return False
        url = next((p for p in params if isinstance(p, str) and p.startswith("http")), None)
        if url and (not victim or victim["url"] == url) and sources[0].id in url:
            victim["url"] = url
            return True
        return False

    _fail_when(db, pick)
    report = run_sources(cfg, db, index, sources)
    assert victim, "the fault fired"
    failed = [e for e in report.errors if e.url == victim["url"]]
    assert [e.kind for e in failed] == ["pipeline"] and "disk is full" in failed[0].message
    assert report.new_articles > 20  # every other article of every source was kept
    assert {a.source for a in store.iter_articles(db)} == {s.id for s in sources}
    assert index.count() == store.count_articles(db)
    assert any(e["url"] == victim["url"] for e in crawlstate.open_errors(db, sources[0].id))


def test_a_fault_that_breaks_one_source_does_not_end_the_others(tmp_path, mirror):
    cfg, sources, db, index = _setup(tmp_path, mirror)
    broken = sources[1].id

    def pick(sql, params):
        return sql.startswith("INSERT INTO crawl_runs") and isinstance(params, (tuple, list)) and broken in params

    _fail_when(db, pick)
    report = run_sources(cfg, db, index, sources)
    assert [e.source for e in report.errors if e.kind == "pipeline"] == [broken]
    kept = {a.source for a in store.iter_articles(db)}
    assert kept == {sources[0].id, sources[2].id}
    assert any(e["source"] == broken for e in crawlstate.open_errors(db, broken))
