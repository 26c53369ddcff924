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
``Classifier.load`` reads it back with ``spacy.load``.  ``token_texts(doc)`` gives the
components' Python rules the token texts and offsets without a ``doc[k]`` per read.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.attrs import IDX, LENGTH, NORM
from spacy.lang.xx import MultiLanguage
from spacy.tokens import Doc

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


class TokenTexts:
    """Token texts and offsets of a doc, from one ``to_array([IDX, LENGTH])``: ``doc[k]`` costs
    ~0.4 µs a call, and the components read a few hundred tokens of every article (issue #13, speed).
    """

    __slots__ = ("text", "starts", "ends", "n")

    def __init__(self, doc: Doc, text: str):
        self.text = text
        if len(doc):
            at = doc.to_array([IDX, LENGTH])
            self.starts: list[int] = at[:, 0].tolist()
            self.ends: list[int] = (at[:, 0] + at[:, 1]).tolist()
        else:
            self.starts, self.ends = [], []
        self.n = len(self.starts)

    def __getitem__(self, k: int) -> str:
        return self.text[self.starts[k]:self.ends[k]]

    def end(self, k: int) -> int:
        return self.ends[k]


def token_texts(doc: Doc, text: str | None = None) -> TokenTexts:
    """The doc's ``TokenTexts``, made once per doc (``text``: the string the doc was made from)."""
    tt = doc.user_data.get("duluan:tokens")
    if tt is None:
        tt = doc.user_data["duluan:tokens"] = TokenTexts(doc, doc.text if text is None else text)
    return tt
