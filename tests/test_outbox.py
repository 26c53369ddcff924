"""The outbox (store/outbox.py) and the writer that drains it (index/writer.py), without a server."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import structlog

from duluan.errors import IndexUnavailable, PartialWriteError
from duluan.index.base import SearchIndex, SearchResult
from duluan.index.sqlite import SqliteIndex
from duluan.index.writer import IndexWriter, replay, replay_pending
from duluan.records import Article, Classification
from duluan.store.articles import save_article
from duluan.store.db import open_database
from duluan.store.outbox import enqueue, mark_done, mark_failed, pending, pending_count, summary


@pytest.fixture
def db(record_url):
    database = open_database(record_url)
    yield database
    database.close()


def _article(i: int, title: str = "Tin Hải Phòng") -> Article:
    return Article(id=f"art{i:04d}", url=f"https://example.vn/{i}", source="baohaiphong", source_kind="domestic",
                   language="vi", title=f"{title} {i}", body=f"Nội dung bài {i} về Hải Phòng.",
                   published=datetime(2025, 7, 1, tzinfo=timezone.utc),
                   classification=Classification(provinces=["hai-phong"]))


def _store(db, n: int, start: int = 0) -> list[str]:
    ids = []
    for i in range(start, start + n):
        save_article(db, _article(i))
        ids.append(f"art{i:04d}")
    return ids


class FlakyIndex(SearchIndex):
    """An in-memory index that can be switched off, to test the writer alone."""

    name = "flaky"

    def __init__(self):
        self.docs: dict[str, Article] = {}
        self.up = True
        self.reject: set[str] = set()

    def _check(self):
        if not self.up:
            raise IndexUnavailable("flaky index is down")

    def upsert(self, articles):
        self._check()
        articles = list(articles)
        bad = {a.id: "mapper_parsing_exception" for a in articles if a.id in self.reject}
        for a in articles:
            if a.id not in bad:
                self.docs[a.id] = a
        if bad:
            raise PartialWriteError(len(articles) - len(bad), bad)
        return len(articles)

    def delete(self, ids):
        self._check()
        for i in ids:
            self.docs.pop(i, None)

    def search(self, query, limit=20, offset=0):
        return SearchResult(total=0)

    def count(self):
        return len(self.docs)

    def ids(self):
        return set(self.docs)

    def reindex(self, articles):
        self.docs = {a.id: a for a in articles}
        return {"written": len(self.docs)}

    def status(self):
        self._check()
        return {"backend": self.name, "documents": len(self.docs)}


def test_enqueue_does_not_duplicate_pending_rows(db):
    first = enqueue(db, "t", ["a", "b", "a"])
    again = enqueue(db, "t", ["b", "c"])
    assert [r.article_id for r in first] == ["a", "b"]
    assert {r.article_id for r in again} == {"b", "c"}
    assert pending_count(db, "t") == 3
    assert pending_count(db, "other") == 0


def test_an_op_after_another_op_is_queued_in_order(db):
    enqueue(db, "t", ["a"], "upsert")
    enqueue(db, "t", ["a"], "delete")
    enqueue(db, "t", ["a"], "upsert")
    assert [r.op for r in pending(db, "t")] == ["upsert", "delete", "upsert"]
    with pytest.raises(ValueError):
        enqueue(db, "t", ["a"], "merge")


def test_mark_failed_counts_attempts_and_mark_done_forgets(db):
    rows = enqueue(db, "t", ["a", "b"])
    mark_failed(db, [rows[0].id], "node down")
    mark_failed(db, [rows[0].id], "still down")
    row = pending(db, "t")[0]
    assert (row.attempts, row.last_error) == (2, "still down")
    assert summary(db) == [{"target": "t", "pending": 2, "failed": 1, "max_attempts": 2,
                            "oldest": summary(db)[0]["oldest"], "last_error": "still down"}]
    mark_done(db, [r.id for r in rows])
    assert pending(db, "t") == []


def test_pending_pages_by_id(db):
    rows = enqueue(db, "t", [f"id{i}" for i in range(7)])
    page = pending(db, "t", limit=3, after_id=rows[2].id)
    assert [r.article_id for r in page] == ["id3", "id4", "id5"]


def test_writer_flushes_at_once_when_the_index_is_up(db):
    index = FlakyIndex()
    ids = _store(db, 5)
    assert IndexWriter(db, index).upsert(ids) == 5
    assert set(index.docs) == set(ids)
    assert pending_count(db) == 0


def test_writer_keeps_rows_when_the_index_is_down_and_replay_delivers(db):
    index = FlakyIndex()
    writer = IndexWriter(db, index, batch=2)
    ids = _store(db, 5)
    index.up = False
    with structlog.testing.capture_logs() as logs:
        assert writer.upsert(ids) == 0  # no exception: the record has them, the outbox too
    assert any(e["event"] == "index_unavailable" and e["log_level"] == "warning" for e in logs)
    assert pending_count(db, "flaky") == 5
    assert all(r.attempts == 1 and "down" in r.last_error for r in pending(db, "flaky"))
    assert replay(writer).unavailable  # still down: nothing lost, nothing written
    assert pending_count(db, "flaky") == 5
    index.up = True
    report = replay(writer)
    assert (report.indexed, report.pending, report.unavailable) == (5, 0, None)
    assert set(index.docs) == set(ids)


def test_writer_is_idempotent(db):
    index = FlakyIndex()
    writer = IndexWriter(db, index)
    ids = _store(db, 3)
    writer.upsert(ids)
    writer.upsert(ids)
    assert replay(writer).indexed == 0
    assert len(index.docs) == 3


def test_partial_failure_keeps_only_the_failed_rows(db):
    index = FlakyIndex()
    index.reject = {"art0001"}
    writer = IndexWriter(db, index)
    ids = _store(db, 3)
    assert writer.upsert(ids) == 2
    rows = pending(db, "flaky")
    assert [(r.article_id, r.last_error) for r in rows] == [("art0001", "mapper_parsing_exception")]
    index.reject = set()
    assert replay(writer).indexed == 1


def test_delete_goes_through_the_outbox_and_missing_articles_are_deleted(db):
    index = FlakyIndex()
    writer = IndexWriter(db, index)
    ids = _store(db, 2)
    writer.upsert(ids)
    index.up = False
    assert writer.delete(["art0000"]) == 0
    index.up = True
    replay(writer)
    assert set(index.docs) == {"art0001"}
    index.docs["ghost"] = _article(99)
    writer.upsert(["ghost"])  # not in the record: must not stay searchable
    assert "ghost" not in index.docs


def test_sqlite_backend_uses_the_same_writer(db, tmp_path):
    index = SqliteIndex(tmp_path / "duluan.db")  # the FTS index lives in the record's file
    ids = _store(db, 4)
    assert IndexWriter(db, index).upsert(ids) == 4
    assert index.search("hai phong").total == 4
    assert pending_count(db) == 0
    assert replay_pending(db, index).indexed == 0
    index.close()
