"""The tamper-evident audit trail of a case (DESIGN.md, "Beyond what peers do").

Each event's hash is SHA-256 over its canonical JSON — case, sequence number, time,
actor, action, states and detail — and the previous event's hash, so changing,
removing or reordering any stored event breaks every hash after it.
``duluan audit verify`` recomputes the chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duluan.store import Database
from duluan.store.db import as_utc, guarded, utcnow
from duluan.store.schema import CaseEventRow, CaseRow

GENESIS = "0" * 64


def event_hash(case_id: int, seq: int, at: datetime, actor: str, action: str, from_status: str | None,
               to_status: str | None, detail: dict, prev_hash: str) -> str:
    canonical = json.dumps(
        {"case": case_id, "seq": seq, "at": as_utc(at).isoformat(), "actor": actor, "action": action,
         "from": from_status, "to": to_status, "detail": detail, "prev": prev_hash},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(s: Session, case_id: int, actor: str, action: str, from_status: str | None = None,
           to_status: str | None = None, detail: dict | None = None, at: datetime | None = None) -> CaseEventRow:
    """Add the next event of ``case_id`` inside the caller's transaction.

    ``(case_id, seq)`` is unique, so two writers racing for the same place make one of
    them fail instead of forking the chain.
    """
    last = s.scalar(select(CaseEventRow).where(CaseEventRow.case_id == case_id)
                    .order_by(CaseEventRow.seq.desc()).limit(1))
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    # Microseconds survive both SQLite and PostgreSQL, so the stored time hashes the same.
    at = at or utcnow()
    detail = json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))
    row = CaseEventRow(case_id=case_id, seq=seq, at=at, actor=actor, action=action, from_status=from_status,
                       to_status=to_status, detail=detail, prev_hash=prev,
                       hash=event_hash(case_id, seq, at, actor, action, from_status, to_status, detail, prev))
    s.add(row)
    s.flush()
    return row


def to_dict(e: CaseEventRow) -> dict:
    return {"seq": e.seq, "at": as_utc(e.at).isoformat(), "actor": e.actor, "action": e.action,
            "from": e.from_status, "to": e.to_status, "detail": e.detail or {}, "hash": e.hash}


@guarded
def events(db: Database, case_id: int) -> list[dict]:
    with db.session() as s:
        return [to_dict(e) for e in s.scalars(select(CaseEventRow).where(CaseEventRow.case_id == case_id)
                                              .order_by(CaseEventRow.seq))]


@guarded
def verify(db: Database, case_id: int | None = None) -> dict:
    """Recompute every chain (or one case's); returns counts and the first break of each broken case."""
    with db.session() as s:
        ids = [case_id] if case_id is not None else list(s.scalars(select(CaseRow.id).order_by(CaseRow.id)))
        problems: list[dict] = []
        checked = 0
        for cid in ids:
            prev, expected_seq = GENESIS, 1
            for e in s.scalars(select(CaseEventRow).where(CaseEventRow.case_id == cid).order_by(CaseEventRow.seq)):
                checked += 1
                why = None
                if e.seq != expected_seq:
                    why = f"thiếu sự kiện / event missing before seq {e.seq}"
                elif e.prev_hash != prev:
                    why = "liên kết sai / prev_hash does not match the previous event"
                elif e.hash != event_hash(cid, e.seq, e.at, e.actor, e.action, e.from_status, e.to_status,
                                          e.detail or {}, e.prev_hash):
                    why = "nội dung bị sửa / the event's fields do not match its hash"
                if why:
                    problems.append({"case": cid, "seq": e.seq, "problem": why})
                    break
                prev, expected_seq = e.hash, e.seq + 1
    return {"cases": len(ids), "events": checked, "ok": not problems, "problems": problems}
