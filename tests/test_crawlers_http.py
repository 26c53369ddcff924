"""Guarded client and Crawler.fetch against real local servers: retries, limits, redirects, robots, SSRF."""

from __future__ import annotations

import ipaddress
import time

import pytest

from duluan.crawlers import Crawler
from duluan.crawlers import ssrf
from duluan.crawlers.ssrf import AddressPolicy, is_public
from duluan.errors import FetchError
from test_crawlers_support import Reply, Site, fast_settings, gz, make_source, new_db, page


@pytest.fixture()
def site():
    s = Site()
    s.routes["/robots.txt"] = page("User-agent: *\nDisallow: /private/\n", "text/plain")
    yield s
    s.stop()


@pytest.fixture()
def crawler(tmp_path):
    c = Crawler(new_db(tmp_path), fast_settings())
    yield c
    c.close()


def _fetch_error(crawler, source, url) -> FetchError:
    with pytest.raises(FetchError) as exc:
        crawler.fetch(source, url)
    return exc.value


def test_fetch_returns_raw_page_with_evidence_fields(site, crawler):
    site.routes["/a.html"] = page("<html><body>xin chào</body></html>")
    p = crawler.fetch(make_source(site), site.url + "/a.html")
    assert p.status == 200 and p.body == "<html><body>xin chào</body></html>".encode()
    assert p.final_url == site.url + "/a.html" and p.headers["content-type"].startswith("text/html")
    assert len(p.sha256) == 64 and p.fetched_at.tzinfo is not None
    req = [r for r in site.log if r.path == "/a.html"][0]
    assert "duluan" in req.headers["User-Agent"]
    assert crawler.stats["fetched"] == 1


def test_transient_500_is_retried_then_succeeds(site, crawler):
    calls = []

    def flaky(req):
        calls.append(1)
        return page("boom", status=500) if len(calls) == 1 else page("<p>ok</p>")
    site.routes["/flaky.html"] = flaky
    assert crawler.fetch(make_source(site), site.url + "/flaky.html").body == b"<p>ok</p>"
    assert len(calls) == 2


def test_persistent_503_gives_http_status_after_all_retries(site, crawler):
    site.routes["/down.html"] = page("down", status=503)
    err = _fetch_error(crawler, make_source(site), site.url + "/down.html")
    assert err.kind == "http_status" and "503" in err.message and err.retryable
    assert site.paths().count("/down.html") == 3  # 1 + retries(2)


def test_404_is_not_retried(site, crawler):
    err = _fetch_error(crawler, make_source(site), site.url + "/gone.html")
    assert err.kind == "http_status" and "404" in err.message and not err.retryable
    assert site.paths().count("/gone.html") == 1


def test_timeout(site, tmp_path):
    site.routes["/slow.html"] = Reply(200, b"late", {"Content-Type": "text/html"}, delay=1.5)
    c = Crawler(new_db(tmp_path), fast_settings(timeout_seconds=0.5, retries=1))
    try:
        err = _fetch_error(c, make_source(site), site.url + "/slow.html")
    finally:
        c.close()
    assert err.kind == "timeout" and err.url.endswith("/slow.html")
    assert site.paths().count("/slow.html") == 2


def test_connection_reset_is_network_error_and_retried(site, crawler):
    site.routes["/reset.html"] = Reply(reset=True)
    err = _fetch_error(crawler, make_source(site), site.url + "/reset.html")
    assert err.kind == "network"
    assert site.paths().count("/reset.html") == 3


def test_too_large_with_content_length(site, tmp_path):
    site.routes["/big.html"] = page(b"x" * 5000)
    c = Crawler(new_db(tmp_path), fast_settings(max_body_bytes=1000))
    try:
        err = _fetch_error(c, make_source(site), site.url + "/big.html")
    finally:
        c.close()
    assert err.kind == "too_large" and "1000" in err.message


def test_too_large_streamed_without_length_is_cut_off(site, tmp_path):
    site.routes["/stream.html"] = Reply(200, b"y" * 65536, {"Content-Type": "text/html"}, chunks=200)  # 13 MB
    c = Crawler(new_db(tmp_path), fast_settings(max_body_bytes=100_000))
    t0 = time.monotonic()
    try:
        err = _fetch_error(c, make_source(site), site.url + "/stream.html")
    finally:
        c.close()
    assert err.kind == "too_large" and time.monotonic() - t0 < 5


def test_gzip_bomb_is_cut_on_decoded_size(site, tmp_path):
    site.routes["/bomb.html"] = Reply(200, gz(b"a" * 3_000_000), {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    c = Crawler(new_db(tmp_path), fast_settings(max_body_bytes=1_000_000))
    try:
        assert _fetch_error(c, make_source(site), site.url + "/bomb.html").kind == "too_large"
    finally:
        c.close()


def test_gzip_content_encoding_is_decoded(site, crawler):
    site.routes["/z.html"] = Reply(200, gz("<p>Hải Phòng</p>".encode()), {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    assert crawler.fetch(make_source(site), site.url + "/z.html").body == "<p>Hải Phòng</p>".encode()


def test_redirect_followed_manually_with_final_url(site, crawler):
    site.routes["/old.html"] = Reply(301, b"", {"Location": "/new.html"})
    site.routes["/new.html"] = page("<p>new</p>")
    p = crawler.fetch(make_source(site), site.url + "/old.html")
    assert p.url == site.url + "/old.html" and p.final_url == site.url + "/new.html"


def test_redirect_loop(site, crawler):
    site.routes["/a"] = Reply(302, b"", {"Location": "/b"})
    site.routes["/b"] = Reply(302, b"", {"Location": "/a"})
    err = _fetch_error(crawler, make_source(site), site.url + "/a")
    assert err.kind == "redirect_loop" and err.url == site.url + "/a"
    assert site.paths().count("/a") == 1 and site.paths().count("/b") == 1


def test_too_many_redirects(site, crawler):
    for i in range(10):
        site.routes[f"/r{i}"] = Reply(302, b"", {"Location": f"/r{i + 1}"})
    err = _fetch_error(crawler, make_source(site), site.url + "/r0")
    assert err.kind == "too_many_redirects"
    assert "/r6" not in site.paths()  # max_redirects=5: r0 … r5 requested, no more


def test_robots_disallow_and_cache(site, crawler):
    site.routes["/private/x.html"] = page("secret")
    site.routes["/ok.html"] = page("<p>ok</p>")
    src = make_source(site)
    err = _fetch_error(crawler, src, site.url + "/private/x.html")
    assert err.kind == "robots"
    for _ in range(3):
        crawler.fetch(src, site.url + "/ok.html")
    assert "/private/x.html" not in site.paths()
    assert site.paths().count("/robots.txt") == 1


def test_robots_server_error_pauses_host(site, crawler):
    site.routes["/robots.txt"] = page("oops", status=500)
    site.routes["/ok.html"] = page("<p>ok</p>")
    assert _fetch_error(crawler, make_source(site), site.url + "/ok.html").kind == "robots"
    assert "/ok.html" not in site.paths()


def test_robots_missing_allows_everything(site, crawler):
    del site.routes["/robots.txt"]
    site.routes["/private/x.html"] = page("<p>ok</p>")
    assert crawler.fetch(make_source(site), site.url + "/private/x.html").status == 200


def test_rate_limit_spaces_requests_per_host(site, crawler):
    site.routes["/ok.html"] = page("<p>ok</p>")
    src = make_source(site, rate_limit_per_sec=10.0)
    crawler.fetch(src, site.url + "/ok.html")  # warms robots.txt
    t0 = time.monotonic()
    for _ in range(5):
        crawler.fetch(src, site.url + "/ok.html")
    assert time.monotonic() - t0 >= 0.4


# -- SSRF ---------------------------------------------------------------------

@pytest.mark.parametrize("addr,public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False), ("64:ff9b::a00:1", False), ("2002:7f00:1::", False), ("ff02::1", False),
    ("8.8.8.8", True), ("1.1.1.1", True), ("2001:4860:4860::8888", True), ("::ffff:8.8.8.8", True),
])
def test_is_public(addr, public):
    assert is_public(ipaddress.ip_address(addr)) is public


def test_allow_private_is_exact_host_and_port():
    pol = AddressPolicy.for_urls(["http://127.0.0.1:8080/rss.xml", "http://intranet.local/x"], allow_private=True)
    lo = ipaddress.ip_address("127.0.0.1")
    assert pol.allows("127.0.0.1", 8080, lo)
    assert not pol.allows("127.0.0.1", 8081, lo)
    assert not pol.allows("localhost", 8080, lo)
    assert not AddressPolicy.for_urls(["http://127.0.0.1:8080/"], allow_private=False).allows("127.0.0.1", 8080, lo)


def test_private_source_without_allow_private_gets_no_request(site, crawler):
    site.routes["/a.html"] = page("<p>x</p>")
    err = _fetch_error(crawler, make_source(site, allow_private=False), site.url + "/a.html")
    assert err.kind == "forbidden_address"
    assert site.log == []  # not even robots.txt


def test_redirect_to_other_private_port_is_refused_without_request(site, crawler):
    other = Site()
    try:
        other.routes["/admin"] = page("internal")
        site.routes["/go"] = Reply(302, b"", {"Location": other.url + "/admin"})
        err = _fetch_error(crawler, make_source(site), site.url + "/go")
        assert err.kind == "forbidden_address" and str(other.httpd.server_address[1]) in err.message
        assert other.log == []
    finally:
        other.stop()


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/admin",
                                    "http://[::1]/", "file:///etc/passwd", "gopher://127.0.0.1:25/"])
def test_redirect_to_forbidden_targets(site, crawler, target):
    site.routes["/go"] = Reply(302, b"", {"Location": target})
    assert _fetch_error(crawler, make_source(site), site.url + "/go").kind == "forbidden_address"


def test_dns_rebinding_is_caught_at_connect_time(site, crawler, monkeypatch):
    """The name resolves to a public address when checked, to loopback when connecting."""
    site.routes["/robots.txt"] = page("", "text/plain")
    site.routes["/a.html"] = page("<p>x</p>")
    port = site.httpd.server_address[1]
    answers = iter([ipaddress.ip_address("93.184.216.34")])

    def fake_resolve(host, p):
        if host == "rebind.example":
            return [next(answers, ipaddress.ip_address("127.0.0.1"))]
        return [ipaddress.ip_address(host)]
    monkeypatch.setattr(ssrf, "resolve", fake_resolve)
    src = make_source(site, allow_private=False, homepage=None, feeds=[f"http://rebind.example:{port}/rss.xml"])
    c = Crawler(crawler.db, fast_settings(respect_robots=False))
    try:
        err = _fetch_error(c, src, f"http://rebind.example:{port}/a.html")
    finally:
        c.close()
    assert err.kind == "forbidden_address"
    assert site.log == []
