"""The labelled corpus in ``classifiers/data/``: loading, splits and conversion to ``Article``.

``corpus.jsonl`` holds train/dev/test (a ``split`` field; built by
``datagen.build``); ``heldout.jsonl`` is the unseen check, written by hand in
other styles (``datagen.heldout``) and never used for training or tuning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from duluan.records import Article

from . import SourceContext

DATA_DIR = Path(__file__).resolve().parent / "data"
SPLITS = ("train", "dev", "test", "heldout")


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


def load_split(split: str, data_dir: Path = DATA_DIR) -> list[Item]:
    """Items of one split: ``train``, ``dev``, ``test`` or ``heldout``."""
    if split not in SPLITS:
        raise ValueError(f"tập dữ liệu không hợp lệ / unknown split {split!r}: dùng / use {', '.join(SPLITS)}")
    if split == "heldout":
        return [Item(r) for r in read_jsonl(data_dir / "heldout.jsonl")]
    return [Item(r) for r in read_jsonl(data_dir / "corpus.jsonl") if r["split"] == split]
