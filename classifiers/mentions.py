"""Province mentions: gazetteer hits, hard-negative context rules, cues for wards and shared names.

A ward or commune name counts only after its administrative word ("xã Nam
Cường") or near another cue of the same province; a name that another province
also has (Bình Tân is also in Hồ Chí Minh City) and nicknames ("đất Cảng") need
such a cue too (issue #13).  underthesea NER is off the hot path: a capitalised
unknown word before a province name halves its weight instead, and ``ner=True``
(offline checks) asks underthesea.

Each mention carries its relevance: ``headline``, ``lead``, ``body``, ``list`` (a
sentence naming three or more other provinces) or ``constituency`` (a National
Assembly delegate's province in brackets).

What counts as "about the province" (issue #5), so the analyst's queue holds
articles that are really about the province and not every list of provinces:

* each kept mention scores its gazetteer weight (a province name 2, a landmark
  or industrial zone 1.5, a bare former district 0.75);
* a mention in the title counts ×2, in the lead (first 300 characters of the
  body) ×1.5;
* a mention in a sentence that also names three or more other provinces is a
  passing mention in a list, and a delegate's constituency, count ×0.25;
* the article is about the province when the total reaches ``ABOUT_THRESHOLD``
  (3.0): one name in the title, a name in the lead plus one more hit, or a
  name repeated twice in the body with a third hit of any kind.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from duluan.text import canonical, fold, has_diacritics, sentences
from duluan.records import Mention

from .gazetteer import AMBIGUOUS_KINDS, NEEDS_CUE_KINDS, Gazetteer, Hit
from .nlp import TokenTexts, token_texts

ABOUT_THRESHOLD = 3.0
LEAD_CHARS = 300

# Words right before or after a name that make it a person, a company or a street. Written with
# their diacritics: a word typed with diacritics is compared in canonical form ("Dương" is not
# "đường"), a word typed without them in folded form (DESIGN, "Vietnamese matching rule").
_PERSON_BEFORE = """ông bà anh chị em cô chú bác cậu cháu bé thầy mr mr. mrs mrs. ms ms. dr dr. singer actress actor
    ca_sĩ nhạc_sĩ cầu_thủ nghệ_sĩ doanh_nhân tác_giả nhà_văn người_mẫu võ_sĩ diễn_viên tiền_đạo thủ_môn hậu_vệ
    vận_động_viên danh_thủ nữ_sĩ chef coach businessman businesswoman entrepreneur writer artist"""
_SURNAMES = """nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trương lâm mai trịnh
    lưu văn thị đức minh quang hữu công ngọc thanh"""
_ORG_BEFORE = """công_ty tập_đoàn tnhh cổ_phần ctcp ban_nhạc nhóm_nhạc thương_hiệu nhãn_hàng hãng company band brand
    group quán nhà_hàng khách_sạn"""
_ORG_AFTER = ("food foods group corp corporation jsc co co. ltd band jsc. music holdings restaurant hotel cafe coffee"
              " trading pte inc inc. llc plc limited")
_STREET_BEFORE = "đường phố ngõ hẻm số"
_STREET_AFTER = "street st st. road avenue boulevard"


def _wordset(block: str) -> tuple[frozenset[str], frozenset[str]]:
    words = [w.replace("_", " ") for w in block.split()]
    return frozenset(canonical(w) for w in words), frozenset(fold(w) for w in words)


_PERSON_SET, _SURNAME_SET = _wordset(_PERSON_BEFORE), _wordset(_SURNAMES)
_ORG_BEFORE_SET, _ORG_AFTER_SET = _wordset(_ORG_BEFORE), _wordset(_ORG_AFTER)
_STREET_BEFORE_SET, _STREET_AFTER_SET = _wordset(_STREET_BEFORE), _wordset(_STREET_AFTER)


@lru_cache(maxsize=65536)
def _form(words: str) -> tuple[bool, str]:
    """(typed with diacritics, the form to compare): canonical if marked, else folded."""
    marked = has_diacritics(words)
    return marked, canonical(words) if marked else fold(words)


def _is(words: str, sets: tuple[frozenset[str], frozenset[str]]) -> bool:
    if not words:
        return False
    marked, key = _form(words)
    return key in sets[0] if marked else key in sets[1]


# Which word lists a word (or two) belongs to, one bit a list, cached: the context rule asks up to
# nine questions of the same three neighbours of every hit (issue #13, speed).
_LISTS = (_STREET_BEFORE_SET, _STREET_AFTER_SET, _PERSON_SET, _ORG_BEFORE_SET, _ORG_AFTER_SET, _SURNAME_SET)
(_IN_STREET_BEFORE, _IN_STREET_AFTER, _IN_PERSON, _IN_ORG_BEFORE, _IN_ORG_AFTER,
 _IN_SURNAME) = (1 << k for k in range(len(_LISTS)))


@lru_cache(maxsize=65536)
def _lists(words: str) -> int:
    return sum(1 << k for k, sets in enumerate(_LISTS) if _is(words, sets))


def _word_like(t: str) -> bool:
    return t.isalpha() or t.endswith(".")


# A club or team named after the province IS a mention (issue #5).
_CLUB_BEFORE = re.compile(r"(?:\bclb|cau lac bo|doi bong|doi tuyen|bong da)\s+$")
_CLUB_AFTER = re.compile(r"\s+(?:fc|football club)\b")


def _context_rule(hit: Hit, text: str, words: TokenTexts, lang: str, folded: str, t2: str, t1: str) -> str | None:
    """``None`` to keep the hit, else the name of the hard-negative rule that drops it (t2, t1: the
    two tokens before the hit, "" at the start of the text)."""
    kind = hit.entry.kind
    if kind in ("negative", "club", "other_province"):
        return None
    why = _negative_rule(hit, text, words, lang, t2, t1)
    # A club's name is looked for only when a rule would drop the hit: most hits are kept, and
    # the two searches cost more than the rules (issue #13, speed).
    if why is not None:
        f = folded or fold(text)
        if _CLUB_BEFORE.search(f, max(0, hit.start - 20), hit.start) or _CLUB_AFTER.match(f, hit.end, hit.end + 15):
            return None
    return why


def _negative_rule(hit: Hit, text: str, words: TokenTexts, lang: str, t2: str, t1: str) -> str | None:
    """The hard-negative rule the words around the hit fire, or ``None``."""
    i, j = hit.token_start, hit.token_end
    # The words glued before and after the name ("" past punctuation or the edge of the text):
    # b1 the word before, b2 the two words before, b3 the three; a1 the word after.
    b1 = t1 if t1 and _word_like(t1) else ""
    b2 = f"{t2} {b1}" if b1 and t2 and _word_like(t2) else ""
    t3 = words[i - 3] if b2 and i >= 3 else ""
    b3 = t3 if t3 and _word_like(t3) else ""  # only its first two words are read
    t4 = words[j] if j < words.n else ""
    a1 = t4 if t4 and _word_like(t4) else ""
    l1, l2, la = _lists(b1), _lists(b2), _lists(a1)
    if l1 & _IN_STREET_BEFORE and b1[:1].islower():
        # "đường Hải Phòng" is a street; "Đường" capitalised at sentence start is a surname.
        return "negative:street"
    if la & _IN_STREET_AFTER:
        return "negative:street"
    if (l1 | l2) & _IN_PERSON:
        return "negative:person"
    # "ca sĩ trẻ Thanh Hà": a two-word occupation, one lower-case modifier, then the name. (Not a
    # one-word kin term: "bà con Hải Phòng" are the people of Hải Phòng.)
    if b3 and b1.islower() and _lists(f"{b3} {t2}") & _IN_PERSON:
        return "negative:person"
    if (l2 | l1) & _IN_ORG_BEFORE or la & _IN_ORG_AFTER:
        return "negative:organisation"
    # "Nguyễn Thái Bình", "Lâm Chí Linh": a capitalised surname glued to the name is a person,
    # even at a sentence start.
    if b1 and b1[:1].isupper() and l1 & _IN_SURNAME:
        return "negative:person"
    # Vietnamese capitalises every syllable of one proper name and nothing after it: a capitalised
    # word glued after the name makes a longer name (a dynasty, a brand), not the province.
    # Not in English text, where titles capitalise every word and "Province", "Port" follow names.
    if lang != "en" and a1 and a1[:1].isupper() and not a1.isupper() and has_diacritics(text[hit.start:hit.end]) \
            and a1.lower() not in _GEO_AFTER:
        return "negative:longer-name"
    return None


_GEO_AFTER = {"province", "city", "port", "district", "town", "airport", "industrial", "fc"}


def _sentence_start(text: str, i: int) -> bool:
    k = i - 1
    while k >= 0 and text[k] in " \t\"'“(":
        k -= 1
    return k < 0 or text[k] in ".!?\n:"


@lru_cache(maxsize=4096)
def _ner_tags(sentence: str) -> tuple[tuple[str, str], ...]:
    """underthesea NER of one sentence, cached: slow (~20 ms), so never on the hot path (``ner=True`` only)."""
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


# Administrative words before a name, as typed (canonical, diacritics kept) or typed without diacritics.
_WARD_ADMIN = {"xã", "phường", "đặc khu", "thị trấn", "ward", "commune"}
_DISTRICT_ADMIN = {"huyện", "quận", "thị xã", "thành phố", "tp", "tp.", "district", "town", "city", "tỉnh"}
_WARD_ADMIN_FOLD = {fold(w) for w in _WARD_ADMIN}
_DISTRICT_ADMIN_FOLD = {fold(w) for w in _DISTRICT_ADMIN}
# A name dropped as a person or a company is that person or company wherever else the article
# writes it bare ("kỳ thủ Nguyễn Thái Bình … Thái Bình thắng 6 ván"): only an administrative word or
# one of these place prepositions right before it makes it the place again.
_SAME_NAME_RULES = ("negative:person", "negative:organisation")
_PLACE_BEFORE = {fold(w) for w in ("ở", "tại", "từ", "in", "at", "from")}
# The mention is within this many characters of a strong cue of the same province.
CUE_WINDOW = 300
_DELEGATE = re.compile(r"(?:đại biểu|đbqh|dai bieu|dbqh|delegate|deputy|lawmaker|nghị sĩ)", re.IGNORECASE)


def _admin_before(i: int, t2: str, t1: str) -> str:
    """The administrative word right before token ``i`` ("xã", "huyện", "tp"), or "" (t2, t1: the
    two tokens before it)."""
    if i >= 2 and (key := _admin_word(f"{t2} {t1}")):
        return key
    if i >= 1 and (key := _admin_word(t1)):
        return key
    return ""


@lru_cache(maxsize=65536)
def _admin_word(words: str) -> str:
    marked, key = _form(words)
    if marked:
        return key if key in _WARD_ADMIN or key in _DISTRICT_ADMIN else ""
    return key if key in _WARD_ADMIN_FOLD or key in _DISTRICT_ADMIN_FOLD else ""


def _is_ward_admin(word: str) -> bool:
    return word in _WARD_ADMIN or word in _WARD_ADMIN_FOLD


def _needs_cue(hit: Hit, admin: str) -> bool:
    """Wards, shared names and nicknames count only near another cue of the same province (issue #13)."""
    e = hit.entry
    if e.kind in NEEDS_CUE_KINDS or e.shared:
        return True
    if e.kind == "ward":
        return not _is_ward_admin(admin)
    return False


def find_mentions(gaz: Gazetteer, text: str, folded: str | None = None, title_len: int = 0,
                  doc=None, hits: list[Hit] | None = None,
                  ner: bool = False, lang: str = "vi") -> tuple[list[Mention], list[Hit], int]:
    """Kept mentions, the dropped hits (hard negatives, context rules, no cue), and how many other provinces appear.

    Mention offsets here index ``text``; ``Classifier.classify`` turns them into field offsets.
    """
    folded = fold(text) if folded is None else folded
    doc = gaz.doc(text) if doc is None else doc
    hits = gaz.scan(text, doc=doc) if hits is None else hits
    kept, dropped, others = _kept(text, folded, doc, hits, ner, lang)
    return [Mention(h.entry.province, text[h.start:h.end], h.start, h.end, rule) for h, rule in kept], dropped, others


def _kept(text: str, folded: str, doc, hits: list[Hit], ner: bool, lang: str
          ) -> tuple[list[tuple[Hit, str]], list[Hit], int]:
    """``find_mentions`` as the kept hits with their rules (a ``Mention`` is made once, by the
    caller: a frozen dataclass costs ~2.5 µs to make, issue #13, speed)."""
    words = token_texts(doc, text)
    kept: list[tuple[Hit, str, bool]] = []
    dropped: list[Hit] = []
    others: set[str] = set()
    people: set[str] = set()  # folded names dropped as a person or a company
    bare: list[tuple[Hit, str, str]] = []  # (hit, folded name, the word before) of kept hits without an admin word
    for hit in hits:
        e = hit.entry
        if e.kind == "negative":
            dropped.append(hit)
            continue
        if e.kind == "other_province":
            others.add(e.province)
            continue
        i = hit.token_start
        t1 = words[i - 1] if i >= 1 else ""
        t2 = words[i - 2] if i >= 2 else ""
        why = _context_rule(hit, text, words, lang, folded, t2, t1)
        rule = e.rule
        if why is None and e.kind in ("name", "alias", "absorbed") and _ambiguous(hit, text):
            if ner and _ner_says_person(hit, text):
                why = "negative:ner-person"
            else:
                rule = e.rule + ("+ner" if ner else "+ambiguous")
        if why is not None:
            dropped.append(hit)
            if why in _SAME_NAME_RULES:
                people.add(folded[hit.start:hit.end])
            continue
        admin = _admin_before(i, t2, t1)
        if e.kind in AMBIGUOUS_KINDS and admin:
            rule = rule + "+admin"
        elif not admin:
            bare.append((hit, folded[hit.start:hit.end], t1))
        kept.append((hit, rule, _needs_cue(hit, admin)))
    if people:
        same = {id(h) for h, name, t1 in bare if name in people and fold(t1) not in _PLACE_BEFORE}
        dropped.extend(h for h, _, _ in kept if id(h) in same)
        kept = [k for k in kept if id(k[0]) not in same]
    strong = [(h.start, h.entry.province) for h, _, weak in kept if not weak]
    out: list[tuple[Hit, str]] = []
    for hit, rule, weak in kept:
        if weak and not any(p == hit.entry.province and abs(s - hit.start) <= CUE_WINDOW and s != hit.start
                            for s, p in strong):
            dropped.append(hit)
            continue
        out.append((hit, rule))
    return out, dropped, len(others)


def _relevance(text: str, start: int, end: int, title_len: int, sentence: tuple[int, int], listed: int) -> str:
    if start < title_len:
        return "headline"
    a, b = sentence
    before = text[max(a, start - 2):start].strip()
    after = text[end:end + 2].strip()
    if before.endswith("(") and after.startswith(")") and _DELEGATE.search(text[a:b]):
        return "constituency"  # "đại biểu Nguyễn Văn A (Thái Bình)": the delegate's province
    if listed >= 3:
        return "list"
    if start < title_len + 2 + LEAD_CHARS:
        return "lead"
    return "body"


RELEVANCE_WEIGHT = {"headline": 2.0, "lead": 1.5, "body": 1.0, "list": 0.25, "constituency": 0.25}


def scored_hits(gaz: Gazetteer, text: str, title_len: int, folded: str | None = None,
                ner: bool = False, lang: str = "vi", doc=None, sents: list[tuple[int, int]] | None = None
                ) -> tuple[dict[str, float], list[tuple[Hit, str, str]]]:
    """Each province's "aboutness" score (in the order of its first mention) and every kept hit
    with its rule and relevance, before any ``Mention`` is made.

    ``Classifier.classify`` makes each mention once, in field offsets (a frozen dataclass costs
    ~2.5 µs to make; issue #13, speed).  ``sents``: ``sentences(text)``, when the caller has them.
    """
    folded = fold(text) if folded is None else folded
    doc = gaz.doc(text) if doc is None else doc
    hits = gaz.scan(text, doc=doc)
    kept, _, _ = _kept(text, folded, doc, hits, ner, lang)
    spans = sentences(text) if sents is None else sents
    starts = [a for a, _ in spans]
    # Other provinces named in each sentence (by sentence index), for "passing list" mentions.
    listed_in: dict[int, set[str]] = {}
    for h in hits:
        if h.entry.kind == "other_province":
            listed_in.setdefault(bisect_right(starts, h.start) - 1, set()).add(h.entry.province)
    totals: dict[str, float] = {}
    out: list[tuple[Hit, str, str]] = []
    for hit, rule in kept:
        a, b = hit.start, hit.end
        w = hit.entry.weight
        if "+admin" in rule:
            w = 1.5
        if "+ambiguous" in rule:
            w *= 0.5
        k = bisect_right(starts, a) - 1
        sentence = spans[k] if k >= 0 and spans[k][0] <= a < spans[k][1] else (a, b)
        listed = len(listed_in.get(k, ())) if k >= 0 else 0
        rel = _relevance(text, a, b, title_len, sentence, listed)
        w *= RELEVANCE_WEIGHT[rel]
        out.append((hit, rule, rel))
        province = hit.entry.province
        totals[province] = totals.get(province, 0.0) + w
    return totals, out


def about_totals(totals: dict[str, float], threshold: float = ABOUT_THRESHOLD) -> list[str]:
    """The provinces of ``scored_hits``' totals from ``threshold`` on, highest first."""
    return [p for p, total in sorted(totals.items(), key=lambda pt: -pt[1]) if total >= threshold]

