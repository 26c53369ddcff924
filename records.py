"""Typed records that flow between stages: crawlers → pipeline → classifiers → index.

Each stage takes and returns these plain dataclasses, so every stage can be
tested alone and run in a batch (see DESIGN.md, "Data flow").
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

# Kinds of crawl failure recorded per source (issue #4).
ERROR_KINDS = (
    "http_status",
    "timeout",
    "network",
    "too_large",
    "redirect_loop",
    "too_many_redirects",
    "forbidden_address",
    "robots",
    "parse",
    "encoding",
    "extract",
    "pipeline",  # storing or classifying one item failed; the run went on
)


# Who publishes a source: the press at home, the press abroad, or the government's own
# portals and channels (official items are stored and searched, never flagged distorted).
SOURCE_KINDS = ("domestic", "foreign", "official")


@dataclass(frozen=True)
class SourceContext:
    """What the classifiers know of an article's source besides its text."""

    kind: str = "domestic"  # one of SOURCE_KINDS
    fabrication_record: bool = False
    syndication: int = 1  # how many outlets carry the same story


def article_id(canonical_url: str) -> str:
    """Stable article id: the first 20 hex digits of SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Link:
    """An article URL discovered in a feed, sitemap or section page."""

    url: str
    source_id: str
    via: str  # feed | sitemap | section
    title: str | None = None
    published: datetime | None = None
    summary: str | None = None


@dataclass(frozen=True)
class RawPage:
    """A fetched HTTP response, bytes untouched (kept as evidence)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    source_id: str
    link: Link | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class CrawlError:
    source: str
    url: str
    kind: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Mention:
    """One place in the text that refers to a monitored province."""

    province: str
    text: str
    start: int
    end: int
    rule: str  # which gazetteer entry, NER or model fired
    # Offsets index the stored NFC ``title`` or ``body`` named by ``field`` (issue #13).
    field: str = "body"
    relevance: str = "body"  # headline | lead | body | list | constituency


@dataclass(frozen=True)
class Evidence:
    """Why an item was flagged: a signal, the exact span and a Vietnamese explanation."""

    signal: str
    text: str
    start: int
    end: int
    explanation: str
    field: str = "body"  # offsets index the stored NFC ``title`` or ``body`` (issue #13)


@dataclass
class Classification:
    provinces: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    sentiment: str | None = None  # positive | neutral | negative | None (no province)
    distorted: bool = False
    distortion_score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    topic: str | None = None
    agencies: list[str] = field(default_factory=list)
    severity: float = 0.0

    @property
    def flagged(self) -> bool:
        return self.distorted or (self.sentiment == "negative" and self.severity >= 0.6)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["flagged"] = self.flagged
        return d


@dataclass
class Article:
    """An extracted, normalised article; ``text`` offsets are into ``title + "\\n\\n" + body``."""

    id: str
    url: str
    source: str
    source_kind: str  # one of SOURCE_KINDS: domestic | foreign | official
    language: str
    title: str
    body: str
    published: datetime | None = None
    fetched_at: datetime | None = None
    raw_sha256: str | None = None
    cluster_id: str | None = None
    classification: Classification | None = None

    @property
    def text(self) -> str:
        return f"{self.title}\n\n{self.body}"

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "source_kind": self.source_kind,
            "language": self.language,
            "title": self.title,
            "body": self.body,
            "published": self.published.isoformat() if self.published else None,
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
            "raw_sha256": self.raw_sha256,
            "cluster_id": self.cluster_id,
        }
        d.update((self.classification or Classification()).to_dict())
        return d
