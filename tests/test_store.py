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
def db(tmp_path):
    d = open_database(f"sqlite:///{tmp_path / 'sub' / 'r.db'}")
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
    store.save_page(db, page, "id1")
    store.save_page(db, page, "id1")
    kept = store.page_bytes(db, "id1")
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
