"""Snippets with highlights cut from the original text, found through its two search forms.

Both backends render snippets here from the hits' stored text: ``match_spans`` applies the
query's words as the index does (marked words on ``query.mark_text``, unmarked ones on
``query.search_text``), both of which have the length of ``text``, so a span is an offset
into the original.
"""

from __future__ import annotations

import re

from duluan.text import fold

from . import query as q

Span = tuple[int, int]
MARK = ("«", "»")


def _pattern(words: tuple[str, ...], prefix: bool = False) -> re.Pattern[str]:
    # Both search forms are words parted by spaces, so a word is what spaces (or the ends) bound.
    tail = r"\S*" if prefix else ""
    return re.compile(r"(?<!\S)" + r"\s+".join(map(re.escape, words)) + tail + r"(?!\S)")


def match_spans(text: str, terms: list[q.Term | q.Phrase]) -> list[Span]:
    """Where the terms match ``text`` (word by word, as the index matches), sorted.

    The folded and the canonical forms have the length of ``text`` and spaces at the same
    places, so a match in either is a span of the original.  A phrase mixing marked and
    unmarked words is found on the folded form, then its marked words checked on the other.
    """
    text = text or ""
    folded = q.search_text(text)
    marked = q.mark_text(text) if any(t.marked if isinstance(t, q.Term) else t.any_marked for t in terms) else ""
    out: set[Span] = set()
    for t in terms:
        if isinstance(t, q.Term):
            stream, word = (marked, t.text) if t.marked else (folded, t.text)
            out.update(m.span() for m in _pattern((word,), t.prefix).finditer(stream))
            continue
        marks = t.marks()
        if all(marks):
            out.update(m.span() for m in _pattern(t.words).finditer(marked))
            continue
        plain = tuple(w if not m else fold(w) for w, m in zip(t.words, marks))
        for m in _pattern(plain).finditer(folded):
            got = marked[m.start():m.end()].split()
            if all(g == w for g, w, k in zip(got, t.words, marks) if k):
                out.add(m.span())
    return sorted(out)


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
