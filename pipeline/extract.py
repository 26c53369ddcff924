"""Fetched page → ``Article``: decode, main text and title, publication date (issue #4).

A pure stage: bytes in, record out, no network (as trafilatura ``core.py``).
Main text comes from trafilatura after a pruning that removes only what is certainly
furniture (issue #14): navigation and footers by tag, and class/id words (``related``,
``share``, ``tags``, ``menu``, ``binh-luan``…) only with structural evidence — mostly links,
a furniture label, repeated items, form controls, or little text — and never the block
that holds the article's paragraphs nor anything around it. When the pruned extraction
is still much shorter than trafilatura's own on the untouched page, trafilatura's wins:
the pipeline is never worse than the tool it wraps. Script and style never reach the
text; the date comes from ``dates.py``; everything is NFC.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

import trafilatura
from lxml import html as lxml_html

from duluan.config.models import Source
from duluan.crawlers.urls import canonical_url
from duluan.errors import ExtractError
from duluan.records import Article, RawPage, article_id

from .dates import VN_TZ, parse_vietnamese_date, published_date
from .decode import EncodingError, decode_html, vi_score

__all__ = ["extract", "ExtractError", "EncodingError", "error_kind", "parse_vietnamese_date"]

MIN_BODY_CHARS = 80
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain", "application/xml", "text/xml", "")
_SPACE = re.compile(r"[ \t\u00a0\u200b]+")
_TAGLIKE = re.compile(r"<[^>]*>")
_TITLE_SEP = re.compile(r"\s+[-–—|:]\s+[^-–—|]{2,60}$")
# Class/id words of page furniture that trafilatura does not always recognise
# on Vietnamese sites: comments ("bình luận", "ý kiến bạn đọc"), related
# links ("tin liên quan", "bài khác"), sharing, donations, ads, footers.
_BOILERPLATE = re.compile(
    r"(?:^|[-_])(?:comments?|comment-\w+|binh-?luan|y-?kien|related|lien-?quan|tin-?khac|bai-?khac|xem-?them|"
    r"share|sharing|chia-?se|social|ads?|advert\w*|quang-?cao|quangcao|banner|footer|chan-?trang|ung-?ho|donate|"
    r"tags?|tu-?khoa|cookie|breadcrumbs?|menu|navbar|topbar|sidebar|cot-?phai|logo|marquee|newsletter|popup)(?:$|[-_])",
    re.I)
_FURNITURE_TAGS = ("nav", "footer", "marquee", "iframe", "noscript", "button", "select")
# A heading or label that names a block of furniture ("Tin liên quan", "Related", "3 bình luận").
_FURNITURE_LABEL = re.compile(
    r"^\W*(?:\d+\s+)?(?:tin|bài|bài viết)?\s*(?:liên quan|khác|cùng chuyên mục|mới|đọc nhiều|xem nhiều|đã đưa)|"
    r"^\W*(?:\d+\s+)?(?:bình luận|ý kiến|chia sẻ|xem thêm|đọc thêm|từ khóa|thẻ|tags?|related|more on|"
    r"read (?:more|next)|most (?:read|viewed)|comments?|share|subscribe|newsletter|đăng ký|advertisement|quảng cáo)",
    re.I)
_LEAD = re.compile(r"(?:^|[\s_-])(?:sapo|description|lead|standfirst|summary|chapeau|excerpt|intro|tom-?tat)(?:$|[\s_-])",
                   re.I)
FALLBACK_RATIO = 0.8  # pruned text shorter than this share of trafilatura's own: take trafilatura's
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
    main = _main_block(tree)
    lead = _lead(tree, main)
    published = published_date(tree, page.final_url, _tz_for(source), now=page.fetched_at, main=main,
                               feed_date=page.link.published if page.link is not None else None)
    body = _main_text(tree, main, decoded.text, page.final_url)
    if lead and lead[:60] not in body:
        body = lead + "\n" + body
    body = _clean_body(body, title)
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


# -- body and language -------------------------------------------------------

def _trafilatura(tree, url: str, precision: bool) -> str:  # noqa: ANN001
    return trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, include_images=False,
        include_links=False, include_formatting=False, deduplicate=False, favor_precision=precision,
        output_format="txt", with_metadata=False) or ""


def _main_text(tree, main, html_text: str, url: str) -> str:  # noqa: ANN001
    """Pruned extraction, or trafilatura's own on the untouched page when that finds much more."""
    expected = 0 if main is None else sum(len(p.text_content()) for p in main.iterchildren("p"))
    _prune(tree, main)  # trafilatura prunes the tree it is given as well: title and date came first
    pruned = _trafilatura(tree, url, precision=True)
    if len(pruned) >= FALLBACK_RATIO * expected:
        return pruned  # the paragraphs are there: no second extraction
    try:
        bare = _trafilatura(lxml_html.document_fromstring(html_text), url, precision=False)
    except (ValueError, lxml_html.etree.ParserError):
        bare = ""
    return bare if len(pruned) < FALLBACK_RATIO * len(bare) else pruned


def _lead(tree, main) -> str:  # noqa: ANN001
    """The standfirst (sapo, description, lead) printed before the article block, which
    trafilatura leaves out when it is a heading or sits outside that block."""
    if main is None:
        return ""
    for el in tree.xpath("//body//*[@class or @data-role]"):
        if el is main or any(a is main for a in el.iterancestors()):
            return ""  # reached the article itself: no lead before it
        attrs = f"{el.get('class', '')} {el.get('data-role', '')}"
        if _LEAD.search(attrs) and not el.xpath(".//a"):
            text = _norm(el.text_content())
            if 60 <= len(text) <= 1200:
                return text
    return ""


def _main_block(tree):  # noqa: ANN001, ANN202
    """The element whose own paragraphs hold the most text (outside links): the article body."""
    best, best_len = None, 0
    for el in tree.iter("div", "article", "section", "main", "td", "body"):
        n = sum(len(_own_text(p)) for p in el.iterchildren("p") if not _inside(p, ("a",)))
        if n > best_len:
            best, best_len = el, n
    return best


def _own_text(p) -> str:  # noqa: ANN001
    return "".join(p.xpath(".//text()[not(ancestor::a)]"))


def _inside(el, tags: tuple[str, ...]) -> bool:  # noqa: ANN001
    return any(a.tag in tags for a in el.iterancestors())


def _link_density(el) -> float:  # noqa: ANN001
    text = len(el.text_content().strip()) or 1
    return sum(len(a.text_content()) for a in el.iter("a")) / text


def _is_furniture(el) -> bool:  # noqa: ANN001
    """A class/id word is not enough: the block must also look like furniture."""
    text = " ".join(el.text_content().split())
    if len(text) < 160 or _link_density(el) >= 0.4:
        return True
    label = " ".join(el.xpath("string(.//text()[normalize-space()][1])").split())
    if label and len(label) < 40 and _FURNITURE_LABEL.search(label):
        return True
    if el.xpath(".//input | .//textarea | .//select"):
        return True
    for box in (el, *el.iterdescendants("div", "ul", "ol", "section")):  # comment-item × N, card × N
        kids = [c.get("class") for c in box if isinstance(c.tag, str) and c.get("class")]
        if len(kids) >= 3 and len(set(kids)) == 1:
            return True
    return False


def _prune(tree, main) -> None:  # noqa: ANN001
    """Drop what is certainly furniture; never the main block, its ancestors or its paragraphs."""
    keep = set() if main is None else {main, *main.iterancestors()}
    doomed = [el for el in tree.iter(*_FURNITURE_TAGS) if el not in keep]
    for el in tree.xpath("//body//*[@class or @id]"):
        if el in keep or el.tag in ("body", "html", "p"):
            continue
        tokens = f"{el.get('class', '')} {el.get('id', '')}".split()
        if any(_BOILERPLATE.search(t) for t in tokens) and _is_furniture(el):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is None or el.tag == "body":
            continue
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
