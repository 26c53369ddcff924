"""Province mentions: gazetteer hits, hard-negative context rules, underthesea for the ambiguous rest.

What counts as "about the province" (issue #5), so the analyst's queue holds
articles that are really about the province and not every list of provinces:

* each kept mention scores its gazetteer weight (a province name 2, a landmark
  or industrial zone 1.5, a bare former district 0.75);
* a mention in the title counts ×2, in the lead (first 300 characters of the
  body) ×1.5;
* a mention in a sentence that also names three or more other provinces is a
  passing mention in a list and counts ×0.25;
* the article is about the province when the total reaches ``ABOUT_THRESHOLD``
  (3.0): one name in the title, a name in the lead plus one more hit, or a
  name repeated twice in the body with a third hit of any kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from duluan.text import fold
from duluan.records import Mention

from .gazetteer import AMBIGUOUS_KINDS, Gazetteer, Hit

ABOUT_THRESHOLD = 3.0
LEAD_CHARS = 300

# Words right before a name that make it a person, a company or a street (folded).
_PERSON_BEFORE = {
    "ong", "ba", "anh", "chi", "em", "co", "chu", "bac", "cau", "chau", "be", "thay",
    "ca si", "nhac si", "cau thu", "nghe si", "doanh nhan", "tac gia", "nha van",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "singer", "dr", "dr.", "nguoi mau", "vo si",
}
_SURNAMES = {
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui",
    "do", "ho", "ngo", "duong", "ly", "dinh", "truong", "lam", "mai", "trinh", "luu",
    "van", "thi", "duc", "minh", "quang", "huu", "cong", "ngoc", "thanh",
}
_ORG_BEFORE = {
    "cong ty", "tap doan", "tnhh", "co phan", "ctcp", "ban nhac", "nhom nhac", "thuong hieu",
    "nhan hang", "hang", "company", "band", "brand", "group", "quan", "nha hang", "khach san",
}
_ORG_AFTER = {
    "food", "foods", "group", "corp", "corporation", "jsc", "co", "co.", "ltd", "band", "jsc.",
    "music", "holdings", "restaurant", "hotel", "cafe", "coffee",
}
_STREET_BEFORE = {"duong", "pho", "ngo", "hem", "so"}
_STREET_AFTER = {"street", "st", "st.", "road", "avenue", "boulevard"}
# A club or team named after the province IS a mention (issue #5).
_CLUB = re.compile(r"(?:\bclb|cau lac bo|doi bong|doi tuyen|bong da)\s+$|^\s+(?:fc|football club)\b")
_ADMIN_BEFORE = re.compile(
    r"(?:huyen|thi xa|xa|phuong|thi tran|tp\.?|thanh pho|quan|district|commune|town|tinh|province of)\s+$"
)
_WORD = re.compile(r"[\w.']+")
_SENT = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass
class ProvinceScore:
    province: str
    score: float
    mentions: list[Mention]


def _prev_words(folded: str, start: int, n: int) -> list[str]:
    words = _WORD.findall(folded[max(0, start - 40):start])
    return words[-n:]


def _next_words(folded: str, end: int, n: int) -> list[str]:
    return _WORD.findall(folded[end:end + 30])[:n]


def _context_rule(hit: Hit, text: str, folded: str) -> str | None:
    """``None`` to keep the hit, else the name of the hard-negative rule that drops it."""
    before1 = _prev_words(folded, hit.start, 1)
    before2 = " ".join(_prev_words(folded, hit.start, 2))
    after1 = _next_words(folded, hit.end, 1)
    b1 = before1[0] if before1 else ""
    a1 = after1[0] if after1 else ""
    if _CLUB.search(folded[max(0, hit.start - 20):hit.start]) or _CLUB.search(folded[hit.end:hit.end + 15]):
        return None
    kind = hit.entry.kind
    if kind in ("name", "alias", "absorbed") or kind in AMBIGUOUS_KINDS:
        if b1 in _STREET_BEFORE and text[hit.start - len(b1) - 1:hit.start].strip()[:1].islower():
            # "đường Hải Phòng" is a street; "Đường" capitalised at sentence start is a surname.
            return "negative:street"
        if a1 in _STREET_AFTER:
            return "negative:street"
        if b1 in _PERSON_BEFORE or before2 in _PERSON_BEFORE:
            return "negative:person"
        if before2 in _ORG_BEFORE or b1 in _ORG_BEFORE:
            return "negative:organisation"
        if a1 in _ORG_AFTER:
            return "negative:organisation"
        # "Nguyễn Thái Bình": a capitalised surname glued to the name.
        j = hit.start - len(b1) - 1
        # A province name never follows a capitalised surname, even at a sentence start.
        if b1 in _SURNAMES and j >= 0 and text[j:j + 1].isupper():
            return "negative:person"
    return None


def _sentence_start(text: str, i: int) -> bool:
    k = i - 1
    while k >= 0 and text[k] in " \t\"'“(":
        k -= 1
    return k < 0 or text[k] in ".!?\n:"


@lru_cache(maxsize=4096)
def _ner_tags(sentence: str) -> tuple[tuple[str, str], ...]:
    """underthesea NER of one sentence, cached: slow (~20 ms), so used only when a hit is ambiguous."""
    from underthesea import ner

    # rows are (word, POS, chunk, NER)
    return tuple((row[0], row[-1]) for row in ner(sentence))


_KNOWN_PREFIX = {"tinh", "tp", "ubnd", "so", "kcn", "huyen", "xa", "thanh", "pho", "clb", "tai", "o",
                 "va", "cua", "den", "tu", "ve", "hdnd", "cong", "ban", "dai", "bao", "the", "in", "of"}


def _ambiguous(hit: Hit, text: str) -> bool:
    """A capitalised unknown word glued before the name ("Lê Thái Bình", "Tập Thái Bình"): maybe a person."""
    j = hit.start - 1
    if j < 1 or text[j] != " ":
        return False
    k = j
    while k > 0 and text[k - 1].isalpha():
        k -= 1
    word = text[k:j]
    if not word or not word[0].isupper() or _sentence_start(text, k):
        return False
    return fold(word) not in _KNOWN_PREFIX


def _ner_says_person(hit: Hit, text: str) -> bool:
    s0 = text.rfind("\n", 0, hit.start) + 1
    m = max(text.rfind(". ", 0, hit.start) + 2, s0)
    e = text.find(".", hit.end)
    sentence = text[m:e + 1 if e != -1 else len(text)]
    surface = text[hit.start:hit.end]
    for word, tag in _ner_tags(sentence):
        if surface in word and word != surface and tag.endswith("PER"):
            return True
    return False


def find_mentions(gaz: Gazetteer, text: str, folded: str | None = None,
                  title_len: int = 0) -> tuple[list[Mention], list[Hit], int]:
    """Kept mentions, the dropped hard-negative hits, and how many other provinces appear."""
    folded = fold(text) if folded is None else folded
    kept: list[Mention] = []
    dropped: list[Hit] = []
    others: set[str] = set()
    for hit in gaz.scan(text, folded):
        e = hit.entry
        if e.kind == "negative":
            dropped.append(hit)
            continue
        if e.kind == "other_province":
            others.add(e.province)
            continue
        why = _context_rule(hit, text, folded)
        rule = e.rule
        if why is None and e.kind in ("name", "alias", "absorbed") and _ambiguous(hit, text):
            if _ner_says_person(hit, text):
                why = "negative:ner-person"
            else:
                rule = e.rule + "+ner"
        if why is not None:
            dropped.append(hit)
            continue
        if e.kind in AMBIGUOUS_KINDS and _ADMIN_BEFORE.search(folded[max(0, hit.start - 15):hit.start]):
            rule = e.rule + "+admin"
        kept.append(Mention(e.province, text[hit.start:hit.end], hit.start, hit.end, rule))
    return kept, dropped, len(others)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENT.finditer(text)]


def score_provinces(gaz: Gazetteer, text: str, title_len: int,
                    folded: str | None = None) -> tuple[list[ProvinceScore], list[Mention]]:
    """Per-province "aboutness" scores (sorted, highest first) and every kept mention."""
    folded = fold(text) if folded is None else folded
    mentions, _, _ = find_mentions(gaz, text, folded, title_len)
    spans = _sentence_spans(text)
    other_hits = [h for h in gaz.scan(text, folded) if h.entry.kind == "other_province"]
    scores: dict[str, ProvinceScore] = {}
    for m in mentions:
        entry = gaz.lookup(fold(m.text))
        w = entry.weight if entry else 1.0
        if "+admin" in m.rule:
            w = 1.5
        if m.start < title_len:
            w *= 2.0
        elif m.start < title_len + 2 + LEAD_CHARS:
            w *= 1.5
        s, e = next(((a, b) for a, b in spans if a <= m.start < b), (m.start, m.end))
        in_sentence = {h.entry.province for h in other_hits if s <= h.start < e}
        if len(in_sentence) >= 3:
            w *= 0.25
        ps = scores.setdefault(m.province, ProvinceScore(m.province, 0.0, []))
        ps.score += w
        ps.mentions.append(m)
    return sorted(scores.values(), key=lambda p: -p.score), mentions


def about(scores: list[ProvinceScore], threshold: float = ABOUT_THRESHOLD) -> list[str]:
    return [p.province for p in scores if p.score >= threshold]
