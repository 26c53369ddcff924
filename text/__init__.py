"""Vietnamese text forms, the one module that folds (see DESIGN: "Vietnamese matching rule").

Every stage imports this and it imports nothing of theirs.
"""

from duluan.text.sentences import sentences
from duluan.text.vietnamese import (
    canonical,
    canonical_char,
    canonical_query,
    char_table,
    fold,
    fold_char,
    fold_query,
    has_diacritics,
    is_normalised,
    normalise,
    retone,
    strip_diacritics,
)

__all__ = [
    "canonical",
    "canonical_char",
    "canonical_query",
    "char_table",
    "fold",
    "fold_char",
    "fold_query",
    "has_diacritics",
    "is_normalised",
    "normalise",
    "retone",
    "sentences",
    "strip_diacritics",
]
