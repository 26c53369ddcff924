"""Canonical article URLs: one spelling per article so its id is stable (issue #4)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

from duluan.records import article_id

# courlan already drops utm_*, fbclid … ; these are trackers it keeps that
# Vietnamese outlets and aggregators append to shared links.
_TRACKERS = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|zarsrc|zarsrcid|_ga|mc_cid|mc_eid|ref|rss|from|cmpid)$", re.I)


def canonical_url(url: str) -> str:
    """Normalised URL without fragment and tracking parameters (courlan + our tracker list)."""
    url = url.strip()
    try:
        url = normalize_url(url, strict=False)
    except (ValueError, AttributeError):
        pass
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKERS.match(k)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def url_article_id(url: str) -> str:
    """``article_id`` of the canonical form of ``url``."""
    return article_id(canonical_url(url))
