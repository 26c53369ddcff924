"""Precision and recall of claim spread (cases/spread.py) on the offline press mirror (issue #12).

Each sentence of a mirror article that carries a figure is a claim (the checkable kind a
clarification answers). Its true appearances are the other articles of the same syndication
group (republished copies, lightly edited); every other mirror article, including the other
stories about the same province, must not be proposed. Scored at the configured ``suggest``
and ``confirm`` thresholds, and over a sweep, so the thresholds can be read off the curve:
``python bench/eval_spread.py``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import yaml

from duluan.cases.spread import paragraphs, score
from duluan.classifiers.evaluation import prf
from duluan.config import load_config
from duluan.mirror import ROOT

FIGURE = re.compile(r"\d")


def claims(body: str) -> list[str]:
    out = []
    for p in paragraphs(body):
        for s in re.split(r"(?<=[.!?])\s+", p):
            if FIGURE.search(s) and len(s.split()) >= 8:
                out.append(s)
    return out[:3]


def at(scored: list[tuple[float, bool]], threshold: float) -> dict:
    """Precision and recall of proposing every pair scored at or above ``threshold``."""
    tp = sum(1 for s, t in scored if s >= threshold and t)
    fp = sum(1 for s, t in scored if s >= threshold and not t)
    return {"threshold": threshold, **prf(tp, fp, sum(t for _, t in scored) - tp)}


def run() -> dict:
    cfg = load_config(None)
    entries = json.loads((ROOT / "manifest.json").read_text("utf-8"))
    texts = {e["path"]: f"{e['title']}\n\n{e['gold_body']}" for e in entries}
    groups = defaultdict(set)
    for e in entries:
        if e.get("syndicated_group"):
            groups[e["syndicated_group"]].add(e["path"])
    scored = []  # (score, is_true)
    n_claims = 0
    for e in entries:
        mates = groups.get(e.get("syndicated_group") or "", set()) - {e["path"]}
        if not mates:
            continue
        for claim in claims(e["gold_body"]):
            n_claims += 1
            for path, text in texts.items():
                if path != e["path"]:
                    scored.append((score(claim, text).score, path in mates))

    # Rewrites and translations, written by hand (the mirror's groups are copies, lightly edited).
    hand = []
    for item in yaml.safe_load((Path(__file__).parent / "data" / "spread_claims.yaml").read_text("utf-8")):
        hand += [(score(item["claim"], t).score, True) for t in item["carries"]]
        hand += [(score(item["claim"], t).score, False) for t in item["not"]]

    return {"rewrites": {"pairs": len(hand), "suggest": at(hand, cfg.settings.spread.suggest),
                         "confirm": at(hand, cfg.settings.spread.confirm),
                         "scores_true": sorted(round(s, 2) for s, t in hand if t),
                         "scores_false": sorted(round(s, 2) for s, t in hand if not t)},
            "claims": n_claims, "pairs": len(scored), "true_pairs": sum(t for _, t in scored),
            "suggest": at(scored, cfg.settings.spread.suggest), "confirm": at(scored, cfg.settings.spread.confirm),
            "sweep": [at(scored, t / 20) for t in range(2, 20)],
            "highest_false": round(max((s for s, t in scored if not t), default=0.0), 3),
            "lowest_true": round(min((s for s, t in scored if t), default=0.0), 3)}


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
