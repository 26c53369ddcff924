"""End to end on the offline press mirror (mirror/server.py): hostile outlet, conditional re-runs, no duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duluan.crawlers import Crawler, url_article_id
from duluan.errors import ExtractError, FetchError
from duluan.pipeline.dedupe import StoryClusterer
from duluan.pipeline.extract import error_kind, extract
from duluan.mirror import ROOT as MIRROR_ROOT
from duluan.records import CrawlError
from duluan.store import articles as store_articles
from duluan.store import crawlstate
from test_crawlers_support import fast_settings, new_db

ROOT = MIRROR_ROOT


@pytest.fixture(scope="module")
def mirror():
    from duluan.mirror.server import MirrorServer
    srv = MirrorServer(ROOT).start()
    yield srv
    srv.stop()


def load_sources(mirror, name):
    import os
    from duluan.config.loader import load_model
    from duluan.config.models import SourcesConfig
    os.environ["DULUAN_MIRROR_URL"] = mirror.url
    return load_model(ROOT / name, SourcesConfig).sources


def run_once(crawler, db, clusterer, source):
    """What pipeline/run.py does for one source; returns (new article ids, errors)."""
    new, errors = [], []
    links, errs = crawler.discover(source)
    errors += errs
    known = store_articles.existing_ids(db, [url_article_id(l.url) for l in links])
    for link in links:
        if url_article_id(link.url) in known:
            continue
        try:
            page = crawler.fetch(source, link.url)
            article = extract(page, source)
        except FetchError as e:
            errors.append(CrawlError(source.id, e.url, e.kind, e.message))
            continue
        except ExtractError as e:
            errors.append(CrawlError(source.id, link.url, error_kind(e), str(e)))
            continue
        clusterer.assign(article)
        if store_articles.save_article(db, article, page=page):
            new.append(article.id)
    for e in errors:
        crawlstate.record_error(db, e)
    return new, errors


def test_hostile_outlet(mirror, tmp_path):
    (source,) = load_sources(mirror, "hostile-sources.yaml")
    db = new_db(tmp_path)
    crawler = Crawler(db, fast_settings(timeout_seconds=1.5, retries=1))
    clusterer = StoryClusterer(db)
    try:
        new, errors = run_once(crawler, db, clusterer, source)
        by_url = {}
        for e in errors:
            by_url.setdefault(e.url, set()).add(e.kind)
        stored = {a.url: a for a in store_articles.get_articles(db, new)}
        for case in json.loads((ROOT / "hostile.json").read_text("utf-8")):
            url = mirror.url + case["path"]
            final = mirror.url + case.get("final_path", case["path"])
            if case["expect"] == "stored":
                a = stored.get(final)
                assert a is not None, (case["case"], by_url.get(url))
                assert a.title == case["title"], case["case"]
                assert a.body.startswith(case["body"]) or a.body == case["body"], case["case"]
                for bad in case.get("must_not_contain", []):
                    assert bad not in a.title + a.body
            elif case["expect"] == "error" and case.get("error"):
                assert case["error"] in by_url.get(url, set()), (case["case"], by_url.get(url))
                assert final not in stored
        # The private targets got no request: the mirror only saw the redirecting URL, once.
        paths = [r["path"] for r in mirror.request_log()]
        assert paths.count("/hostile/redirect-private") == 1 and paths.count("/hostile/redirect-metadata") == 1
        assert all(e.source == "hostile" and e.url and e.message for e in errors)
        # Second run: conditional GETs only, nothing new, no duplicate rows.
        mirror.clear_log()
        new2, _ = run_once(crawler, db, clusterer, source)
        assert new2 == []
        discovery = [r for r in mirror.request_log() if r["path"] in {
            "/hostile/rss.xml", "/hostile/atom.xml", "/hostile/"}]
        assert discovery and all(r["status"] == 304 and r["headers"].get("If-None-Match") for r in discovery)
        assert store_articles.count_articles(db) == len({a.id for a in stored.values()})
    finally:
        crawler.close()


def test_outlets_second_run_is_free(mirror, tmp_path):
    sources = load_sources(mirror, "sources.yaml")
    db = new_db(tmp_path)
    crawler = Crawler(db, fast_settings())
    clusterer = StoryClusterer(db)
    try:
        total = 0
        for s in sources:
            new, errors = run_once(crawler, db, clusterer, s)
            total += len(new)
            assert not [e for e in errors if e.kind not in ("http_status", "robots")], errors
        assert total >= 20
        n = store_articles.count_articles(db)
        mirror.clear_log()
        for s in sources:
            new, _ = run_once(crawler, db, clusterer, s)
            assert new == []
        assert store_articles.count_articles(db) == n
        odd = [(r["path"], r["status"]) for r in mirror.request_log() if r["path"] != "/robots.txt" and r["status"] not in (304, 404)]
        assert odd == [], odd
        # robots.txt forbids /…/admin/: never requested.
        assert not any("/admin/" in r["path"] for r in mirror.request_log())
    finally:
        crawler.close()
