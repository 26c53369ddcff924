"""Orchestration: crawl → extract → cluster → classify → store → index, one source at a time.

Every stage is a plain function or object taking records; this module only
wires them and keeps the counts. A failure of one URL is recorded and the run
goes on; the index is written through the outbox, so an index outage loses nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import structlog

from duluan.alerts import dispatch as alerts
from duluan.classifiers import Classifier
from duluan.config import Config
from duluan.config.models import Source
from duluan.errors import DuluanError, ExtractError, FetchError
from duluan.index.base import SearchIndex
from duluan.index.writer import IndexWriter, replay_pending
from duluan.records import Article, CrawlError, Link, RawPage, SourceContext, article_id

from . import hooks
from duluan.store import Database
from duluan.store import articles as store
from duluan.store import crawlstate

log = structlog.get_logger(__name__)


@dataclass
class RunReport:
    sources: int = 0
    fetched: int = 0
    not_modified: int = 0
    new_articles: int = 0
    flagged_new: int = 0
    errors: list[CrawlError] = field(default_factory=list)
    alerts: dict[str, int] = field(default_factory=dict)

    def add(self, other: "RunReport") -> None:
        self.sources += other.sources
        self.fetched += other.fetched
        self.not_modified += other.not_modified
        self.new_articles += other.new_articles
        self.flagged_new += other.flagged_new
        self.errors.extend(other.errors)


class Pipeline:
    def __init__(self, config: Config, db: Database, index: SearchIndex,
                 classifier: Classifier | None = None):
        from duluan.pipeline.dedupe import StoryClusterer

        self.config, self.db, self.index = config, db, index
        self.classifier = classifier or Classifier.load(config)
        self.writer = IndexWriter(db, index)
        self.clusters = StoryClusterer(db)
        # Sources fetch in parallel; clustering, classifying and storing one article at a
        # time keeps cluster assignment deterministic and SQLite writes short.
        self._lock = threading.Lock()

    # -- one article ----------------------------------------------------------

    def process(self, article: Article, context: SourceContext, page: RawPage | None = None) -> Article:
        """Cluster, classify and store one article (indexing and alerts follow in ``publish``)."""
        with self._lock:
            return self._process(article, context, page)

    def _process(self, article: Article, context: SourceContext, page: RawPage | None = None) -> Article:
        article.cluster_id = self.clusters.assign(article)
        size = self.clusters.size(article.cluster_id)
        ctx = SourceContext(kind=context.kind, fabrication_record=context.fabrication_record,
                            syndication=max(size, context.syndication))
        article.classification = self.classifier.classify(article, ctx)
        # One transaction: the article, its page, its outbox row and its alert rows.
        store.save_article(self.db, article, page=page, index_targets=[self.writer.target],
                           alerts=alerts.alert_rows(self.config, article))
        return article

    def process_many(self, articles: Iterable[tuple[Article, SourceContext]],
                     errors: list[CrawlError] | None = None) -> list[Article]:
        """Process a batch; an item the store refuses is recorded in ``errors`` and the batch goes on."""
        done = []
        for a, ctx in articles:
            try:
                done.append(self.process(a, ctx))
            except DuluanError as e:
                if errors is None:
                    raise
                errors.append(CrawlError(a.source, a.url, "pipeline", str(e)))
                log.error("item_failed", source=a.source, url=a.url, error=str(e))
        self.publish(done)
        return done

    def publish(self, articles: list[Article]) -> None:
        """After commit: index the stored articles now (their outbox rows already exist), then run
        what later stages registered in ``hooks.after_store`` (cases match them against open claims)."""
        self.writer.upsert(a.id for a in articles)
        ids = [a.id for a in articles]
        for hook in hooks.after_store:
            try:
                hook(self.db, self.config, ids)
            except DuluanError as e:  # e.g. a claim match: never worth losing a crawl over; the next run retries
                log.error("after_store_hook_failed", hook=getattr(hook, "__name__", str(hook)), error=str(e))

    def fire_alerts(self) -> dict[str, int]:
        """Deliver queued alerts; failures stay queued with their error for the next run."""
        try:
            return alerts.deliver(self.db, self.config)
        except DuluanError as e:  # the rows are still queued: the next run delivers them
            log.error("alerts_not_delivered", error=str(e), hint="duluan alerts deliver")
            return {"sent": 0, "failed": 0}

    # -- one source -------------------------------------------------------------

    def crawl_source(self, crawler, source: Source) -> RunReport:
        """Crawl one source; every failure, the database's included, is this source's error."""
        try:
            return self._crawl_source(crawler, source)
        except DuluanError as e:
            err = CrawlError(source.id, source.homepage or "", "pipeline", str(e))
            log.error("source_failed", source=source.id, error=str(e))
            try:
                crawlstate.record_error(self.db, err)
            except DuluanError as again:  # the database itself is down: the log keeps it
                log.error("error_not_recorded", source=source.id, error=str(again))
            return RunReport(sources=1, errors=[err])

    def _crawl_source(self, crawler, source: Source) -> RunReport:
        from duluan.pipeline.extract import error_kind, extract

        report = RunReport(sources=1)
        run_id = crawlstate.start_run(self.db, source.id)
        before = dict(crawler.source_stats.get(source.id, {}))
        links, errors = crawler.discover(source)
        report.errors.extend(errors)
        fresh = self._fresh_links(links)
        context = SourceContext(kind=source.kind, fabrication_record=source.fabrication_record)
        new: list[Article] = []
        for link in fresh:
            try:
                page = crawler.fetch(source, link.url)
                art = extract(page, source)
                with self._lock:
                    if store.article_exists(self.db, art.id):
                        # The link redirected to, or canonicalises as, an article we already have.
                        continue
                    art = self._process(art, context, page)
                new.append(art)
                report.flagged_new += int(art.classification.flagged)
            except FetchError as e:
                report.errors.append(CrawlError(source.id, link.url, e.kind, e.message))
            except ExtractError as e:
                report.errors.append(CrawlError(source.id, link.url, error_kind(e), str(e)))
            except DuluanError as e:  # a store or classifier fault on one item must not stop the run
                report.errors.append(CrawlError(source.id, link.url, "pipeline", str(e)))
                log.error("item_failed", source=source.id, url=link.url, error=str(e))
        self.publish(new)
        report.new_articles = len(new)
        after = crawler.source_stats.get(source.id, {})
        report.fetched = after.get("fetched", 0) - before.get("fetched", 0)
        report.not_modified = after.get("not_modified", 0) - before.get("not_modified", 0)
        for err in report.errors:
            crawlstate.record_error(self.db, err)
            log.warning("crawl_error", source=err.source, url=err.url, kind=err.kind, message=err.message)
        crawlstate.finish_run(self.db, run_id, report.fetched, report.not_modified,
                              report.new_articles, len(report.errors))
        return report

    def _fresh_links(self, links: list[Link]) -> list[Link]:
        ids = {article_id(l.url): l for l in links}
        known = store.existing_ids(self.db, ids)
        return [l for i, l in ids.items() if i not in known]


def run_sources(config: Config, db: Database, index: SearchIndex, sources: list[Source],
                pipe: Pipeline | None = None, crawler=None,
                on_source_done: Callable[[Source, RunReport], None] | None = None) -> RunReport:
    """One crawl cycle over ``sources``, several at a time; returns the summed RunReport.

    The outbox is replayed first, so writes a killed run left behind reach the index
    before anything new. Pass ``pipe`` and ``crawler`` to reuse them across scheduled
    runs (loaded models, story-cluster signatures, robots and rate-limit state).
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from duluan.crawlers import Crawler
    from duluan.crawlers.schedule import MAX_PARALLEL_SOURCES

    replay_pending(db, index)
    pipe = pipe or Pipeline(config, db, index)
    own_crawler = crawler is None
    crawler = crawler or Crawler(db, config.settings.crawl)
    total = RunReport()
    try:
        with ThreadPoolExecutor(min(MAX_PARALLEL_SOURCES, len(sources) or 1)) as pool:
            futures = {pool.submit(pipe.crawl_source, crawler, s): s for s in sources}
            for fut in as_completed(futures):
                report = fut.result()
                total.add(report)
                if on_source_done is not None:
                    on_source_done(futures[fut], report)
        total.alerts = pipe.fire_alerts()
    finally:
        if own_crawler:
            crawler.close()
    return total


def schedule(config: Config, db: Database, index: SearchIndex, sources: list[Source]) -> None:
    """Crawl each source on its own interval until interrupted, reusing one pipeline and crawler."""
    from duluan.crawlers import Crawler
    from duluan.crawlers.schedule import run_forever

    pipe, crawler = Pipeline(config, db, index), Crawler(db, config.settings.crawl)
    try:
        # What later stages registered (case reminders, escalations, digests, report deadlines)
        # runs beside the crawl.
        run_forever(lambda s: run_sources(config, db, index, [s], pipe, crawler), sources, start_now=False,
                    extra_jobs=lambda scheduler: [job(scheduler, config, db) for job in hooks.scheduled])
    finally:
        crawler.close()
