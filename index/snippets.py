"""Snippets with highlights cut from the original text, found through the folded text."""

from __future__ import annotations

import re

from . import query as q
from .folding import fold


def _patterns(terms: list[q.Term | q.Phrase]) -> list[re.Pattern[str]]:
    out = []
    for t in terms:
        if isinstance(t, q.Term):
            out.append(re.compile(r"\b" + re.escape(t.text) + (r"\w*" if t.prefix else r"\b")))
        else:
            out.append(re.compile(r"\b" + r"\W+".join(re.escape(w) for w in t.words) + r"\b"))
    return out


def snippet(text: str, terms: list[q.Term | q.Phrase], width: int = 220, mark: tuple[str, str] = ("«", "»")) -> str:
    """A window of ``text`` around the first match, matches wrapped in ``mark``."""
    text = text or ""
    folded = fold(text)
    spans = sorted({m.span() for p in _patterns(terms) for m in p.finditer(folded)})
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
