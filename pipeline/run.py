"""Orchestration: crawl → extract → cluster → classify → store → index, one source at a time.

Every stage is a plain function or object taking records; this module only
wires them and keeps the counts. A failure of one URL is recorded and the run
goes on; the index is written through the outbox, so an index outage loses nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import structlog

from duluan.alerts import dispatch as alerts
from duluan.classifiers import Classifier, SourceContext
from duluan.config import Config
from duluan.config.models import Source
from duluan.errors import DuluanError, ExtractError, FetchError
from duluan.index.base import SearchIndex
from duluan.index.writer import IndexWriter
from duluan.records import Article, CrawlError, Link, article_id
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

    def process(self, article: Article, context: SourceContext) -> Article:
        """Cluster, classify and store one article; returns it classified (indexing is batched)."""
        with self._lock:
            return self._process(article, context)

    def _process(self, article: Article, context: SourceContext) -> Article:
        article.cluster_id = self.clusters.assign(article)
        size = self.clusters.size(article.cluster_id)
        ctx = SourceContext(kind=context.kind, fabrication_record=context.fabrication_record,
                            syndication=max(size, context.syndication))
        article.classification = self.classifier.classify(article, ctx)
        store.save_article(self.db, article)
        return article

    def process_many(self, articles: Iterable[tuple[Article, SourceContext]]) -> list[Article]:
        done = [self.process(a, ctx) for a, ctx in articles]
        self._publish(done)
        return done

    def _publish(self, articles: list[Article]) -> None:
        """Index the stored articles (through the outbox) and queue the alerts they fire."""
        self.writer.upsert(a.id for a in articles)
        alerts.enqueue(self.db, self.config, articles)

    def fire_alerts(self) -> dict[str, int]:
        """Deliver queued alerts; failures stay queued with their error for the next run."""
        return alerts.deliver(self.db, self.config)

    # -- one source -------------------------------------------------------------

    def crawl_source(self, crawler, source: Source) -> RunReport:
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
                    store.save_page(self.db, page, art.id)
                    art = self._process(art, context)
                new.append(art)
                report.flagged_new += int(art.classification.flagged)
            except FetchError as e:
                report.errors.append(CrawlError(source.id, link.url, e.kind, e.message))
            except ExtractError as e:
                report.errors.append(CrawlError(source.id, link.url, error_kind(e), str(e)))
            except DuluanError as e:  # a store or classifier fault on one item must not stop the run
                report.errors.append(CrawlError(source.id, link.url, "pipeline", str(e)))
                log.exception("item_failed", source=source.id, url=link.url)
        self._publish(new)
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
