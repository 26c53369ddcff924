"""RSS 0.9x/1.0/2.0 and Atom feeds → article links (feedparser; issue #4).

feedparser is given the bytes the guarded client fetched, never a URL: it
must not open connections of its own (it would bypass the SSRF guard,
robots and rate limits).  When a feed is broken half-way, feedparser's loose
parser still returns the entries before the fault; we keep them and report
the fault as a ``parse`` error.
"""

from __future__ import annotations

import calendar
import logging
import re
from datetime import datetime, timezone
from html import unescape
from urllib.parse import urljoin, urlsplit

import feedparser

from duluan.records import CrawlError, Link

log = logging.getLogger(__name__)

# Faults that say only "the declared type or encoding was off"; the entries
# are complete, so they are logged, not recorded as crawl errors.
_BENIGN = tuple(c for c in (getattr(feedparser, "CharacterEncodingOverride", None),
                            getattr(feedparser, "NonXMLContentType", None)) if c is not None)
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
MAX_SUMMARY = 2000


def _plain(text: str | None) -> str | None:
    if not text:
        return None
    out = _SPACE.sub(" ", unescape(_TAGS.sub(" ", text))).strip()
    return out[:MAX_SUMMARY] or None


def _when(entry: dict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                # feedparser normalises to UTC struct_time.
                return datetime.fromtimestamp(calendar.timegm(t), tz=timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _entry_url(entry: dict, base: str) -> str | None:
    candidates = [entry.get("link")]
    candidates += [l.get("href") for l in entry.get("links", []) if l.get("rel", "alternate") == "alternate"]
    guid = entry.get("id")
    if guid and entry.get("guidislink", True):
        candidates.append(guid)
    for c in candidates:
        if not c:
            continue
        url = urljoin(base, c.strip())
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname:
            return url
    return None


def parse_feed(body: bytes, url: str, source_id: str, content_type: str = "") -> tuple[list[Link], list[CrawlError]]:
    """Links of every entry with a usable http(s) link, and the faults met on the way."""
    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": content_type})
    errors: list[CrawlError] = []
    links: list[Link] = []
    linkless: list[str] = []
    for entry in parsed.entries:
        link_url = _entry_url(entry, url)
        if link_url is None:
            linkless.append(str(entry.get("title", ""))[:80])
            continue
        links.append(Link(url=link_url, source_id=source_id, via="feed", title=_plain(entry.get("title")),
                          published=_when(entry), summary=_plain(entry.get("summary"))))
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if _BENIGN and isinstance(exc, _BENIGN):
            log.info("feed notice url=%s detail=%s", url, exc)
        else:
            # One fault, one record: the entry cut off by it is part of the same fault.
            cut = f", dropped {len(linkless)} without link" if linkless else ""
            errors.append(CrawlError(source_id, url, "parse",
                                     f"malformed feed ({type(exc).__name__}: {exc}); kept {len(links)} entries{cut}"))
            linkless = []
    errors += [CrawlError(source_id, url, "parse", f"feed entry {t!r} has no http(s) link") for t in linkless]
    if not parsed.get("version") and not links and not errors:
        errors.append(CrawlError(source_id, url, "parse", "not an RSS or Atom feed"))
    return links, errors
