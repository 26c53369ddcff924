"""Rows that point at an article say so: foreign keys from pages and alerts to articles.

A page kept before its article was saved (or whose article is gone) points at nothing,
so such dangling ids become NULL first; an alert without its article cannot be sent and
is dropped. Outbox rows keep plain ids: a ``delete`` row outlives its article on purpose.

Revision ID: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE pages SET article_id = NULL WHERE article_id IS NOT NULL "
               "AND article_id NOT IN (SELECT id FROM articles)")
    op.execute("DELETE FROM alerts WHERE article_id NOT IN (SELECT id FROM articles)")
    with op.batch_alter_table("pages") as b:
        b.create_foreign_key("fk_pages_article", "articles", ["article_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("alerts") as b:
        b.create_foreign_key("fk_alerts_article", "articles", ["article_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    with op.batch_alter_table("alerts") as b:
        b.drop_constraint("fk_alerts_article", type_="foreignkey")
    with op.batch_alter_table("pages") as b:
        b.drop_constraint("fk_pages_article", type_="foreignkey")
