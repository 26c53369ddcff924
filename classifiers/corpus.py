"""The labelled corpus in ``classifiers/data/``: loading, splits and conversion to ``Article``.

``corpus.jsonl`` holds train/dev/test (a ``split`` field; built by
``datagen.build``); ``heldout.jsonl`` is the unseen check, written by hand in
other styles (``datagen.heldout``) and never used for training or tuning.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from duluan.records import Article
from duluan.mirror import ROOT as MIRROR_ROOT

from . import SourceContext

DATA_DIR = Path(__file__).resolve().parent / "data"
MIRROR_DIR = MIRROR_ROOT
SPLITS = ("train", "dev", "test", "heldout", "mirror-a", "mirror-b")
# Gold labels of the press mirror → sentiment toward the province.
MIRROR_SENTIMENT = {"positive": "positive", "neutral": "neutral", "critical": "negative", "distorted": "negative"}


@dataclass
class Item:
    """One labelled article and its gold labels."""

    raw: dict

    @property
    def id(self) -> str:
        return self.raw["id"]

    @property
    def provinces(self) -> list[str]:
        return list(self.raw.get("provinces") or [])

    @property
    def sentiment(self) -> str | None:
        return self.raw.get("sentiment")

    @property
    def topic(self) -> str | None:
        return self.raw.get("topic")

    @property
    def distorted(self) -> bool:
        return bool(self.raw.get("distorted"))

    @property
    def factual_critical(self) -> bool:
        return bool(self.raw.get("factual_critical"))

    @property
    def negative_of(self) -> str | None:
        return self.raw.get("negative_of")

    def article(self) -> Article:
        r = self.raw
        pub = datetime.fromisoformat(r["published"]) if r.get("published") else None
        return Article(id=r["id"], url=r.get("url", ""), source=r.get("source", ""),
                       source_kind=r.get("source_kind", "domestic"), language=r.get("language", "vi"),
                       title=r["title"], body=r["body"], published=pub)

    def context(self) -> SourceContext:
        r = self.raw
        return SourceContext(kind=r.get("source_kind", "domestic"),
                             fabrication_record=bool(r.get("fabrication_record")),
                             syndication=int(r.get("syndication", 1)))


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def mirror_half(entries: list[dict], half: str) -> list[dict]:
    """Deterministic half of the press-mirror manifest, by ``path``: ``a`` (sha256 even) or ``b`` (odd).

    Half A may be used for error analysis; half B is the blind test and must not be
    looked at while tuning.
    """
    if half not in ("a", "b"):
        raise ValueError(f"half must be 'a' or 'b' (got {half!r})")
    want = 0 if half == "a" else 1
    return [e for e in entries if int(hashlib.sha256(e["path"].encode()).hexdigest(), 16) % 2 == want]


def load_mirror(half: str, mirror_dir: Path = MIRROR_DIR) -> list[Item]:
    """Items of one half of the offline press mirror (text = title + blank line + gold body)."""
    import yaml

    entries = json.loads((mirror_dir / "manifest.json").read_text(encoding="utf-8"))
    sources = yaml.safe_load((mirror_dir / "sources.yaml").read_text(encoding="utf-8")).get("sources") or []
    by_id = {s["id"]: s for s in sources}
    items = []
    for e in mirror_half(entries, half):
        src = by_id.get(e["outlet"], {})
        label = e.get("label")
        items.append(Item({
            "id": e["path"], "url": e["path"], "source": e["outlet"],
            "source_kind": src.get("kind", "domestic"), "language": e.get("language", "vi"),
            "published": e.get("published"), "title": e["title"], "body": e["gold_body"],
            "provinces": list(e.get("provinces") or []),
            "sentiment": MIRROR_SENTIMENT.get(label) if e.get("provinces") else None,
            "topic": None, "distorted": label == "distorted", "factual_critical": label == "critical",
            "negative_of": None, "fabrication_record": bool(src.get("fabrication_record", False)),
            "syndication": 1,
        }))
    return items


def load_split(split: str, data_dir: Path = DATA_DIR) -> list[Item]:
    """Items of one split: ``train``, ``dev``, ``test``, ``heldout``, ``mirror-a`` or ``mirror-b``."""
    if split not in SPLITS:
        raise ValueError(f"tập dữ liệu không hợp lệ / unknown split {split!r}: dùng / use {', '.join(SPLITS)}")
    if split.startswith("mirror-"):
        return load_mirror(split[-1])
    if split == "heldout":
        return [Item(r) for r in read_jsonl(data_dir / "heldout.jsonl")]
    return [Item(r) for r in read_jsonl(data_dir / "corpus.jsonl") if r["split"] == split]
