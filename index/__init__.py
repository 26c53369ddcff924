"""Search: the ``SearchIndex`` interface, its query language and its backends."""

from .base import SearchHit, SearchIndex, SearchResult

__all__ = ["SearchHit", "SearchIndex", "SearchResult"]
