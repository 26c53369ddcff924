"""Topic (from ``config/routing.yaml``) and the agencies it routes to on the article's date.

The trained topic model decides when it is confident; otherwise the routing
seed keywords (plus the English and extra seeds below) vote, so a new topic
added to routing.yaml works before anyone labels data for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from duluan.config.models import AgenciesConfig, RoutingConfig
from duluan.text import fold

from .phrases import WholeWords

# Extra seeds (folded) — English and common Vietnamese words the config lists do not carry.
EXTRA_SEEDS: dict[str, list[str]] = {
    "security": ["police", "arrest", "crime", "drug", "smuggling", "cong an", "hostile", "reactionary", "lua dao", "trom"],
    "religion_ethnicity": ["religion", "church", "pagoda", "ethnic", "human rights", "ngo", "giao xu", "tin nguong", "khmer"],
    "sovereignty": ["sovereignty", "border", "island", "fishermen", "fishing boat", "east sea", "south china sea", "hai phan"],
    "culture_tourism": ["festival", "tourism", "tourists", "heritage", "football", "club", "clb", "v-league", "visitors", "du lich", "le hoi"],
    "investment": ["investment", "investor", "fdi", "oda", "capital", "budget", "billion", "von dau tu", "usd"],
    "trade_industry": ["export", "trade", "factory", "manufacturing", "prices", "xuat khau", "nong san", "thi truong"],
    "industrial_labour": ["industrial park", "industrial zone", "workers", "strike", "wages", "foreign workers", "kcn", "cong nhan"],
    "land_environment": ["land", "pollution", "environment", "farmers", "rice", "saltwater", "drought", "flood", "erosion", "sat lo", "lu"],
    "health": ["hospital", "doctor", "health", "disease", "poisoning", "patients", "benh nhan", "vaccine"],
    "education": ["school", "students", "teachers", "exam", "tuition", "university", "hoc sinh", "truong"],
    "traffic_construction": ["traffic", "accident", "bridge", "expressway", "road", "construction", "airport", "port", "tai nan", "cao toc"],
    "corruption": ["corruption", "bribe", "bribery", "misconduct", "inspectorate", "embezzlement", "tham o", "nhung nhieu"],
    "foreign_affairs": ["ambassador", "diplomatic", "delegation", "foreign press", "consul", "dai su quan", "ngoai giao"],
    "government": ["people's committee", "chairman", "council", "merger", "spokesperson", "administrative", "chinh quyen"],
}


class TopicRules:
    def __init__(self, routing: RoutingConfig):
        self.topics = [r.topic for r in routing.routes]
        # One automaton over every seed, each seed voting for the topics that list it: one pass
        # over the text instead of one per topic (issue #13, speed).
        self._topics_of: dict[str, list[str]] = {}
        for r in routing.routes:
            for seed in {fold(k) for k in r.keywords} | set(EXTRA_SEEDS.get(r.topic, [])):
                self._topics_of.setdefault(seed, []).append(r.topic)
        self._seeds = WholeWords(self._topics_of)

    def scores(self, text: str, title_len: int, folded: str | None = None) -> dict[str, float]:
        folded = fold(text) if folded is None else folded
        out: dict[str, float] = {}
        for a, b in self._seeds.spans(folded):
            w = 2.0 if a < title_len else 1.0
            for topic in self._topics_of.get(folded[a:b], ()):
                out[topic] = out.get(topic, 0.0) + w
        return out


# The model's answer stands from this probability on; below it the keywords vote too.
CONFIDENT = 0.45


def choose_topic(model_probs: dict[str, float] | None, rule_scores: Callable[[], dict[str, float]]) -> str | None:
    """Model when confident (p ≥ ``CONFIDENT``), else model and keywords together, else keywords alone.

    ``rule_scores`` is called only when the keywords are needed: a confident model saves
    scanning the whole article for them (issue #13, speed).
    """
    if model_probs:
        best = max(model_probs, key=model_probs.get)
        if model_probs[best] >= CONFIDENT:
            return best
        rules = rule_scores()
        if not rules:
            return best
        total = sum(rules.values())
        mixed = {t: model_probs.get(t, 0.0) + 0.5 * rules.get(t, 0.0) / total
                 for t in set(model_probs) | set(rules)}
        return max(mixed, key=mixed.get)
    rules = rule_scores()
    if rules:
        return max(rules, key=rules.get)
    return None


def route(topic: str | None, routing: RoutingConfig, agencies: AgenciesConfig, on: date) -> list[str]:
    """Lead, then support agencies, then ``always_inform`` — each the agency current on ``on``."""
    ids: list[str] = []
    r = routing.route(topic) if topic else None
    for a in ([*r.lead, *r.support] if r else []) + list(routing.always_inform):
        cur = agencies.current(a, on).id
        if cur not in ids:
            ids.append(cur)
    return ids
