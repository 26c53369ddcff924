"""classifiers/prefilter.py: patterns tried only at their literal heads find exactly what they find alone."""

from __future__ import annotations

import random
import re

import pytest

from duluan.classifiers import Classifier
from duluan.classifiers import distortion
from duluan.classifiers.corpus import load_split
from duluan.classifiers.prefilter import PatternSet, heads
from duluan.text import fold


def _patterns() -> dict[str, re.Pattern[str]]:
    cues = Classifier.load().cues
    return {**{f"cue:{k}": v for k, v in cues.regex.patterns.items()},
            "speech": distortion._SPEECH, "official": distortion._OFFICIAL, "reply": distortion._REPLY}


def _spans(it) -> list[tuple[int, int]]:
    return [m.span() for m in it]


def _same(ps: PatternSet, text: str, ends: dict[str, int]) -> None:
    got = ps.find_all(text, ends)
    for name, rx in ps.patterns.items():
        assert _spans(got[name]) == _spans(rx.finditer(text, 0, ends.get(name, len(text)))), (name, text)


def test_heads_of_a_pattern():
    assert heads(re.compile(r"(?<![\w])(?:vi sao .* im lang|tai sao)")) == {"vi sao ", "tai sao"}
    assert heads(re.compile(r"(?:ong|ba) [A-Za-z]+, giam doc")) == {"ong ", "ba "}
    assert heads(re.compile(r"tyrann\w*|x{2,}")) == {"tyrann", "x"}
    # No literal starts every match: searched as it is.
    assert heads(re.compile(r"\w+ said")) is None
    assert heads(re.compile(r"(?:a|b)?c")) is None
    assert PatternSet({"x": re.compile(r"\d+|abc")}).heads == {"x": None}
    # Heads outside ASCII, and a pattern without heads beside them.
    ps = PatternSet({"q": re.compile(r"“\w+”"), "d": re.compile(r"\d+")})
    assert [m.group() for m in ps.find_all("a “bc” ? “d” 12")["q"]] == ["“bc”", "“d”"]
    assert [m.group() for m in ps.find_all("a “bc” ? “d” 12")["d"]] == ["12"]


def test_same_matches_on_every_development_item():
    texts = [fold(it.article().text) for s in ("dev", "nlp-dev", "heldout", "mirror-a") for it in load_split(s)]
    ps = PatternSet(_patterns())
    assert all(h is not None for h in ps.heads.values())
    names = list(ps.patterns)
    for t in texts:
        _same(ps, t, {})
        _same(ps, t, {name: len(t) // 3 for name in names[::2]})  # some cut short, as title-only cues are


@pytest.mark.parametrize("seed", range(5))
def test_same_matches_on_random_text_made_of_heads(seed):
    rnd = random.Random(seed)
    ps = PatternSet(_patterns())
    # Heads glued to letters, punctuation and each other: lookbehinds, overlaps, cut-off ends.
    words = sorted(set().union(*(heads(rx) for rx in ps.patterns.values())))
    words += ["a", "x", " ", ".", "?", "cho", "nuoc ngoai", "im lang", "\n", "“", "đ"]
    for _ in range(200):
        t = "".join(rnd.choice(words) for _ in range(rnd.randint(1, 30)))
        _same(ps, t, {})
        _same(ps, t, {name: rnd.randint(0, len(t)) for name in ps.patterns})
