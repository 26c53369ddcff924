"""classifiers/prefilter.py: a pattern tried only at its literal heads finds exactly what it finds alone."""

from __future__ import annotations

import random
import re

import pytest

from duluan.classifiers import Classifier
from duluan.classifiers import distortion
from duluan.classifiers.corpus import load_split
from duluan.classifiers.prefilter import Prefiltered, heads
from duluan.text import fold


def _patterns() -> dict[str, re.Pattern[str]]:
    cues = Classifier.load().cues
    return {**{f"cue:{k}": v.pattern for k, v in cues.regex.items()},
            "speech": distortion._SPEECH, "official": distortion._OFFICIAL, "reply": distortion._REPLY}


def _spans(it) -> list[tuple[int, int]]:
    return [m.span() for m in it]


def test_heads_of_a_pattern():
    assert heads(re.compile(r"(?<![\w])(?:vi sao .* im lang|tai sao)")) == {"vi sao ", "tai sao"}
    assert heads(re.compile(r"(?:ong|ba) [A-Za-z]+, giam doc")) == {"ong ", "ba "}
    assert heads(re.compile(r"tyrann\w*|x{2,}")) == {"tyrann", "x"}
    # No literal starts every match: searched as it is.
    assert heads(re.compile(r"\w+ said")) is None
    assert heads(re.compile(r"(?:a|b)?c")) is None
    assert Prefiltered(r"\d+|abc").heads is None


def test_same_matches_on_every_development_item():
    texts = [fold(it.article().text) for s in ("dev", "nlp-dev", "heldout", "mirror-a") for it in load_split(s)]
    for name, rx in _patterns().items():
        p = Prefiltered(rx)
        assert p.heads is not None, name
        for t in texts:
            assert _spans(p.finditer(t)) == _spans(rx.finditer(t)), name
            end = len(t) // 2
            assert _spans(p.finditer(t, 3, end)) == _spans(rx.finditer(t, 3, end)), name
            m, n = p.search(t, 5), rx.search(t, 5)
            assert (m and m.span()) == (n and n.span()), name


@pytest.mark.parametrize("seed", range(5))
def test_same_matches_on_random_text_made_of_heads(seed):
    rnd = random.Random(seed)
    for name, rx in _patterns().items():
        p = Prefiltered(rx)
        # Heads glued to letters, punctuation and each other: lookbehinds, overlaps, cut-off ends.
        words = sorted(heads(rx)) + ["a", "x", " ", ".", "?", "cho", "nuoc ngoai", "im lang", "\n"]
        for _ in range(40):
            t = "".join(rnd.choice(words) for _ in range(rnd.randint(1, 30)))
            assert _spans(p.finditer(t)) == _spans(rx.finditer(t)), (name, t)
            k = rnd.randint(0, len(t))
            assert _spans(p.finditer(t, 0, k)) == _spans(rx.finditer(t, 0, k)), (name, t, k)
