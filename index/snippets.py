"""Snippets with highlights cut from the original text, found through the folded text.

Both backends render snippets with ``window``: SQLite finds the match spans here with
``match_spans``; Elasticsearch takes them from its highlighter (``index/elasticsearch.py``).
Spans are offsets into ``query.search_text(text)``, which has the length of ``text``.
"""

from __future__ import annotations

import re

from . import query as q

Span = tuple[int, int]
MARK = ("«", "»")


def _patterns(terms: list[q.Term | q.Phrase]) -> list[re.Pattern[str]]:
    out = []
    for t in terms:
        if isinstance(t, q.Term):
            out.append(re.compile(r"\b" + re.escape(t.text) + (r"\w*" if t.prefix else r"\b")))
        else:
            out.append(re.compile(r"\b" + r"\W+".join(re.escape(w) for w in t.words) + r"\b"))
    return out


def match_spans(text: str, terms: list[q.Term | q.Phrase]) -> list[Span]:
    """Where the terms match ``text`` (folded), sorted."""
    folded = q.search_text(text)
    return sorted({m.span() for p in _patterns(terms) for m in p.finditer(folded)})


def _merge(text: str, spans: list[Span]) -> list[Span]:
    """Join spans parted only by spaces, so «Hải Phòng» reads as the name, not «Hải» «Phòng»."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and (s <= out[-1][1] or text[out[-1][1]:s].strip(" \t\u00a0") == ""):
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def window(text: str, spans: list[Span], width: int = 220, mark: tuple[str, str] = MARK) -> str:
    """A window of ``text`` around the first span, spans wrapped in ``mark``."""
    text = text or ""
    spans = _merge(text, spans)
    if not spans:
        return text[:width].strip() + ("…" if len(text) > width else "")
    start = max(0, spans[0][0] - width // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    out, cur = [], start
    for s, e in spans:
        if s < cur or e > end:
            continue
        out += [text[cur:s], mark[0], text[s:e], mark[1]]
        cur = e
    out.append(text[cur:end])
    return ("…" if start else "") + "".join(out).strip() + ("…" if end < len(text) else "")


def snippet(text: str, terms: list[q.Term | q.Phrase], width: int = 220, mark: tuple[str, str] = MARK) -> str:
    """A window of ``text`` around the first match, matches wrapped in ``mark``."""
    return window(text, match_spans(text or "", terms), width, mark)
