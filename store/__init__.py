"""The SQL record (SQLAlchemy 2): articles, evidence pages, crawl state and errors, the outbox."""

from .db import Database, open_database

__all__ = ["Database", "open_database"]
