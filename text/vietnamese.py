"""Three forms of Vietnamese text, all length-preserving on NFC input.

- ``normalise``: NFC, the form everything is stored in (input may arrive as NFD).
- ``canonical``: what the writer typed, diacritics kept, made comparable: lower
  case, Đ/Ð/ð unified to đ, and the old tone placement (*hoà*, *thuỷ*) moved to
  the new one (*hòa*, *thủy*).  Text with diacritics is matched in this form.
- ``fold``: lower case with every mark removed and đ → d.  Only text (or a query
  term) written without diacritics is matched in this form.

``canonical`` and ``fold`` map each character of NFC text to exactly one
character, so an offset in either form is the same offset in the stored text:
snippets, highlights and evidence spans are cut from the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

# Letters, not letter+mark: NFD does not decompose them, so folding must name them.
_FOLD_SPECIAL = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
                 "ß": "s", "æ": "a", "Æ": "a"}
# Ð (U+00D0, Icelandic eth) is what some legacy converters and keyboards emit for Đ.
_CANON_SPECIAL = {"Đ": "đ", "Ð": "đ", "ð": "đ"}

_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}


def normalise(text: str) -> str:
    """NFC, the form everything is stored in."""
    return unicodedata.normalize("NFC", text)


def is_normalised(text: str) -> bool:
    """``normalise(text) == text``, without making the copy (a quick check in C)."""
    return unicodedata.is_normalized("NFC", text)


@lru_cache(maxsize=8192)
def fold_char(c: str) -> str:
    if c.isascii():
        return c.lower()
    if c in _FOLD_SPECIAL:
        return _FOLD_SPECIAL[c]
    base = unicodedata.normalize("NFD", c)[0]
    if unicodedata.combining(base):
        return " "  # a stray combining mark separates nothing and matches nothing
    low = base.lower()
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    """Fold NFC ``text`` character by character (``len(fold(t)) == len(t)``)."""
    return _FOLD_MAP(text)


def fold_query(text: str) -> str:
    """Fold text typed by a user, whatever its normal form."""
    return fold(normalise(text))


def strip_diacritics(text: str) -> str:
    """Text as typed without a Vietnamese keyboard: marks and đ removed, case kept."""
    out = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").replace("Ð", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in out if not unicodedata.combining(c)))


@lru_cache(maxsize=8192)
def canonical_char(c: str) -> str:
    """Lower case, đ unified; marks kept.  One character in, one out."""
    if c.isascii():
        return c.lower()
    if c in _CANON_SPECIAL:
        return _CANON_SPECIAL[c]
    low = c.lower()
    return low if len(low) == 1 else c


def _tone_of(c: str) -> str:
    for m in unicodedata.normalize("NFD", c)[1:]:
        if m in _TONES:
            return m
    return ""


def _with_tone(c: str, tone: str) -> str:
    nfd = unicodedata.normalize("NFD", c)
    kept = "".join(m for m in nfd[1:] if m not in _TONES)
    return unicodedata.normalize("NFC", nfd[0] + kept + tone)


def _variants(base: str) -> str:
    return "".join(_with_tone(base, t) for t in _TONES)


# Open syllables ending in oa, oe, uy (not after q, where u belongs to the initial):
# the old placement puts the tone on the second vowel (hoà, hoè, thuỷ), the new on
# the first (hòa, hòe, thủy).  Closed syllables (hoàng, thuyền) agree in both.
_LETTER = r"[^\W\d_]"
# The q check lives in _move_tone: a pattern that starts with a character class lets the
# regex engine skip ahead to candidates (a leading lookbehind made it test every position).
_OLD_PLACEMENT = re.compile(
    rf"([oO][{_variants('a')}{_variants('e')}]|[uU][{_variants('y')}])(?!{_LETTER})"
)


def _move_tone(m: re.Match[str]) -> str:
    if m.start() and m.string[m.start() - 1] in "qQ":
        return m.group(0)
    first, second = m.group(1)[0], m.group(1)[1]
    tone = _tone_of(second)
    plain = unicodedata.normalize("NFC", "".join(x for x in unicodedata.normalize("NFD", second) if x not in _TONES))
    return _with_tone(first, tone) + plain


class _CharTable(dict):
    """``str.translate`` table built on demand from a one-character function."""

    def __init__(self, func):
        super().__init__()
        self.func = func

    def __missing__(self, code: int) -> str:
        out = self[code] = self.func(chr(code))
        return out


_DENSE = 0x3000  # Latin, Vietnamese, Greek, Cyrillic, punctuation: a plain dict, twice as fast
_HIGH = re.compile("[\u3000-\U0010ffff]")
# From this length on a text is mapped as one numpy gather over its UTF-16 code units:
# ``str.translate`` looks every non-Latin-1 character up in a dict, ~20 ns each, four times the
# gather's cost on an article; on a word the array set-up costs more than it saves (issue #13, speed).
_GATHER_FROM = 200


def _bmp_char(s: str) -> bool:
    return len(s) == 1 and not 0xD800 <= ord(s) < 0xE000 and ord(s) < 0x10000


class CharMap:
    """Apply a one-character function to every character of a text, at C speed.

    Characters below U+3000 go through a table built once (a numpy array for long texts when
    every output is one character, else a plain dict); texts with others (CJK, emoji) through
    a dict that fills itself on demand.
    """

    def __init__(self, func):
        self.lazy = _CharTable(func)
        self.dense = {c: func(chr(c)) for c in range(_DENSE)}
        out = list(self.dense.values())
        self.units = np.array([ord(s) for s in out], dtype=np.uint16) if all(map(_bmp_char, out)) else None

    def __call__(self, text: str) -> str:
        if not text:
            return ""
        if self.units is not None and len(text) >= _GATHER_FROM:
            # A lone surrogate passes as its code unit, which is past the table: the dict decides.
            units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
            if units.max() < _DENSE:
                return self.units[units].tobytes().decode("utf-16-le")
        return text.translate(self.lazy if _HIGH.search(text) else self.dense)


_CANON_MAP = CharMap(canonical_char)
# One translate call instead of a Python call per character: folding a long article
# cost ~0.3 ms and the classifier folds several stretches of it (issue #13, speed).
_FOLD_MAP = CharMap(fold_char)


def retone(text: str) -> str:
    """Move the old tone placement (*hoà*, *thuỷ*) to the new (*hòa*, *thủy*); length kept."""
    return _OLD_PLACEMENT.sub(_move_tone, text)


def canonical(text: str) -> str:
    """Comparable form of NFC ``text`` with its diacritics (``len(canonical(t)) == len(t)``)."""
    return retone(_CANON_MAP(text))


def canonical_query(text: str) -> str:
    """Canonical form of text typed by a user, whatever its normal form (NFD, Ð, old tones)."""
    return canonical(normalise(text))


def char_table(func) -> CharMap:
    """A callable applying ``func`` (one character in, one out) to each character of a text."""
    return CharMap(func)


def has_diacritics(text: str) -> bool:
    """True when ``text`` carries any mark or đ, i.e. folding would change more than case."""
    return any(not c.isascii() and fold_char(c) != c.lower() for c in text)
