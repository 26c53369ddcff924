"""Severity in [0, 1]: how urgently the press office should look at an item.

Negativity and distortion carry most of the weight; reach (foreign outlets,
many outlets carrying the same story) and topic (security, sovereignty and
religion touch the police and propaganda board) raise it. Tuned so that a
factual negative story in one domestic outlet stays below the 0.6 flag line
(``Classification.flagged``) and a distorted story or a widely syndicated,
foreign negative story on a sensitive topic goes above it.
"""

from __future__ import annotations

import math

TOPIC_WEIGHT = {
    "security": 1.0, "sovereignty": 1.0, "religion_ethnicity": 1.0, "corruption": 0.8,
    "land_environment": 0.7, "industrial_labour": 0.7, "foreign_affairs": 0.7, "government": 0.6,
    "health": 0.5, "investment": 0.5, "traffic_construction": 0.4, "education": 0.4,
    "trade_industry": 0.4, "culture_tourism": 0.3,
}


def reach(kind: str, syndication: int) -> float:
    """0.3 for one domestic outlet, up to 1.0 for a foreign story carried by 10+ outlets."""
    base = 0.6 if kind == "foreign" else 0.3
    spread = min(math.log10(max(syndication, 1)), 1.0) * 0.4
    return min(base + spread, 1.0)


def severity(p_negative: float, distortion: float, kind: str, syndication: int,
             topic: str | None, has_province: bool) -> float:
    """Weighted sum: 0.45 negativity, 0.3 distortion, 0.15 reach, 0.1 topic; ×0.3 without a province."""
    s = (0.45 * p_negative + 0.3 * distortion + 0.15 * reach(kind, syndication)
         + 0.1 * TOPIC_WEIGHT.get(topic or "", 0.3))
    if not has_province:
        s *= 0.3
    return round(max(0.0, min(1.0, s)), 3)
