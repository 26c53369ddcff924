"""Read articles from JSONL (one object a line) into records, with a clear error per bad line.

Used by ``duluan import`` and by the classifiers' ``classify``: it sits beside ``records``
so neither imports the other's package.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from duluan.records import SOURCE_KINDS, Article, SourceContext, article_id
from duluan.text import normalise

REQUIRED = ("url", "title", "body")


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"dòng / line {self.line}: {self.message}"


def _date(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"'published' must be an ISO 8601 string, got {value!r}")
    d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    # Vietnamese outlets publish in local time (UTC+7) when they give no offset.
    return d if d.tzinfo else d.replace(tzinfo=timezone(timedelta(hours=7)))


def parse_line(obj: dict) -> tuple[Article, SourceContext]:
    missing = [k for k in REQUIRED if not isinstance(obj.get(k), str)]
    if missing:
        raise ValueError(f"missing or non-text field(s): {', '.join(missing)}")
    kind = obj.get("source_kind") or "domestic"
    if kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind must be one of {', '.join(SOURCE_KINDS)}, got {kind!r}")
    url = obj["url"].strip()
    art = Article(
        id=str(obj.get("id") or article_id(url)),
        url=url,
        source=str(obj.get("source") or "import"),
        source_kind=kind,
        language=str(obj.get("language") or "vi"),
        title=normalise(obj["title"]).strip(),
        body=normalise(obj["body"]).strip(),
        published=_date(obj.get("published")),
        fetched_at=datetime.now(timezone.utc),
    )
    ctx = SourceContext(kind=kind, fabrication_record=bool(obj.get("fabrication_record", False)),
                        syndication=int(obj.get("syndication") or 1))
    return art, ctx


def read_jsonl(path: Path) -> Iterator[tuple[int, tuple[Article, SourceContext] | LineError]]:
    """Yield (line number, record or error); a bad line never stops the others."""
    with open(path, encoding="utf-8-sig") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
                if not isinstance(obj, dict):
                    raise ValueError("each line must be a JSON object")
                yield n, parse_line(obj)
            except (ValueError, json.JSONDecodeError) as e:
                yield n, LineError(n, str(e))
