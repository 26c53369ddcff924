"""Snippets with highlights cut from the original text, found through its two search forms.

Both backends render snippets here from the hits' stored text: ``match_spans`` applies the
query's words as the index does (marked words on ``query.mark_text``, unmarked ones on
``query.search_text``), both of which have the length of ``text``, so a span is an offset
into the original.
"""

from __future__ import annotations

import re

from . import query as q

Span = tuple[int, int]
MARK = ("«", "»")


def _tokens(text: str) -> tuple[list[Span], list[str], list[str]]:
    folded, marked = q.search_text(text), q.mark_text(text)
    spans = [m.span() for m in re.finditer(r"\S+", folded)]
    return spans, [folded[s:e] for s, e in spans], [marked[s:e] for s, e in spans]


def _word_matches(word: str, marked: bool, prefix: bool, f: str, c: str) -> bool:
    token = c if marked else f
    return token.startswith(word) if prefix else token == word


def match_spans(text: str, terms: list[q.Term | q.Phrase]) -> list[Span]:
    """Where the terms match ``text`` (word by word, as the index matches), sorted."""
    spans, fs, cs = _tokens(text or "")
    out: set[Span] = set()
    for t in terms:
        if isinstance(t, q.Term):
            out.update(spans[i] for i in range(len(spans)) if _word_matches(t.text, t.marked, t.prefix, fs[i], cs[i]))
            continue
        n, marks = len(t.words), t.marks()
        for i in range(len(spans) - n + 1):
            if all(_word_matches(t.words[k], marks[k], False, fs[i + k], cs[i + k]) for k in range(n)):
                out.add((spans[i][0], spans[i + n - 1][1]))
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
