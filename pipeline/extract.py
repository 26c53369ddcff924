"""Fetched page → ``Article``: decode, main text and title, publication date (issue #4).

A pure stage: bytes in, record out, no network (as trafilatura ``core.py``).
Main text comes from trafilatura (navigation, ads, comments, related links
and footers are dropped; script and style never reach the text), the date
from htmldate with a Vietnamese by-line fallback ("Thứ hai, 14/7/2025, 08:30
(GMT+7)"), and everything is NFC.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html

from duluan.config.models import Source
from duluan.crawlers.urls import canonical_url
from duluan.errors import ExtractError
from duluan.records import Article, RawPage, article_id

from .decode import EncodingError, decode_html, vi_score

__all__ = ["extract", "ExtractError", "EncodingError", "error_kind"]

VN_TZ = timezone(timedelta(hours=7))
MIN_BODY_CHARS = 80
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml", "")
_SPACE = re.compile(r"[ \t\u00a0\u200b]+")
_TAGLIKE = re.compile(r"<[^>]*>")
_TITLE_SEP = re.compile(r"\s+[-–—|:]\s+[^-–—|]{2,60}$")
# "Thứ hai, 14/7/2025, 08:30 (GMT+7)", "14-07-2025 08:30", "08:30 14/07/2025", "ngày 14 tháng 7 năm 2025"
_DMY_TIME = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D{1,6}?(\d{1,2})[:hg](\d{2}))?")
_TIME_DMY = re.compile(r"(?<!\d)(\d{1,2})[:hg](\d{2})\D{1,6}?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_WORDS_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_GMT = re.compile(r"GMT\s*([+-])\s*(\d{1,2})")
_DATE_HINT = re.compile(r"date|time|publish|ngay|thoi-?gian|meta|byline", re.I)
# Class/id words of page furniture that trafilatura does not always recognise
# on Vietnamese sites: comments ("bình luận", "ý kiến bạn đọc"), related
# links ("tin liên quan", "bài khác"), sharing, donations, ads, footers.
_BOILERPLATE = re.compile(
    r"(?:^|[-_])(?:comments?|comment-\w+|binh-?luan|y-?kien|related|lien-?quan|tin-?khac|bai-?khac|xem-?them|"
    r"share|sharing|chia-?se|social|ads?|advert\w*|quang-?cao|quangcao|banner|footer|chan-?trang|ung-?ho|donate|"
    r"tags?|tu-?khoa|cookie|breadcrumbs?|menu|navbar|topbar|sidebar|cot-?phai|logo|marquee|newsletter|popup)(?:$|[-_])",
    re.I)
_FURNITURE_TAGS = ("header", "nav", "footer", "aside", "form", "marquee", "iframe", "noscript", "button")
_ENGLISH = re.compile(r"\b(the|and|of|to|in|is|that|for|with|was|on|said)\b", re.I)


def error_kind(err: Exception) -> str:
    """Crawl-error kind for an exception raised by ``extract``: ``encoding`` or ``extract``."""
    return getattr(err, "kind", "extract")


def extract(page: RawPage, source: Source) -> Article:
    """Turn a fetched page into an article; raises ``ExtractError`` (``EncodingError`` for bad bytes)."""
    ctype = page.headers.get("content-type", "").split(";")[0].strip().lower()
    if not any(ctype.startswith(t) for t in _HTML_TYPES if t) and ctype:
        raise ExtractError(f"{page.final_url}: not an HTML page (Content-Type {ctype})")
    decoded = decode_html(page.body, page.headers.get("content-type"))
    try:
        tree = lxml_html.document_fromstring(decoded.text)
    except (ValueError, lxml_html.etree.ParserError) as e:
        raise ExtractError(f"{page.final_url}: HTML cannot be parsed: {e}") from None
    title = _title(tree)
    published = _published(tree, page, source)
    # trafilatura prunes the tree it is given, so title and date come first.
    _prune(tree)
    body = trafilatura.extract(
        tree, url=page.final_url, include_comments=False, include_tables=True, include_images=False,
        include_links=False, include_formatting=False, deduplicate=False, favor_precision=True,
        output_format="txt", with_metadata=False)
    body = _clean_body(body or "", title)
    if len(body) < MIN_BODY_CHARS:
        raise ExtractError(f"{page.final_url}: no article text found ({len(body)} characters)")
    if not title:
        title = body.split("\n", 1)[0][:200]
    url = canonical_url(page.final_url or page.url)
    return Article(
        id=article_id(url), url=url, source=source.id, source_kind=source.kind,
        language=_language(title + "\n" + body, source.language), title=title, body=body,
        published=published, fetched_at=page.fetched_at, raw_sha256=page.sha256)


# -- title -------------------------------------------------------------------

def _text(el) -> str:  # noqa: ANN001 — lxml element
    # Script/style children of a heading are code, not words (hostile pages put them there).
    parts = [t for t in el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")]
    return _norm("".join(parts))


def _norm(text: str) -> str:
    text = _TAGLIKE.sub("", unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", text).strip()


def _title(tree) -> str:  # noqa: ANN001
    for xp in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content'):
        for v in tree.xpath(xp):
            if _norm(v):
                return _norm(v)[:500]
    for h1 in tree.xpath("//article//h1 | //main//h1 | //h1"):
        t = _text(h1)
        if t:
            return t[:500]
    for t in tree.xpath("//title"):
        text = _norm(t.text_content() or "")
        # "Headline - Site name": the site name is not part of the headline.
        return _TITLE_SEP.sub("", text)[:500]
    return ""


# -- date --------------------------------------------------------------------

def _tz_for(source: Source) -> timezone:
    return VN_TZ if source.language == "vi" or source.kind == "domestic" else timezone.utc


def _published(tree, page: RawPage, source: Source) -> datetime | None:  # noqa: ANN001
    local = _tz_for(source)
    try:
        found = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z",
                          url=page.final_url)
    except Exception:  # noqa: BLE001 — htmldate on hostile markup must not lose the article
        found = None
    if found:
        dt = datetime.fromisoformat(found)
        when = dt if dt.tzinfo else dt.replace(tzinfo=local)
        # htmldate returns midnight when only a day is known; a by-line may have the time.
        if dt.tzinfo is not None or (dt.hour, dt.minute) != (0, 0):
            return when.astimezone(timezone.utc)
        byline = _vietnamese_date(tree, local)
        if byline is not None and byline.astimezone(local).date() == when.date():
            return byline.astimezone(timezone.utc)
        return when.astimezone(timezone.utc)
    byline = _vietnamese_date(tree, local)
    if byline is not None:
        return byline.astimezone(timezone.utc)
    if page.link is not None and page.link.published is not None:
        return page.link.published.astimezone(timezone.utc)
    return None


def parse_vietnamese_date(text: str, default_tz: timezone = VN_TZ) -> datetime | None:
    """Parse the first Vietnamese-style date in ``text`` (day before month)."""
    tz = default_tz
    g = _GMT.search(text)
    if g:
        tz = timezone(timedelta(hours=int(g.group(2)) * (1 if g.group(1) == "+" else -1)))
    m = _TIME_DMY.search(text)
    try:
        if m:
            hh, mi, d, mo, y = (int(x) for x in m.groups())
            return datetime(y, mo, d, hh, mi, tzinfo=tz)
        m = _DMY_TIME.search(text)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            hh, mi = (int(m.group(4)), int(m.group(5))) if m.group(4) else (0, 0)
            return datetime(y, mo, d, hh, mi, tzinfo=tz)
        m = _WORDS_DATE.search(text)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            return datetime(y, mo, d, tzinfo=tz)
    except ValueError:
        return None
    return None


def _vietnamese_date(tree, tz: timezone) -> datetime | None:  # noqa: ANN001
    for el in tree.xpath("//*[@class or @id][not(self::script) and not(self::style)]")[:400]:
        if el.xpath("ancestor-or-self::*[contains(@class, 'comment')]"):
            continue
        if _DATE_HINT.search(f"{el.get('class', '')} {el.get('id', '')}"):
            dt = parse_vietnamese_date(_text(el)[:200], tz)
            if dt is not None:
                return dt
    for el in tree.xpath("//time"):
        dt = parse_vietnamese_date(_text(el), tz)
        if dt is not None:
            return dt
    return None


# -- body and language -------------------------------------------------------

def _prune(tree) -> None:  # noqa: ANN001
    """Drop page furniture by tag and by class/id words, never the block holding most of the text."""
    total = len(tree.text_content()) or 1
    doomed = list(tree.iter(*_FURNITURE_TAGS))
    for el in tree.xpath("//body//*[@class or @id]"):
        if el.tag in ("body", "html", "article", "main"):
            continue
        tokens = f"{el.get('class', '')} {el.get('id', '')}".split()
        if any(_BOILERPLATE.search(t) for t in tokens):
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None or el.tag == "body":
            continue
        if len(el.text_content()) > 0.6 * total or el.xpath(".//article"):
            continue  # a site that wraps the whole page in class="main-menu-layout"
        el.drop_tree()  # keeps the text that followed the element


def _clean_body(text: str, title: str) -> str:
    lines = []
    for line in unicodedata.normalize("NFC", text).splitlines():
        line = _SPACE.sub(" ", line).strip()
        if line:
            lines.append(line)
    # The headline is often inside the article block; it is the title, not body.
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return "\n".join(lines)


def _language(text: str, configured: str) -> str:
    """The source's language unless the text clearly says otherwise (vi ↔ en only)."""
    sample = text[:3000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    vi_ratio = vi_score(sample)[0] / letters
    if configured != "vi" and vi_ratio > 0.08:
        return "vi"
    if configured == "vi" and vi_ratio < 0.01 and len(_ENGLISH.findall(sample)) > len(sample.split()) * 0.08:
        return "en"
    return configured
