"""The spaCy pipeline every article goes through (issue #13, step 4).

``make_nlp()`` is a blank ``spacy.Language`` of our own language class
``vi-duluan``: spaCy's multi-language tokenizer, which keeps Vietnamese
syllables whole and splits punctuation off them (no word segmentation: that
costs ~30 ms an article and no component on the hot path needs it), and a
lexeme ``NORM`` that is ``duluan.text.fold``.  Components match on ``NORM``
(diacritics removed) and then check the diacritics that the writer typed, so a
``PhraseMatcher`` over ~1,500 names stays one pass in Cython.

Components (registered factories, so ``spacy.load`` of a saved pipeline works):

* ``duluan_gazetteer`` — province names, former provinces, districts, every 2025
  ward (``gazetteer.py``); puts its hits in ``doc.spans["gazetteer"]``.
* ``duluan_cues`` — the distortion cue classes as token ``Matcher`` patterns
  (``cues.py``); puts its hits in ``doc.spans["cues"]``.

``duluan train`` saves the pipeline with ``to_disk`` to ``classifiers/models/nlp``;
``Classifier.load`` reads it back with ``spacy.load``.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.attrs import NORM
from spacy.lang.xx import MultiLanguage

from duluan.text import fold

LANG = "vi-duluan"


class _Defaults(MultiLanguage.Defaults):
    lex_attr_getters = {**MultiLanguage.Defaults.lex_attr_getters, NORM: fold}


@spacy.registry.languages(LANG)
class DuluanVietnamese(MultiLanguage):
    """Vietnamese as this project reads it: syllable tokens, folded NORM."""

    lang = LANG
    Defaults = _Defaults


def make_nlp() -> DuluanVietnamese:
    """A blank pipeline: tokenizer only, components added by the caller."""
    return DuluanVietnamese()


def load_nlp(path: Path) -> spacy.Language:
    """Load a pipeline saved by ``duluan train`` (its factories are registered on import)."""
    from . import cues, gazetteer  # noqa: F401  (registers the factories)

    return spacy.load(path)
