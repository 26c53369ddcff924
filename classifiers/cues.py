"""Distortion cue matcher: a spaCy component over the cue classes of ``data/cues.yaml`` (issue #13, step 4).

Every cue pattern that stands for a finite set of phrases ("toan bo (?:can bo|lanh dao)") is
expanded into those phrases and matched by one ``PhraseMatcher`` on the folded ``NORM`` of the
tokens the gazetteer already has: one pass in Cython for ~740 phrases, where a regular
expression per class cost ~3 ms on a 3,000-character article.  The few patterns with open
wildcards (``tyrann\\w*``, ``vi sao .* im lang``) stay regular expressions over the folded text,
tried only where one of their literal heads occurs (``prefilter.py``).
Hits go to ``doc.spans["cues"]`` (label = cue class) when the component runs in the pipeline.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .nlp import token_texts
from .prefilter import PatternSet

try:  # Python ≥ 3.11
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]
import re

_LIMIT = 300  # a pattern standing for more phrases than this stays a regular expression


class _Open(Exception):
    pass


def expand(pattern: str) -> list[str]:
    """The phrases a finite regular expression stands for; raises ``ValueError`` if it is open."""

    def seq(items) -> list[str]:
        outs = [""]
        for op, av in items:
            alts = node(op, av)
            outs = [a + b for a in outs for b in alts]
            if len(outs) > _LIMIT:
                raise _Open
        return outs

    def node(op, av) -> list[str]:
        if op is _c.LITERAL:
            return [chr(av)]
        if op is _c.SUBPATTERN:
            return seq(av[-1])
        if op is _c.BRANCH:
            return [s for b in av[1] for s in seq(b)]
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, sub = av
            if hi > 3:
                raise _Open
            base = seq(sub)
            return ["".join(c) for k in range(lo, hi + 1) for c in itertools.product(base, repeat=k)]
        if op is _c.IN and all(o is _c.LITERAL for o, _ in av):
            return [chr(a) for _, a in av]
        raise _Open

    try:
        return seq(_parser.parse(pattern))
    except _Open:
        raise ValueError(f"open pattern: {pattern!r}") from None


class CueComponent:
    """spaCy component: cue phrases by class in a ``PhraseMatcher``, open patterns as regexes."""

    def __init__(self, nlp: Language, name: str = "duluan_cues"):
        self.nlp, self.name = nlp, name
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.regex = PatternSet({})
        self.classes: list[str] = []
        self.title_only: set[str] = set()

    def build(self, signals) -> "CueComponent":
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.classes, self.title_only = [], set()
        regex: dict[str, re.Pattern[str]] = {}
        for sig in signals:
            if not sig.patterns:
                continue
            self.classes.append(sig.name)
            if sig.title_only:
                self.title_only.add(sig.name)
            phrases: set[str] = set()
            open_: list[str] = []
            for p in sig.patterns:
                try:
                    phrases.update(x.strip() for x in expand(p) if x.strip())
                except ValueError:
                    open_.append(p)
            if phrases:
                self.matcher.add(sig.name, [self.nlp.make_doc(x) for x in sorted(phrases)])
            if open_:
                regex[sig.name] = re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in open_) + r")(?!\w)")
        # Each tried only where one of its literal heads occurs ("vi sao ", "tyrann"): ~0.1 ms an
        # article less per class than letting ``re`` try it at every position.
        self.regex = PatternSet(regex)
        return self

    def find(self, doc: Doc, folded: str, title_len: int | None = None) -> dict[str, list[tuple[int, int]]]:
        """Cue class → sorted, non-overlapping character spans (title-only classes: in the title only)."""
        raw: dict[str, list[tuple[int, int]]] = {c: [] for c in self.classes}
        strings = self.nlp.vocab.strings
        words = token_texts(doc)
        starts, ends_at = words.starts, words.ends
        for match_id, s, e in self.matcher(doc):
            raw[strings[match_id]].append((starts[s], ends_at[e - 1]))
        ends = {name: title_len for name in self.title_only} if title_len is not None else {}
        for name, found in self.regex.find_all(folded, ends).items():
            raw[name].extend(m.span() for m in found)
        out: dict[str, list[tuple[int, int]]] = {}
        for name, spans in raw.items():
            if len(spans) < 2:  # most classes find nothing in an article: nothing to order or drop
                out[name] = spans
                continue
            spans.sort(key=lambda ab: (ab[0], -(ab[1] - ab[0])))
            keep, last = [], -1
            for a, b in spans:
                if a >= last:
                    keep.append((a, b))
                    last = b
            out[name] = keep
        return out

    def __call__(self, doc: Doc) -> Doc:
        from duluan.text import fold

        found = self.find(doc, fold(doc.text))
        spans = []
        for name, ab in found.items():
            for a, b in ab:
                sp = doc.char_span(a, b, label=name, alignment_mode="expand")
                if sp is not None:
                    spans.append(sp)
        doc.spans["cues"] = spans
        return doc

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        about = {"classes": self.classes, "rebuilt_from": "duluan/classifiers/data/cues.yaml"}
        (path / "cues.json").write_text(json.dumps(about, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path, exclude=()) -> "CueComponent":
        # The cue classes are package data (data/cues.yaml): rebuilt from it, so the saved
        # pipeline never holds a stale copy of a list whose every entry names its source.
        from .distortion import SIGNALS

        return self.build(SIGNALS)


@Language.factory("duluan_cues")
def _make_cues(nlp: Language, name: str) -> CueComponent:
    return CueComponent(nlp, name)


def cue_component(nlp: Language) -> CueComponent:
    """The pipeline's cue component, added (and built) when missing."""
    if "duluan_cues" not in nlp.pipe_names:
        from .distortion import SIGNALS

        nlp.add_pipe("duluan_cues").build(SIGNALS)
    return nlp.get_pipe("duluan_cues")


__all__ = ["CueComponent", "cue_component", "expand", "Span"]
