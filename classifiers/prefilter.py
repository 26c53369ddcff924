"""Regular expressions tried only where one of their literal heads occurs (issue #13, speed).

``re`` tries a pattern at every position of the text unless the pattern starts with a
literal; a pattern whose alternatives open with groups or a lookbehind
(``(?<![\\w])(?:vi sao .* im lang|...)``, the attribution patterns of ``distortion.py``)
cost 0.1–0.6 ms each on a 2,700-character article.  ``heads`` reads from the parsed pattern
the literal strings one of which every match starts with ("theo ", "ket luan", "vi sao ");
``PatternSet`` finds those with one Aho-Corasick pass (``ahocorasick_rs``; a trie regex
scanned for them at ~50 ns a character) and tries each pattern only there.  The matches are exactly the pattern's own
``finditer`` (tests/test_classifiers_prefilter.py).
A pattern with no such heads (an alternative starts with ``\\w`` or ``.``) is run as it is.
"""

from __future__ import annotations

import re

try:  # Python ≥ 3.11
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

import ahocorasick_rs

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


class PatternSet:
    """Several patterns over one text, each tried only where one of its heads occurs (``find_all``)."""

    def __init__(self, patterns: dict[str, re.Pattern[str]]):
        self.patterns = dict(patterns)
        self.heads = {name: heads(rx) for name, rx in self.patterns.items()}
        # One automaton over every head, run once for all the patterns (one scan per pattern cost
        # more than the patterns saved); each occurrence names the patterns that own its head.
        self._heads = sorted({h for hs in self.heads.values() if hs for h in hs})
        self._owners = [tuple(n for n, hs in self.heads.items() if hs and h in hs) for h in self._heads]
        self._scan = ahocorasick_rs.AhoCorasick(self._heads, implementation=ahocorasick_rs.Implementation.DFA) \
            if self._heads else None

    def find_all(self, text: str, ends: dict[str, int] | None = None) -> dict[str, list[re.Match[str]]]:
        """Name → the matches of ``pattern.finditer(text, 0, ends.get(name, len(text)))``."""
        ends = ends or {}
        end_of = {name: min(ends.get(name, len(text)), len(text)) for name in self.patterns}
        out: dict[str, list[re.Match[str]]] = {name: [] for name in self.patterns}
        for name, hs in self.heads.items():
            if hs is None:
                out[name] = list(self.patterns[name].finditer(text, 0, end_of[name]))
        if self._scan is None:
            return out
        end = max(end_of.values())
        # Where a head occurs (whole, before ``end``), in order; the patterns that own it are tried
        # there.  A pattern owning two heads at one place is tried again only when it failed there
        # (and fails again): a match moves its ``free`` past the place.  (A set of owners per place
        # cost more than the tries it saved, issue #13, speed.)
        found = sorted((a, k) for k, a, b in self._scan.find_matches_as_indexes(text, overlapping=True) if b <= end)
        free = dict.fromkeys(self.patterns, 0)  # where each pattern's next match may start
        patterns, owners = self.patterns, self._owners
        for p, k in found:
            for name in owners[k]:
                if p >= free[name] and (m := patterns[name].match(text, p, end_of[name])) is not None:
                    out[name].append(m)  # never empty: it starts with a head
                    free[name] = m.end()
        return out
