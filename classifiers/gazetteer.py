"""Gazetteer of every way a monitored province is named, built from ``config/provinces.yaml``.

Matching runs on ``duluan.text.fold`` output: one character in, one character
out, so a match in the folded text is the same span in the original text, and
"Hai Duong", "Hải Dương" and "HẢI DƯƠNG" all hit the same entry (issue #5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from duluan.config.models import ProvincesConfig
from duluan.text import fold

# How much one hit says "this article is about the province". Current and
# former province names are unambiguous; a bare district name may be a street
# or a person elsewhere, so it counts for less unless an admin word precedes it.
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
    "other": 1.0,
}

# Short or common-word names: only count when written with a capital letter
# ("bình minh" is dawn, "thái bình" is peace) and never alone decide "about".
AMBIGUOUS_KINDS = {"district", "commune"}


@dataclass(frozen=True)
class Entry:
    province: str  # monitored province id, or "" for a hard negative
    surface: str  # the name as written in config
    kind: str  # name | alias | absorbed | place kind | negative | other_province
    weight: float
    former_of: str | None = None

    @property
    def rule(self) -> str:
        return f"gazetteer:{self.kind}"


def _entries(cfg: ProvincesConfig) -> list[Entry]:
    out: list[Entry] = []
    for p in cfg.profiles:
        if p.id not in cfg.monitored:
            continue
        out.append(Entry(p.id, p.name, "name", WEIGHTS["name"]))
        for a in p.aliases:
            out.append(Entry(p.id, a, "alias", WEIGHTS["alias"]))
        for f in p.absorbed:
            out.append(Entry(p.id, f.name, "absorbed", WEIGHTS["absorbed"], f.name))
            for a in f.aliases:
                out.append(Entry(p.id, a, "absorbed", WEIGHTS["absorbed"], f.name))
        for place in p.places:
            w = WEIGHTS.get(place.kind, 1.0)
            for s in [place.name, *place.aliases]:
                out.append(Entry(p.id, s, place.kind, w, place.former_of))
        for n in p.negatives:
            out.append(Entry("", n, "negative", 0.0))
    # Names of the other 29 units: used to spot "list of provinces" sentences.
    monitored_names = {fold(e.surface) for e in out if e.province}
    for m in cfg.map:
        if m.id in cfg.monitored:
            continue
        for s in [m.name, *m.absorbed]:
            if fold(s) not in monitored_names:
                out.append(Entry(f"other:{m.id}", s, "other_province", 0.0))
    return out


@dataclass
class Hit:
    entry: Entry
    start: int
    end: int


class Gazetteer:
    """One compiled alternation over folded surfaces, longest first."""

    def __init__(self, cfg: ProvincesConfig):
        self.config = cfg
        self.entries = _entries(cfg)
        by_fold: dict[str, Entry] = {}
        for e in self.entries:
            key = fold(e.surface)
            # A negative phrase wins over a positive entry with the same folded form.
            if key not in by_fold or e.kind == "negative":
                by_fold[key] = e
        self._by_fold = by_fold
        alts = sorted(by_fold, key=len, reverse=True)
        body = "|".join(re.escape(a).replace(r"\ ", r"[\s\-]+") for a in alts)
        self._re = re.compile(rf"(?<![\w])(?:{body})(?![\w])")
        self.names = {p.id: p.name for p in cfg.profiles}

    def lookup(self, folded_surface: str) -> Entry | None:
        return self._by_fold.get(re.sub(r"[\s\-]+", " ", folded_surface))

    def scan(self, text: str, folded: str | None = None) -> list[Hit]:
        """Every leftmost-longest gazetteer hit in ``text`` (negatives and other provinces included)."""
        folded = fold(text) if folded is None else folded
        hits: list[Hit] = []
        for m in self._re.finditer(folded):
            e = self.lookup(m.group(0))
            if e is None:
                continue
            if not _case_ok(e, text[m.start():m.end()]):
                continue
            hits.append(Hit(e, m.start(), m.end()))
        return hits


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
    got = [w[0].isupper() for w in re.split(r"[\s\-]+", original) if w]
    return len(want) != len(got) or all(g for w, g in zip(want, got) if w)


@lru_cache(maxsize=8)
def _cached(cfg_id: int, cfg: ProvincesConfig) -> Gazetteer:
    return Gazetteer(cfg)


def gazetteer_for(cfg: ProvincesConfig) -> Gazetteer:
    return _cached(id(cfg), cfg)
