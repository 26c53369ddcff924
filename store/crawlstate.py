"""Conditional-GET state per URL, crawl errors per source and crawl runs (source health)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from duluan.records import CrawlError

from .db import Database, as_utc, guarded, utcnow
from .schema import CrawlErrorRow, CrawlRunRow, FetchStateRow


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@guarded
def get_validators(db: Database, url: str) -> Validators:
    with db.session() as s:
        row = s.get(FetchStateRow, url)
        return Validators(row.etag, row.last_modified) if row else Validators()


@guarded
def put_validators(db: Database, url: str, source: str, status: int, etag: str | None, last_modified: str | None) -> None:
    with db.session.begin() as s:
        row = s.get(FetchStateRow, url)
        if row is None:
            row = FetchStateRow(url=url, source=source)
            s.add(row)
        if status != 304:
            row.etag, row.last_modified = etag, last_modified
        row.last_status, row.last_fetched = status, utcnow()


@guarded
def record_error(db: Database, err: CrawlError) -> None:
    """Record a failure; a repeat of the same source+url+kind bumps its attempt count."""
    now = utcnow()
    with db.session.begin() as s:
        row = s.scalar(select(CrawlErrorRow).where(
            CrawlErrorRow.source == err.source, CrawlErrorRow.url == err.url,
            CrawlErrorRow.kind == err.kind, CrawlErrorRow.resolved.is_(False)))
        if row is None:
            s.add(CrawlErrorRow(source=err.source, url=err.url, kind=err.kind, message=err.message,
                                attempts=1, first_at=now, last_at=now, resolved=False))
        else:
            row.attempts += 1
            row.message, row.last_at = err.message, now


@guarded
def resolve_errors(db: Database, source: str, url: str) -> None:
    """A URL that now succeeds closes its open errors."""
    with db.session.begin() as s:
        for row in s.scalars(select(CrawlErrorRow).where(
                CrawlErrorRow.source == source, CrawlErrorRow.url == url, CrawlErrorRow.resolved.is_(False))):
            row.resolved = True


@guarded
def open_errors(db: Database, source: str | None = None) -> list[dict]:
    with db.session() as s:
        q = select(CrawlErrorRow).where(CrawlErrorRow.resolved.is_(False)).order_by(CrawlErrorRow.last_at.desc())
        if source:
            q = q.where(CrawlErrorRow.source == source)
        return [
            {"source": r.source, "url": r.url, "kind": r.kind, "message": r.message,
             "attempts": r.attempts, "last_at": as_utc(r.last_at).isoformat()}
            for r in s.scalars(q)
        ]


@guarded
def start_run(db: Database, source: str) -> int:
    with db.session.begin() as s:
        row = CrawlRunRow(source=source, started_at=utcnow())
        s.add(row)
        s.flush()
        return row.id


@guarded
def finish_run(db: Database, run_id: int, fetched: int, not_modified: int, new_articles: int, errors: int) -> None:
    with db.session.begin() as s:
        row = s.get(CrawlRunRow, run_id)
        row.finished_at = utcnow()
        row.fetched, row.not_modified, row.new_articles, row.errors = fetched, not_modified, new_articles, errors


@dataclass(frozen=True)
class SourceHealth:
    source: str
    last_run: datetime | None
    fetched: int
    not_modified: int
    new_articles: int
    errors_last_run: int
    open_errors: int
    articles: int


@guarded
def source_health(db: Database, source_ids: list[str]) -> list[SourceHealth]:
    from .schema import ArticleRow

    out = []
    with db.session() as s:
        for sid in source_ids:
            run = s.scalar(select(CrawlRunRow).where(CrawlRunRow.source == sid).order_by(CrawlRunRow.id.desc()).limit(1))
            n_err = s.scalar(select(func.count()).select_from(CrawlErrorRow).where(
                CrawlErrorRow.source == sid, CrawlErrorRow.resolved.is_(False))) or 0
            n_art = s.scalar(select(func.count()).select_from(ArticleRow).where(ArticleRow.source == sid)) or 0
            out.append(SourceHealth(
                source=sid, last_run=as_utc(run.finished_at) if run else None,
                fetched=run.fetched if run else 0, not_modified=run.not_modified if run else 0,
                new_articles=run.new_articles if run else 0, errors_last_run=run.errors if run else 0,
                open_errors=n_err, articles=n_art))
    return out
