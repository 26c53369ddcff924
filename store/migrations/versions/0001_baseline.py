"""Baseline: the schema of release 0.1 (issues #3–#6), frozen here as it was.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("source", sa.String(100), nullable=False, index=True),
        sa.Column("source_kind", sa.String(20), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("published", TZ, index=True),
        sa.Column("fetched_at", TZ),
        sa.Column("raw_sha256", sa.String(64)),
        sa.Column("cluster_id", sa.String(40), index=True),
        sa.Column("provinces", sa.JSON, nullable=False),
        sa.Column("mentions", sa.JSON, nullable=False),
        sa.Column("sentiment", sa.String(10)),
        sa.Column("distorted", sa.Boolean, nullable=False),
        sa.Column("distortion_score", sa.Float, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("topic", sa.String(40)),
        sa.Column("agencies", sa.JSON, nullable=False),
        sa.Column("severity", sa.Float, nullable=False),
        sa.Column("flagged", sa.Boolean, nullable=False, index=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(40), index=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("final_url", sa.Text, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("body_gz", sa.LargeBinary, nullable=False),
        sa.Column("fetched_at", TZ, nullable=False),
    )
    op.create_table(
        "fetch_state",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_fetched", TZ),
    )
    op.create_table(
        "crawl_errors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("first_at", TZ, nullable=False),
        sa.Column("last_at", TZ, nullable=False),
        sa.Column("resolved", sa.Boolean, nullable=False),
    )
    op.create_index("ix_crawl_errors_source_url", "crawl_errors", ["source", "url"])
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(100), nullable=False, index=True),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.Column("fetched", sa.Integer, nullable=False),
        sa.Column("not_modified", sa.Integer, nullable=False),
        sa.Column("new_articles", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("target", sa.String(40), nullable=False, index=True),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_outbox_target_article", "outbox", ["target", "article_id"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("rule_id", sa.String(100), nullable=False),
        sa.Column("article_id", sa.String(40), nullable=False, index=True),
        sa.Column("channel_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("sent_at", TZ),
        sa.Column("next_attempt_at", TZ),
    )
    op.create_index("ux_alerts_article_channel", "alerts", ["article_id", "channel_id"], unique=True)


def downgrade() -> None:
    for t in ("alerts", "outbox", "crawl_runs", "crawl_errors", "fetch_state", "pages", "articles"):
        op.drop_table(t)
