"""What the scheduler does for cases: reminders, escalations, daily digests, report deadlines.

``tick`` runs everything once and is idempotent (a second tick at the same moment
queues nothing): the crawl scheduler runs it every ``cases.check_minutes``
(``add_jobs``) and ``duluan case tick`` runs it by hand or from cron. Everything it
tells anyone goes through the alert queue, so a mail outage loses nothing.

- before a case's due time (``remind_before_hours``): a reminder to the routed agency
  (to the press office while the case is not routed yet);
- once the due time has passed: an escalation to every approver with an e-mail
  address (to the press office if there is none), once per case;
- after ``digest_hour`` local time: one digest per channel of the previous day's alerts;
- ``report_remind_days`` before each province's report deadline: a reminder to the
  press office.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from duluan.config import Config
from duluan.store import Database
from duluan.store.db import as_utc, guarded, utcnow
from duluan.store.schema import AlertRow, ArticleRow, CaseRow, UserRow

from . import audit
from .workflow import ACTIVE, STATE_NAMES, agency_name

log = structlog.get_logger(__name__)


def local_zone(config: Config):
    try:
        return ZoneInfo(config.settings.cases.timezone)
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=7))  # Asia/Ho_Chi_Minh has no DST


def _queue(s: Session, now: datetime, *, kind: str, channel: str, rule_id: str, subject: str, text: str,
           article_id: str | None = None, case_id: int | None = None, to: list[str] | None = None) -> bool:
    q = select(AlertRow.id).where(AlertRow.channel_id == channel, AlertRow.kind == kind)
    q = q.where(AlertRow.article_id == article_id) if article_id else q.where(AlertRow.rule_id == rule_id)
    if s.scalar(q.limit(1)) is not None:
        return False
    payload = {"subject": subject, "text": text}
    if to:
        payload["to"] = to
    s.add(AlertRow(rule_id=rule_id, article_id=article_id, channel_id=channel, kind=kind, case_id=case_id,
                   status="pending", attempts=0, created_at=now, payload=payload))
    s.flush()
    return True


def _case_text(config: Config, case: CaseRow, article: ArticleRow, headline: str) -> str:
    base = config.settings.web_base_url.rstrip("/")
    return "\n".join([
        headline,
        f"Hồ sơ / case {case.id}: {STATE_NAMES[case.status]} — {agency_name(config, case.agency_id) or '—'}",
        f"Hạn / due: {as_utc(case.due_at).isoformat()}",
        f"Bài / article: {article.title} — {article.url}",
        f"Hồ sơ / case: {base}/cases/{case.id}",
        f"Bài / article: {base}/articles/{article.id}",
    ])


@guarded
def check_due(db: Database, config: Config, now: datetime | None = None) -> dict[str, int]:
    """Queue reminders before and escalations after each active case's due time."""
    now = now or utcnow()
    settings = config.settings.cases
    before = timedelta(hours=settings.remind_before_hours)
    reminded = escalated = 0
    with db.session.begin() as s:
        approvers = [(u.name, u.email) for u in s.scalars(select(UserRow).where(
            UserRow.role == "approver", UserRow.disabled.is_(False))) if u.email]
        for case in s.scalars(select(CaseRow).where(CaseRow.status.in_(ACTIVE), CaseRow.due_at.is_not(None))):
            due = as_utc(case.due_at)
            article = s.get(ArticleRow, case.article_id)
            if now >= due and case.escalated_at is None:
                text = _case_text(config, case, article, "Hồ sơ quá hạn, chuyển lãnh đạo / overdue, escalated "
                                                         "to the approver")
                subject = f"[duluan] QUÁ HẠN / OVERDUE: hồ sơ / case {case.id}"
                targets = [(f"user:{n}", [e]) for n, e in approvers] or [(settings.press_office_channel, None)]
                for channel, to in targets:
                    _queue(s, now, kind="escalation", channel=channel, rule_id="case-escalation", subject=subject,
                           text=text, article_id=case.article_id, case_id=case.id, to=to)
                case.escalated_at = now
                audit.append(s, case.id, "scheduler", "escalated", case.status, None,
                             {"due": due.isoformat(), "to": [c for c, _ in targets]}, at=now)
                escalated += 1
            elif due - before <= now < due and case.reminded_at is None:
                agency = config.agencies.get(case.agency_id) if case.agency_id else None
                if agency and agency.email:
                    channel, to = f"agency:{agency.id}", [agency.email]
                else:
                    channel, to = settings.press_office_channel, None
                _queue(s, now, kind="reminder", channel=channel, rule_id="case-reminder",
                       subject=f"[duluan] Nhắc hạn / due soon: hồ sơ / case {case.id}",
                       text=_case_text(config, case, article, "Sắp đến hạn xử lý / the case is due soon"),
                       article_id=case.article_id, case_id=case.id, to=to)
                case.reminded_at = now
                audit.append(s, case.id, "scheduler", "reminded", case.status, None,
                             {"due": due.isoformat(), "to": channel}, at=now)
                reminded += 1
    return {"reminded": reminded, "escalated": escalated}


@guarded
def queue_digests(db: Database, config: Config, now: datetime | None = None) -> int:
    """After ``digest_hour`` local time: one digest per channel of the previous local day's alerts."""
    now = now or utcnow()
    zone = local_zone(config)
    local = now.astimezone(zone)
    if local.hour < config.settings.cases.digest_hour:
        return 0
    day = local.date() - timedelta(days=1)
    lo = datetime.combine(day, time.min, zone).astimezone(timezone.utc)
    hi = lo + timedelta(days=1)
    base = config.settings.web_base_url.rstrip("/")
    queued = 0
    with db.session.begin() as s:
        per_channel: dict[str, list[tuple[AlertRow, ArticleRow]]] = defaultdict(list)
        rows = s.scalars(select(AlertRow).where(AlertRow.kind == "article", AlertRow.created_at >= lo,
                                                AlertRow.created_at < hi).order_by(AlertRow.id))
        for a in rows:
            per_channel[a.channel_id].append((a, s.get(ArticleRow, a.article_id)))
        for channel, items in per_channel.items():
            lines = [f"Bản tin ngày / daily digest {day.strftime('%d/%m/%Y')}: {len(items)} cảnh báo / alerts", ""]
            for a, art in items:
                case = s.scalar(select(CaseRow.id).where(CaseRow.article_id == art.id).order_by(CaseRow.id.desc()))
                lines.append(f"- {art.title} ({art.source}) — {base}/articles/{art.id}"
                             + (f" — hồ sơ / case {base}/cases/{case}" if case else ""))
            queued += _queue(s, now, kind="digest", channel=channel, rule_id=f"digest:{day.isoformat()}",
                             subject=f"[duluan] Bản tin ngày / daily digest {day.strftime('%d/%m/%Y')}",
                             text="\n".join(lines))
    return queued


def next_deadline(month: int, day: int, today: date) -> date:
    for year in (today.year, today.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:  # 29 February
            d = date(year, month, 28)
        if d >= today:
            return d
    raise AssertionError("unreachable")


@guarded
def report_reminders(db: Database, config: Config, now: datetime | None = None) -> int:
    """Remind the press office ``report_remind_days`` before each monitored province's report deadline."""
    now = now or utcnow()
    today = now.astimezone(local_zone(config)).date()
    window = timedelta(days=config.settings.cases.report_remind_days)
    queued = 0
    with db.session.begin() as s:
        for pid in config.provinces.monitored:
            profile = config.provinces.profile(pid)
            for d in profile.report_deadlines:
                due = next_deadline(d.month, d.day, today)
                if due - today > window:
                    continue
                queued += _queue(s, now, kind="report", channel=config.settings.cases.press_office_channel,
                                 rule_id=f"report:{pid}:{due.isoformat()}",
                                 subject=f"[duluan] Hạn báo cáo / report due {due.strftime('%d/%m/%Y')}: "
                                         f"{d.name} — {profile.name}",
                                 text=f"{d.name} của {profile.name} hạn ngày {due.strftime('%d/%m/%Y')} / "
                                      f"{profile.name}: '{d.name}' is due on {due.isoformat()}.\n"
                                      f"duluan report --province {pid} --from … --to … --out bao-cao.docx")
    return queued


def tick(db: Database, config: Config, now: datetime | None = None, deliver: bool = True) -> dict:
    """One pass of everything above, then (with ``deliver``) send what is due."""
    from duluan.alerts.dispatch import deliver as run_deliver

    now = now or utcnow()
    result = dict(check_due(db, config, now))
    result["digests"] = queue_digests(db, config, now)
    result["report_reminders"] = report_reminders(db, config, now)
    if deliver:
        counts = run_deliver(db, config)
        result["sent"], result["failed"] = counts["sent"], counts["failed"]
    return result


def add_jobs(scheduler, config: Config, db: Database) -> None:
    """Add the case tick to an APScheduler scheduler (the crawl scheduler's, ``crawlers/schedule.py``)."""
    from apscheduler.triggers.interval import IntervalTrigger

    def job() -> None:
        try:
            log.info("cases_tick", **tick(db, config))
        except Exception as e:  # noqa: BLE001 — a failing tick is logged and tried next interval
            log.error("cases_tick_failed", error=str(e))

    scheduler.add_job(job, IntervalTrigger(minutes=config.settings.cases.check_minutes, timezone=timezone.utc),
                      id="cases:tick", name="cases tick", replace_existing=True, max_instances=1, coalesce=True,
                      next_run_time=datetime.now(timezone.utc))
