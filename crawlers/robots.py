"""robots.txt, fetched once per host and cached (RFC 9309, issue #4).

Parsing uses Protego (scrapy's default robots parser: wildcards, longest
match, Crawl-delay, Sitemap lines). Fetching goes through the guarded client.

Status handling follows RFC 9309 §2.3.1: 2xx → parse; 4xx → no rules, all
allowed; 5xx or unreachable → assume everything is disallowed until the next
try (the server may be overloaded; crawling it anyway is what the RFC
forbids).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from duluan.errors import FetchError

from .http import HttpClient
from .ratelimit import HostRateLimiter
from .ssrf import AddressPolicy, host_port

log = logging.getLogger(__name__)

TTL_OK = 24 * 3600.0  # RFC 9309: caches should not be used for more than 24 hours
TTL_FAIL = 600.0
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least the first 500 KiB


@dataclass
class _Entry:
    rules: Protego | None  # None: everything disallowed (server error)
    expires: float
    reason: str = ""


class RobotsCache:
    """Answers "may duluan fetch this URL?" for every host, one robots.txt fetch per host and TTL."""

    def __init__(self, http: HttpClient, user_agent: str, limiter: HostRateLimiter | None = None,
                 clock=time.monotonic):  # noqa: ANN001
        self.http = http
        # Robots groups match on the product token ("duluan"), not the full UA string.
        self.agent = user_agent.split("/", 1)[0].split()[0] or user_agent
        self.limiter = limiter
        self._cache: dict[str, _Entry] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._clock = clock

    @staticmethod
    def _key(url: str) -> tuple[str, str]:
        p = urlsplit(url)
        host, port = host_port(url)
        return f"{p.scheme.lower()}://{host}:{port}", urlunsplit((p.scheme, p.netloc, "/robots.txt", "", ""))

    def check(self, url: str, policy: AddressPolicy, rate: float) -> None:
        """Raise ``FetchError('robots')`` when robots.txt forbids ``url``."""
        entry = self._entry(url, policy, rate)
        if entry.rules is None:
            raise FetchError("robots", url, f"robots.txt unavailable ({entry.reason}); crawling paused for this host")
        if not entry.rules.can_fetch(url, self.agent):
            raise FetchError("robots", url, f"disallowed by robots.txt for user-agent {self.agent!r}")

    def sitemaps(self, url: str, policy: AddressPolicy, rate: float) -> list[str]:
        entry = self._entry(url, policy, rate)
        return list(entry.rules.sitemaps) if entry.rules is not None else []

    def _entry(self, url: str, policy: AddressPolicy, rate: float) -> _Entry:
        key, robots_url = self._key(url)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        # One fetch per host even when several threads ask at once.
        with lock:
            entry = self._cache.get(key)
            if entry is not None and entry.expires > self._clock():
                return entry
            entry = self._fetch(robots_url, policy, rate)
            self._cache[key] = entry
            if self.limiter is not None and entry.rules is not None:
                self.limiter.set_crawl_delay(key.split("://", 1)[1], entry.rules.crawl_delay(self.agent))
            return entry

    def _fetch(self, robots_url: str, policy: AddressPolicy, rate: float) -> _Entry:
        now = self._clock()
        try:
            resp = self.http.get(robots_url, policy, rate, max_redirects=5)
        except FetchError as e:
            if e.kind == "forbidden_address":
                raise
            if e.kind == "too_large":
                return _Entry(Protego.parse(""), now + TTL_FAIL)
            log.warning("robots unreachable url=%s kind=%s message=%s", robots_url, e.kind, e.message)
            return _Entry(None, now + TTL_FAIL, f"{e.kind}: {e.message}")
        if 400 <= resp.status < 500:
            return _Entry(Protego.parse(""), now + TTL_OK)
        if resp.status >= 500 or not (200 <= resp.status < 300):
            return _Entry(None, now + TTL_FAIL, f"HTTP {resp.status}")
        text = resp.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        try:
            return _Entry(Protego.parse(text), now + TTL_OK)
        except Exception as e:  # noqa: BLE001 — a broken robots.txt must not stop the crawl
            log.warning("robots unparsable url=%s error=%s", robots_url, e)
            return _Entry(Protego.parse(""), now + TTL_OK)
