"""Vietnamese folding for search: tone marks and đ/Đ removed, lowercased, length kept.

``fold`` maps every character of NFC text to exactly one character, so an
offset in the folded text is the same offset in the original: snippets and
highlights are cut from the original text with its diacritics.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# unicode61 and ICU-free folding both miss these: they are letters, not letter+mark.
_SPECIAL = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "s", "æ": "a", "Æ": "a"}


@lru_cache(maxsize=4096)
def fold_char(c: str) -> str:
    if c in _SPECIAL:
        return _SPECIAL[c]
    if c.isascii():
        return c.lower()
    base = unicodedata.normalize("NFD", c)[0]
    if unicodedata.combining(base):
        return " "  # a stray combining mark separates nothing and matches nothing
    return base.lower() if len(base.lower()) == 1 else base


def fold(text: str) -> str:
    """Fold NFC ``text`` character by character (``len(fold(t)) == len(t)``)."""
    return "".join(map(fold_char, text))


def normalise(text: str) -> str:
    """NFC, the form everything is stored in (input may arrive as NFD, e.g. from macOS)."""
    return unicodedata.normalize("NFC", text)


def fold_query(text: str) -> str:
    """Fold text typed by a user, whatever its normal form."""
    return fold(normalise(text))
