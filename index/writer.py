"""Index writes through the outbox: the record first, the index when it can (issue #6).

    IndexWriter.upsert(ids) ──▶ outbox rows (SQL, same database as the record)
                            ──▶ flush: index.upsert(articles read back from the record)
                                  ok           → rows deleted (mark_done)
                                  unavailable  → rows kept, attempts+1, a warning logged;
                                                 the call still succeeds
    replay(writer)          ──▶ flush every pending row of this index, oldest first

Every write is idempotent (documents are keyed by article id), so a row replayed twice or
an article indexed again does no harm. The SQLite FTS5 backend goes through the same
path; its flush simply always succeeds at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import structlog

from duluan.errors import IndexError_, IndexUnavailable, PartialWriteError
from duluan.store import Database
from duluan.store.articles import get_articles
from duluan.store.outbox import OutboxItem, enqueue, mark_done, mark_failed, pending, pending_count

from .base import SearchIndex

log = structlog.get_logger("duluan.index")


@dataclass
class FlushReport:
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    pending: int = 0
    unavailable: str | None = None  # the error, when the backend could not be reached

    def add(self, other: "FlushReport") -> None:
        self.indexed += other.indexed
        self.deleted += other.deleted
        self.failed += other.failed
        self.unavailable = other.unavailable or self.unavailable

    def to_dict(self) -> dict:
        return asdict(self)


def outbox_target(index: SearchIndex) -> str:
    """The outbox name of an index: one per backend and index (``es:<alias>``, ``sqlite``)."""
    return index.outbox_target[:40]


class IndexWriter:
    """Writes articles of the record to a ``SearchIndex`` through the outbox; never loses one."""

    def __init__(self, db: Database, index: SearchIndex, batch: int = 500):
        self.db, self.index, self.batch = db, index, batch
        self.target = outbox_target(index)

    def upsert(self, article_ids: Iterable[str]) -> int:
        """Index the stored articles with these ids; returns how many the index took now.

        When the backend is down the ids stay in the outbox (``replay`` writes them later)
        and this returns 0 without raising.
        """
        return self._write(article_ids, "upsert").indexed

    def delete(self, article_ids: Iterable[str]) -> int:
        """Remove these ids from the index (through the outbox); returns how many were removed now."""
        return self._write(article_ids, "delete").deleted

    def _write(self, article_ids: Iterable[str], op: str) -> FlushReport:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return FlushReport()
        rows = enqueue(self.db, self.target, ids, op)
        report = FlushReport()
        for i in range(0, len(rows), self.batch):
            part = self.flush(rows[i:i + self.batch])
            report.add(part)
            if part.unavailable:  # no use hammering a node that is down: the rest waits too
                rest = rows[i + self.batch:]
                if rest:
                    mark_failed(self.db, [r.id for r in rest], part.unavailable)
                    report.failed += len(rest)
                break
        return report

    def flush(self, rows: list[OutboxItem]) -> FlushReport:
        """Write these outbox rows to the index; done rows leave the outbox, failed ones stay."""
        if not rows:
            return FlushReport()
        latest: dict[str, OutboxItem] = {}
        for r in sorted(rows, key=lambda r: r.id):  # the last op on an article wins
            latest[r.article_id] = r
        upsert_ids = [a for a, r in latest.items() if r.op == "upsert"]
        articles = get_articles(self.db, upsert_ids)
        found = {a.id for a in articles}
        # An id the record no longer has must not stay searchable either.
        delete_ids = [a for a, r in latest.items() if r.op == "delete" or a not in found]
        report = FlushReport()
        try:
            if articles:
                report.indexed = self.index.upsert(articles)
            if delete_ids:
                self.index.delete(delete_ids)
                report.deleted = len(delete_ids)
        except IndexUnavailable as e:
            mark_failed(self.db, [r.id for r in rows], str(e))
            report.failed, report.indexed, report.deleted, report.unavailable = len(rows), 0, 0, str(e)
            log.warning("index_unavailable", backend=self.index.name, target=self.target, kept=len(rows),
                        error=str(e), hint="giữ trong outbox, chạy lại / kept in the outbox: duluan index replay")
            return report
        except IndexError_ as e:
            # A partial bulk write names the documents that failed; any other error fails them all.
            reasons = e.failed if isinstance(e, PartialWriteError) else {}
            failed_ids = set(reasons or latest)
            bad = [r for r in rows if r.article_id in failed_ids]
            for r in bad:
                mark_failed(self.db, [r.id], reasons.get(r.article_id, str(e)))
            mark_done(self.db, [r.id for r in rows if r.article_id not in failed_ids])
            report.indexed = e.written if isinstance(e, PartialWriteError) else 0
            report.failed = len(bad)
            log.error("index_write_failed", backend=self.index.name, target=self.target, failed=len(bad),
                      error=str(e))
            return report
        mark_done(self.db, [r.id for r in rows])
        return report

    def replay(self) -> FlushReport:
        """Flush every pending row of this index, oldest first; stops early if the backend is down."""
        report = FlushReport()
        after = 0
        while True:
            rows = pending(self.db, self.target, limit=self.batch, after_id=after)
            if not rows:
                break
            after = rows[-1].id
            part = self.flush(rows)
            report.add(part)
            if part.unavailable:
                break
        report.pending = pending_count(self.db, self.target)
        if report.indexed or report.deleted or report.failed:
            log.info("index_replay", backend=self.index.name, target=self.target, **report.to_dict())
        return report


def replay(writer: IndexWriter) -> FlushReport:
    """Write what the outbox holds for ``writer``'s index (``duluan index replay``, start of every run)."""
    return writer.replay()


def replay_pending(db: Database, index: SearchIndex) -> FlushReport:
    return replay(IndexWriter(db, index))
