"""Cases (issue #10): users, triage decisions, cases, their claims and audit trail;
alerts learn what they are about (``kind``), may point at a case, and may carry no article
(a digest).

Existing alerts are article alerts: ``kind`` defaults to ``article`` and the unique
index moves from (article, channel) to (article, channel, kind), which every existing
row already satisfies.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("agency_id", sa.String(60)),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("email", sa.String(200)),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "triage_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(40),
                  sa.ForeignKey("articles.id", name="fk_triage_article", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("topic", sa.String(40)),
        sa.Column("province", sa.String(40)),
        sa.Column("agency_id", sa.String(60)),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(40), sa.ForeignKey("articles.id", name="fk_cases_article"),
                  nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("topic", sa.String(40)),
        sa.Column("province", sa.String(40)),
        sa.Column("severity", sa.Float, nullable=False),
        sa.Column("agency_id", sa.String(60), index=True),
        sa.Column("due_at", TZ),
        sa.Column("opened_by", sa.String(100), nullable=False),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("published_at", TZ),
        sa.Column("closed_at", TZ),
        sa.Column("outcome", sa.String(30)),
        sa.Column("notice_number", sa.String(60)),
        sa.Column("notice_lang", sa.String(2)),
        sa.Column("notice_sha256", sa.String(64)),
        sa.Column("notice_docx", sa.LargeBinary),
        sa.Column("comment", sa.Text),
        sa.Column("reminded_at", TZ),
        sa.Column("escalated_at", TZ),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", name="fk_claims_case", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("evidence", sa.JSON, nullable=False),
    )
    op.create_index("ux_claims_case_seq", "claims", ["case_id", "seq"], unique=True)
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", name="fk_case_events_case"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("from_status", sa.String(20)),
        sa.Column("to_status", sa.String(20)),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ux_case_events_case_seq", "case_events", ["case_id", "seq"], unique=True)

    op.drop_index("ux_alerts_article_channel", table_name="alerts")
    with op.batch_alter_table("alerts") as b:
        b.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="article"))
        b.add_column(sa.Column("case_id", sa.Integer, nullable=True))
        b.add_column(sa.Column("payload", sa.JSON, nullable=True))
        b.alter_column("article_id", existing_type=sa.String(40), nullable=True)
        b.create_foreign_key("fk_alerts_case", "cases", ["case_id"], ["id"], ondelete="SET NULL")
        b.create_index("ix_alerts_case_id", ["case_id"])
    op.create_index("ux_alerts_article_channel_kind", "alerts", ["article_id", "channel_id", "kind"], unique=True)


def downgrade() -> None:
    op.execute("DELETE FROM alerts WHERE kind <> 'article' OR article_id IS NULL")
    op.drop_index("ux_alerts_article_channel_kind", table_name="alerts")
    with op.batch_alter_table("alerts") as b:
        b.drop_index("ix_alerts_case_id")
        b.drop_constraint("fk_alerts_case", type_="foreignkey")
        b.drop_column("payload")
        b.drop_column("case_id")
        b.drop_column("kind")
        b.alter_column("article_id", existing_type=sa.String(40), nullable=False)
    op.create_index("ux_alerts_article_channel", "alerts", ["article_id", "channel_id"], unique=True)
    for t in ("case_events", "claims", "cases", "triage_decisions", "users"):
        op.drop_table(t)
