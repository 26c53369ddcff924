"""Nothing is lost when Elasticsearch goes down in the middle of an import (issue #6).

A real node: it is stopped (its data kept), the import goes on, it is started again and
the outbox is replayed; every article must then be searchable.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from duluan.index.writer import IndexWriter, replay_pending
from duluan.records import Article, Classification
from duluan.store.articles import save_article
from duluan.store.db import open_database
from duluan.store.outbox import pending, pending_count
from es_support import TEST_PORT, EsNode, es_node, es_url, make_es_index  # noqa: F401


@pytest.fixture
def stoppable(es_node):
    """The session node when this suite started it; otherwise a private one on the next port."""
    if es_node.managed:
        yield es_node
        return
    node = EsNode(port=TEST_PORT + 1)
    node.up()
    yield node
    node.down()


def _import(db, writer: IndexWriter, start: int, n: int) -> tuple[list[str], int]:
    ids = []
    for i in range(start, start + n):
        a = Article(id=f"out{i:04d}", url=f"https://example.vn/out/{i}", source="baohaiphong",
                    source_kind="domestic", language="vi", title=f"Hải Phòng bản tin số {i}",
                    body=f"Bản tin {i}: cảng Hải Phòng, Đà Nẵng và Ea H'leo.",
                    published=datetime(2025, 7, 1 + i % 28, tzinfo=timezone.utc),
                    classification=Classification(provinces=["hai-phong"], topic="trade"))
        save_article(db, a)
        ids.append(a.id)
    return ids, writer.upsert(ids)


def test_node_stops_mid_import_and_every_article_arrives_after_replay(stoppable, tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'duluan.db'}")
    index = make_es_index(stoppable.url)
    writer = IndexWriter(db, index)

    first, written = _import(db, writer, 0, 40)
    assert written == 40

    stoppable.stop()
    try:
        started = time.perf_counter()
        second, written = _import(db, writer, 40, 40)
        third, written_too = _import(db, writer, 80, 25)
        assert written == written_too == 0  # the import goes on, nothing raised
        assert time.perf_counter() - started < 30, "a dead node must fail fast"
        assert pending_count(db, writer.target) == 65
        rows = pending(db, writer.target, limit=1000)
        assert all(r.attempts >= 1 and "unreachable" in (r.last_error or "") for r in rows)
        assert replay_pending(db, index).pending == 65  # still down: replay keeps everything
    finally:
        stoppable.up()

    # The next run opens the index afresh and replays first (cli/ does this).
    after = make_es_index(stoppable.url, prefix=index.alias.removesuffix("-articles"))
    report = replay_pending(db, after)
    assert (report.indexed, report.pending, report.unavailable) == (65, 0, None)
    assert after.ids() == set(first + second + third)
    assert after.search('"Hải Phòng" province:hai-phong', limit=1).total == 105
    assert after.search("ea h'leo").total == 105
    after.drop()
    after.close()
    index.close()
    db.close()
