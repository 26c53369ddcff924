"""The case workflow: a small explicit state machine (as Wagtail ``workflows.py``).

    open ──route──▶ routed ──draft──▶ drafted ──approve──▶ approved ──publish──▶ published ──close──▶ closed
     │  ▲             │  ▲              │  ▲ │
     │  └─re-route────┘  └──re-draft────┘  │ └──return (comment)──▶ returned ──draft / route─┘
     └──close (comment: no notice needed)──┘ (also from routed)

``act`` is the one function that applies an action: it checks the role and the agency
or topic fence (``policy``), checks the transition, changes the case and writes the
audit event in one transaction. A refusal is written to the audit trail too, then
raised as one line. Only one case per article is active at a time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duluan.config import Config
from duluan.errors import CaseError, NotFound, WorkflowError
from duluan.store import Database
from duluan.store.articles import get_article
from duluan.store.db import as_utc, guarded, utcnow
from duluan.store.schema import AlertRow, ArticleRow, CaseRow, ClaimRow

from . import audit, policy
from .notices import Claim, Notice, build_notice, claims_from_evidence
from .policy import Actor
from .triage import effective
from .users import check_agency

STATES = ("open", "routed", "drafted", "approved", "returned", "published", "closed")
ACTIVE = ("open", "routed", "drafted", "approved", "returned")

# action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "route": (frozenset({"open", "routed", "returned"}), "routed"),
    "draft": (frozenset({"routed", "returned", "drafted"}), "drafted"),
    "approve": (frozenset({"drafted"}), "approved"),
    "return": (frozenset({"drafted"}), "returned"),
    "publish": (frozenset({"approved"}), "published"),
    "close": (frozenset({"published", "open", "routed"}), "closed"),
}

STATE_NAMES = {
    "open": "mới mở / open", "routed": "đã chuyển / routed", "drafted": "đã soạn / drafted",
    "approved": "đã duyệt / approved", "returned": "trả lại / returned", "published": "đã công bố / published",
    "closed": "đã đóng / closed",
}


def due_hours(config: Config, severity: float) -> float:
    rules = sorted(config.settings.cases.due, key=lambda r: r.min_severity, reverse=True)
    return next((r.hours for r in rules if severity >= r.min_severity), rules[-1].hours)


def agency_name(config: Config, agency_id: str | None) -> str | None:
    if not agency_id:
        return None
    try:
        return config.agencies.current(agency_id, date.today()).name
    except KeyError:
        return agency_id


def case_dict(config: Config, case: CaseRow, article: ArticleRow | None, events: list[dict] | None = None,
              claims: list[ClaimRow] | None = None, now: datetime | None = None) -> dict:
    now = now or utcnow()
    due = as_utc(case.due_at)
    d = {
        "id": case.id, "status": case.status, "article": case.article_id, "agency": case.agency_id,
        "due": due.isoformat() if due else None,
        "agency_name": agency_name(config, case.agency_id), "topic": case.topic, "province": case.province,
        "severity": round(case.severity or 0.0, 3), "opened_by": case.opened_by,
        "opened_at": as_utc(case.opened_at).isoformat(),
        "published_at": as_utc(case.published_at).isoformat() if case.published_at else None,
        "closed_at": as_utc(case.closed_at).isoformat() if case.closed_at else None,
        "outcome": case.outcome, "notice_number": case.notice_number, "notice_sha256": case.notice_sha256,
        "comment": case.comment,
        "overdue": bool(due and case.status in ACTIVE and now > due),
        "link": f"{config.settings.web_base_url.rstrip('/')}/cases/{case.id}",
    }
    if article is not None:
        d["article_detail"] = {"id": article.id, "title": article.title, "url": article.url,
                               "source": article.source, "source_kind": article.source_kind,
                               "published": as_utc(article.published).isoformat() if article.published else None}
    if claims is not None:
        d["claims"] = [{"seq": c.seq, "text": c.text, "facts": c.facts, "evidence": c.evidence or [],
                        "span": [c.start, c.end] if c.start is not None else None} for c in claims]
    if events is not None:
        d["events"] = events
    return d


# -- the one function that acts ------------------------------------------------------


Change = Callable[[Session, CaseRow], dict]


@guarded
def act(db: Database, config: Config, actor: Actor, case_id: int, action: str, change: Change | None = None,
        now: datetime | None = None) -> dict:
    """Apply ``action`` to a case as ``actor``: fence, transition, change, audit event; returns the case."""
    now = now or utcnow()
    try:
        with db.session.begin() as s:
            case = s.get(CaseRow, case_id)
            if case is None:
                raise NotFound(f"không có hồ sơ / no case {case_id}")
            policy.require_case(actor, action, case.agency_id, case.topic, config)
            before = case.status
            target = None
            if action in TRANSITIONS:
                sources, target = TRANSITIONS[action]
                if before not in sources:
                    allowed = ", ".join(sorted(sources))
                    raise WorkflowError(f"hồ sơ {case_id} đang ở trạng thái {STATE_NAMES[before]}: không thể "
                                        f"{policy.ACTION_NAMES[action]} (chỉ từ / only from: {allowed})")
            detail = change(s, case) if change else {}
            if target:
                case.status = target
                case.updated_at = now
            audit.append(s, case.id, actor.name, action, before, target, detail, at=now)
            article = s.get(ArticleRow, case.article_id)
            return case_dict(config, case, article, now=now)
    except CaseError as e:
        _audit_refusal(db, case_id, actor, action, e)
        raise


def _audit_refusal(db: Database, case_id: int, actor: Actor, action: str, error: CaseError) -> None:
    with db.session.begin() as s:
        if s.get(CaseRow, case_id) is not None:
            audit.append(s, case_id, actor.name, "refused",
                         detail={"action": action, "reason": str(error), "role": actor.role,
                                 "agency": actor.agency_id})


# -- actions ----------------------------------------------------------------------------


@guarded
def open_case(db: Database, config: Config, actor: Actor, article_id: str, now: datetime | None = None) -> dict:
    """Open a case on an article (analyst); the due time follows its severity."""
    now = now or utcnow()
    policy.require(actor, "open")
    triage = effective(db, [article_id]).get(article_id)
    if triage and triage["decision"] == "dismiss":
        raise WorkflowError(f"bài {article_id} đã bị {triage['actor']} bỏ qua / was dismissed by {triage['actor']}: "
                            f"{triage['reason']} — xác nhận lại trước / confirm it first (duluan triage)")
    with db.session.begin() as s:
        article = s.get(ArticleRow, article_id)
        if article is None:
            raise NotFound(f"không có bài / no article {article_id!r}")
        active = s.scalar(select(CaseRow.id).where(CaseRow.article_id == article_id,
                                                   CaseRow.status.in_(ACTIVE)).limit(1))
        if active is not None:
            raise WorkflowError(f"bài {article_id} đã có hồ sơ đang xử lý / already has an active case: {active}")
        provinces = list(article.provinces or [])
        monitored = [p for p in provinces if p in config.provinces.monitored]
        topic = (triage or {}).get("topic") or article.topic
        province = (triage or {}).get("province") or (monitored or provinces or [None])[0]
        severity = float(article.severity or 0.0)
        case = CaseRow(article_id=article_id, status="open", topic=topic, province=province, severity=severity,
                       agency_id=None, due_at=now + timedelta(hours=due_hours(config, severity)),
                       opened_by=actor.name, opened_at=now, updated_at=now)
        s.add(case)
        s.flush()
        audit.append(s, case.id, actor.name, "open", None, "open",
                     {"article": article_id, "title": article.title, "topic": topic, "province": province,
                      "severity": round(severity, 3), "due": as_utc(case.due_at).isoformat(),
                      "triage": (triage or {}).get("decision")}, at=now)
        return case_dict(config, case, article, now=now)


def auto_agency(config: Config, topic: str | None, override: str | None = None) -> str:
    """The agency a topic routes to today (the analyst's override first), following renames."""
    if override:
        return config.agencies.current(override, date.today()).id
    route = config.routing.route(topic) if topic else None
    if route is None:
        raise WorkflowError(f"chủ đề {topic or '—'} không có tuyến chuyển / no route for topic {topic or '—'}: "
                            "chọn cơ quan / choose one with --agency ID")
    return config.agencies.current(route.lead[0], date.today()).id


def route(db: Database, config: Config, actor: Actor, case_id: int, agency: str | None = None,
          auto: bool = False, now: datetime | None = None) -> dict:
    """Route a case to its agency: automatically from the topic, or the one chosen (an override)."""
    if bool(agency) == bool(auto):
        raise CaseError("chọn một / give exactly one of --auto or --agency ID")
    chosen = check_agency(config, agency) if agency else None

    def change(s: Session, case: CaseRow) -> dict:
        triage = effective(db, [case.article_id]).get(case.article_id) or {}
        target = chosen or auto_agency(config, case.topic, triage.get("agency"))
        previous, case.agency_id = case.agency_id, target
        _queue_routed_alert(s, config, case, now or utcnow())
        return {"agency": target, "agency_name": agency_name(config, target), "auto": chosen is None,
                "previous": previous, "override": bool(chosen) or bool(triage.get("agency"))}

    return act(db, config, actor, case_id, "route", change, now)


def _queue_routed_alert(s: Session, config: Config, case: CaseRow, now: datetime) -> None:
    """Tell the routed agency (its ``email`` in agencies.yaml) in the same transaction."""
    agency = config.agencies.get(case.agency_id)
    if not agency.email:
        return
    channel = f"agency:{agency.id}"
    if s.scalar(select(AlertRow.id).where(AlertRow.article_id == case.article_id, AlertRow.channel_id == channel,
                                          AlertRow.kind == "routed")) is not None:
        return
    article = s.get(ArticleRow, case.article_id)
    base = config.settings.web_base_url.rstrip("/")
    due = as_utc(case.due_at)
    text = "\n".join([
        f"Hồ sơ / case {case.id} được chuyển đến / is routed to: {agency.name}",
        f"Bài / article: {article.title}",
        f"Nguồn / source: {article.source} — {article.url}",
        f"Hạn xử lý / due: {due.isoformat() if due else '—'}",
        f"Hồ sơ / case: {base}/cases/{case.id}",
        f"Bài / article: {base}/articles/{article.id}",
    ])
    s.add(AlertRow(rule_id="case-routed", article_id=case.article_id, channel_id=channel, kind="routed",
                   case_id=case.id, status="pending", attempts=0, created_at=now,
                   payload={"to": [agency.email], "subject": f"[duluan] Hồ sơ {case.id} cần xử lý / case to handle: "
                                                             f"{article.title[:100]}", "text": text}))


def province_profile(config: Config, province_id: str | None):
    for p in config.provinces.profiles:
        if p.id == province_id:
            return p.name, p.kind
    for m in config.provinces.map:
        if m.id == province_id:
            return m.name, m.kind
    first = config.provinces.profiles[0]
    return first.name, first.kind


def _outlet(config: Config, article: ArticleRow) -> str:
    for src in config.sources.sources:
        if src.id == article.source:
            return src.name
    return article.source or urlsplit(article.url).hostname or "—"


def draft(db: Database, config: Config, actor: Actor, case_id: int, lang: str = "vi",
          claims: list[Claim] | None = None, now: datetime | None = None) -> tuple[bytes, dict]:
    """The routed agency drafts the notice; returns the .docx bytes (also kept on the case) and the case."""
    if lang not in ("vi", "en"):
        raise CaseError("--lang phải là vi hoặc en / --lang must be vi or en")
    now = now or utcnow()
    out: dict[str, bytes] = {}

    def change(s: Session, case: CaseRow) -> dict:
        article = get_article(db, case.article_id)
        given = list(claims or [])
        existing = list(s.scalars(select(ClaimRow).where(ClaimRow.case_id == case.id).order_by(ClaimRow.seq)))
        chosen = given or [Claim(c.text, c.facts, tuple(c.evidence or ()), c.start, c.end) for c in existing] or \
            claims_from_evidence(article.title, article.body, article.classification.evidence) or [Claim(article.title)]
        agency = config.agencies.current(case.agency_id, now.date())
        name, kind = province_profile(config, case.province)
        informed = [config.agencies.current(a, now.date()) for a in config.routing.always_inform]
        inform = [(a.name_en or a.name) if lang == "en" else a.name for a in informed]
        number = case.notice_number or f"{case.id:02d}"
        notice = Notice(lang=lang, agency=agency, province=name, province_kind=kind, number=number,
                        issued=now.date(), outlet=_outlet(config, s.get(ArticleRow, case.article_id)),
                        article_title=article.title, article_url=article.url,
                        article_published=article.published.date() if article.published else None,
                        claims=chosen, recipients=[n for n in dict.fromkeys(inform) if n not in (agency.name, agency.name_en)])
        data = build_notice(notice)
        sha = hashlib.sha256(data).hexdigest()
        # Claims are updated in place (their appearances hang on them); extra old ones go.
        for i, c in enumerate(chosen, 1):
            row = existing[i - 1] if i <= len(existing) else None
            if row is None:
                s.add(ClaimRow(case_id=case.id, seq=i, text=c.text, facts=c.facts, evidence=list(c.evidence),
                               start=c.start, end=c.end))
            else:
                if row.text != c.text:
                    row.start, row.end, row.field = c.start, c.end, None
                row.text, row.facts, row.evidence = c.text, c.facts, list(c.evidence)
        for row in existing[len(chosen):]:
            s.delete(row)
        s.flush()
        case.notice_number, case.notice_lang, case.notice_sha256, case.notice_docx = number, lang, sha, data
        out["docx"] = data
        return {"lang": lang, "sha256": sha, "bytes": len(data), "claims": len(chosen),
                "claims_from": "agency" if given else "evidence",
                "evidence": sorted({e for c in chosen for e in c.evidence})}

    result = act(db, config, actor, case_id, "draft", change, now)
    return out["docx"], result


def approve(db: Database, config: Config, actor: Actor, case_id: int, now: datetime | None = None) -> dict:
    def change(_s: Session, case: CaseRow) -> dict:
        if not case.notice_docx:
            raise WorkflowError(f"hồ sơ {case_id} chưa có bản thảo / has no draft notice")
        case.comment = None
        return {"notice_sha256": case.notice_sha256}

    return act(db, config, actor, case_id, "approve", change, now)


def return_(db: Database, config: Config, actor: Actor, case_id: int, comment: str,
            now: datetime | None = None) -> dict:
    if not comment or not comment.strip():
        raise CaseError("cần ý kiến / a comment is required (--comment TEXT)")

    def change(_s: Session, case: CaseRow) -> dict:
        case.comment = comment.strip()
        return {"comment": case.comment, "notice_sha256": case.notice_sha256}

    return act(db, config, actor, case_id, "return", change, now)


def publish(db: Database, config: Config, actor: Actor, case_id: int, now: datetime | None = None) -> dict:
    now = now or utcnow()

    def change(_s: Session, case: CaseRow) -> dict:
        case.published_at, case.outcome = now, "published"
        hours = (now - as_utc(case.opened_at)).total_seconds() / 3600
        return {"notice_sha256": case.notice_sha256, "notice_number": case.notice_number,
                "response_hours": round(hours, 2)}

    return act(db, config, actor, case_id, "publish", change, now)


def close(db: Database, config: Config, actor: Actor, case_id: int, comment: str | None = None,
          now: datetime | None = None) -> dict:
    now = now or utcnow()

    def change(_s: Session, case: CaseRow) -> dict:
        if case.status != "published":
            if not comment or not comment.strip():
                raise WorkflowError(f"hồ sơ {case_id} chưa công bố: đóng cần lý do / closing an unpublished case "
                                    "needs --comment TEXT")
            case.outcome = "no_notice"
        case.closed_at = now
        if comment:
            case.comment = comment.strip()
        return {"outcome": case.outcome, "comment": comment}

    return act(db, config, actor, case_id, "close", change, now)


@guarded
def show(db: Database, config: Config, actor: Actor, case_id: int, now: datetime | None = None) -> dict:
    """Read a case (audited as a view); returns it with its claims and every event, the view included."""
    act(db, config, actor, case_id, "view", now=now)
    with db.session() as s:
        case = s.get(CaseRow, case_id)
        from .spread import claims_of

        d = case_dict(config, case, s.get(ArticleRow, case.article_id), audit.events(db, case_id), None, now)
        d["claims"] = claims_of(s, case_id)
        return d


@guarded
def list_cases(db: Database, config: Config, actor: Actor, status: str | None = None,
               now: datetime | None = None) -> list[dict]:
    """Cases the actor may read (each listing audited on the case), newest first."""
    policy.require(actor, "view")
    if status is not None and status not in STATES:
        raise CaseError(f"trạng thái không có / unknown status {status!r}; one of {', '.join(STATES)}")
    now = now or utcnow()
    with db.session.begin() as s:
        q = select(CaseRow).order_by(CaseRow.id.desc())
        if status:
            q = q.where(CaseRow.status == status)
        out = []
        for case in s.scalars(q):
            if policy.read_fence(actor, case.agency_id, case.topic, config):
                continue
            audit.append(s, case.id, actor.name, "list", detail={"status_filter": status}, at=now)
            out.append(case_dict(config, case, s.get(ArticleRow, case.article_id), now=now))
        return out


@guarded
def notice_bytes(db: Database, config: Config, actor: Actor, case_id: int) -> bytes:
    """The stored notice of a case (audited as a view)."""
    act(db, config, actor, case_id, "view")
    with db.session() as s:
        case = s.get(CaseRow, case_id)
        if not case.notice_docx:
            raise WorkflowError(f"hồ sơ {case_id} chưa có thông cáo / has no notice yet")
        return case.notice_docx


# -- claims and their appearances (issue #12) -----------------------------------------------------


def _locate(article, text: str | None, start: int | None, end: int | None) -> tuple[str, int, int, str]:
    """(field, start, end, exact text) of a claim in the stored NFC text of the article."""
    from duluan.text import canonical, fold, has_diacritics, normalise

    if text is None:
        if start is None or end is None or not 0 <= start < end:
            raise CaseError("cần --text hoặc --start/--end / give --text, or --start N --end M")
        field = "title" if end <= len(article.title) else "body"
        src = article.title if field == "title" else article.body
        if end > len(src):
            raise CaseError(f"đoạn {start}–{end} vượt quá bài / span {start}–{end} is beyond the {field} "
                            f"({len(src)} characters)")
        return field, start, end, src[start:end]
    wanted = normalise(text).strip()
    if not wanted:
        raise CaseError("nội dung trống / the claim text is empty")
    form = canonical if has_diacritics(wanted) else fold  # the matching rule of search and mentions
    for field, src in (("body", article.body), ("title", article.title)):
        i = form(src).find(form(wanted))
        if i >= 0:
            return field, i, i + len(wanted), src[i:i + len(wanted)]
    raise CaseError("không tìm thấy nội dung này trong bài đã lưu / this text is not in the article's stored text")


def add_claim(db: Database, config: Config, actor: Actor, case_id: int, text: str | None = None,
              start: int | None = None, end: int | None = None, now: datetime | None = None) -> dict:
    """Add a claim by its text in the article (or its span); its appearances elsewhere are proposed."""
    from duluan.store.schema import AppearanceRow

    from .spread import paragraphs, propose

    made: dict = {}

    def change(s: Session, case: CaseRow) -> dict:
        article = get_article(db, case.article_id)
        field, a, b, exact = _locate(article, text, start, end)
        seq = (s.scalar(select(func.max(ClaimRow.seq)).where(ClaimRow.case_id == case.id)) or 0) + 1
        row = ClaimRow(case_id=case.id, seq=seq, text=exact, facts="", start=a, end=b, field=field, evidence=[])
        s.add(row)
        s.flush()
        src = article.title if field == "title" else article.body
        passage = next((p for p in paragraphs(src) if exact in p), exact)
        s.add(AppearanceRow(claim_id=row.id, article_id=case.article_id, link="confirmed", score=1.0,
                            method="origin", passage=passage[:4000], decided_by=actor.name,
                            created_at=now or utcnow()))
        made["id"] = row.id
        return {"claim": row.id, "field": field, "start": a, "end": b, "text": exact}

    act(db, config, actor, case_id, "claim", change, now)
    proposed = propose(db, config, made["id"])
    return {"claim_id": made["id"], "proposed": proposed, "case": show(db, config, actor, case_id, now)}


def decide_appearance(db: Database, config: Config, actor: Actor, case_id: int, article_id: str, confirm: bool,
                      now: datetime | None = None) -> dict:
    """An analyst confirms or rejects a proposed appearance of the case's claims in ``article_id``."""
    from duluan.store.schema import AppearanceRow

    def change(s: Session, case: CaseRow) -> dict:
        rows = list(s.scalars(select(AppearanceRow).join(ClaimRow, ClaimRow.id == AppearanceRow.claim_id)
                              .where(ClaimRow.case_id == case.id, AppearanceRow.article_id == article_id,
                                     AppearanceRow.method != "origin")))
        if not rows:
            raise NotFound(f"bài {article_id} không phải nơi đăng lại của hồ sơ {case_id} / "
                           f"is not a proposed appearance of case {case_id}")
        for r in rows:
            r.link, r.decided_by = ("confirmed" if confirm else "rejected"), actor.name
        return {"article": article_id, "link": "confirmed" if confirm else "rejected",
                "claims": [r.claim_id for r in rows]}

    act(db, config, actor, case_id, "link", change, now)
    return show(db, config, actor, case_id, now)
