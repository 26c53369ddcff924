"""A regular expression tried only where one of its literal heads occurs (issue #13, speed).

``re`` tries a pattern at every position of the text unless the pattern starts with a
literal or a set of literals; a pattern whose alternatives open with a group or a
lookbehind (``(?<![\\w])(?:vi sao .* im lang|...)``, the attribution patterns of
``distortion.py``) cost 0.1–0.6 ms each on a 2,700-character article.  ``Prefiltered``
reads from the parsed pattern the literal strings one of which every match starts with
("theo ", "ket luan", "vi sao "), finds them with one trie regex that ``re`` scans in C,
and tries the pattern only there.  Its ``finditer`` and ``search`` give exactly the
matches of the pattern's own (tests/test_classifiers_prefilter.py).  A pattern with no
such heads (one alternative starts with ``\\w`` or ``.``) is searched as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

try:  # Python ≥ 3.11
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

from .phrases import trie_pattern

_MAX_HEADS = 400  # past this many heads, stop lengthening them
_MAX_SET = 12  # a character set of at most this many literals branches the heads
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_REPEATS = tuple(op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op)


def _alts(op, av) -> list[tuple[str, bool]] | None:
    """What one parsed item can start with, as ``(literal, item fully read)``; None if unknown."""
    if op is _c.LITERAL:
        return [(chr(av), True)]
    if op is _c.IN and len(av) <= _MAX_SET and all(o is _c.LITERAL for o, _ in av):
        return [(chr(v), True) for _, v in av]
    if op is _c.SUBPATTERN:
        _group, add_flags, _del, sub = av
        return None if add_flags & _c.SRE_FLAG_IGNORECASE else _heads(list(sub))
    if op is _c.BRANCH:
        return [h for alt in av[1] for h in _heads(list(alt))]
    if op in _REPEATS and av[0] >= 1:
        return [(h, False) for h, _ in _heads(list(av[2]))]
    return None


def _heads(items) -> list[tuple[str, bool]]:
    out = [("", True)]
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # a lookaround consumes nothing: the literals after it still start the match
        alts = _alts(op, av)
        if alts is None:
            return [(h, False) for h, _ in out]
        grown = [(h + a, ac) if done else (h, False) for h, done in out for a, ac in (alts if done else [("", False)])]
        if len(grown) > _MAX_HEADS:
            return [(h, False) for h, _ in out]
        out = grown
        if not any(done for _, done in out):
            break
    return out


def heads(pattern: re.Pattern[str]) -> set[str] | None:
    """Literal strings one of which starts every match of ``pattern``; None when there are none."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    found = {h for h, _ in _heads(list(_parser.parse(pattern.pattern, pattern.flags)))}
    if "" in found:
        return None
    # A head that extends another finds nothing more.
    return {h for h in found if not any(h != g and h.startswith(g) for g in found)}


class Prefiltered:
    """``pattern`` with the same ``finditer`` and ``search``, tried only at its heads."""

    def __init__(self, pattern: re.Pattern[str] | str):
        self.pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        found = heads(self.pattern)
        self.heads = re.compile(trie_pattern(sorted(found))) if found else None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        if self.heads is None:
            yield from self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)
            return
        end = len(text) if endpos is None else endpos
        find, match = self.heads.search, self.pattern.match
        while (c := find(text, pos, end)) is not None:
            m = match(text, c.start(), end)
            if m is None:
                pos = c.start() + 1
                continue
            yield m  # never empty: it starts with a head
            pos = m.end()

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)
