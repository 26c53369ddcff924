"""Build ``classifiers/data/corpus.jsonl`` from the frames: ``python -m duluan.classifiers.datagen.build``.

Deterministic (seeded). Every frame is instantiated several times with
different provinces, ways of naming them (current name, absorbed province,
former district, landmark, English spelling) and numbers; all instances of a
frame land in the same split, so no near-identical item crosses train/dev/test.
About one Vietnamese item in five is written without diacritics.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from . import frames_en, frames_neg, frames_styles, frames_vi, frames_voice
from .facts import (COMPANIES, OTHER_EN, OTHER_VI, PROVINCES, ROLES_EN, ROLES_VI, person, person_en,
                    strip_diacritics)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED = 2025
PATTERN = ["train", "train", "test", "train", "dev", "train", "train"]  # per (language, stance) group
STANCE_SENTIMENT = {"pos": "positive", "neu": "neutral", "negf": "negative", "dist": "negative"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def _parse(block: str, n: int) -> list[list[str]]:
    return [line.split("|") for line in block.strip().splitlines() if line.count("|") == n - 1]


def _h(s: str) -> str:
    return hashlib.sha1(s.encode()).hexdigest()


def _assign(keys: list[str]) -> dict[str, str]:
    out = {}
    for i, k in enumerate(sorted(keys, key=_h)):
        out[k] = PATTERN[i % len(PATTERN)]
    return out


def _fill(template: str, slots: dict[str, str]) -> str:
    for k, v in slots.items():
        template = template.replace("{" + k + "}", v)
    return template


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _slots(rng: random.Random, pid: str, lang: str, former: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(title slots, body slots): the title may name the absorbed province, the body names a place."""
    f = PROVINCES[pid]
    if lang == "vi":
        cur, old = f["vi"], f["former_vi"]
        places = f["former_places_vi"] if former else f["places_vi"]
        d = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}"
        x, r = person(rng), rng.choice(ROLES_VI)
        other = rng.choice(OTHER_VI)
    else:
        cur, old = f["en"], f["former_en"]
        places = (f["former_places_en"] if former else f["places_en"]) or f["places_en"]
        d = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
        x, r = person_en(rng), rng.choice(ROLES_EN)
        other = rng.choice(OTHER_EN)
    title_p = rng.choice(old) if former else rng.choice(cur)
    body_p = rng.choice(old + cur[:1]) if former else rng.choice(cur)
    common = {
        "PL": rng.choice(places), "X": x, "R": r, "C": rng.choice(COMPANIES), "O": other, "D": d,
        "N": str(rng.choice([12, 35, 50, 120, 150, 200, 320, 450, 600, 850])), "M": str(rng.randint(2, 9)),
        "PROD": f[f"product_{lang}"], "CLUB": rng.choice(f[f"club_{lang}"]),
    }
    return {**common, "P": title_p}, {**common, "P": body_p}


def _news(lang: str, block: str, per_frame: int, rng: random.Random, kind: str) -> list[dict]:
    frames = _parse(block, 4)
    groups: dict[str, list[str]] = {}
    for topic, stance, title, body in frames:
        groups.setdefault(stance, []).append(title)
    split_of: dict[str, str] = {}
    for titles in groups.values():
        split_of.update(_assign(titles))
    items = []
    pids = list(PROVINCES)
    for fi, (topic, stance, title, body) in enumerate(frames):
        start = rng.randrange(len(pids))
        for k in range(per_frame):
            pid = pids[(start + k) % len(pids)]
            former = rng.random() < 0.4
            ts, bs = _slots(rng, pid, lang, former)
            t, b = _cap(_fill(title, ts)), _fill(body, bs)
            # Forum posts written without diacritics stay that way, province names included.
            nodia = lang == "vi" and (rng.random() < 0.2 or (title.isascii() and body.isascii()))
            if nodia:
                t, b = strip_diacritics(t), strip_diacritics(b)
            items.append(_item(f"{kind}-{lang}-{fi:03d}-{k}", split_of[title], lang, t, b, rng,
                               provinces=[pid], sentiment=STANCE_SENTIMENT[stance], topic=topic,
                               distorted=stance == "dist", factual=stance == "negf", nodia=nodia,
                               style=f"{kind}-{lang}"))
    return items


def _item(iid: str, split: str, lang: str, title: str, body: str, rng: random.Random, *, provinces: list[str],
          sentiment: str | None, topic: str, distorted: bool, factual: bool, nodia: bool, style: str,
          negative_of: str | None = None) -> dict:
    foreign = lang == "en" and rng.random() < 0.7
    return {
        "id": iid, "split": split, "style": style, "language": lang,
        "source_kind": "foreign" if foreign else "domestic",
        "source": "foreign-news" if foreign else "bao-dia-phuong",
        "url": f"https://example.org/{iid}",
        "published": f"2025-{rng.randint(3, 11):02d}-{rng.randint(1, 28):02d}T08:00:00",
        "title": title, "body": body,
        "provinces": provinces, "sentiment": sentiment, "topic": topic,
        "distorted": distorted, "factual_critical": factual, "hard_negative": negative_of is not None,
        "negative_of": negative_of, "no_diacritics": nodia,
        "fabrication_record": distorted and rng.random() < 0.3,
        "syndication": rng.choice([1, 1, 1, 2, 3, 5]),
    }


def _negatives(rng: random.Random) -> list[dict]:
    items = []
    for kind, block, per in (("hardneg", frames_neg.HARD, 2), ("list", frames_neg.LISTS, 2)):
        rows = _parse(block, 6)
        split_of = _assign([r[4] for r in rows])
        for fi, (lang, neg_of, topic, _s, title, body) in enumerate(rows):
            for k in range(per):
                x = person(rng) if lang == "vi" else person_en(rng)
                slots = {"O": rng.choice(OTHER_VI if lang == "vi" else OTHER_EN), "X": x,
                         "N": str(rng.choice([40, 120, 300, 800])), "M": str(rng.randint(2, 9)),
                         "D": f"{rng.randint(1, 28)}/{rng.randint(1, 12)}"}
                t, b = _fill(title, slots), _fill(body, slots)
                nodia = lang == "vi" and k == 1 and rng.random() < 0.5
                if nodia:
                    t, b = strip_diacritics(t), strip_diacritics(b)
                items.append(_item(f"{kind}-{lang}-{fi:03d}-{k}", split_of[title], lang, t, b, rng,
                                   provinces=[], sentiment=None, topic=topic, distorted=False, factual=False,
                                   nodia=nodia, style=kind, negative_of=None if neg_of == "-" else neg_of))
    return items


def build() -> list[dict]:
    rng = random.Random(SEED)
    items = _news("vi", frames_vi.FRAMES, 5, rng, "news")
    items += _news("vi", frames_vi.CONTRAST, 4, rng, "contrast")
    items += _news("en", frames_en.FRAMES, 5, rng, "news")
    items += _negatives(rng)
    items += _news("vi", frames_styles.VI, 4, rng, "styles")
    items += _news("en", frames_styles.EN, 4, rng, "styles")
    # Appended last so the items above keep their text (the RNG runs on in the same order).
    items += _news("vi", frames_voice.VI, 4, rng, "voice")
    items += _news("en", frames_voice.EN, 4, rng, "voice")
    return items


def write(items: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")


def main() -> None:
    items = build()
    write(items, DATA_DIR / "corpus.jsonl")
    from collections import Counter

    print(len(items), Counter(i["split"] for i in items))


if __name__ == "__main__":
    main()
