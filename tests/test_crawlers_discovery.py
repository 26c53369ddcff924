"""Discovery: feeds, sitemaps, section pages, canonical URLs, conditional GET — against a local server."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from duluan.crawlers import Crawler, canonical_url
from duluan.crawlers.sections import is_article_path
from duluan.records import CrawlError
from duluan.store import crawlstate
from test_crawlers_support import Reply, Site, conditional, fast_settings, gz, make_source, new_db, page

RSS2 = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo Thử</title>
<item><title>Hải Phòng mở cảng mới</title><link>{base}/thoi-su/hai-phong-mo-cang-moi-1001.html?utm_source=rss&amp;utm_medium=feed</link>
<pubDate>Mon, 14 Jul 2025 08:30:00 +0700</pubDate><description>&lt;p&gt;Tóm tắt &lt;b&gt;bài&lt;/b&gt;&lt;/p&gt;</description></item>
<item><title>Bài tương đối</title><link>/kinh-te/bai-tuong-doi-1002.html</link></item>
</channel></rss>"""
RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>x</title><link>{base}/</link><description>d</description>
<item><title>Cũ</title><link>{base}/cu/bai-rss-091-2001.html</link></item></channel></rss>"""
RSS10 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/"><title>x</title><link>{base}/</link><description>d</description></channel>
<item rdf:about="{base}/rdf/bai-rdf-3001.html"><title>RDF</title><link>{base}/rdf/bai-rdf-3001.html</link><dc:date>2025-07-14T08:30:00+07:00</dc:date></item>
</rdf:RDF>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><id>urn:x</id><updated>2025-07-14T01:30:00Z</updated>
<entry><title>Atom một</title><id>urn:1</id><link rel="alternate" href="{base}/atom/bai-atom-4001.html"/><published>2025-07-14T01:30:00Z</published><updated>2025-07-14T01:30:00Z</updated></entry>
</feed>"""
BROKEN = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>
<item><title>Tốt 1</title><link>{base}/t/tot-mot-5001.html</link></item>
<item><title>Tốt 2</title><link>{base}/t/tot-hai-5002.html</link></item>
<item><title>Hỏng <b>không đóng"""
SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-2025.xml</loc></sitemap><sitemap><loc>{base}/sitemap-news.xml.gz</loc></sitemap></sitemapindex>"""
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/thoi-su/hai-phong-mo-cang-moi-1001.html</loc><lastmod>2025-07-14</lastmod></url>
<url><loc>{base}/xa-hoi/bai-sitemap-6001.html</loc></url></urlset>"""
NEWS = """<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/tin/bai-news-7001.html</loc><news:news><news:publication><news:name>Báo Thử</news:name><news:language>vi</news:language></news:publication>
<news:publication_date>2025-07-14T08:30:00+07:00</news:publication_date><news:title>Tin Google News</news:title></news:news></url></urlset>"""
XXE = """<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}/a/&x;-8001.html</loc></url></urlset>"""


def section_page(base: str, n: int, pages: int) -> str:
    nxt = f'<a href="/thoi-su/trang-{n + 1}/">Trang sau</a>' if n < pages else ""
    return f"""<html><body><nav><a href="/">Trang chủ</a><a href="/thoi-su/">Thời sự</a><a href="/tag/hai-phong/">tag</a>
<a href="/tac-gia/nguyen-van-a/">tác giả</a><a href="https://other.example/x/bai-ngoai-9999.html">ngoài</a></nav>
<a href="/thoi-su/bai-so-{n}-trong-chuyen-muc-{n}0001.html">Bài {n}</a>
<a href="/kinh-te/bai-kinh-te-lien-quan-{n}0002.html#binh-luan">Bài kinh tế</a>
<a href="/static/anh-{n}.jpg">ảnh</a>{nxt}</body></html>"""


@pytest.fixture()
def site():
    s = Site()
    s.routes["/robots.txt"] = page("User-agent: *\nAllow: /\n", "text/plain")
    yield s
    s.stop()


@pytest.fixture()
def crawler(tmp_path):
    c = Crawler(new_db(tmp_path), fast_settings())
    yield c
    c.close()


def urls(links) -> set[str]:
    return {l.url for l in links}


def test_rss2_links_are_canonical_with_dates_and_plain_summary(site, crawler):
    site.routes["/rss.xml"] = page(RSS2.format(base=site.url), "application/rss+xml")
    links, errors = crawler.discover(make_source(site))
    assert errors == []
    by = {l.url: l for l in links}
    first = by[site.url + "/thoi-su/hai-phong-mo-cang-moi-1001.html"]  # utm_* dropped
    assert first.via == "feed" and first.title == "Hải Phòng mở cảng mới"
    assert first.published == datetime(2025, 7, 14, 1, 30, tzinfo=timezone.utc)
    assert first.summary == "Tóm tắt bài"
    assert site.url + "/kinh-te/bai-tuong-doi-1002.html" in by  # relative link resolved


@pytest.mark.parametrize("body,expected", [
    (RSS091, "/cu/bai-rss-091-2001.html"), (RSS10, "/rdf/bai-rdf-3001.html"), (ATOM, "/atom/bai-atom-4001.html")])
def test_rss091_rss10_atom(site, crawler, body, expected):
    site.routes["/rss.xml"] = page(body.format(base=site.url), "application/xml")
    links, errors = crawler.discover(make_source(site))
    assert errors == [] and urls(links) == {site.url + expected}


def test_feed_broken_half_way_keeps_good_entries_and_records_parse(site, crawler):
    site.routes["/rss.xml"] = page(BROKEN.format(base=site.url), "application/rss+xml")
    links, errors = crawler.discover(make_source(site))
    assert {site.url + "/t/tot-mot-5001.html", site.url + "/t/tot-hai-5002.html"} <= urls(links)
    assert [e.kind for e in errors] == ["parse"] and errors[0].url == site.url + "/rss.xml"
    assert errors[0].source == "test" and "malformed" in errors[0].message


def test_feed_that_is_html_is_a_parse_error(site, crawler):
    site.routes["/rss.xml"] = page("<html><body>Trang chủ</body></html>")
    links, errors = crawler.discover(make_source(site))
    assert links == [] and errors and errors[0].kind == "parse"


def test_feed_http_error_is_recorded_and_other_feeds_continue(site, crawler):
    site.routes["/rss.xml"] = page(ATOM.format(base=site.url), "application/atom+xml")
    src = make_source(site, feeds=[site.url + "/missing.rss", site.url + "/rss.xml"])
    links, errors = crawler.discover(src)
    assert urls(links) == {site.url + "/atom/bai-atom-4001.html"}
    assert [(e.kind, e.url) for e in errors] == [("http_status", site.url + "/missing.rss")]


def test_sitemap_index_gzip_and_google_news(site, crawler):
    site.routes["/sitemap.xml"] = page(SITEMAP_INDEX.format(base=site.url), "application/xml")
    site.routes["/sitemap-2025.xml"] = page(SITEMAP.format(base=site.url), "application/xml")
    site.routes["/sitemap-news.xml.gz"] = page(gz(NEWS.format(base=site.url).encode()), "application/x-gzip")
    site.routes["/rss.xml"] = page(RSS2.format(base=site.url), "application/rss+xml")
    links, errors = crawler.discover(make_source(site, sitemaps=[site.url + "/sitemap.xml"]))
    assert errors == []
    by = {l.url: l for l in links}
    news = by[site.url + "/tin/bai-news-7001.html"]
    assert news.via == "sitemap" and news.title == "Tin Google News"
    assert news.published == datetime(2025, 7, 14, 1, 30, tzinfo=timezone.utc)
    assert site.url + "/xa-hoi/bai-sitemap-6001.html" in by
    # Found in both feed and sitemap: one link, feed data kept.
    assert [l.url for l in links].count(site.url + "/thoi-su/hai-phong-mo-cang-moi-1001.html") == 1


def test_sitemap_xxe_is_not_expanded(site, crawler):
    site.routes["/sitemap.xml"] = page(XXE.format(base=site.url), "application/xml")
    links, _ = crawler.discover(make_source(site, feeds=[], sitemaps=[site.url + "/sitemap.xml"]))
    assert all("root:" not in l.url for l in links)


def test_sitemap_malformed_keeps_entries_before_fault(site, crawler):
    body = SITEMAP.format(base=site.url).replace("</urlset>", "<url><loc>unterminated")
    site.routes["/sitemap.xml"] = page(body, "application/xml")
    links, errors = crawler.discover(make_source(site, feeds=[], sitemaps=[site.url + "/sitemap.xml"]))
    assert site.url + "/xa-hoi/bai-sitemap-6001.html" in urls(links)
    assert [e.kind for e in errors] == ["parse"]


def test_section_spider_follows_pagination_within_budget(site, crawler):
    for n in range(1, 6):
        path = "/thoi-su/" if n == 1 else f"/thoi-su/trang-{n}/"
        site.routes[path] = page(section_page(site.url, n, 5))
    src = make_source(site, feeds=[], sections=[site.url + "/thoi-su/"], max_section_pages=3)
    links, errors = crawler.discover(src)
    assert errors == []
    got = urls(links)
    assert got == {site.url + f"/thoi-su/bai-so-{n}-trong-chuyen-muc-{n}0001.html" for n in (1, 2, 3)} | {
        site.url + f"/kinh-te/bai-kinh-te-lien-quan-{n}0002.html" for n in (1, 2, 3)}
    assert all(l.via == "section" for l in links)
    assert "/thoi-su/trang-4/" not in site.paths()


@pytest.mark.parametrize("path,article", [
    ("/thoi-su/hai-phong-mo-cang-moi-1001.html", True), ("/hai-phong-mua-lon-gay-ngap-2025026.htm", True),
    ("/the-gioi/2025/07/14/mot-bai-viet-rat-dai-ve-the-gioi", True), ("/thoi-su/", False),
    ("/thoi-su/trang-2/", False), ("/tag/hai-phong/", False), ("/index.html", False), ("/lien-he.html", False),
    ("/admin/", False), ("/tim-kiem/bai-viet-abc-1234.html", False)])
def test_article_path_heuristic(path, article):
    assert is_article_path(path) is article


def test_canonical_url():
    assert canonical_url("HTTP://Example.VN:80/a/b.html?utm_source=fb&id=3&fbclid=x#top") == "http://example.vn/a/b.html?id=3"
    assert canonical_url("https://example.vn/x.html?zarsrc=1&b=2&a=1") == "https://example.vn/x.html?a=1&b=2"


def test_second_discovery_is_conditional_and_yields_nothing(site, crawler):
    site.routes["/rss.xml"] = conditional(RSS2.format(base=site.url))
    site.routes["/sitemap.xml"] = conditional(SITEMAP.format(base=site.url), "application/xml")
    site.routes["/thoi-su/"] = conditional(section_page(site.url, 1, 1), "text/html")
    src = make_source(site, sitemaps=[site.url + "/sitemap.xml"], sections=[site.url + "/thoi-su/"])
    links, errors = crawler.discover(src)
    assert len(links) == 5 and errors == []
    assert crawlstate.get_validators(crawler.db, site.url + "/rss.xml").etag
    site.log.clear()
    links2, errors2 = crawler.discover(src)
    assert links2 == [] and errors2 == []
    sent = [r for r in site.log if r.path != "/robots.txt"]
    assert len(sent) == 3 and all(r.headers.get("If-None-Match") and r.headers.get("If-Modified-Since") for r in sent)
    assert crawler.stats["not_modified"] == 3


def test_transient_failures_are_offered_again(site, crawler):
    site.routes["/rss.xml"] = conditional(RSS2.format(base=site.url))
    src = make_source(site)
    crawlstate.record_error(crawler.db, CrawlError("test", site.url + "/tin/tam-loi-1234.html", "timeout", "ReadTimeout"))
    crawlstate.record_error(crawler.db, CrawlError("test", site.url + "/tin/mat-roi-1235.html", "http_status", "HTTP 404"))
    links, _ = crawler.discover(src)
    retry = [l for l in links if l.via == "retry"]
    assert [l.url for l in retry] == [site.url + "/tin/tam-loi-1234.html"]


def test_forbidden_feed_host_is_an_error_not_a_crash(site, crawler):
    src = make_source(site, feeds=[site.url + "/rss.xml", "http://10.0.0.1/rss.xml"], allow_private=False)
    links, errors = crawler.discover(src)
    assert links == [] and {e.kind for e in errors} == {"forbidden_address"} and len(errors) == 2
    assert site.log == []
