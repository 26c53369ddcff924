"""The SQLite FTS5 backend beyond the shared suite: rebuild, UTC storage, status, errors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from duluan.errors import IndexError_
from duluan.index.factory import open_index
from duluan.index.sqlite import SqliteIndex
from duluan.config.models import Settings
from duluan.records import Article, Classification
from duluan.store.db import open_database


def _a(i: int, title: str = "Hải Phòng", published: datetime | None = None, **c) -> Article:
    return Article(id=f"s{i}", url=f"https://example.vn/s{i}", source="baohaiphong", source_kind="domestic",
                   language="VI", title=f"{title} {i}", body="Cảng Hải Phòng đón tàu.",
                   published=published or datetime(2025, 7, 1, tzinfo=timezone.utc),
                   classification=Classification(**c))


@pytest.fixture
def index(tmp_path):
    idx = SqliteIndex(tmp_path / "search.sqlite3")
    yield idx
    idx.close()


def test_reindex_replaces_everything(index):
    index.upsert([_a(1), _a(2), _a(3)])
    assert index.reindex(iter([_a(2, title="Đà Nẵng"), _a(4)])) == {"written": 2}
    assert index.ids() == {"s2", "s4"}
    assert [h.id for h in index.search('"Đà Nẵng"').hits] == ["s2"]
    assert index.search("hai phong").total == 2  # the body still says Hải Phòng
    assert index.status() == {"backend": "sqlite", "path": index.path, "documents": 2, "schema": 3}


def test_an_index_of_the_folded_only_layout_is_dropped_for_a_rebuild(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE search_docs (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, title TEXT, body TEXT);"
                       "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='');"
                       "CREATE TABLE articles (id TEXT);")  # the record in the same file is left alone
    conn.close()
    idx = SqliteIndex(path)
    assert idx.count() == 0
    idx.upsert([_a(1)])
    assert [h.id for h in idx.search("hải phòng").hits] == ["s1"]
    idx.close()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM articles").fetchone() == (0,)


def test_an_index_without_the_pair_columns_is_dropped_for_a_rebuild(tmp_path):
    import sqlite3

    path = tmp_path / "v2.sqlite3"
    SqliteIndex(path).close()
    conn = sqlite3.connect(path)
    with conn:  # what schema 2 was: no title_p, body_p
        conn.execute("DROP TABLE search_fts")
        conn.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, title_m, body_m, content='')")
        conn.execute("UPDATE search_meta SET value = 2 WHERE key = 'schema'")
    conn.close()
    idx = SqliteIndex(path)
    idx.upsert([_a(1)])
    assert [h.id for h in idx.search('"Hải Phòng"').hits] == ["s1"]
    assert idx.status()["schema"] == 3
    idx.close()


def test_a_phrase_is_matched_on_word_pairs_whatever_its_marks(index):
    index.upsert([_a(1, title="Khu công nghiệp Đình Vũ"), _a(2, title="Khu cộng nghiệp"), _a(3, title="Khu")])
    found = {q: sorted(h.id for h in index.search(q).hits) for q in (
        '"khu cong nghiep"', '"khu công nghiệp"', '"Khu cong nghiệp"', '"khu công nghiep"', '"khu cộng"',
        '"công nghiệp đình"', '"nghiệp Đinh"', '"1 cảng"')}
    assert found == {'"khu cong nghiep"': ["s1", "s2"], '"khu công nghiệp"': ["s1"], '"Khu cong nghiệp"': ["s1", "s2"],
                     '"khu công nghiep"': ["s1"], '"khu cộng"': ["s2"], '"công nghiệp đình"': ["s1"],
                     '"nghiệp Đinh"': [], '"1 cảng"': []}  # the title ends "… 3", the body starts "Cảng"


def test_published_is_stored_in_utc_and_language_lowercase(index):
    local = datetime(2025, 7, 1, 5, tzinfo=timezone(timedelta(hours=7)))
    index.upsert([_a(1, published=local)])
    hit = index.search("from:2025-06-30 to:2025-06-30").hits[0]
    assert hit.published == "2025-06-30T22:00:00+00:00"
    assert index.search("lang:vi").total == 1


def test_upsert_twice_keeps_one_document_and_its_new_text(index):
    index.upsert([_a(1)])
    index.upsert([_a(1, title="Vĩnh Long")])
    assert index.count() == 1
    assert index.search("vinh long").total == 1
    assert index.search("hai phong").total == 1  # body
    assert index.search("hai phong 1").hits[0].title == "Vĩnh Long 1"


def test_sqlite_errors_are_index_errors(tmp_path):
    idx = SqliteIndex(tmp_path / "search.sqlite3")
    idx.close()
    with pytest.raises(IndexError_):
        idx.upsert([_a(1)])


def test_factory_picks_sqlite_without_a_url_and_es_with_one(tmp_path, monkeypatch):
    monkeypatch.delenv("DULUAN_ES", raising=False)
    db = open_database(f"sqlite:///{tmp_path / 'duluan.db'}")
    with open_index(db, Settings()) as idx:
        assert idx.name == "sqlite" and idx.path == str(tmp_path / "duluan.db")
    with open_index(db, Settings(), es="http://127.0.0.1:9") as idx:  # opening never touches the node
        assert idx.name == "elasticsearch" and idx.alias == "duluan-articles"
    db.close()


def test_facet_counts_are_kept_until_anything_commits(tmp_path):
    """Recent facet counts are reused, and dropped after a write by this index or by another process."""
    path = tmp_path / "search.sqlite3"
    index, other = SqliteIndex(path), SqliteIndex(path)  # ``other``: a crawler's connection elsewhere
    try:
        index.upsert([_a(1, sentiment="negative"), _a(2, sentiment="positive")])
        assert index.facets("hai phong")["sentiment"] == {"negative": 1, "positive": 1}
        calls = []
        real = index._facets
        index._facets = lambda *a: calls.append(a) or real(*a)
        assert index.facets("hai phong")["sentiment"] == {"negative": 1, "positive": 1}
        assert calls == []  # counted once
        other.upsert([_a(3, sentiment="negative")])
        assert index.facets("hai phong")["sentiment"] == {"negative": 2, "positive": 1}
        index.delete(["s1"])
        assert index.facets("hai phong")["sentiment"] == {"negative": 1, "positive": 1}
        assert len(calls) == 2
        got = index.facets("hai phong")
        got["sentiment"]["negative"] = 99  # a caller's copy
        assert index.facets("hai phong")["sentiment"]["negative"] == 1
    finally:
        index.close()
        other.close()


def test_search_results_are_kept_until_anything_commits(tmp_path):
    path = tmp_path / "search.sqlite3"
    index, other = SqliteIndex(path), SqliteIndex(path)
    try:
        index.upsert([_a(1)])
        assert [h.id for h in index.search("hai phong").hits] == ["s1"]
        index.search("hai phong").hits.clear()  # a caller's copy
        assert index.search("hai phong").total == 1
        other.upsert([_a(2)])  # another process indexes a new article: seen at once
        assert index.search("hai phong").total == 2
        other.delete(["s1", "s2"])
        assert index.search("hai phong").total == 0
    finally:
        index.close()
        other.close()


def _phrases(n: int) -> list[Article]:
    """``n`` articles with the phrase "tin sai sự thật": once, twice in the title, or only its pairs apart."""
    bodies = ["Họ đưa tin sai sự thật về cảng.", "Tin sai sự thật, rồi tin sai sự thật nữa.",
              "Tin sai, rồi sự thật được nói ra."]  # the third has every pair word but not the phrase
    return [Article(id=f"p{i}", url=f"https://example.vn/p{i}", source="baohaiphong", source_kind="domestic",
                    language="vi", title="Tin sai sự thật" if i % 7 == 0 else f"Bản tin {i}", body=bodies[i % 3],
                    published=datetime(2025, 7, 1, tzinfo=timezone.utc) + timedelta(minutes=i))
            for i in range(n)]


def test_a_phrase_is_scored_alike_by_the_fast_and_the_generic_path(tmp_path):
    index = SqliteIndex(tmp_path / "search.sqlite3", cache=False)
    try:
        index.upsert(_phrases(30) + [_a(100 + i) for i in range(60)])  # bm25 needs the phrase to be rare
        fast = {h.id: h.score for h in index.search('"tin sai sự thật"', limit=50).hits}
        # a field inside OR is answered by SQL joining bm25 over the same relaxed phrase
        generic = {h.id: h.score for h in index.search('"tin sai sự thật" OR source:nowhere', limit=50).hits}
        assert fast == generic and len(fast) == 21  # the phrase's pairs apart are not a match
        title_and_twice = fast["p7"]  # i % 7 == 0 and i % 3 == 1: the title, and twice in the body
        assert title_and_twice == max(fast.values()) and title_and_twice > fast["p3"]
    finally:
        index.close()


@pytest.mark.parametrize("counter", ["free", "busy", "sees_a_later_commit"])
def test_totals_past_the_rank_window_are_those_of_the_searchs_commit(tmp_path, monkeypatch, counter):
    """The matches older than the window (the newest 20, a page) are counted on a counter thread
    while the window is scored; a counter that sees another commit is not believed."""
    path = tmp_path / "search.sqlite3"
    index, writer = SqliteIndex(path, rank_window=5, cache=False), SqliteIndex(path)
    try:
        writer.upsert(_phrases(60))
        assert index.search('"tin sai sự thật"').total == 43
        counted = []
        original = index._count_on_counter

        def on_counter(expr, below):
            if counter == "sees_a_later_commit":  # another process deletes the oldest match first
                writer.delete(["p0"])
            got = original(expr, below)
            counted.append(got)
            return got

        monkeypatch.setattr(index, "_count_on_counter", on_counter)
        if counter == "busy":
            while index._counters.acquire(blocking=False):
                pass
        result = index.search('"tin sai sự thật"')
        assert result.total == 43 and len(result.hits) == 20
        assert [n for _, n in counted] == {"free": [23], "busy": [], "sees_a_later_commit": [22]}[counter]
        assert index.search('"tin sai sự thật"').total == (42 if counter == "sees_a_later_commit" else 43)
    finally:
        index.close()
        writer.close()
