"""Distortion signals with evidence: explainable rules, each with a span and a Vietnamese reason.

Score = 1 − Π(1 − wᵢ) over the signals found (weights in ``SIGNALS``; a model
bundle may override them via ``distortion_weights``), damped when the item
is attributed to an official, court, inspectorate or named expert, because
factual critical reporting is negative but not distorted (issue #5).
Every flag carries at least one ``Evidence``; no evidence, no flag.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

import ahocorasick_rs
import yaml

from duluan.text import fold, sentences
from duluan.records import Evidence

from .prefilter import PatternSet, heads


@dataclass(frozen=True)
class Signal:
    name: str
    weight: float
    explanation: str
    patterns: tuple[str, ...]
    title_only: bool = False
    cap: int = 1  # how many hits of this signal count


def _p(*xs: str) -> tuple[str, ...]:
    return xs


CUES_FILE = Path(__file__).resolve().parent / "data" / "cues.yaml"


def _load_signals(path: Path = CUES_FILE) -> list[Signal]:
    """Cue classes from ``data/cues.yaml`` (every entry names its source), then the signals without patterns."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = [Signal(name, float(c["weight"]), c["explanation"], tuple(e["pattern"] for e in c["cues"]),
                  bool(c.get("title_only")), int(c.get("cap", 1)))
           for name, c in doc["classes"].items()]
    return out + [
        Signal("rhetorical_question", 0.2, "Câu hỏi tu từ, gợi ý kết luận thay cho thông tin.", _p(), cap=3),
        Signal("unsourced_figure", 0.2, "Con số không dẫn nguồn.", _p(), cap=3),
        Signal("scare_quotes", 0.15, "Từ ngữ đặt trong ngoặc kép để mỉa mai, không phải lời trích dẫn.", _p(), cap=3),
        Signal("no_source", 0.15, "Tin tiêu cực không dẫn nguồn chính thức hay người có tên tuổi.", _p()),
        Signal("no_reply", 0.1, "Không có phản hồi của cơ quan hay người bị nêu tên.", _p()),
        Signal("fabrication_record", 0.3, "Nguồn đăng tin từng có tiền sử đăng tin bịa đặt.", _p()),
        Signal("contradicts_official", 0.6, "Trái với thông tin chính thức đã công bố.", _p()),
    ]


SIGNALS: list[Signal] = _load_signals()
BY_NAME = {s.name: s for s in SIGNALS}
_COMPILED = {s.name: re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in s.patterns) + r")(?!\w)(?! dung)")
             for s in SIGNALS if s.patterns}
# Attribution that marks factual reporting: official bodies, courts, named people with a role.
_OFFICIAL = re.compile("|".join([
    r"theo (?:ket luan|bao cao|so lieu|thong bao|quyet dinh) (?:cua )?(?:thanh tra|so|ubnd|cuc|bo|toa|cong an|co quan)",
    r"ket luan thanh tra", r"thanh tra (?:tinh|chinh phu|so) (?:da )?ket luan", r"toa an nhan dan", r"hdxx", r"tuyen phat",
    r"nguoi phat ngon", r"hop bao (?:chieu|sang|dinh ky|thuong ky)",
    r"co quan (?:canh sat dieu tra|csdt)", r"cong an (?:tinh|thanh pho|huyen|xa) (?:cho biet|xac nhan|thong tin|da)",
    r"cong an [^.]{0,40}(?:cho biet|xac nhan|thong tin|da xac minh|da xu ly)",
    r"theo (?:so|ubnd|uy ban|bo|cuc|chi cuc|tong cuc|trung tam|ban quan ly|toa an|vien kiem sat|thanh tra|cong an) ",
    r"(?:provincial|city|government) (?:\w+ )?(?:department|inspectors?|station|authority|committee) (?:said|says|reported|found)",
    r"(?:inspectors|officials) (?:found|said|confirmed|recommended)",
    r"(?:ong|ba) [A-Za-z]+(?: [A-Za-z]+){0,3}, (?:giam doc|pho giam doc|chu tich|pho chu tich|truong|pho truong|chanh|pho chanh|nghien cuu vien|tien si|ts\.|pgs)",
    r"(?:giam doc|chu tich|nguoi phat ngon|truong phong|pho giam doc) [^.]{0,60}(?:cho biet|xac nhan|khang dinh|thong tin)",
    r"so lieu (?:cua|tu) (?:cuc|so|tong cuc|bo)", r"cuc thong ke", r"ban quan ly cac khu cong nghiep",
    r"according to (?:the )?(?:provincial|city|court|police|inspectorate|department|official|statistics|ministry)",
    r"the (?:court|inspectorate|people's court) (?:ruled|found|concluded|sentenced)", r"police (?:said|confirmed|reported)",
    r"(?:director|chairman|spokesperson|researcher|deputy director|head) of [^.]{0,60}(?:said|told|confirmed)",
    r"official (?:figures|data|statistics)", r"told reporters",
    r"(?:court|inspectorate|prosecutors?|procuracy)\b[^.]{0,40}(?:ruled|found|concluded|sentenced|charged|indicted)",
    # issue #13: official bodies as English and Vietnamese reports name them, and audits.
    r"(?:ministry|department|authority|committee|council|agency|inspectorate|audit(?:ors?)?)\b[^.]{0,40}"
    r"(?:said|says|confirmed|reported|found|finds|announced|concluded)",
    r"(?:kiem toan nha nuoc|kiem toan) [^.]{0,40}(?:chi ra|ket luan|phat hien|cho thay)",
    r"(?:bo|so|cuc|ubnd|uy ban) [^.]{0,40}(?:cho biet|thong bao|xac nhan|khang dinh|cong bo)",
]))  # over folded (lower-case) text only: IGNORECASE made this one pattern cost ~5 ms an article


@dataclass
class OfficialStatement:
    """An official statement from the index: claims it refutes, as phrases (hook for issue #5)."""

    text: str
    refutes: list[str]
    province: str | None = None
    url: str | None = None


def _evidence(split: int | None, sig: Signal, text: str, a: int, b: int) -> Evidence:
    """The evidence ``text[a:b]``; given ``split``, the title's length (``text`` being the title, a
    blank line and the body), in the offsets of its field, as ``Classifier.classify`` returns it."""
    if split is None:
        return Evidence(sig.name, text[a:b], a, b, sig.explanation)
    if a < split:  # a span running into the body is cut at the end of the title
        b = min(b, split)
        return Evidence(sig.name, text[a:b], a, b, sig.explanation, field="title")
    off = split + 2
    a, b = max(0, a - off), max(0, b - off)
    return Evidence(sig.name, text[off + a:off + b], a, b, sig.explanation, field="body")


_QUOTE = re.compile(r"[“\"]([^”\"\n]{1,400})[”\"]")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``_QUOTE.finditer(text)``, tried only at an opening quote found with ``str.find``:
    most articles hold none or one, and ``re`` stepped through every character (issue #13, speed)."""
    out: list[tuple[int, int]] = []
    nxt = {q: text.find(q) for q in "\"“"}
    while live := [p for p in nxt.values() if p != -1]:
        p = min(live)
        m = _QUOTE.match(text, p)
        pos = m.end() if m is not None else p + 1
        if m is not None:
            out.append(m.span())
        nxt = {q: text.find(q, pos) if -1 < i < pos else i for q, i in nxt.items()}
    return out
# A speaker: a verb of saying, or "theo" + a source (general Vietnamese and English reporting verbs).
_SPEECH = re.compile(r"(?<!\w)(?:cho biet|khang dinh|xac nhan|noi|thong tin|phat bieu|chia se|nhan manh|tra loi|phan hoi|"
                     r"giai trinh|theo (?:ong|ba|anh|chi|so|ubnd|bao cao|ket luan)|said|says|told|confirmed|stated|"
                     r"according to|responded|explained)(?!\w)")
_REPLY = re.compile(r"(?<!\w)(?:tra loi|phan hoi|giai trinh|len tieng|bac bo|khang dinh|cho biet|responded|denied|rejected|said|"
                    r"declined to comment|did not respond|said in a statement|spokes(?:person|man|woman))(?!\w)")
_FIGURE_UNITS = (r"(?:[.,]\d+)*\s*(?:%|phan tram|ty|trieu|nghin|ngan|nguoi|ha|km|hecta|billion|million|"
                 r"thousand|percent|per cent|workers|people|dong|usd|\$)")
_FIGURE_WORDS = (r"(?:hang|vai) (?:tram|nghin|ngan|chuc|trieu) ", r"(?:thousands|hundreds|millions|dozens) of")
_FIGURE = re.compile("|".join((r"(?<![\w.,])\d+" + _FIGURE_UNITS, *_FIGURE_WORDS)))
# ``_FIGURE``'s alternatives apart, each opening with what ``re`` skips ahead to (a digit, the first
# letters of its words): the whole, opening with a lookbehind, was tried at every position of every
# sentence (issue #13, speed).  The lookbehind moves after the first digit, where it reads the same
# character.
_FIGURE_PARTS = tuple(re.compile(p) for p in (r"\d(?<![\w.,]\d)\d*" + _FIGURE_UNITS, *_FIGURE_WORDS))
# The literal strings each alternative's matches open with ("hang tram ", "thousands of"; none for
# the digits), found in one Aho-Corasick pass: ``re`` tried those alternatives at every "h", "v",
# "t" of the text (~20 µs each on a long article, issue #13, speed).
_FIGURE_HEADS = [heads(rx) for rx in _FIGURE_PARTS]
_HEAD_LIST = sorted({h for hs in _FIGURE_HEADS if hs for h in hs})
_HEAD_PARTS = [tuple(k for k, hs in enumerate(_FIGURE_HEADS) if hs and h in hs) for h in _HEAD_LIST]
_HEAD_SCAN = ahocorasick_rs.AhoCorasick(_HEAD_LIST, implementation=ahocorasick_rs.Implementation.DFA)


class _Figures:
    """``_FIGURE.search(folded, a, b)`` for sentences ``(a, b)`` taken in order of ``a``.

    Most sentences hold no figure: each alternative's next match in the whole text, kept
    ahead, says so without a search of the sentence.  (None of the alternatives reads past
    its match, so a match within ``[a, b)`` is a match in the whole text from ``a``.)
    """

    def __init__(self, folded: str):
        self.folded = folded
        # Where each alternative with heads may match, in order (None: search the text).
        self.starts: list[list[int] | None] = [[] if hs else None for hs in _FIGURE_HEADS]
        for h, a, _ in _HEAD_SCAN.find_matches_as_indexes(folded, overlapping=True):
            for k in _HEAD_PARTS[h]:
                self.starts[k].append(a)  # type: ignore[union-attr]
        for st in self.starts:
            if st:
                st.sort()
        self.ahead = [self._search_from(k, 0) for k in range(len(_FIGURE_PARTS))]
        self.first = self._first()

    def _first(self) -> int:
        """Where the first of the matches kept ahead starts (past the text: none)."""
        return min((m.start() for m in self.ahead if m is not None), default=len(self.folded) + 1)

    def _search_from(self, k: int, a: int) -> re.Match[str] | None:
        """``_FIGURE_PARTS[k].search(folded, a)`` (only the digits look behind their start)."""
        rx, starts = _FIGURE_PARTS[k], self.starts[k]
        if starts is None:
            return rx.search(self.folded, a)
        for p in starts[bisect_left(starts, a):]:
            if (m := rx.match(self.folded, p)) is not None:
                return m
        return None

    def search(self, a: int, b: int) -> re.Match[str] | None:
        """The leftmost match within ``[a, b)``, the first alternative at a tie."""
        if self.first >= b:  # every match kept ahead starts past the sentence (most sentences)
            return None
        best = None
        for k, rx in enumerate(_FIGURE_PARTS):
            m = self.ahead[k]
            if m is not None and m.start() < a:
                m = self.ahead[k] = self._search_from(k, a)
            if m is None or m.start() >= b:
                continue
            m = rx.search(self.folded, a, b)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        self.first = self._first()
        return best


# Each tried only where one of its literal heads occurs: _OFFICIAL alone cost ~0.6 ms an article
# when ``re`` tried its 28 alternatives at every position (issue #13, speed; same matches).
_ATTRIBUTION = PatternSet({"speech": _SPEECH, "official": _OFFICIAL, "reply": _REPLY})
FEATURES = [s.name for s in SIGNALS if s.patterns] + [
    "rhetorical_question", "unsourced_figure", "scare_quotes", "title_question", "title_loud", "attributed",
    "attributed_share", "official", "no_reply", "negative", "p_negative", "foreign", "fabrication_record",
    "contradicts_official"]
QUOTED_WEIGHT = 0.35  # a cue inside a quotation or an attributed sentence counts this much (issue #13)


@dataclass
class Detection:
    score: float
    evidence: list[Evidence]
    official: bool
    features: dict[str, float]


def _in(spans: list[tuple[int, int]], a: int) -> bool:
    """``a`` inside one of ``spans`` (sorted, non-overlapping)."""
    k = bisect_right(spans, (a, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= a < spans[k][1]


def analyse(text: str, title_len: int, negative: bool, p_negative: float = 0.0, context_fabrication: bool = False,
            foreign: bool = False, statements: list[OfficialStatement] | None = None,
            folded: str | None = None, cue_spans: dict[str, list[tuple[int, int]]] | None = None,
            sents: list[tuple[int, int]] | None = None, field_offsets: bool = False) -> Detection:
    """Per-sentence cue features, attribution-weighted, with the evidence span of every cue found.

    A cue in a quotation or in a sentence attributed to a named person or an official body weighs
    ``QUOTED_WEIGHT``; honest critical reporting quotes alarming words, it does not assert them.
    ``sents``: ``sentences(text)``, when the caller has them.  ``field_offsets``: ``text`` is an
    article's title, a blank line and its body, and the evidence is made in the offsets of the
    title or the body (each made once: a frozen dataclass costs ~2.5 µs, issue #13, speed).
    """
    split = title_len if field_offsets else None
    folded = fold(text) if folded is None else folded
    evidence: list[Evidence] = []
    feats: dict[str, float] = dict.fromkeys(FEATURES, 0.0)
    quotes = _quote_spans(text)
    sents = sentences(text) if sents is None else sents
    starts = [a for a, _ in sents]
    # The attribution patterns in one scan; a sentence is attributed when a match starts in it.
    attribution = _ATTRIBUTION.find_all(folded)
    speech_at = [m.start() for m in attribution["speech"]]
    official_at = [m.start() for m in attribution["official"]]
    marked = {bisect_right(starts, i) - 1 for i in (*speech_at, *official_at)}
    attributed_sents = [sents[k] for k in sorted(marked) if k >= 0]
    speech_sents = {bisect_right(starts, i) - 1 for i in speech_at}
    official = bool(official_at)
    for sig in SIGNALS:
        rx = _COMPILED.get(sig.name)
        if rx is None:
            continue
        region_end = title_len if sig.title_only else len(folded)
        if sig.title_only and "?" not in folded[:title_len]:
            continue
        if cue_spans is not None:  # from the spaCy cue component (cues.py)
            found = [(a, b) for a, b in cue_spans.get(sig.name, ()) if b <= region_end]
        else:
            found = [m.span() for m in rx.finditer(folded, 0, region_end)]
        for a, b in found[:sig.cap]:
            w = QUOTED_WEIGHT if (_in(quotes, a) or _in(attributed_sents, a)) else 1.0
            feats[sig.name] += w
            evidence.append(_evidence(split, sig, text, a, b))
    figures = _Figures(folded)
    for k, (a, b) in enumerate(sents):
        body = a >= title_len
        attributed = k in marked  # the sentence itself: sentences are disjoint and never empty
        # (Sliced only when it holds a "?": most sentences do not.)
        if body and feats["rhetorical_question"] < 3 and text.find("?", a, b) != -1 \
                and (seg := text[a:b].rstrip("\"”’' ")).endswith("?") and not _in(quotes, b - 2):
            feats["rhetorical_question"] += 1
            evidence.append(_evidence(split, BY_NAME["rhetorical_question"], text, a + len(text[a:b]) - len(text[a:b].lstrip()),
                                      a + len(seg)))
        if not attributed and feats["unsourced_figure"] < 3:
            fm = figures.search(a, b)
            if fm and not _in(quotes, fm.start()):
                feats["unsourced_figure"] += 1
                evidence.append(_evidence(split, BY_NAME["unsourced_figure"], text, fm.start(), fm.end()))
    for qa, qb in quotes:
        inner = text[qa + 1:qb - 1]
        k = bisect_right(starts, qa) - 1
        if 1 <= len(inner.split()) <= 4 and k not in speech_sents and feats["scare_quotes"] < 3:
            # A quoted term in an item that cites an official body is more likely that body's word.
            feats["scare_quotes"] += QUOTED_WEIGHT if official else 1.0
            evidence.append(_evidence(split, BY_NAME["scare_quotes"], text, qa, qb))
    title = text[:title_len]
    feats["title_question"] = float("?" in title)
    if title_len and (title.count("!") >= 2 or sum(w.isupper() and len(w) > 3 for w in title.split()) >= 3):
        feats["title_loud"] = 1.0
        evidence.append(_evidence(split, BY_NAME["loaded_language"], text, 0, title_len))
    feats["attributed"] = min(3.0, float(len(attributed_sents)))
    feats["attributed_share"] = len(attributed_sents) / max(1, len(sents))
    feats["official"] = float(official)
    replied = official or bool(attribution["reply"])
    cue_kinds = {e.signal for e in evidence}
    if negative and not replied and cue_kinds:
        feats["no_reply"] = 1.0
        evidence.append(_evidence(split, BY_NAME["no_reply"], text, 0, title_len))
    if negative and not official and cue_kinds:
        evidence.append(_evidence(split, BY_NAME["no_source"], text, 0, title_len))
    feats["negative"], feats["p_negative"], feats["foreign"] = float(negative), float(p_negative), float(foreign)
    if context_fabrication and title_len:
        feats["fabrication_record"] = 1.0
        evidence.append(_evidence(split, BY_NAME["fabrication_record"], text, 0, title_len))
    for st in statements or []:
        for claim in st.refutes:
            i = folded.find(fold(claim))
            if i != -1:
                feats["contradicts_official"] = 1.0
                ev = _evidence(split, BY_NAME["contradicts_official"], text, i, i + len(claim))
                short = st.text if len(st.text) < 120 else st.text[:117] + "…"
                evidence.append(Evidence(ev.signal, ev.text, ev.start, ev.end,
                                         f"Trái với thông tin chính thức: “{short}”.", field=ev.field))
    for k in FEATURES:
        feats[k] = min(feats[k], 3.0)
    return Detection(_rule_score(evidence, official, negative), evidence, official, feats)


def _rule_score(evidence: list[Evidence], official: bool, negative: bool, weights: dict[str, float] | None = None) -> float:
    """The issue #5 noisy-or score, used when no trained model is present."""
    weights = weights or {}
    score = 1.0
    counts: dict[str, int] = {}
    for ev in evidence:
        sig = BY_NAME[ev.signal]
        counts[ev.signal] = counts.get(ev.signal, 0) + 1
        score *= 1.0 - weights.get(ev.signal, sig.weight) / counts[ev.signal]
    score = 1.0 - score
    kinds = {ev.signal for ev in evidence} - {"no_source", "fabrication_record", "no_reply"}
    if official:
        score *= 0.45 if len(kinds) < 3 else 0.8
    if not negative:
        score *= 0.6
    return round(score, 3)


def detect(text: str, title_len: int, negative: bool, context_fabrication: bool = False,
           statements: list[OfficialStatement] | None = None,
           weights: dict[str, float] | None = None) -> tuple[float, list[Evidence], bool]:
    """Rule score, evidence, and whether official attribution was found (no trained model)."""
    d = analyse(text, title_len, negative, context_fabrication=context_fabrication, statements=statements)
    return _rule_score(d.evidence, d.official, negative, weights), d.evidence, d.official


class DistortionModel:
    """Calibrated logistic regression over ``FEATURES``, inference in numpy (no sklearn checks)."""

    def __init__(self, folds: list[tuple[list[float], float, float, float]], features: list[str]):
        import numpy as np

        self.features = list(features)
        self.w = np.array([f[0] for f in folds], dtype=np.float64)
        self.b = np.array([f[1] for f in folds], dtype=np.float64)
        self.a = np.array([f[2] for f in folds], dtype=np.float64)
        self.c = np.array([f[3] for f in folds], dtype=np.float64)

    @classmethod
    def from_sklearn(cls, calibrated, features: list[str]) -> "DistortionModel":
        folds = []
        for cc in calibrated.calibrated_classifiers_:
            est, cal = cc.estimator, cc.calibrators[0]
            folds.append((est.coef_[0].tolist(), float(est.intercept_[0]), float(cal.a_), float(cal.b_)))
        return cls(folds, features)

    def proba(self, feats: dict[str, float]) -> float:
        import numpy as np

        x = np.array([feats.get(k, 0.0) for k in self.features], dtype=np.float64)
        f = self.w @ x + self.b
        p = 1.0 / (1.0 + np.exp(self.a * f + self.c))
        return float(np.add.reduce(p) / p.size)  # ``np.mean``'s own sum and division, without its checks
