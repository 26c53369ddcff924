"""Fetching: discovery of article links and guarded page fetches (issue #4).

``Crawler`` is what the pipeline uses::

    crawler = Crawler(db, settings.crawl)
    links, errors = crawler.discover(source)     # feeds, sitemaps, section pages
    page = crawler.fetch(source, link.url)       # RawPage, or raises FetchError
    crawler.close()

Modules, one job each: ``ssrf`` (address policy), ``http`` (guarded client,
redirects, limits, retries), ``ratelimit``, ``robots``, ``feeds``,
``sitemaps``, ``sections`` (scrapy link extraction), ``urls`` (canonical
URLs), ``schedule`` (APScheduler loop).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

from duluan.config.models import CrawlSettings, Source
from duluan.errors import FetchError
from duluan.records import CrawlError, Link, RawPage
from duluan.store import Database
from duluan.store import articles as store_articles
from duluan.store import crawlstate

from .feeds import parse_feed
from .http import HttpClient, Response
from .ratelimit import HostRateLimiter
from .robots import RobotsCache
from .sections import crawl_sections
from .sitemaps import parse_sitemap
from .ssrf import AddressPolicy
from .urls import canonical_url, url_article_id

__all__ = ["Crawler", "canonical_url", "url_article_id"]

log = logging.getLogger(__name__)

MAX_SITEMAPS = 50  # per source and run: an index may name thousands of archives
MAX_SITEMAP_DEPTH = 3
RETRY_KINDS = {"timeout", "network"}
MAX_RETRY_ATTEMPTS = 5


class Crawler:
    """Discovers and fetches one source at a time; thread-safe, so sources may run in parallel."""

    def __init__(self, db: Database, settings: CrawlSettings, http: HttpClient | None = None):
        self.db = db
        self.settings = settings
        self.limiter = HostRateLimiter()
        self.http = http or HttpClient(settings, self.limiter)
        self.robots = RobotsCache(self.http, settings.user_agent, self.http.limiter)
        self.stats: dict[str, int] = {"fetched": 0, "not_modified": 0, "errors": 0}
        # Per source as well: sources crawl in parallel, so deltas of ``stats`` would mix them.
        self.source_stats: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()
        self._policies: dict[str, AddressPolicy] = {}
        self._links: dict[tuple[str, str], Link] = {}

    def close(self) -> None:
        self.http.close()

    def _count(self, source_id: str, key: str, n: int = 1) -> None:
        with self._lock:
            self.stats[key] = self.stats.get(key, 0) + n
            per = self.source_stats.setdefault(source_id, {})
            per[key] = per.get(key, 0) + n

    def _policy(self, source: Source) -> AddressPolicy:
        with self._lock:
            p = self._policies.get(source.id)
            if p is None:
                p = self._policies[source.id] = AddressPolicy.for_urls(source.urls(), source.allow_private)
            return p

    # -- requests --------------------------------------------------------
    def _get(self, source: Source, url: str, headers: dict[str, str] | None = None) -> Response:
        policy = self._policy(source)
        rate = source.rate_limit_per_sec
        robots = (lambda u: self.robots.check(u, policy, rate)) if self.settings.respect_robots else None
        return self.http.get(url, policy, rate, headers, robots=robots)

    def _get_conditional(self, source: Source, url: str) -> Response | None:
        """GET with the stored validators; ``None`` on 304 Not Modified."""
        v = crawlstate.get_validators(self.db, url)
        headers = {}
        if v.etag:
            headers["If-None-Match"] = v.etag
        if v.last_modified:
            headers["If-Modified-Since"] = v.last_modified
        resp = self._get(source, url, headers)
        if resp.status == 304:
            self._count(source.id, "not_modified")
            crawlstate.put_validators(self.db, url, source.id, 304, None, None)
            return None
        if not 200 <= resp.status < 300:
            raise FetchError("http_status", url, f"HTTP {resp.status} (final URL {resp.final_url})",
                             retryable=resp.status >= 500)
        self._count(source.id, "fetched")
        crawlstate.put_validators(self.db, url, source.id, resp.status,
                                  resp.headers.get("etag"), resp.headers.get("last-modified"))
        crawlstate.resolve_errors(self.db, source.id, url)
        return resp

    def fetch(self, source: Source, url: str, link: Link | None = None) -> RawPage:
        """Fetch one article page. Raises ``FetchError`` (kind, url, message, retryable)."""
        resp = self._get(source, url)
        if not 200 <= resp.status < 300 or resp.status == 204:
            raise FetchError("http_status", url, f"HTTP {resp.status} (final URL {resp.final_url})",
                             retryable=resp.status >= 500)
        self._count(source.id, "fetched")
        crawlstate.resolve_errors(self.db, source.id, url)
        with self._lock:
            link = link or self._links.pop((source.id, url), None)
        return RawPage(url=url, final_url=resp.final_url, status=resp.status, headers=resp.headers,
                       body=resp.body, fetched_at=resp.fetched_at, source_id=source.id, link=link)

    # -- discovery -------------------------------------------------------
    def discover(self, source: Source) -> tuple[list[Link], list[CrawlError]]:
        """Article links from the source's feeds, sitemaps and sections, canonical and de-duplicated.

        Feeds, sitemaps and section pages are fetched with conditional GET, so
        an unchanged one costs a 304 and yields nothing.  URLs whose last fetch
        failed transiently (timeout, network, 5xx) are offered again.
        """
        found: list[Link] = []
        errors: list[CrawlError] = []

        def failed(e: FetchError, url: str) -> None:
            errors.append(CrawlError(source.id, e.url or url, e.kind, e.message))

        for feed in source.feeds:
            try:
                resp = self._get_conditional(source, feed)
            except FetchError as e:
                failed(e, feed)
                continue
            if resp is not None:
                links, errs = parse_feed(resp.body, resp.final_url, source.id, resp.headers.get("content-type", ""))
                found += links
                errors += errs
        found += self._discover_sitemaps(source, errors)

        def section_page(url: str) -> tuple[bytes, str] | None:
            resp = self._get_conditional(source, url)
            return None if resp is None else (resp.body, resp.headers.get("content-type", ""))

        links, errs = crawl_sections(source, section_page)
        found += links
        errors += errs
        found += self._retry_links(source)
        out = self._dedupe(found)
        self._count(source.id, "errors", len(errors))
        log.info("discover source=%s links=%d errors=%d", source.id, len(out), len(errors))
        return out, errors

    def _discover_sitemaps(self, source: Source, errors: list[CrawlError]) -> list[Link]:
        links: list[Link] = []
        queue = [(u, 0) for u in source.sitemaps]
        seen = set(source.sitemaps)
        fetched = 0
        while queue and fetched < MAX_SITEMAPS:
            url, depth = queue.pop(0)
            fetched += 1
            try:
                resp = self._get_conditional(source, url)
            except FetchError as e:
                errors.append(CrawlError(source.id, e.url or url, e.kind, e.message))
                continue
            if resp is None:
                continue
            doc = parse_sitemap(resp.body, resp.final_url, source.id, self.settings.max_body_bytes)
            errors += doc.errors
            links += doc.links
            for child in doc.children:
                if child in seen:
                    continue
                seen.add(child)
                if depth + 1 > MAX_SITEMAP_DEPTH:
                    errors.append(CrawlError(source.id, child, "parse", f"sitemap nesting deeper than {MAX_SITEMAP_DEPTH}"))
                    continue
                queue.append((child, depth + 1))
        if queue:
            errors.append(CrawlError(source.id, queue[0][0], "parse",
                                     f"more than {MAX_SITEMAPS} sitemaps; {len(queue)} left for the next run"))
        return links

    def _retry_links(self, source: Source) -> list[Link]:
        """Article URLs whose fetch failed transiently last time; the feed may now answer 304."""
        own = set(source.urls())
        out = []
        for err in crawlstate.open_errors(self.db, source.id):
            transient = err["kind"] in RETRY_KINDS or (
                err["kind"] == "http_status" and err["message"].startswith("HTTP 5"))
            if transient and err["attempts"] < MAX_RETRY_ATTEMPTS and err["url"] not in own:
                out.append(Link(url=err["url"], source_id=source.id, via="retry"))
        return out

    def _dedupe(self, found: list[Link]) -> list[Link]:
        """Canonical URLs, first sighting wins but keeps a date/title another route knew."""
        by_url: dict[str, Link] = {}
        for link in found:
            url = canonical_url(link.url)
            prev = by_url.get(url)
            if prev is None:
                by_url[url] = Link(url=url, source_id=link.source_id, via=link.via, title=link.title,
                                   published=link.published, summary=link.summary)
            else:
                by_url[url] = Link(url=url, source_id=prev.source_id, via=prev.via, title=prev.title or link.title,
                                   published=prev.published or link.published, summary=prev.summary or link.summary)
        with self._lock:
            # Links of an earlier run that were never fetched (known articles) are dropped.
            sources = {l.source_id for l in by_url.values()}
            for key in [k for k in self._links if k[0] in sources]:
                del self._links[key]
            for url, link in by_url.items():
                self._links[(link.source_id, url)] = link
        return list(by_url.values())

    # -- optional orchestration -----------------------------------------
    def crawl(self, source: Source) -> Iterator[RawPage | CrawlError]:
        """Discover, skip known articles, fetch the rest; every failure is yielded, never raised."""
        links, errors = self.discover(source)
        yield from errors
        known = store_articles.existing_ids(self.db, [url_article_id(l.url) for l in links])
        for link in links:
            if url_article_id(link.url) in known:
                continue
            try:
                yield self.fetch(source, link.url, link)
            except FetchError as e:
                self._count(source.id, "errors")
                yield CrawlError(source.id, e.url or link.url, e.kind, e.message)
