"""Queue alerts in the SQL record and deliver them; a failed send is kept and retried."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import structlog
from sqlalchemy import or_, select

from duluan.config import Config
from duluan.records import Article
from duluan.store import Database
from duluan.store.articles import get_article
from duluan.store.db import guarded, utcnow
from duluan.store.schema import AlertRow, CaseRow

from .channels import Channel, ChannelError, SmtpChannel, build_channel
from .message import AlertMessage, build_message
from .rules import matching_rules

log = structlog.get_logger(__name__)


def alert_rows(config: Config, article: Article) -> list[tuple[str, str]]:
    """(rule id, channel id) of every alert ``article`` fires, one per channel (first rule wins)."""
    out: dict[str, str] = {}
    for rule in matching_rules(config.alerts.rules, article):
        for ch in rule.channels:
            out.setdefault(ch, rule.id)
    return [(rule_id, ch) for ch, rule_id in out.items()]


@guarded
def enqueue(db: Database, config: Config, articles: Iterable[Article]) -> int:
    """Queue one alert per (article, channel), whichever rule fired first; a re-run queues nothing twice.

    The pipeline queues alerts inside the article's own transaction (``save_article``);
    this is for articles already stored, e.g. after a rule is added.
    """
    n = 0
    with db.session.begin() as s:
        for a in articles:
            for rule_id, ch in alert_rows(config, a):
                exists = s.scalar(select(AlertRow.id).where(AlertRow.article_id == a.id, AlertRow.channel_id == ch))
                if exists is None:
                    s.add(AlertRow(rule_id=rule_id, article_id=a.id, channel_id=ch, status="pending",
                                   attempts=0, created_at=utcnow()))
                    s.flush()
                    n += 1
    return n


def retry_delay(attempts: int) -> timedelta:
    """Back off 1, 2, 4 … minutes, at most 6 hours, so a mail outage is not hammered every crawl."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


@guarded
def deliver(db: Database, config: Config, channels: dict[str, Channel] | None = None,
            force: bool = False) -> dict[str, int]:
    """Send every pending alert that is due; returns counts of sent and failed.

    With ``force`` (``duluan alerts deliver``: the operator has just fixed the mail server)
    every unsent alert goes now, whatever its backoff, even one past ``alert_max_attempts``.
    """
    own = channels is None
    if channels is None:
        channels = {c.id: build_channel(c, config.settings) for c in config.alerts.channels}
    rules = {r.id: r for r in config.alerts.rules}
    sent = failed = 0
    try:
        with db.session() as s:
            q = select(AlertRow).where(AlertRow.status == "pending").order_by(AlertRow.id)
            if not force:
                q = q.where(AlertRow.attempts < config.settings.alert_max_attempts,
                            or_(AlertRow.next_attempt_at.is_(None), AlertRow.next_attempt_at <= utcnow()))
            pending = list(s.scalars(q))
        for row in pending:
            error = None
            try:
                channel, message = _resolve(db, config, rules, channels, row)
                channel.send(message)
            except ChannelError as e:
                error = str(e)
            with db.session.begin() as s:
                r = s.get(AlertRow, row.id)
                r.attempts += 1
                if error is None:
                    r.status, r.sent_at, r.last_error = "sent", utcnow(), None
                    sent += 1
                else:
                    r.last_error = error
                    r.next_attempt_at = utcnow() + retry_delay(r.attempts)
                    failed += 1
                    log.info("alert_failed", alert=row.id, channel=row.channel_id, error=error)
        if failed:
            log.warning("alerts_not_delivered", failed=failed, sent=sent, hint="duluan alerts status")
    finally:
        if own:
            for c in channels.values():
                c.close()
    return {"sent": sent, "failed": failed}


def _resolve(db: Database, config: Config, rules: dict, channels: dict[str, Channel],
             row: AlertRow) -> tuple[Channel, AlertMessage]:
    """The channel and the message of one queued alert, or ``ChannelError`` saying what is missing.

    Article alerts are built from their rule and article now, with a link to the
    article's case once there is one; the other kinds (a routed case, a reminder, an
    escalation, a digest, a report deadline) carry their text and, for recipients that
    are not configured channels (``agency:…``, ``user:…``), their addresses in ``payload``.
    """
    payload = row.payload or {}
    channel = channels.get(row.channel_id)
    if channel is None and payload.get("to"):
        channel = SmtpChannel(row.channel_id, list(payload["to"]), config.settings.smtp.effective())
        channels[row.channel_id] = channel  # closed with the others
    if channel is None:
        raise ChannelError("missing channel")
    if (row.kind or "article") != "article":
        return channel, AlertMessage(row.rule_id, row.article_id or "", payload.get("subject", row.rule_id),
                                     payload.get("text", ""), {k: v for k, v in payload.items() if k != "to"})
    article = get_article(db, row.article_id) if row.article_id else None
    rule = rules.get(row.rule_id)
    if article is None or rule is None:
        raise ChannelError(f"missing {'article' if article is None else 'rule'}")
    return channel, build_message(rule, article, config.settings.web_base_url, case_of(db, article.id))


def case_of(db: Database, article_id: str) -> int | None:
    """The newest case opened on an article, if any (alerts link to it)."""
    with db.session() as s:
        return s.scalar(select(CaseRow.id).where(CaseRow.article_id == article_id).order_by(CaseRow.id.desc()).limit(1))


@guarded
def undelivered(db: Database) -> list[dict]:
    """Alerts not sent yet, oldest first, with their attempts and last error."""
    with db.session() as s:
        rows = list(s.scalars(select(AlertRow).where(AlertRow.status != "sent").order_by(AlertRow.id)))
    return [{"id": r.id, "rule": r.rule_id, "kind": r.kind, "article": r.article_id, "case": r.case_id,
             "channel": r.channel_id, "attempts": r.attempts, "last_error": r.last_error} for r in rows]
