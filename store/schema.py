"""Tables of the record. The search index is derived from these and can be rebuilt.

The migrations in ``migrations/versions`` create and alter these tables; a change here
needs a new revision there (``tests/test_migrations.py`` compares the two).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(100), index=True)
    source_kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    cluster_id: Mapped[str | None] = mapped_column(String(40), index=True)
    # classifier results (issue #5 fills them properly)
    provinces: Mapped[list] = mapped_column(JSON, default=list)
    mentions: Mapped[list] = mapped_column(JSON, default=list)
    sentiment: Mapped[str | None] = mapped_column(String(10))
    distorted: Mapped[bool] = mapped_column(Boolean, default=False)
    distortion_score: Mapped[float] = mapped_column(Float, default=0.0)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    topic: Mapped[str | None] = mapped_column(String(40))
    agencies: Mapped[list] = mapped_column(JSON, default=list)
    severity: Mapped[float] = mapped_column(Float, default=0.0)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    # the triage queue's order, read backwards: worst first without sorting every flagged row
    __table_args__ = (Index("ix_articles_queue", "flagged", "severity", "published", "id"),)


class PageRow(Base):
    """Evidence: the raw bytes of one fetch of an article page, compressed, with its hash."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("articles.id", name="fk_pages_article", ondelete="SET NULL"), index=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    headers: Mapped[dict] = mapped_column(JSON)
    body_gz: Mapped[bytes] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FetchStateRow(Base):
    """Conditional-GET state per URL (feeds, sitemaps, sections and articles)."""

    __tablename__ = "fetch_state"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_fetched: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CrawlErrorRow(Base):
    __tablename__ = "crawl_errors"
    __table_args__ = (Index("ix_crawl_errors_source_url", "source", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class CrawlRunRow(Base):
    """One crawl of one source: what it fetched and what failed (source health)."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    not_modified: Mapped[int] = mapped_column(Integer, default=0)
    new_articles: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)


class OutboxRow(Base):
    """Pending index writes, replayed until the search backend has them (issue #6)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_target_article", "target", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "elasticsearch"
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete
    article_id: Mapped[str] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertRow(Base):
    """One alert to deliver, for one channel (an outbox of its own).

    ``kind`` says what it is about: ``article`` (a rule fired on an article), ``routed``
    (a case reached its agency), ``reminder`` and ``escalation`` (a case's due date),
    ``digest`` (the day's alerts for one recipient; no article) and ``report`` (a
    periodic report is due). Non-article kinds carry their text in ``payload``.
    """

    __tablename__ = "alerts"
    __table_args__ = (Index("ux_alerts_article_channel_kind", "article_id", "channel_id", "kind", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    article_id: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("articles.id", name="fk_alerts_article", ondelete="CASCADE"), index=True)
    channel_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="article", server_default="article")
    case_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("cases.id", name="fk_alerts_case", ondelete="SET NULL"), index=True)
    payload: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending | sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# -- cases (issue #10) ---------------------------------------------------------


class UserRow(Base):
    """A person who acts in duluan; ``cases/policy.py`` says what each role may do."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # analyst | agency | approver | viewer | admin
    agency_id: Mapped[str | None] = mapped_column(String(60))
    topics: Mapped[list] = mapped_column(JSON, default=list)  # viewer: topics beyond their alert rules
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, never the password
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TriageRow(Base):
    """An analyst's decision on a flag; the newest row per article is what every view shows.

    Kept apart from the article's classifier columns so re-classification never erases it.
    """

    __tablename__ = "triage_decisions"
    __table_args__ = (Index("ix_triage_article_latest", "article_id", "id"),)  # an article's newest decision

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("articles.id", name="fk_triage_article", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(10))  # confirm | dismiss
    reason: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(40))
    province: Mapped[str | None] = mapped_column(String(40))
    agency_id: Mapped[str | None] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseRow(Base):
    """One case: an article on its way to a published clarification (``cases/workflow.py``)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("articles.id", name="fk_cases_article"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    topic: Mapped[str | None] = mapped_column(String(40))
    province: Mapped[str | None] = mapped_column(String(40))
    severity: Mapped[float] = mapped_column(Float, default=0.0)
    agency_id: Mapped[str | None] = mapped_column(String(60), index=True)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(30))
    notice_number: Mapped[str | None] = mapped_column(String(60))
    notice_lang: Mapped[str | None] = mapped_column(String(2))
    notice_sha256: Mapped[str | None] = mapped_column(String(64))
    notice_docx: Mapped[bytes | None] = mapped_column(LargeBinary)
    comment: Mapped[str | None] = mapped_column(Text)  # the approver's last comment
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ClaimRow(Base):
    """A claim of the article the notice answers, with the facts that answer it."""

    __tablename__ = "claims"
    __table_args__ = (Index("ux_claims_case_seq", "case_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(Integer, ForeignKey("cases.id", name="fk_claims_case", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    field: Mapped[str | None] = mapped_column(String(5))  # title | body: what start/end index


class AppearanceRow(Base):
    """Where a claim appears: the case's own article first, then copies and rewrites elsewhere.

    ``link`` is suggested, confirmed or rejected (by the thresholds, then an analyst);
    ``status`` is the last re-check: unchanged, corrected, removed or unreachable.
    """

    __tablename__ = "appearances"
    __table_args__ = (Index("ux_appearances_claim_article", "claim_id", "article_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("claims.id", name="fk_appearances_claim", ondelete="CASCADE"), index=True)
    article_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("articles.id", name="fk_appearances_article"), index=True)
    link: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(20))  # origin | copy | near_copy | rewrite
    passage: Mapped[str] = mapped_column(Text)  # the paragraph that carries the claim, when found
    decided_by: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str | None] = mapped_column(String(12))
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    diff: Mapped[str | None] = mapped_column(Text)
    last_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseEventRow(Base):
    """The audit trail: one row per view or action, chained by hash (``cases/audit.py``)."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ux_case_events_case_seq", "case_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(Integer, ForeignKey("cases.id", name="fk_case_events_case"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
