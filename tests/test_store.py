"""The SQL record: idempotent saves, evidence bytes with their hash, crawl errors counted not duplicated."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import pytest

from duluan.errors import StoreError
from duluan.records import Article, Classification, CrawlError, RawPage, article_id
from duluan.store import open_database
from duluan.store import articles as store
from duluan.store import crawlstate


@pytest.fixture
def db(record_url):
    d = open_database(record_url)
    yield d
    d.close()


def _art(url="https://baohaiphong.vn/a-1.html", title="Hải Phòng") -> Article:
    return Article(id=article_id(url), url=url, source="bhp", source_kind="domestic", language="vi",
                   title=title, body="Nội dung.", published=datetime(2025, 8, 1, 1, 30, tzinfo=timezone.utc),
                   classification=Classification(provinces=["hai-phong"], sentiment="neutral"))


def test_article_id_is_stable_hash_of_canonical_url():
    assert article_id("https://a.vn/x") == article_id("https://a.vn/x") != article_id("https://a.vn/y")
    assert article_id("https://a.vn/x") == hashlib.sha256(b"https://a.vn/x").hexdigest()[:20]


def test_save_is_idempotent_and_updates(db):
    assert store.save_article(db, _art()) is True
    assert store.save_article(db, _art(title="Hải Phòng (cập nhật)")) is False
    assert store.count_articles(db) == 1
    got = store.get_article(db, _art().id)
    assert got.title == "Hải Phòng (cập nhật)"
    assert got.published == datetime(2025, 8, 1, 1, 30, tzinfo=timezone.utc)
    assert got.classification.provinces == ["hai-phong"]


def test_evidence_keeps_exact_bytes_and_hash_once_per_content(db):
    body = "<html>Hải Phòng</html>".encode("cp1258", errors="replace")
    page = RawPage(url="https://a.vn/x", final_url="https://a.vn/x", status=200, headers={"ETag": '"1"'},
                   body=body, fetched_at=datetime.now(timezone.utc), source_id="a")
    art = _art("https://a.vn/x")
    store.save_article(db, art, page=page)  # the page is kept in the article's own transaction
    store.save_page(db, page, art.id)  # the same bytes again: not kept twice
    kept = store.page_bytes(db, art.id)
    assert len(kept) == 1 and kept[0][2] == body and kept[0][0] == hashlib.sha256(body).hexdigest()


def test_repeated_error_bumps_attempts_and_success_resolves(db):
    err = CrawlError("a", "https://a.vn/404", "http_status", "HTTP 404")
    crawlstate.record_error(db, err)
    crawlstate.record_error(db, err)
    errs = crawlstate.open_errors(db, "a")
    assert len(errs) == 1 and errs[0]["attempts"] == 2
    crawlstate.resolve_errors(db, "a", "https://a.vn/404")
    assert crawlstate.open_errors(db, "a") == []


def test_validators_round_trip_and_304_keeps_them(db):
    crawlstate.put_validators(db, "https://a.vn/rss", "a", 200, '"abc"', "Mon, 01 Sep 2025 00:00:00 GMT")
    crawlstate.put_validators(db, "https://a.vn/rss", "a", 304, None, None)
    v = crawlstate.get_validators(db, "https://a.vn/rss")
    assert v.etag == '"abc"' and v.last_modified == "Mon, 01 Sep 2025 00:00:00 GMT"


def test_bad_database_url_is_a_clear_error():
    with pytest.raises(StoreError, match="SQLAlchemy URL"):
        open_database("not a url")


def test_article_page_outbox_and_alerts_are_one_write(db):
    from duluan.store import outbox
    from duluan.store.schema import AlertRow
    from sqlalchemy import func, select

    page = RawPage(url="https://a.vn/y", final_url="https://a.vn/y", status=200, headers={}, body=b"<p>y</p>",
                   fetched_at=datetime.now(timezone.utc), source_id="a")
    art = _art("https://a.vn/y")
    rows = [("rule-a", "press"), ("rule-b", "press"), ("rule-b", "police")]
    store.save_article(db, art, page=page, index_targets=["sqlite"], alerts=rows)
    store.save_article(db, art, page=page, index_targets=["sqlite"], alerts=rows)  # a replay adds nothing
    assert [r.article_id for r in outbox.pending(db, "sqlite")] == [art.id]
    with db.session() as s:
        channels = sorted(s.scalars(select(AlertRow.channel_id).where(AlertRow.article_id == art.id)))
    assert channels == ["police", "press"] and len(store.page_bytes(db, art.id)) == 1


def test_a_failed_write_leaves_nothing_behind(db):
    """A fault inside the transaction (here: an alert row too long for its column on PostgreSQL,
    a page for no article on both) rolls back the article with it."""
    from duluan.store import outbox

    page = RawPage(url="https://a.vn/z", final_url="https://a.vn/z", status=200, headers={}, body=b"z",
                   fetched_at=datetime.now(timezone.utc), source_id="a")
    art = _art("https://a.vn/z")
    with pytest.raises(StoreError, match="save_article"):
        store.save_article(db, art, page=page, index_targets=["sqlite"], alerts=[("r", None)])
    assert store.get_article(db, art.id) is None and outbox.pending_count(db) == 0


def test_store_errors_name_the_function_and_never_leak_sqlalchemy(db):
    db.engine.dispose()
    with db.engine.begin() as c:
        from sqlalchemy import text
        c.execute(text("DROP TABLE crawl_runs"))
    with pytest.raises(StoreError, match="start_run"):
        crawlstate.start_run(db, "a")
