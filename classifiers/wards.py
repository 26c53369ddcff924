"""Every ward, commune and special zone after 1 July 2025, from the ``vietnam-provinces`` package.

The package ships the 34 provincial units and their 3,321 wards (xã, phường, đặc
khu) as JSON; nothing is fetched.  Names are kept as the package writes them
(NFC, whitespace collapsed) with the administrative word split off, so the
gazetteer can require it ("xã Nam Cường", "phường Tân An") — issue #13, step 2.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from duluan.text import canonical, fold, normalise

# The package's province names carry "Thành phố" for the six centrally run cities.
_CITY_PREFIX = re.compile(r"^(?:Thành phố|Tỉnh)\s+", re.IGNORECASE)
ADMIN_WORDS = {"xã": "xã", "phường": "phường", "đặc khu": "đặc khu"}


@dataclass(frozen=True)
class Ward:
    province_name: str  # "Hải Phòng"
    admin: str  # "xã" | "phường" | "đặc khu"
    name: str  # "Nam Cường"
    code: int


def _split_admin(full: str) -> tuple[str, str]:
    full = re.sub(r"\s+", " ", normalise(full)).strip()
    low = full.lower()
    for word in ("đặc khu", "phường", "xã"):
        if low.startswith(word + " "):
            return word, full[len(word) + 1:].strip()
    return "", full


@lru_cache(maxsize=1)
def all_wards() -> tuple[Ward, ...]:
    """Every ward of the 34 units, from the installed ``vietnam-provinces`` data file."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    data = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    out: list[Ward] = []
    for p in data:
        pname = _CITY_PREFIX.sub("", re.sub(r"\s+", " ", normalise(p["name"])).strip())
        for w in p.get("wards") or []:
            admin, name = _split_admin(w["name"])
            if admin and name:
                out.append(Ward(pname, admin, name, int(w["code"])))
    return tuple(out)


def wards_of(province_name: str) -> list[Ward]:
    """The wards of one province, by its current name ("Hải Phòng", "Đắk Lắk")."""
    key = fold(province_name)
    return [w for w in all_wards() if fold(w.province_name) == key]


@lru_cache(maxsize=1)
def provinces_by_name() -> dict[str, frozenset[str]]:
    """``canonical(ward name)`` → the current provinces that have a ward of that name."""
    out: dict[str, set[str]] = {}
    for w in all_wards():
        out.setdefault(canonical(w.name), set()).add(w.province_name)
    return {k: frozenset(v) for k, v in out.items()}


def data_version() -> str:
    import vietnam_provinces

    return f"vietnam-provinces {vietnam_provinces.__version__} ({vietnam_provinces.__data_version__})"
