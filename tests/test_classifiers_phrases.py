"""classifiers/phrases.py: the Aho-Corasick phrase finder gives the matches of the phrase regex."""

from __future__ import annotations

import random

import pytest

from duluan.classifiers.corpus import load_split
from duluan.classifiers.lexicon import LEXICON
from duluan.classifiers.phrases import WholeWords, phrase_regex
from duluan.classifiers.topic import TopicRules
from duluan.config.loader import default_config
from duluan.text import fold


def _phrase_sets() -> list[set[str]]:
    seeds = TopicRules(default_config().routing)._topics_of
    return [set(LEXICON.weights) | LEXICON.negative, set(seeds)]


def _same(phrases: set[str], texts: list[str]) -> None:
    rx, ww = phrase_regex(phrases), WholeWords(phrases)
    for t in texts:
        assert ww.spans(t) == [m.span() for m in rx.finditer(t)], t[:80]


def test_same_matches_on_every_development_item():
    texts = [fold(it.article().text) for s in ("train", "dev") for it in load_split(s)]
    for phrases in _phrase_sets():
        _same(phrases, texts)


@pytest.mark.parametrize("seed", range(3))
def test_same_matches_on_random_text_made_of_phrases(seed):
    rnd = random.Random(seed)
    for phrases in _phrase_sets():
        # Phrases glued to letters, digits, "_" and each other: word edges, overlaps, prefixes.
        words = sorted(phrases) + ["a", "x", "_", "9", " ", "", "-", ".", "\n", "đ", "tang"]
        texts = ["".join(rnd.choice(("", " ", "_", "a", ","))  + rnd.choice(words) for _ in range(rnd.randint(0, 12)))
                 for _ in range(500)]
        _same(phrases, texts)


def test_no_phrase_finds_nothing():
    assert WholeWords([]).spans("tang truong") == []
    assert WholeWords(["", "ab"]).spans("ab xab ab_ ab") == [(0, 2), (11, 13)]
