"""Index writes through the outbox: the record first, the index when it can (issue #6 extends)."""

from __future__ import annotations

from collections.abc import Iterable

from duluan.store import Database
from duluan.store.articles import get_articles

from .base import SearchIndex


class IndexWriter:
    def __init__(self, db: Database, index: SearchIndex):
        self.db, self.index = db, index

    def upsert(self, article_ids: Iterable[str]) -> int:
        """Index the stored articles with these ids; returns how many the index took."""
        ids = list(article_ids)
        return self.index.upsert(get_articles(self.db, ids)) if ids else 0


def replay_pending(db: Database, index: SearchIndex) -> int:
    """Flush index writes left in the outbox by an earlier outage (no-op until the outbox lands)."""
    return 0
