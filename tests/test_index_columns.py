"""Doc values (index/columns.py): facets and filters from memory equal what SQL counts,
after deletes, updates, reused rowids, writes by another connection and a pruned log."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from duluan.index import query as q
from duluan.index.sqlite import SqliteIndex
from duluan.records import Article, Classification

PROVINCES = ["hai-phong", "da-nang", "ha-noi", "vinh-long"]
TOPICS = ["disaster", "tourism", None]


def _articles(n: int, seed: int = 1, prefix: str = "c") -> list[Article]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        provinces = rng.sample(PROVINCES, k=rng.randint(0, 2))
        when = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(hours=rng.randrange(24 * 200))
        out.append(Article(
            id=f"{prefix}{i}", url=f"https://example.vn/{i}", source=rng.choice(["vnexpress", "rfa"]),
            source_kind=rng.choice(["domestic", "foreign"]), language=rng.choice(["vi", "en"]),
            title=rng.choice(["Bão ở Hải Phòng", "Du lịch Đà Nẵng", "Hà Nội mưa lớn"]), body="Tin bão và du lịch.",
            published=None if rng.random() < 0.1 else when,
            classification=Classification(provinces=provinces, topic=rng.choice(TOPICS),
                                          sentiment=rng.choice(["negative", "neutral", None]),
                                          distorted=rng.random() < 0.3)))
    return out


def _sql_facets(index: SqliteIndex, size: int = 10) -> dict[str, dict[str, int]]:
    """The facets of every document, counted by SQL as before the doc values."""
    conn = index.conn
    out = {}
    for name, col in (("kind", "source_kind"), ("sentiment", "sentiment"), ("topic", "topic"),
                      ("month", "substr(published, 1, 7)")):
        out[name] = conn.execute(f"SELECT {col}, count(*) FROM search_docs GROUP BY 1").fetchall()
    out["province"] = conn.execute("SELECT province, count(*) FROM search_provinces GROUP BY 1").fetchall()
    return {k: dict(sorted(((v, n) for v, n in rows if v), key=lambda x: (-x[1], x[0]))[:size])
            for k, rows in out.items()}


def _sql_total(index: SqliteIndex, query: str) -> int:
    params: list = []
    where = index._where(q.parse(query), params)
    return index.conn.execute(f"SELECT count(*) FROM search_docs d WHERE {where}", params).fetchone()[0]


QUERIES = ["province:hai-phong", "topic:disaster sentiment:negative", "NOT topic:disaster", "flagged:true",
           "from:2025-03-01 to:2025-03-31", "province:da-nang OR kind:foreign", "bão province:ha-noi",
           "bão -province:hai-phong lang:en", "du lịch NOT sentiment:neutral", "NOT (province:ha-noi topic:tourism)",
           "source:rfa lang:vi", "source:vnexpress OR lang:en"]


@pytest.fixture
def index(tmp_path):
    idx = SqliteIndex(tmp_path / "search.sqlite3", cache=False)
    idx.upsert(_articles(300))
    yield idx
    idx.close()


def _check(index: SqliteIndex) -> None:
    assert index.facets("") == _sql_facets(index)
    for query in QUERIES:
        assert index.search(query).total == _sql_total(index, query), query
        assert sum(index.facets(query)["kind"].values()) == _sql_total(index, query), query


def test_facets_and_filters_equal_sql(index):
    _check(index)


def test_warm_loads_the_doc_values_the_first_search_then_uses(index, monkeypatch):
    from duluan.index.columns import DocColumns

    index.warm()
    last = index.conn.execute("SELECT max(seq) FROM search_changes").fetchone()[0]
    assert index._columns.seen == last and index._columns.live.sum() == 300

    def reload(*_a):
        raise AssertionError("the first search after warm() read every row again")

    monkeypatch.setattr(DocColumns, "_load_all", reload)
    _check(index)


def test_after_deletes_and_updates(index):
    _check(index)  # loaded first: what follows is applied from the change log
    index.delete([f"c{i}" for i in range(0, 300, 7)])
    index.upsert(_articles(120, seed=2))  # the same ids with other values: delete + insert
    _check(index)


def test_a_reused_rowid_takes_its_new_provinces(index):
    _check(index)
    last = index.conn.execute("SELECT id, rowid FROM search_docs ORDER BY rowid DESC LIMIT 1").fetchone()
    index.delete([last[0]])
    fresh = _articles(1, seed=9, prefix="new")[0]
    index.upsert([fresh])  # SQLite gives the freed largest rowid to the next insert
    assert index.conn.execute("SELECT rowid FROM search_docs WHERE id = 'new0'").fetchone()[0] == last[1]
    _check(index)


def test_writes_by_another_connection_are_seen(index):
    _check(index)
    other = SqliteIndex(index.path, cache=False)
    try:
        other.delete([f"c{i}" for i in range(0, 300, 3)])
        other.upsert(_articles(50, seed=3, prefix="o"))
    finally:
        other.close()
    _check(index)


def test_a_pruned_log_reloads_everything(index):
    _check(index)
    other = SqliteIndex(index.path, cache=False)
    try:
        other.delete([f"c{i}" for i in range(10)])
        other.upsert(_articles(20, seed=4, prefix="p"))
        other.optimize()  # prunes the change log this reader has not read yet
    finally:
        other.close()
    assert index.conn.execute("SELECT count(*) FROM search_changes").fetchone()[0] == 1
    _check(index)


def test_reindex_restarts_rowids(index):
    _check(index)
    index.reindex(iter(_articles(40, seed=5, prefix="r")))
    _check(index)
    assert index.search("").total == 40


def test_a_read_older_than_the_doc_values_reads_again_not_reloads(tmp_path):
    """Another thread synced the doc values to a newer commit than this read sees: the read starts
    again in a new transaction (no reload of every row, which made 20 searchers beside a crawl
    wait seconds for each other), and its answer is that of the newer commit."""
    import sqlite3

    from duluan.index.columns import DocColumns, StaleRead

    path = tmp_path / "i.sqlite3"
    index = SqliteIndex(path, cache=False)
    index.upsert(_articles(50))
    old = sqlite3.connect(path)
    old.execute("BEGIN")
    old.execute("SELECT count(*) FROM search_docs").fetchone()  # this transaction's snapshot starts here
    index.upsert(_articles(10, seed=2, prefix="n"))
    cols = DocColumns()
    new = sqlite3.connect(path)
    cols.sync(new)
    with pytest.raises(StaleRead):
        cols.sync(old)
    assert cols.sync(old, older="reload").live.sum() == 50  # the last resort: its own commit
    old.rollback()

    calls = []
    real = index._columns.sync

    def stale_once(conn, older="raise"):
        calls.append(older)
        if len(calls) == 1:
            raise StaleRead("older")
        return real(conn, older)

    index._columns.sync = stale_once
    got = index.facets("province:hai-phong")
    assert len(calls) >= 2 and "reload" not in calls  # one stale read, read again: no reload
    assert sum(got["kind"].values()) == _sql_total(index, "province:hai-phong")
    index.close()


def test_loading_the_doc_values_reads_indexes_not_the_table(index):
    """At 1M the table is 3.4 GB (title and body inline), its covering index 50 MB: a load
    that scans the table takes 17-29 s from a cold disk, one on the index 7 s."""
    from duluan.index.columns import DocColumns

    seen: list[str] = []
    index.conn.set_trace_callback(seen.append)
    try:
        DocColumns().sync(index.conn)
    finally:
        index.conn.set_trace_callback(None)
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT") and "search_docs" in s]
    assert reads
    for sql in reads:
        plan = " ".join(r[3] for r in index.conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SCAN search_docs" not in plan or "COVERING INDEX" in plan, (sql, plan)


def test_an_index_built_before_the_covering_index_gets_it_on_open(tmp_path):
    path = tmp_path / "old.sqlite3"
    idx = SqliteIndex(path, cache=False)
    idx.upsert(_articles(50))
    idx.conn.execute("DROP INDEX search_docs_values")
    idx.close()
    from structlog.testing import capture_logs

    with capture_logs() as logs:
        again = SqliteIndex(path, cache=False)
    try:
        assert [e["indexes"] for e in logs if e["event"] == "search_index_indexing"] == [["search_docs_values"]]
        names = {r[0] for r in again.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "search_docs_values" in names
        assert again.count() == 50
        _check(again)
    finally:
        again.close()
