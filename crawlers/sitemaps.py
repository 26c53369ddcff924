"""XML sitemaps, sitemap indexes, Google News sitemaps and text sitemaps (issue #4).

Parsed with lxml with entity expansion and network access off, so a hostile
sitemap cannot read local files (XXE) or blow up memory (billion laughs).
``recover`` keeps the URLs before a fault; the fault is reported.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from lxml import etree

from duluan.records import CrawlError, Link


@dataclass
class SitemapDoc:
    kind: str  # index | urlset | text
    links: list[Link] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # sitemaps named by an index
    errors: list[CrawlError] = field(default_factory=list)


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    text = text.strip()
    for candidate in (text, text.replace("Z", "+00:00")):
        try:
            dt = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    return None


def _gunzip(body: bytes, limit: int) -> bytes:
    # Decompress in bounded steps: a 1 KB .xml.gz can expand to gigabytes.
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(body, limit + 1)
    if len(out) > limit:
        raise ValueError(f"gzipped sitemap expands beyond {limit} bytes")
    return out


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(el: etree._Element, name: str) -> str | None:
    for c in el.iter():
        if _local(c.tag) == name and c.text:
            return c.text.strip()
    return None


def parse_sitemap(body: bytes, url: str, source_id: str, max_bytes: int = 50 * 1024 * 1024) -> SitemapDoc:
    """Entries of one sitemap document; never raises on bad input, reports it."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = _gunzip(body, max_bytes)
        except (ValueError, zlib.error, EOFError, OSError) as e:
            return SitemapDoc("urlset", errors=[CrawlError(source_id, url, "parse", f"bad gzip sitemap: {e}")])
    stripped = body.lstrip()
    if stripped[:4].lower().startswith(b"http"):
        return _parse_text(body, url, source_id)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.parse(io.BytesIO(body), parser).getroot()
    except etree.XMLSyntaxError as e:
        root = None
        fault = str(e)
    else:
        fault = "; ".join(str(x.message).strip() for x in list(parser.error_log)[:3])
    if root is None:
        return SitemapDoc("urlset", errors=[CrawlError(source_id, url, "parse", f"not a sitemap: {fault or 'empty'}")])
    kind = _local(root.tag)
    doc = SitemapDoc("index" if kind == "sitemapindex" else "urlset")
    if kind not in ("sitemapindex", "urlset"):
        doc.errors.append(CrawlError(source_id, url, "parse", f"not a sitemap: root element <{kind}>"))
        return doc
    for el in root:
        name = _local(el.tag)
        loc = _child_text(el, "loc")
        if name not in ("url", "sitemap") or not loc:
            continue
        absolute = urljoin(url, loc)
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        if doc.kind == "index":
            doc.children.append(absolute)
            continue
        # Google News sitemaps: <news:news><news:publication_date>, <news:title>.
        published = _parse_date(_child_text(el, "publication_date")) or _parse_date(_child_text(el, "lastmod"))
        doc.links.append(Link(url=absolute, source_id=source_id, via="sitemap",
                              title=_child_text(el, "title"), published=published))
    if fault:
        doc.errors.append(CrawlError(source_id, url, "parse",
                                     f"malformed sitemap ({fault}); kept {len(doc.links) + len(doc.children)} entries"))
    return doc


def _parse_text(body: bytes, url: str, source_id: str) -> SitemapDoc:
    doc = SitemapDoc("text")
    for line in body.decode("utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.startswith(("http://", "https://")):
            doc.links.append(Link(url=line, source_id=source_id, via="sitemap"))
    return doc
