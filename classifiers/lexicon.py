"""Sentiment lexicon (Vietnamese and English, folded) that the trained model uses as features.

The model learns from a few hundred items; the lexicon brings words the corpus
never saw ("khởi sắc", "thriving", "bê bối") and keeps working on text without
diacritics. The phrases live in ``data/lexicon.yaml``, each with where it came from
(issue #13). They are found on the folded text ("tang truong" and "tăng trưởng"), then a
word written with diacritics must carry the entry's own (``marked``): "cháy" is fire,
"chạy" is not; a word typed without them is taken as it is (issue #13, step 1).

Two contexts turn a phrase: a negator just before it ("không hiệu quả") and a verb of
remedy a few words before a negative one ("ngăn chặn lừa đảo", "tackle pollution"),
which then counts as half a positive.

Phrases that occurred only in ``heldout.jsonl`` or mirror half B, and in no generated corpus
item, were removed (issue #13: they had been lifted from evaluation items);
``data/lexicon-removed.json`` lists them so they are not added back. Of the general list a
helper wrote later (each entry's ``source``), the phrases that occur in those sets and in no
training text were never added, and are not listed: a list would copy evaluation phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from duluan.text import canonical, fold, has_diacritics, normalise

from .phrases import WholeWords, trie_pattern

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon.yaml"


@dataclass(frozen=True)
class Lexicon:
    weights: dict[str, float]  # positive phrase → its weight (weak positives count less)
    negative: frozenset[str]
    marked: dict[str, tuple[tuple[str, ...], ...]]  # folded phrase → the canonical words of each marked form
    both: WholeWords  # every phrase, one pass
    negated: re.Pattern[str]  # a negator ending the text before a phrase
    negator_window: int
    remedied: re.Pattern[str]  # a verb of remedy, then up to ``window`` words, ending that text
    remedy_chars: int
    # Words without which the two patterns above cannot match: most hits skip both searches.
    negator_last: frozenset[str]
    remedy_words: frozenset[str]


def _words(path: Path, where: str, words: list) -> list[str]:
    bad = [w for w in words if not isinstance(w, str) or not w.strip()]
    if bad:
        raise ValueError(f"{path}: {where}: {bad[0]!r} không phải cụm từ / is not a phrase"
                         " (quote it: YAML reads a bare no, yes, on, off as true or false)")
    return [fold(w) for w in words]


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """The lexicon of ``path``; a malformed entry raises ``ValueError`` naming the file and list."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        lists, ctx = data["lists"], data["contexts"]
        phrases = {name: _words(path, f"lists.{name}", [e.get("phrase") for e in lists[name]["entries"]])
                   for name in ("positive", "weak_positive", "negative")}
        neg_words = _words(path, "contexts.negators", ctx["negators"]["words"])
        rem_words = _words(path, "contexts.remedies", ctx["remedies"]["words"])
    except (KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"{path}: thiếu hoặc sai khoá / missing or malformed key: {e}") from e
    marked: dict[str, tuple[tuple[str, ...], ...]] = {}
    for name in phrases:
        for e in lists[name]["entries"]:
            forms = _words(path, f"lists.{name}.{e['phrase']}.marked", e.get("marked") or [])
            raw = [canonical(normalise(w)).split() for w in e.get("marked") or []]
            if any(f != fold(e["phrase"]) for f in forms):
                raise ValueError(f"{path}: lists.{name}: {e['phrase']!r}: marked forms must fold to the phrase")
            if raw:
                marked[fold(e["phrase"])] = tuple(map(tuple, raw))
    weights: dict[str, float] = {}
    for name in ("positive", "weak_positive"):
        weights.update(dict.fromkeys(phrases[name], float(lists[name]["weight"])))
    # A phrase on both sides counts as positive (as when the lists were matched positives first).
    negative = frozenset(phrases["negative"]) - set(weights)
    words = int(ctx["remedies"]["window"])
    return Lexicon(
        weights=weights, negative=negative, marked=marked, both=WholeWords(set(weights) | negative),
        negated=re.compile(r"(?<!\w)(?:" + trie_pattern(neg_words) + r")\s+$"),
        negator_window=int(ctx["negators"]["window"]),
        remedied=re.compile(r"(?<!\w)(?:" + trie_pattern(rem_words) + r")(?:\s+\S+){0,%d}\s+$" % words),
        remedy_chars=12 * (words + 2),
        negator_last=frozenset(w.split()[-1] for w in neg_words),
        remedy_words=frozenset(x for w in rem_words for x in w.split()),
    )


LEXICON = load_lexicon()


def lexicon_counts(text: str, lex: Lexicon = LEXICON) -> tuple[float, float]:
    """(positive, negative) hit counts in ``text``; a negated positive counts as negative,
    a negated or remedied negative as half a positive."""
    f = fold(text)
    pos = neg = 0.0
    for at, end in lex.both.spans(f):
        g = f[at:end]
        if not _as_written(text[at:end], lex.marked.get(g)):
            continue
        before = f[max(0, at - lex.negator_window):at].split()
        negated = bool(before) and before[-1] in lex.negator_last \
            and bool(lex.negated.search(f, max(0, at - lex.negator_window), at))
        w = lex.weights.get(g)
        if w is not None:
            if negated:
                neg += w
            else:
                pos += w
        elif negated or _remedied(f, at, lex):
            pos += 0.5
        else:
            neg += 1
    return pos, neg


def _remedied(f: str, at: int, lex: Lexicon) -> bool:
    start = max(0, at - lex.remedy_chars)
    if lex.remedy_words.isdisjoint(f[start:at].split()):
        return False
    return bool(lex.remedied.search(f, start, at))


# Cached: the same few hundred phrases recur, as the same few spellings, in every article (issue #13, speed).
@lru_cache(maxsize=65536)
def _as_written(span: str, forms: tuple[tuple[str, ...], ...] | None) -> bool:
    """Whether ``span`` (found folded) is one of the marked ``forms``, word by word: a word
    written with diacritics must be that form's word; one written without any may be any."""
    if not forms or span.isascii() or not has_diacritics(span):
        return True
    words = canonical(span).split()
    return any(len(form) == len(words) and all(w == x or not has_diacritics(w) for w, x in zip(words, form))
               for form in forms)


def lexicon_features(text: str) -> list[float]:
    """Scaled counts and their balance, appended to the TF-IDF vector."""
    pos, neg = lexicon_counts(text)
    total = pos + neg
    return [min(pos, 6) / 2.0, min(neg, 6) / 2.0, (pos - neg) / (total + 1.0), float(total == 0)]
