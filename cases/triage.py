"""Triage decisions are the analyst's, not the model's (DESIGN.md, "Beyond what peers do").

A decision confirms or dismisses a flag with a reason and may change the topic, the
province or the routing. Decisions are rows of their own, never written into the
article's classifier columns, so re-classifying an article keeps them; the newest
decision per article is what every view (cases, reports, feedback) shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from duluan.config import Config
from duluan.errors import CaseError, NotFound
from duluan.store import Database
from duluan.store.db import as_utc, guarded, utcnow
from duluan.store.schema import ArticleRow, TriageRow

from . import policy
from .policy import Actor
from .users import check_agency

DECISIONS = ("confirm", "dismiss")


def _to_dict(r: TriageRow) -> dict:
    return {"article": r.article_id, "decision": r.decision, "reason": r.reason, "topic": r.topic,
            "province": r.province, "agency": r.agency_id, "actor": r.actor, "at": as_utc(r.at).isoformat()}


def _known_provinces(config: Config) -> set[str]:
    return {p.id for p in config.provinces.profiles} | {m.id for m in config.provinces.map}


@guarded
def decide(db: Database, config: Config, actor: Actor, article_id: str, decision: str, reason: str,
           topic: str | None = None, province: str | None = None, agency: str | None = None) -> dict:
    """Record an analyst's decision on an article; returns it."""
    policy.require(actor, "triage")
    if decision not in DECISIONS:
        raise CaseError(f"quyết định không hợp lệ / decision must be one of {', '.join(DECISIONS)}")
    if not reason or not reason.strip():
        raise CaseError("cần lý do / a reason is required (--reason TEXT)")
    topics = {r.topic for r in config.routing.routes}
    if topic is not None and topic not in topics:
        raise CaseError(f"chủ đề không có / unknown topic {topic!r}; one of {', '.join(sorted(topics))}")
    if province is not None and province not in _known_provinces(config):
        raise CaseError(f"tỉnh không có / unknown province {province!r}")
    if agency is not None:
        agency = check_agency(config, agency)
    with db.session.begin() as s:
        if s.get(ArticleRow, article_id) is None:
            raise NotFound(f"không có bài / no article {article_id!r}")
        row = TriageRow(article_id=article_id, decision=decision, reason=reason.strip(), topic=topic,
                        province=province, agency_id=agency, actor=actor.name, at=utcnow())
        s.add(row)
        s.flush()
        return _to_dict(row)


@guarded
def effective(db: Database, article_ids: Iterable[str]) -> dict[str, dict]:
    """The newest decision of each article that has one."""
    ids = list(article_ids)
    out: dict[str, dict] = {}
    with db.session() as s:
        for i in range(0, len(ids), 500):
            rows = s.scalars(select(TriageRow).where(TriageRow.article_id.in_(ids[i:i + 500]))
                             .order_by(TriageRow.at, TriageRow.id))
            for r in rows:
                out[r.article_id] = _to_dict(r)  # later rows win
    return out


@guarded
def all_decisions(db: Database) -> dict[str, dict]:
    """The newest decision of every triaged article."""
    out: dict[str, dict] = {}
    with db.session() as s:
        for r in s.scalars(select(TriageRow).order_by(TriageRow.at, TriageRow.id)):
            out[r.article_id] = _to_dict(r)
    return out
