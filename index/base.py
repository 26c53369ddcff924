"""The ``SearchIndex`` interface: one query model, several backends (SQLite FTS5, Elasticsearch)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from duluan.records import Article


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    snippet: str
    url: str
    source: str
    published: str | None
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[SearchHit] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"total": self.total, "hits": [h.to_dict() for h in self.hits]}


FACETS = ("province", "kind", "sentiment", "topic", "month")  # month: YYYY-MM of publication, UTC
SORTS = ("relevance", "newest")


class SearchIndex(ABC):
    """A derived, rebuildable search index over articles. Writes are idempotent by article id."""

    name: str = "base"

    @abstractmethod
    def upsert(self, articles: Iterable[Article]) -> int:
        """Index or re-index articles; returns how many were written."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> None: ...

    @abstractmethod
    def search(self, query: str, limit: int = 20, offset: int = 0, sort: str = "relevance") -> SearchResult:
        """Run a query in duluan's query language; raises ``QueryError`` on a malformed query.

        ``sort``: ``relevance`` (filter-only queries come newest first) or ``newest``.
        """

    def facets(self, query: str = "", size: int = 10) -> dict[str, dict[str, int]]:
        """Counts of the query's matches by each of ``FACETS``, the ``size`` largest of each."""
        raise NotImplementedError(f"{self.name}: no facets")

    @abstractmethod
    def count(self) -> int:
        """Documents in the index."""

    @abstractmethod
    def ids(self) -> set[str]:
        """Ids of every document in the index (to compare with the record)."""

    @abstractmethod
    def reindex(self, articles: Iterable[Article]) -> dict:
        """Rebuild the whole index from ``articles``; returns at least ``{"written": n}``."""

    @abstractmethod
    def status(self) -> dict:
        """``backend``, ``documents`` and what else the backend can tell; raises ``IndexError_`` when down."""

    def warm(self) -> None:  # noqa: B027 — optional for backends that keep nothing in memory
        """Load what the first search would (SQLite's doc values), so that it need not wait."""

    @property
    def outbox_target(self) -> str:
        """The outbox name of this index (one per backend and index, e.g. ``es:<alias>``)."""
        return self.name

    def close(self) -> None:  # noqa: B027 — optional for backends holding nothing
        pass

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
