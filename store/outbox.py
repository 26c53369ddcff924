"""The outbox: index writes recorded in the SQL database until the search backend has them.

A row is (target, op, article_id): ``target`` names one index (e.g. ``es:duluan-articles``
or ``sqlite``), ``op`` is ``upsert`` or ``delete``. A row leaves the outbox when the
write succeeded (``mark_done`` deletes it); a failure keeps it with ``attempts`` and
``last_error`` (``mark_failed``). Writes are idempotent by article id, so replaying a row
twice is harmless. See ``index/writer.py`` (issue #6).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .db import Database, as_utc, guarded, utcnow
from .schema import OutboxRow

OPS = ("upsert", "delete")
_CHUNK = 500


@dataclass(frozen=True)
class OutboxItem:
    id: int
    target: str
    op: str
    article_id: str
    attempts: int
    last_error: str | None
    created_at: datetime | None


def _item(r: OutboxRow) -> OutboxItem:
    return OutboxItem(r.id, r.target, r.op, r.article_id, r.attempts or 0, r.last_error, as_utc(r.created_at))


@guarded
def enqueue(db: Database, target: str, article_ids: Iterable[str], op: str = "upsert") -> list[OutboxItem]:
    """Record writes for ``target``; an id whose latest pending row has the same op is not added again.

    Returns the pending rows for these ids (new or existing), in id order.
    """
    with db.session.begin() as s:
        return enqueue_in(s, target, article_ids, op, utcnow())


def enqueue_in(s: Session, target: str, article_ids: Iterable[str], op: str, now: datetime) -> list[OutboxItem]:
    """``enqueue`` inside the caller's transaction (``articles.save_article`` writes both at once)."""
    if op not in OPS:
        raise ValueError(f"op must be one of {OPS}, not {op!r}")
    ids = list(dict.fromkeys(article_ids))
    out: list[OutboxItem] = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        latest: dict[str, OutboxRow] = {}
        for r in s.scalars(select(OutboxRow).where(OutboxRow.target == target, OutboxRow.article_id.in_(chunk))
                           .order_by(OutboxRow.id)):
            latest[r.article_id] = r
        # upsert, delete, upsert must replay in that order: only an identical latest op is reused
        have = {a: r for a, r in latest.items() if r.op == op}
        new = [OutboxRow(target=target, op=op, article_id=a, attempts=0, created_at=now)
               for a in chunk if a not in have]
        s.add_all(new)
        s.flush()
        out.extend(_item(r) for r in [*have.values(), *new])
    return sorted(out, key=lambda r: r.id)


@guarded
def pending(db: Database, target: str, limit: int = _CHUNK, after_id: int = 0) -> list[OutboxItem]:
    """Rows still to write for ``target``, oldest first, with ids above ``after_id``."""
    with db.session() as s:
        rows = s.scalars(select(OutboxRow).where(OutboxRow.target == target, OutboxRow.id > after_id)
                         .order_by(OutboxRow.id).limit(limit))
        return [_item(r) for r in rows]


@guarded
def mark_done(db: Database, row_ids: Iterable[int]) -> None:
    """The index has these writes: forget them."""
    ids = list(row_ids)
    with db.session.begin() as s:
        for i in range(0, len(ids), _CHUNK):
            s.execute(delete(OutboxRow).where(OutboxRow.id.in_(ids[i:i + _CHUNK])))


@guarded
def mark_failed(db: Database, row_ids: Iterable[int], error: str) -> None:
    """Keep these rows for a later replay; count the attempt and remember why it failed."""
    ids = list(row_ids)
    with db.session.begin() as s:
        for i in range(0, len(ids), _CHUNK):
            s.execute(update(OutboxRow).where(OutboxRow.id.in_(ids[i:i + _CHUNK]))
                      .values(attempts=OutboxRow.attempts + 1, last_error=error[:2000]))


@guarded
def pending_count(db: Database, target: str | None = None) -> int:
    with db.session() as s:
        q = select(func.count()).select_from(OutboxRow)
        if target is not None:
            q = q.where(OutboxRow.target == target)
        return s.scalar(q) or 0


@guarded
def summary(db: Database) -> list[dict]:
    """Per target: pending rows, how many have failed at least once, the oldest and the last error."""
    with db.session() as s:
        rows = s.execute(select(
            OutboxRow.target, func.count(), func.count(OutboxRow.last_error), func.max(OutboxRow.attempts),
            func.min(OutboxRow.created_at),
        ).group_by(OutboxRow.target)).all()
        out = []
        for target, n, failed, max_attempts, oldest in rows:
            last = s.scalar(select(OutboxRow.last_error).where(OutboxRow.target == target, OutboxRow.last_error.is_not(None))
                            .order_by(OutboxRow.id.desc()).limit(1))
            out.append({"target": target, "pending": n, "failed": failed or 0, "max_attempts": max_attempts or 0,
                        "oldest": as_utc(oldest).isoformat() if oldest else None, "last_error": last})
        return out
