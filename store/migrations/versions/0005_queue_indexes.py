"""The triage queue reads 50 rows, not every flagged one (issue #11): an index in the queue's order
(flagged, then worst first) and one that finds an article's newest triage decision.

Revision ID: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_queue", "articles", ["flagged", "severity", "published", "id"])
    op.create_index("ix_triage_article_latest", "triage_decisions", ["article_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_triage_article_latest", table_name="triage_decisions")
    op.drop_index("ix_articles_queue", table_name="articles")
