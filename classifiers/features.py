"""Text features shared by the trained models: fast tokens and the text around a province.

underthesea ``word_tokenize`` costs ~2 ms a sentence (measured: bench/bench_classify.py),
too slow for 200 articles/s with everything else. Vietnamese words are mostly one
or two syllables, so folded syllable unigrams + bigrams carry nearly the same
signal as segmented words, are robust to text without diacritics, and cost
microseconds. ``segmented_tokens`` (underthesea) is kept for training-time checks.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from duluan.text import char_table, fold_char, sentences

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[!?]")
# Negators flip the next sentiment word: "không tích cực", "chưa hiệu quả", "not good".
FOCUS_MAX_CHARS = 1500
NEGATORS = {"khong", "chua", "chang", "cha", "not", "no", "never", "khong he", "without"}


def _token_char(c: str) -> str:
    f = fold_char(c)
    if f in "'’":
        return "'"
    return f if "a" <= f <= "z" or "0" <= f <= "9" or f in "!?" else " "


# Folds and marks the token characters in one length-keeping map: its pieces between spaces are
# the tokens of ``_TOKEN`` over the folded text (apostrophes aside), at a third of the cost
# (issue #13, speed).
_TOKEN_CHARS = char_table(_token_char)


def _raw_tokens(text: str) -> list[str]:
    spaced = _TOKEN_CHARS(text)
    if "!" in spaced or "?" in spaced:  # each "!" and "?" its own token, as ``_TOKEN`` has them
        spaced = spaced.replace("!", " ! ").replace("?", " ? ")
    out = spaced.split()
    if "'" in spaced:
        # "h'leo", "don't": the regex decides what the apostrophe joins, in the few pieces that
        # hold one (no match spans a space; a quarter of long texts hold an apostrophe somewhere,
        # and the regex over the whole text cost twice the rest, issue #13, speed).
        out = [t for w in out for t in ((w,) if "'" not in w else _TOKEN.findall(w))]
    return out


def tokens(text: str) -> list[str]:
    """Folded syllables; a negator is glued to the next syllable ("khong_hieu") so n-grams see it."""
    out = _raw_tokens(text)
    found = NEGATORS.intersection(out)
    if not found:
        return out
    # Negators are rare: mark the word after each, unless it is a negator itself (found with
    # ``list.index``, which a marked word never matches: it is no negator).
    last = len(out) - 1
    for w in found:
        i = out.index(w)
        while True:
            if i < last and out[i + 1] not in NEGATORS:
                out[i + 1] = "neg_" + out[i + 1]
            try:
                i = out.index(w, i + 1)
            except ValueError:
                break
    return out


def analyzer(text: str) -> list[str]:
    """Unigrams and bigrams of ``tokens`` (the sklearn ``analyzer`` callable; picklable)."""
    toks = tokens(text)
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def segmented_tokens(text: str) -> list[str]:
    """underthesea word segmentation (slow; offline)."""
    from underthesea import word_tokenize

    return [w.lower().replace(" ", "_") for w in word_tokenize(text)]


def focus_text(text: str, title_len: int, spans: list[tuple[int, int]],
               sents: list[tuple[int, int]] | None = None) -> str:
    """Title plus the sentences that mention the province, and the sentence after each.

    Sentiment is toward the province (issue #5), not the tone of the whole
    article: a story about a flood elsewhere that praises the province's
    rescue teams is positive for the province.  ``sents``: ``sentences(text)``, when the caller has them.
    """
    if not spans:
        return text[:FOCUS_MAX_CHARS]
    sents = sentences(text) if sents is None else sents
    starts = [a for a, _ in sents]
    # The title's sentences are the first ones (sentences are in order).
    keep: set[int] = set(range(bisect_left(starts, title_len)))
    for s, _ in spans:
        i = bisect_right(starts, s) - 1
        if i >= 0 and s < sents[i][1]:
            keep.update({i, i + 1})
    # Capped: the title and the first mention sentences carry the tone toward the province, and the
    # n-grams of a whole long article would cost more than the rest of classify (issue #13, speed).
    # Sentences past the cap are not joined: they cannot reach the kept text.
    parts: list[str] = []
    size = -1  # len(" ".join(parts))
    for i in sorted(keep):
        if i >= len(sents) or size >= FOCUS_MAX_CHARS:
            break
        a, b = sents[i]
        parts.append(text[a:b])
        size += b - a + 1
    return " ".join(parts)[:FOCUS_MAX_CHARS]
