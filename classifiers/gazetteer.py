"""Gazetteer of every way a monitored province is named: a spaCy component over ``config/provinces.yaml``
and every 2025 ward of the ``vietnam-provinces`` package.

Matching rule (DESIGN, "Vietnamese matching rule"; issue #13 step 1): a
``PhraseMatcher`` finds candidates on the folded ``NORM`` of each token; a
candidate whose text carries diacritics is kept only when its ``canonical``
form (marks kept; case, đ/Đ/Ð and old/new tone placement unified) equals the
entry's, so "đèn đỏ" is never *đền Đô* and "Chị Linh" never *Chí Linh*.  Only a
stretch written without any diacritics matches folded ("Hai Phong").

Every hit is a ``Hit`` with character offsets into the text the doc was made of.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from duluan.config.models import ProvincesConfig
from duluan.text import canonical, fold, has_diacritics

from .nlp import make_nlp, token_texts
from .wards import provinces_by_name, wards_of

# How much one hit says "this article is about the province". Current and
# former province names are unambiguous; a bare district or ward name may be a
# street, a person or a place elsewhere, so it counts for less.
WEIGHTS = {
    "name": 2.0,
    "alias": 2.0,
    "absorbed": 2.0,
    "club": 2.0,
    "island": 1.5,
    "landmark": 1.5,
    "industrial_zone": 1.5,
    "festival": 1.5,
    "institution": 1.5,
    "river": 1.0,
    "city": 1.5,
    "district": 0.75,
    "commune": 0.75,
    "ward": 0.75,
    "nickname": 0.5,
    "other": 1.0,
}

# Short or common-word names: they count only written with a capital letter, never alone decide
# "about", and a ward counts only with its administrative word or another cue of the province.
AMBIGUOUS_KINDS = {"district", "commune", "ward"}
# Generic phrases and nicknames ("đất Cảng", "xứ dừa") are never a mention on their own.
NEEDS_CUE_KINDS = {"nickname"}


@dataclass(frozen=True)
class Entry:
    province: str  # monitored province id, "other:<id>" for another unit, or "" for a hard negative
    surface: str  # the name as written in config or in vietnam-provinces
    kind: str  # name | alias | absorbed | place kind | ward | nickname | negative | other_province
    weight: float
    former_of: str | None = None
    admin: str = ""  # a ward's administrative word ("xã", "phường", "đặc khu")
    shared: bool = False  # the same name is a unit of another province: needs a cue of this one
    source: str = "config/provinces.yaml"

    @property
    def rule(self) -> str:
        return f"gazetteer:{self.kind}"


def _nicknames(aliases: list[str]) -> tuple[list[str], list[str]]:
    """Split aliases into names and nicknames (lower-case common words first: "đất Cảng", "xứ dừa")."""
    names, nick = [], []
    for a in aliases:
        (nick if a[:1].islower() and not a.startswith(("tỉnh ", "thành phố ", "tp")) else names).append(a)
    return names, nick


def config_entries(cfg: ProvincesConfig) -> list[Entry]:
    out: list[Entry] = []
    for p in cfg.profiles:
        if p.id not in cfg.monitored:
            continue
        out.append(Entry(p.id, p.name, "name", WEIGHTS["name"]))
        names, nick = _nicknames(p.aliases)
        out += [Entry(p.id, a, "alias", WEIGHTS["alias"]) for a in names]
        out += [Entry(p.id, a, "nickname", WEIGHTS["nickname"]) for a in nick]
        for f in p.absorbed:
            out.append(Entry(p.id, f.name, "absorbed", WEIGHTS["absorbed"], f.name))
            names, nick = _nicknames(f.aliases)
            out += [Entry(p.id, a, "absorbed", WEIGHTS["absorbed"], f.name) for a in names]
            out += [Entry(p.id, a, "nickname", WEIGHTS["nickname"], f.name) for a in nick]
        for place in p.places:
            w = WEIGHTS.get(place.kind, 1.0)
            for s in [place.name, *place.aliases]:
                out.append(Entry(p.id, s, place.kind, w, place.former_of))
        for n in p.negatives:
            out.append(Entry("", n, "negative", 0.0))
        for ward in wards_of(p.name):
            out.append(Entry(p.id, ward.name, "ward", WEIGHTS["ward"], admin=ward.admin,
                             source="vietnam-provinces"))
    # Names of the other units: used to spot "list of provinces" sentences.
    monitored_names = {canonical(e.surface) for e in out if e.province}
    for m in cfg.map:
        if m.id in cfg.monitored:
            continue
        for s in [m.name, *m.absorbed]:
            if canonical(s) not in monitored_names:
                out.append(Entry(f"other:{m.id}", s, "other_province", 0.0))
    return _mark_shared(out, cfg)


def _mark_shared(entries: list[Entry], cfg: ProvincesConfig) -> list[Entry]:
    """A district or ward name that another province also has (a ward of the same name, or a
    district of another monitored province) needs a cue of its own province (issue #13)."""
    names = {p.id: p.name for p in cfg.profiles}
    owners: dict[str, set[str]] = {}
    for e in entries:
        if e.kind in AMBIGUOUS_KINDS and e.province:
            owners.setdefault(canonical(e.surface), set()).add(e.province)
    wards = provinces_by_name()
    out = []
    for e in entries:
        if e.kind in AMBIGUOUS_KINDS and e.province:
            key = canonical(e.surface)
            mine = fold(names.get(e.province, ""))
            elsewhere = {fold(p) for p in wards.get(key, frozenset())} - {mine}
            if elsewhere or len(owners.get(key, ())) > 1:
                e = Entry(**{**asdict(e), "shared": True})
        out.append(e)
    return out


@dataclass
class Hit:
    entry: Entry
    start: int  # character offsets into the doc's text
    end: int
    token_start: int = 0
    token_end: int = 0


def _key(tokens: list[str]) -> str:
    return " ".join(tokens)


@lru_cache(maxsize=65536)
def _canon_token(t: str) -> str:
    return canonical(t)


@lru_cache(maxsize=65536)
def _marked(t: str) -> bool:
    return has_diacritics(t)


class GazetteerComponent:
    """spaCy component: the entries, one ``PhraseMatcher`` on ``NORM``, the diacritic check."""

    def __init__(self, nlp: Language, name: str = "duluan_gazetteer"):
        self.nlp, self.name = nlp, name
        self.entries: list[Entry] = []
        self.fingerprint = ""
        self._by_fold: dict[str, list[tuple[str, Entry]]] = {}
        self._keys: dict[int, str] = {}  # match id → folded key, without a StringStore look-up a match
        # Cached on all it depends on: the same few hundred names recur in every article.
        self._decide = lru_cache(maxsize=65536)(self._entry_for)
        self._decide_spaced = lru_cache(maxsize=65536)(self._entry_for_spaced)
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")

    def build(self, entries: list[Entry], fingerprint: str = "") -> "GazetteerComponent":
        self.entries, self.fingerprint = list(entries), fingerprint
        self._by_fold = {}
        self._decide = lru_cache(maxsize=65536)(self._entry_for)  # new entries, new caches
        self._decide_spaced = lru_cache(maxsize=65536)(self._entry_for_spaced)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        docs: dict[str, Doc] = {}
        for e in self.entries:
            doc = self.nlp.make_doc(e.surface)
            fk = _key([t.norm_ for t in doc])
            ck = _key([canonical(t.text) for t in doc])
            bucket = self._by_fold.setdefault(fk, [])
            bucket.append((ck, e))
            docs.setdefault(fk, doc)
        for fk, doc in docs.items():
            # A negative phrase wins over a positive entry of the same form; then the heavier entry.
            self._by_fold[fk].sort(key=lambda ce: (ce[1].kind != "negative", -ce[1].weight))
            self.matcher.add(fk, [doc])
        strings = self.nlp.vocab.strings
        self._keys = {strings[fk]: fk for fk in self._by_fold}
        return self

    def lookup(self, surface: str) -> Entry | None:
        doc = self.nlp.make_doc(surface)
        bucket = self._by_fold.get(_key([t.norm_ for t in doc]))
        if not bucket:
            return None
        if has_diacritics(surface):
            ck = _key([canonical(t.text) for t in doc])
            bucket = [ce for ce in bucket if ce[0] == ck]
        return bucket[0][1] if bucket else None

    def hits(self, doc: Doc, text: str | None = None) -> list[Hit]:
        """Leftmost-longest hits that pass the diacritic rule and the capitalisation rule.

        ``text`` is the string the doc was made from (``doc.text`` rebuilds it, which is slow).
        """
        text = doc.text if text is None else text
        words = token_texts(doc, text)
        cands: list[Hit] = []
        keys, starts, ends = self._keys, words.starts, words.ends
        for match_id, s, e in self.matcher(doc):
            fk = keys.get(match_id)
            if fk is None:
                continue
            a = starts[s]
            b = ends[e - 1]
            surface = text[a:b]
            # A token holds no whitespace (or is all whitespace) and is followed by at most one
            # space: when the surface splits into as many non-empty pieces as it has tokens,
            # the pieces are the tokens, and the surface alone decides (cached on it: no split
            # and no tuple of tokens a match, issue #13, speed).
            if surface.count(" ") == e - s - 1 and "  " not in surface \
                    and not surface.startswith(" ") and not surface.endswith(" "):
                entry = self._decide_spaced(fk, surface)
            else:
                entry = self._decide(fk, tuple(words[k] for k in range(s, e)), surface)
            if entry is not None:
                cands.append(Hit(entry, a, b, s, e))
        cands.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[Hit] = []
        last = -1
        for h in cands:
            if h.start >= last:
                out.append(h)
                last = h.end
        return out

    def _entry_for_spaced(self, fk: str, surface: str) -> Entry | None:
        """``_entry_for`` of a surface whose tokens are its pieces between single spaces."""
        return self._entry_for(fk, tuple(surface.split(" ")), surface)

    def _entry_for(self, fk: str, toks: tuple[str, ...], surface: str) -> Entry | None:
        """The entry a candidate is (diacritic rule, then capitalisation rule), or None."""
        bucket = self._by_fold[fk]
        if any(_marked(t) for t in toks):
            ck = _key([_canon_token(t) for t in toks])
            bucket = [ce for ce in bucket if ce[0] == ck]
        return next((ent for _, ent in bucket if _case_ok(ent, surface)), None)

    def __call__(self, doc: Doc) -> Doc:
        hits = self.hits(doc)
        doc.spans["gazetteer"] = [Span(doc, h.token_start, h.token_end, label=h.entry.kind) for h in hits]
        return doc

    # -- serialisation (spaCy's to_disk / from_disk protocol) --
    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = {"fingerprint": self.fingerprint, "entries": [asdict(e) for e in self.entries]}
        (path / "entries.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path, exclude=()) -> "GazetteerComponent":
        data = json.loads((Path(path) / "entries.json").read_text(encoding="utf-8"))
        return self.build([Entry(**e) for e in data["entries"]], data.get("fingerprint", ""))


@Language.factory("duluan_gazetteer")
def _make_gazetteer(nlp: Language, name: str) -> GazetteerComponent:
    return GazetteerComponent(nlp, name)


def _case_ok(e: Entry, original: str) -> bool:
    """Proper names written with a capital: "Thái Bình" the place, not "thái bình" (peace)."""
    if e.kind == "negative":
        return True
    if not e.surface[0].isupper():
        return True
    if original.isupper() and len(original) > 3:  # headlines in capitals
        return True
    # Every capitalised word of the name must be capitalised in the text:
    # "Hải Dương" the province, not "Hải dương mênh mông" (the ocean) at a sentence start.
    want = [w[0].isupper() for w in e.surface.split()]
    got = [w[0].isupper() for w in original.replace("-", " ").split() if w]
    return len(want) != len(got) or all(g for w, g in zip(want, got) if w)


def config_fingerprint(cfg: ProvincesConfig) -> str:
    return hashlib.sha256(cfg.model_dump_json().encode()).hexdigest()[:16]


class Gazetteer:
    """The gazetteer component with the pipeline it runs in; ``scan(text)`` for callers without a doc."""

    def __init__(self, cfg: ProvincesConfig, nlp: Language | None = None):
        self.config = cfg
        fp = config_fingerprint(cfg)
        if nlp is not None and "duluan_gazetteer" in nlp.pipe_names \
                and nlp.get_pipe("duluan_gazetteer").fingerprint == fp:
            self.nlp = nlp
        else:
            # No saved pipeline, or one built from another province config: build from this config.
            self.nlp = nlp if nlp is not None else make_nlp()
            if "duluan_gazetteer" in self.nlp.pipe_names:
                self.nlp.remove_pipe("duluan_gazetteer")
            self.nlp.add_pipe("duluan_gazetteer", first=True).build(config_entries(cfg), fp)
        self.component: GazetteerComponent = self.nlp.get_pipe("duluan_gazetteer")
        self.entries = self.component.entries
        self.names = {p.id: p.name for p in cfg.profiles}

    def lookup(self, surface: str) -> Entry | None:
        return self.component.lookup(surface)

    def doc(self, text: str) -> Doc:
        return self.nlp.make_doc(text)

    def scan(self, text: str, folded: str | None = None, doc: Doc | None = None) -> list[Hit]:
        """Every leftmost-longest gazetteer hit in ``text`` (negatives and other provinces included)."""
        return self.component.hits(doc if doc is not None else self.nlp.make_doc(text), text)


_CACHE: dict[int, Gazetteer] = {}


def gazetteer_for(cfg: ProvincesConfig) -> Gazetteer:
    if id(cfg) not in _CACHE:
        _CACHE[id(cfg)] = Gazetteer(cfg)
    return _CACHE[id(cfg)]
