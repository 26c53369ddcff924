"""The analysts' decisions as labelled data for ``duluan train`` (DESIGN.md: triage feeds training).

One JSON line per triaged article, with the fields of a ``classifiers/data/corpus.jsonl``
line (so ``classifiers.corpus.Item`` reads it unchanged) plus the decision:

- ``split`` is ``"feedback"`` and ``style`` is ``"analyst"``, so a trainer adds them
  on purpose and evaluation can compare with and without them;
- ``distorted``: a confirmed flag keeps the model's distortion verdict, a dismissal
  makes it false (the analyst says the item is not distorted);
- ``sentiment``: the model's value when confirmed; ``None`` when dismissed (a
  dismissal disputes the flag, not necessarily the tone), except that a dismissed
  negative item stays negative and is marked ``factual_critical`` (true but critical);
- ``topic`` and ``provinces``: the analyst's overrides when given, else the model's;
  ``topic_label`` says which (``analyst`` or ``model``);
- ``decision``, ``reason``, ``decided_by``, ``decided_at``: the decision itself.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from duluan.store import Database
from duluan.store.db import as_utc, guarded
from duluan.store.schema import ArticleRow
from duluan.text import has_diacritics

from .triage import all_decisions


def item(row: ArticleRow, d: dict) -> dict:
    confirmed = d["decision"] == "confirm"
    sentiment = row.sentiment if confirmed or row.sentiment == "negative" else None
    published = as_utc(row.published)
    return {
        "id": row.id, "split": "feedback", "style": "analyst", "language": row.language,
        "source_kind": row.source_kind, "source": row.source, "url": row.url,
        "published": published.isoformat() if published else None, "title": row.title, "body": row.body,
        "provinces": [d["province"]] if d.get("province") else list(row.provinces or []),
        "sentiment": sentiment, "topic": d.get("topic") or row.topic,
        "distorted": bool(row.distorted) if confirmed else False,
        "factual_critical": (not confirmed) and row.sentiment == "negative",
        "hard_negative": False, "negative_of": None,
        "no_diacritics": not has_diacritics(f"{row.title} {row.body}"),
        "fabrication_record": False, "syndication": 1,
        "topic_label": "analyst" if d.get("topic") else "model",
        "decision": d["decision"], "reason": d["reason"], "decided_by": d["actor"], "decided_at": d["at"],
    }


@guarded
def items(db: Database) -> list[dict]:
    decisions = all_decisions(db)
    out = []
    with db.session() as s:
        ids = sorted(decisions)
        for i in range(0, len(ids), 500):
            for row in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids[i:i + 500])).order_by(ArticleRow.id)):
                out.append(item(row, decisions[row.id]))
    return out


def export(db: Database, out: Path) -> int:
    """Write the labelled items to ``out`` (JSONL, UTF-8); returns how many."""
    rows = items(db)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)
