"""Tests of the offline press mirror (mirror/server.py) and sanity of its fixtures."""

from __future__ import annotations

import gzip
import html
import http.client
import importlib.util
import json
import re
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml

from duluan.mirror import ROOT as MIRROR_ROOT

ROOT = Path(__file__).resolve().parents[1]
FIX = MIRROR_ROOT
MONITORED = {"hai-phong", "hung-yen", "vinh-long", "bac-ninh", "dak-lak"}
LABELS = {"positive", "neutral", "critical", "distorted"}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


from duluan.mirror import server as mirror_mod  # noqa: E402
legacy = _load("duluan_mirror_legacy", FIX / "build" / "legacy.py")

MANIFEST = json.loads((FIX / "manifest.json").read_text("utf-8"))
HOSTILE = json.loads((FIX / "hostile.json").read_text("utf-8"))
SOURCES = yaml.safe_load((FIX / "sources.yaml").read_text("utf-8"))["sources"]


@pytest.fixture(scope="module")
def mirror():
    with mirror_mod.MirrorServer() as srv:
        yield srv


def fetch(srv, path: str, headers: dict | None = None, method: str = "GET", max_bytes: int | None = None):
    """One request, no redirects followed. Returns (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read(max_bytes) if max_bytes else resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def expand(url: str, srv) -> str:
    return url.replace("${DULUAN_MIRROR_URL}", srv.url)


def local_path(url: str) -> str:
    return urlsplit(url).path


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


# ----------------------------------------------------------------- manifest sanity
def test_manifest_has_at_least_190_articles_from_at_least_9_outlets():
    assert len(MANIFEST) >= 190
    assert len({a["outlet"] for a in MANIFEST}) >= 9
    assert len({a["path"] for a in MANIFEST}) == len(MANIFEST)


def test_manifest_entries_have_valid_fields_dates_and_lengths():
    keys = {"path", "outlet", "language", "title", "published", "provinces", "other_provinces", "label",
            "hard_negative", "no_diacritics", "syndicated_group", "discovery", "gold_body"}
    for a in MANIFEST:
        assert keys <= set(a), a["path"]
        assert a["path"].startswith(f"/{a['outlet']}/")
        assert a["label"] in LABELS
        assert set(a["provinces"]) <= MONITORED
        assert a["published"].endswith("+07:00")
        assert "2025-07-01" <= a["published"][:10] <= "2026-11-15"
        assert set(a["discovery"]) <= {"feed", "sitemap", "section"} and a["discovery"]
        paras = a["gold_body"].split("\n")
        assert 3 <= len(paras) <= 8, a["path"]
        assert 120 <= len(a["gold_body"].split()) <= 600, a["path"]
        if a["hard_negative"]:
            assert a["provinces"] == []


def test_manifest_covers_every_province_with_all_four_labels():
    for prov in MONITORED:
        labels = {a["label"] for a in MANIFEST if prov in a["provinces"]}
        assert labels == LABELS, (prov, labels)


def test_manifest_has_hard_negatives_other_provinces_and_undiacritised_items():
    hard = [a for a in MANIFEST if a["hard_negative"]]
    assert len(hard) >= 8
    other_only = [a for a in MANIFEST if not a["provinces"] and a["other_provinces"] and not a["hard_negative"]]
    assert len(other_only) >= 20
    nd = [a for a in MANIFEST if a["no_diacritics"]]
    assert len(nd) >= 10
    for a in nd:
        assert a["language"] == "vi"
        text = a["title"] + a["gold_body"]
        assert not any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", text)), a["path"]
        assert "đ" not in text.lower()


def test_hard_negatives_mention_the_confusable_names():
    blob = " ".join(a["title"] + " " + a["gold_body"] for a in MANIFEST if a["hard_negative"])
    for needle in ("Viện Hải dương học", "Thái Bình Dương", "ca sĩ Thái Bình", "Vĩnh Long Food",
                   "đường Hải Phòng", "Tập đoàn Thái Bình"):
        assert needle.lower() in blob.lower(), needle


def test_hai_phong_appears_in_at_least_15_titles_or_first_paragraphs():
    hits = [a for a in MANIFEST if "Hải Phòng" in a["title"] or "Hải Phòng" in a["gold_body"].split("\n")[0]]
    assert len(hits) >= 15


def test_syndicated_groups_span_two_or_three_outlets_with_near_identical_text():
    groups: dict[str, list[dict]] = {}
    for a in MANIFEST:
        if a["syndicated_group"]:
            groups.setdefault(a["syndicated_group"], []).append(a)
    assert len(groups) >= 3
    for gid, items in groups.items():
        assert 2 <= len({a["outlet"] for a in items}) <= 3, gid
        base = set(items[0]["gold_body"].split())
        for other in items[1:]:
            words = set(other["gold_body"].split())
            jaccard = len(base & words) / len(base | words)
            assert jaccard > 0.7, (gid, jaccard)
            assert other["gold_body"] != items[0]["gold_body"]


# ----------------------------------------------------------------- serving
def test_every_manifest_article_is_served_with_its_title_and_body(mirror):
    for a in MANIFEST:
        status, headers, body = fetch(mirror, a["path"])
        assert status == 200, a["path"]
        assert headers["content-type"].startswith("text/html")
        page = text_of(body.decode("utf-8"))
        assert a["title"] in page, a["path"]
        for para in a["gold_body"].split("\n"):
            assert para in page, (a["path"], para[:50])


def test_base_placeholder_is_replaced_with_the_server_url(mirror):
    status, _, body = fetch(mirror, "/baohaiphong/rss.xml")
    assert status == 200
    assert b"{{BASE}}" not in body
    assert mirror.url.encode() + b"/baohaiphong/" in body
    _, _, page = fetch(mirror, MANIFEST[0]["path"])
    assert b"{{BASE}}" not in page and mirror.url.encode() in page
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", mirror.url)


def test_missing_file_is_404_and_directory_without_slash_redirects(mirror):
    assert fetch(mirror, "/baohaiphong/khong-ton-tai.html")[0] == 404
    assert fetch(mirror, "/../../etc/passwd")[0] == 404
    status, headers, _ = fetch(mirror, "/baohaiphong/thoi-su")
    assert status == 301 and headers["location"].endswith("/baohaiphong/thoi-su/")


def test_robots_txt_disallows_admin_paths(mirror):
    status, headers, body = fetch(mirror, "/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    text = body.decode()
    for outlet in {a["outlet"] for a in MANIFEST}:
        assert f"Disallow: /{outlet}/admin/" in text
    assert "{{BASE}}" not in text


# ----------------------------------------------------------------- discovery
def _feed_urls():
    return [f for s in SOURCES for f in s["feeds"]]


def test_every_feed_parses_and_the_union_of_feeds_covers_160_articles(mirror):
    manifest_paths = {a["path"] for a in MANIFEST}
    union: set[str] = set()
    versions = set()
    for url in _feed_urls():
        status, _, body = fetch(mirror, local_path(expand(url, mirror)))
        assert status == 200, url
        parsed = feedparser.parse(body)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        assert parsed.entries, url
        versions.add(parsed.version)
        for e in parsed.entries:
            assert e.link.startswith(mirror.url + "/")
            assert e.get("published_parsed") or e.get("updated_parsed")
            union.add(local_path(e.link))
    assert {"rss20", "atom10", "rss10"} <= versions
    assert union <= manifest_paths
    assert len(union) >= 160
    for a in MANIFEST:
        assert ("feed" in a["discovery"]) == (a["path"] in union), a["path"]


def test_rss_items_have_guid_category_and_rfc822_dates():
    raw = (FIX / "sites" / "baohaiphong" / "rss.xml").read_text("utf-8")
    assert "<guid" in raw and "<category>" in raw and "<![CDATA[" in raw
    assert re.search(r"<pubDate>\w{3}, \d{2} \w{3} 20\d\d \d\d:\d\d:\d\d \+0700</pubDate>", raw)


def test_sitemap_index_google_news_sitemap_and_feeds_cover_every_non_section_article(mirror):
    found: set[str] = set()
    _, _, body = fetch(mirror, "/tintucquocgia/sitemap.xml")
    assert b"<sitemapindex" in body
    children = re.findall(r"<loc>([^<]+)</loc>", body.decode())
    assert len(children) >= 2
    news_seen = False
    for child in children:
        status, _, sub = fetch(mirror, local_path(child))
        assert status == 200
        text = sub.decode()
        if "news:news" in text:
            news_seen = True
            assert "<news:publication_date>" in text
        found |= {local_path(u) for u in re.findall(r"<loc>([^<]+)</loc>", text)}
    assert news_seen
    for src in SOURCES:
        for sm in src["sitemaps"]:
            _, _, sub = fetch(mirror, local_path(expand(sm, mirror)))
            found |= {local_path(u) for u in re.findall(r"<loc>([^<]+)</loc>", sub.decode()) if "/sitemaps/" not in u}
    for a in MANIFEST:
        assert ("sitemap" in a["discovery"]) == (a["path"] in found), a["path"]
    assert any(a["discovery"] == ["sitemap", "section"] for a in MANIFEST)


def test_section_pages_link_every_article_including_section_only_ones(mirror):
    linked: set[str] = set()
    for src in SOURCES:
        for sec in src["sections"]:
            status, _, body = fetch(mirror, local_path(expand(sec, mirror)))
            assert status == 200, sec
            linked |= set(re.findall(r'href="(/[^"]+)"', body.decode()))
    section_only = [a for a in MANIFEST if a["discovery"] == ["section"]]
    assert len(section_only) >= 3
    for a in MANIFEST:
        assert a["path"] in linked, a["path"]


# ----------------------------------------------------------------- conditional GET and logging
def test_conditional_get_with_etag_or_last_modified_returns_304_and_is_logged(mirror):
    path = "/baohungyen/rss/tin-moi.rss"
    status, headers, body = fetch(mirror, path)
    assert status == 200 and headers["etag"] and headers["last-modified"]
    etag, lm = headers["etag"], headers["last-modified"]
    assert fetch(mirror, path, {"If-None-Match": etag})[0] == 304
    assert fetch(mirror, path, {"If-Modified-Since": lm})[0] == 304
    assert fetch(mirror, path, {"If-None-Match": '"stale"'})[0] == 200
    assert fetch(mirror, path, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200
    again = fetch(mirror, path)[1]
    assert again["etag"] == etag, "ETag must be stable for unchanged content"
    log = [e for e in mirror.request_log() if e["path"] == path]
    assert any(e["headers"].get("If-None-Match") == etag and e["status"] == 304 for e in log)
    assert any(e["headers"].get("If-Modified-Since") == lm and e["status"] == 304 for e in log)
    assert all({"method", "path", "headers", "status"} <= set(e) for e in log)


def test_server_writes_nothing_to_stderr(mirror, capfd):
    fetch(mirror, "/baohaiphong/")
    fetch(mirror, "/nope")
    assert capfd.readouterr().err == ""


# ----------------------------------------------------------------- hostile outlet
def hostile_case(case: str) -> dict:
    return next(c for c in HOSTILE if c["case"] == case)


def test_hostile_manifest_lists_every_case_with_expected_outcome():
    kinds = {c["error"] for c in HOSTILE if c["expect"] == "error"}
    assert {"http_status", "redirect_loop", "too_large", "forbidden_address", "timeout", "parse"} <= kinds
    for c in HOSTILE:
        assert c["expect"] in {"stored", "error"}
        if c["expect"] == "stored":
            assert c["title"] and c["body"]
    assert (FIX / "hostile-sources.yaml").exists()


def test_hostile_rss_feed_links_every_hostile_case(mirror):
    _, _, body = fetch(mirror, "/hostile/rss.xml")
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    links = {urlsplit(e.link).path + ("?" + urlsplit(e.link).query if urlsplit(e.link).query else "")
             for e in parsed.entries}
    for c in HOSTILE:
        if c["path"] != "/hostile/atom.xml":
            assert c["path"] in links, c["path"]
    assert "/hostile/tin/bai-da-bi-go.html" in links
    assert fetch(mirror, "/hostile/tin/bai-da-bi-go.html")[0] == 404


def test_redirect_loop_really_loops(mirror):
    path, seen = "/hostile/loop-a", []
    for _ in range(6):
        status, headers, _ = fetch(mirror, path)
        assert status in (301, 302, 303, 307, 308)
        path = local_path(headers["location"])
        seen.append(path)
    assert seen[:4] == ["/hostile/loop-b", "/hostile/loop-a", "/hostile/loop-b", "/hostile/loop-a"]


def test_forbidden_redirects_point_to_metadata_and_private_addresses(mirror):
    status, headers, _ = fetch(mirror, "/hostile/redirect-metadata")
    assert status == 302 and headers["location"] == "http://169.254.169.254/latest/meta-data/"
    status, headers, _ = fetch(mirror, "/hostile/redirect-private")
    assert status == 302 and headers["location"] == "http://10.0.0.1/admin"


def test_broken_atom_feed_yields_its_good_entries_with_bozo_set(mirror):
    status, _, body = fetch(mirror, "/hostile/atom.xml")
    assert status == 200
    assert not body.rstrip().endswith(b"</feed>")
    parsed = feedparser.parse(body)
    assert parsed.bozo
    got = {local_path(e.link) for e in parsed.entries if e.get("link")}
    expected = set(hostile_case("truncated_atom_feed")["recoverable_entries"])
    assert len(expected) >= 3 and expected <= got


def test_vni_page_is_declared_windows_1252_and_decodes_with_own_table(mirror):
    case = hostile_case("vni_encoding")
    status, headers, body = fetch(mirror, case["path"])
    assert status == 200 and "windows-1252" in headers["content-type"]
    assert b"Vie\xe4t Nam" in body  # "Việt Nam" typed with a VNI font
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = text_of(legacy.vni_decode(body))
    assert case["title"] in text
    for para in case["body"].split("\n"):
        assert para in text
    assert legacy.vni_encode("Việt Nam").decode("cp1252") == "Vieät Nam"


def test_tcvn3_page_is_declared_iso_8859_1_and_decodes_with_own_table(mirror):
    case = hostile_case("tcvn3_encoding")
    status, headers, body = fetch(mirror, case["path"])
    assert status == 200 and "iso-8859-1" in headers["content-type"]
    naive = body.decode("latin-1")
    assert case["title"] not in naive
    text = text_of(legacy.tcvn3_decode(body))
    assert case["title"] in text
    for para in case["body"].split("\n"):
        assert para in text
    assert legacy.tcvn3_encode("Việt") == b"Vi\xd6t"


def test_cp1258_page_uses_combining_tone_marks_and_declares_charset_in_header(mirror):
    case = hostile_case("cp1258_decomposed")
    status, headers, body = fetch(mirror, case["path"])
    assert status == 200 and headers["content-type"].endswith("charset=windows-1258")
    assert b"<meta charset" not in body
    assert b"Ha\xcc N\xf4\xf2i" in body  # "Hà Nội": base letters + combining grave / dot below
    decoded = body.decode("cp1258")
    assert case["title"] not in decoded  # only after NFC composition
    text = text_of(unicodedata.normalize("NFC", decoded))
    assert case["title"] in text and case["body"].split("\n")[0] in text


def test_lying_charset_declarations(mirror):
    case = hostile_case("meta_charset_lies")
    _, headers, body = fetch(mirror, case["path"])
    assert "charset" not in headers["content-type"]
    assert b'<meta charset="iso-8859-1">' in body
    assert case["title"] in body.decode("utf-8")
    case = hostile_case("header_utf8_bytes_cp1258")
    _, headers, body = fetch(mirror, case["path"])
    assert headers["content-type"].endswith("charset=utf-8")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert case["title"] in unicodedata.normalize("NFC", body.decode("cp1258"))


def test_script_injection_page_carries_payloads_and_clean_expectations(mirror):
    case = hostile_case("script_injection")
    _, _, body = fetch(mirror, case["path"])
    page = body.decode()
    for payload in ("<script>alert(1)</script>", "onerror=", "javascript:alert(3)"):
        assert payload in page
    clean = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    clean = html.unescape(re.sub(r"<[^>]+>", " ", clean))
    for para in case["body"].split("\n"):
        assert para in re.sub(r"\s+", " ", clean)
    assert "<" not in case["title"] and "alert" not in case["body"]


def test_flaky_page_fails_once_then_succeeds(mirror):
    path = "/hostile/flaky.html?run=" + str(time.time_ns())
    assert fetch(mirror, path)[0] == 500
    status, _, body = fetch(mirror, path)
    assert status == 200 and hostile_case("flaky_500_then_ok")["title"].encode() in body


def test_slow_page_sleeps_for_the_requested_delay(mirror):
    start = time.monotonic()
    status, _, _ = fetch(mirror, "/hostile/slow.html?delay=0.6")
    assert status == 200 and time.monotonic() - start >= 0.55
    conn = http.client.HTTPConnection("127.0.0.1", mirror.port, timeout=0.5)
    with pytest.raises(TimeoutError):
        conn.request("GET", "/hostile/slow.html")  # default ~3 s
        conn.getresponse()
    conn.close()


def test_gzip_page_is_served_with_gzip_content_encoding(mirror):
    status, headers, body = fetch(mirror, "/hostile/gzip.html", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert hostile_case("gzip_content_encoding")["title"] in gzip.decompress(body).decode()


def test_huge_pages_are_52_mb_streamed_with_and_without_length(mirror):
    status, headers, chunk = fetch(mirror, "/hostile/huge.html", max_bytes=1 << 16)
    assert status == 200 and int(headers["content-length"]) == 52 * 1024 * 1024
    assert chunk.startswith(b"<!DOCTYPE html>")
    status, headers, chunk = fetch(mirror, "/hostile/huge-stream.html", max_bytes=1 << 16)
    assert status == 200 and "content-length" not in headers and len(chunk) == 1 << 16
    assert not list((FIX / "sites" / "hostile").glob("huge*"))
    assert fetch(mirror, "/baohaiphong/")[0] == 200  # server survives clients hanging up


# ----------------------------------------------------------------- config files and size
def test_sources_yaml_lists_every_outlet_in_the_duluan_schema():
    fields = {"id", "name", "kind", "scope", "language", "homepage", "feeds", "sitemaps", "sections",
              "rate_limit_per_sec", "interval_minutes", "allow_private", "fabrication_record"}
    ids = {s["id"] for s in SOURCES}
    assert ids == {a["outlet"] for a in MANIFEST}
    for s in SOURCES:
        assert set(s) == fields, s["id"]
        assert s["kind"] in {"domestic", "foreign"} and s["scope"] in {"provincial", "national", "foreign"}
        for url in [s["homepage"], *s["feeds"], *s["sitemaps"], *s["sections"]]:
            assert url.startswith("${DULUAN_MIRROR_URL}/" + s["id"] + "/")
            assert (FIX / "sites" / local_path(url.replace("${DULUAN_MIRROR_URL}", "")).lstrip("/")).exists() or \
                url.endswith("/")
    assert {s["id"] for s in SOURCES if s["fabrication_record"]} == {"tiengnoihaingoai", "diendantudo"}
    hostile = yaml.safe_load((FIX / "hostile-sources.yaml").read_text("utf-8"))["sources"]
    assert [s["id"] for s in hostile] == ["hostile"]


def test_generated_fixture_files_stay_under_15_mb():
    total = sum(p.stat().st_size for p in (FIX / "sites").rglob("*") if p.is_file())
    assert total < 15 * 1024 * 1024
