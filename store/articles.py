"""Read and write articles and their evidence pages."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duluan.records import Article, Classification, Evidence, Mention, RawPage

from .db import Database, as_utc, guarded, utcnow
from .outbox import enqueue_in
from .schema import AlertRow, ArticleRow, PageRow


def _classification_columns(c: Classification | None) -> dict:
    c = c or Classification()
    d = c.to_dict()
    return {k: d[k] for k in (
        "provinces", "mentions", "sentiment", "distorted", "distortion_score",
        "evidence", "topic", "agencies", "severity", "flagged")}


@guarded
def article_exists(db: Database, article_id: str) -> bool:
    with db.session() as s:
        return s.get(ArticleRow, article_id) is not None


@guarded
def existing_ids(db: Database, ids: Iterable[str]) -> set[str]:
    ids = list(ids)
    out: set[str] = set()
    with db.session() as s:
        for i in range(0, len(ids), 500):
            out.update(s.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(ids[i:i + 500]))))
    return out


@guarded
def save_article(db: Database, a: Article, *, page: RawPage | None = None,
                 index_targets: Iterable[str] = (), alerts: Iterable[tuple[str, str]] = ()) -> bool:
    """Insert or update an article; returns True when it is new.

    In the same transaction: its evidence ``page``, an outbox row for each of
    ``index_targets`` and an alert row for each (rule id, channel id) of ``alerts``
    not yet queued for this article and channel. A process killed at any moment
    leaves either all of them or none: what happens after commit (indexing, delivery)
    is replayed from these rows.
    """
    now = utcnow()
    with db.session.begin() as s:
        row = s.get(ArticleRow, a.id)
        new = row is None
        if new:
            row = ArticleRow(id=a.id, created_at=now)
            s.add(row)
        row.url, row.source, row.source_kind, row.language = a.url, a.source, a.source_kind, a.language
        row.title, row.body, row.published = a.title, a.body, a.published
        row.fetched_at = a.fetched_at or now
        row.raw_sha256, row.cluster_id = a.raw_sha256, a.cluster_id
        for k, v in _classification_columns(a.classification).items():
            setattr(row, k, v)
        row.updated_at = now
        s.flush()  # the article exists before rows that point at it
        if page is not None:
            _add_page(s, page, a.id)
        for target in index_targets:
            enqueue_in(s, target, [a.id], "upsert", now)
        channels: set[str] = set()
        for rule_id, channel_id in alerts:
            # Two rules naming one channel still send one message about one article.
            if channel_id in channels:
                continue
            channels.add(channel_id)
            if s.scalar(select(AlertRow.id).where(AlertRow.article_id == a.id,
                                                   AlertRow.channel_id == channel_id)) is None:
                s.add(AlertRow(rule_id=rule_id, article_id=a.id, channel_id=channel_id, status="pending",
                               attempts=0, created_at=now))
    return new


@guarded
def set_cluster(db: Database, article_id: str, cluster_id: str) -> None:
    with db.session.begin() as s:
        row = s.get(ArticleRow, article_id)
        if row is not None:
            row.cluster_id = cluster_id


def _to_article(row: ArticleRow) -> Article:
    c = Classification(
        provinces=list(row.provinces or []),
        mentions=[Mention(**m) for m in row.mentions or []],
        sentiment=row.sentiment,
        distorted=bool(row.distorted),
        distortion_score=row.distortion_score or 0.0,
        evidence=[Evidence(**e) for e in row.evidence or []],
        topic=row.topic,
        agencies=list(row.agencies or []),
        severity=row.severity or 0.0,
    )
    return Article(
        id=row.id, url=row.url, source=row.source, source_kind=row.source_kind,
        language=row.language, title=row.title, body=row.body,
        published=as_utc(row.published), fetched_at=as_utc(row.fetched_at),
        raw_sha256=row.raw_sha256, cluster_id=row.cluster_id, classification=c,
    )


@guarded
def get_article(db: Database, article_id: str) -> Article | None:
    with db.session() as s:
        row = s.get(ArticleRow, article_id)
        return _to_article(row) if row else None


@guarded
def get_articles(db: Database, ids: Iterable[str]) -> list[Article]:
    ids = list(ids)
    out: list[Article] = []
    with db.session() as s:
        for i in range(0, len(ids), 500):
            out.extend(_to_article(r) for r in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids[i:i + 500]))))
    return out


@guarded
def iter_articles(db: Database, batch: int = 500) -> Iterator[Article]:
    """Every article in id order, read in batches so memory stays flat."""
    last = ""
    while True:
        with db.session() as s:
            rows = list(s.scalars(select(ArticleRow).where(ArticleRow.id > last).order_by(ArticleRow.id).limit(batch)))
        if not rows:
            return
        for r in rows:
            yield _to_article(r)
        last = rows[-1].id


@guarded
def count_articles(db: Database, flagged: bool | None = None) -> int:
    with db.session() as s:
        q = select(func.count()).select_from(ArticleRow)
        if flagged is not None:
            q = q.where(ArticleRow.flagged == flagged)
        return s.scalar(q) or 0


@guarded
def save_page(db: Database, page: RawPage, article_id: str | None) -> None:
    """Keep the fetched bytes as evidence, unless this exact content is already kept."""
    with db.session.begin() as s:
        _add_page(s, page, article_id)


def _add_page(s: Session, page: RawPage, article_id: str | None) -> None:
    digest = page.sha256
    dup = s.scalar(select(PageRow.id).where(PageRow.sha256 == digest, PageRow.url == page.url).limit(1))
    if dup is not None:
        return
    s.add(PageRow(
        article_id=article_id, url=page.url, final_url=page.final_url, status=page.status,
        sha256=digest, headers=dict(page.headers), body_gz=gzip.compress(page.body, 6),
        fetched_at=page.fetched_at,
    ))


@guarded
def page_bytes(db: Database, article_id: str) -> list[tuple[str, datetime, bytes]]:
    """(sha256, fetched_at, raw bytes) of every kept fetch of an article, oldest first."""
    with db.session() as s:
        rows = s.scalars(select(PageRow).where(PageRow.article_id == article_id).order_by(PageRow.id))
        return [(r.sha256, as_utc(r.fetched_at), gzip.decompress(r.body_gz)) for r in rows]
