"""Claims are followed across outlets (issue #12): a claim knows which field of the stored text
it spans, and each of its appearances elsewhere is a row with its link decision and re-check status.

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("claims") as b:
        b.add_column(sa.Column("field", sa.String(5)))
    op.create_table(
        "appearances",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id", name="fk_appearances_claim", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("article_id", sa.String(40), sa.ForeignKey("articles.id", name="fk_appearances_article"),
                  nullable=False, index=True),
        sa.Column("link", sa.String(10), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("passage", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("status", sa.String(12)),
        sa.Column("checked_at", TZ),
        sa.Column("changed_at", TZ),
        sa.Column("diff", sa.Text),
        sa.Column("last_sha256", sa.String(64)),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ux_appearances_claim_article", "appearances", ["claim_id", "article_id"], unique=True)


def downgrade() -> None:
    op.drop_table("appearances")
    with op.batch_alter_table("claims") as b:
        b.drop_column("field")
