"""Section pages → article links, with scrapy's link extraction (issue #4).

Why not a scrapy ``Spider`` run by a ``CrawlerProcess``: scrapy's Twisted
reactor can start only once per process, and ``run_forever`` crawls every
source again and again in one process.  Running scrapy in a subprocess per
source would work, but its downloader would then be a second network path
next to ours, without our SSRF guard, conditional GET state and error
records.  So the spider logic lives here and uses scrapy's own
``HtmlResponse`` + ``LinkExtractor`` (base href, relative links, ignored
extensions, de-duplication) on pages fetched by the guarded client.

The spider starts at each configured section URL, follows the section's
pagination (links under the section path that look like page 2, 3 …) up to
``Source.max_section_pages`` pages per source, and keeps links on the same
site that look like articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from duluan.config.models import Source
from duluan.errors import FetchError
from duluan.records import CrawlError, Link

_EXTRACTOR = LinkExtractor(tags=("a", "area"), attrs=("href",), unique=True, canonicalize=False)
_PAGE_PATH = re.compile(r"(?:^|/)(?:trang|page|p)[-/]?(\d{1,4})/?$", re.I)
_PAGE_QUERY = {"page", "p", "trang", "pg", "paged"}
_ARTICLE_EXT = re.compile(r"\.(?:html?|shtml|ghtml|aspx?|php)$", re.I)
_NUMERIC_ID = re.compile(r"\d{4,}")
# Path segments of pages that are never articles (listing, account, search …).
_NOT_ARTICLE = {
    "tag", "tags", "chu-de", "tim-kiem", "search", "tac-gia", "author", "authors", "login", "dang-nhap",
    "dang-ky", "register", "admin", "lien-he", "contact", "rss", "feed", "feeds", "gioi-thieu", "about",
    "privacy", "chinh-sach", "quang-cao", "advertise", "cdn-cgi", "wp-admin", "wp-login.php",
}


@dataclass(frozen=True)
class SectionScope:
    host: str  # netloc, lower-case, with port
    site_prefix: str  # articles must live under this path (the homepage path)
    sections: tuple[str, ...]  # section paths


def scope_for(source: Source) -> dict[str, SectionScope]:
    """Per section URL, where its articles and pages may be."""
    out = {}
    home = urlsplit(source.homepage) if source.homepage else None
    for section in source.sections:
        s = urlsplit(section)
        prefix = "/"
        if home is not None and home.netloc.lower() == s.netloc.lower() and s.path.startswith(home.path or "/"):
            prefix = home.path or "/"
        paths = tuple(urlsplit(x).path for x in source.sections if urlsplit(x).netloc.lower() == s.netloc.lower())
        out[section] = SectionScope(s.netloc.lower(), prefix, paths)
    return out


def is_article_path(path: str) -> bool:
    """Heuristic: does this URL path name one article (not a listing, tag or account page)?"""
    segs = [s for s in path.split("/") if s]
    if not segs or any(s.lower() in _NOT_ARTICLE for s in segs):
        return False
    last = segs[-1].lower()
    if last.startswith(("index.", "default.")) or _PAGE_PATH.search(path):
        return False
    stem = _ARTICLE_EXT.sub("", last)
    words = stem.count("-") + 1
    if _ARTICLE_EXT.search(last):
        return bool(_NUMERIC_ID.search(stem)) or words >= 3
    return (words >= 3 and bool(_NUMERIC_ID.search(stem))) or words >= 5


def _is_pagination(url: str, section_url: str) -> bool:
    u, s = urlsplit(url), urlsplit(section_url)
    if u.netloc.lower() != s.netloc.lower():
        return False
    base = s.path.rstrip("/")
    if not (u.path == s.path or u.path.rstrip("/") == base or u.path.startswith(base + "/")):
        return False
    if any(k.lower() in _PAGE_QUERY and v.isdigit() for k, v in parse_qsl(u.query)):
        return True
    return u.path.startswith(base + "/") and bool(_PAGE_PATH.search(u.path[len(base):]))


def extract_links(body: bytes, url: str, content_type: str = "") -> list[tuple[str, str]]:
    """(absolute URL, anchor text) of every link on an HTML page."""
    headers = {"Content-Type": content_type} if content_type else {}
    response = HtmlResponse(url=url, body=body, headers=headers)
    return [(l.url, (l.text or "").strip()) for l in _EXTRACTOR.extract_links(response)]


def crawl_sections(source: Source, get_page: Callable[[str], tuple[bytes, str] | None],
                   ) -> tuple[list[Link], list[CrawlError]]:
    """Walk the source's sections with ``get_page(url) -> (body, content_type) | None (not modified)``."""
    links: dict[str, Link] = {}
    errors: list[CrawlError] = []
    budget = source.max_section_pages
    scopes = scope_for(source)
    section_urls = set(source.sections)
    for section, scope in scopes.items():
        queue, seen = [section], {section}
        while queue and budget > 0:
            page_url = queue.pop(0)
            budget -= 1
            try:
                got = get_page(page_url)
            except FetchError as e:
                errors.append(CrawlError(source.id, e.url or page_url, e.kind, e.message))
                continue
            if got is None:  # 304: nothing new on this page
                continue
            body, ctype = got
            try:
                found = extract_links(body, page_url, ctype)
            except Exception as e:  # noqa: BLE001 — one unreadable page must not stop the source
                errors.append(CrawlError(source.id, page_url, "parse", f"section page unreadable: {e}"))
                continue
            for url, text in found:
                parts = urlsplit(url)
                if parts.scheme not in ("http", "https") or parts.netloc.lower() != scope.host:
                    continue
                if _is_pagination(url, section) and url not in seen:
                    seen.add(url)
                    queue.append(url)
                    continue
                if (url in section_urls or not parts.path.startswith(scope.site_prefix)
                        or parts.path in scope.sections or not is_article_path(parts.path)):
                    continue
                links.setdefault(url, Link(url=url, source_id=source.id, via="section", title=text or None))
        if budget <= 0:
            break
    return list(links.values()), errors
