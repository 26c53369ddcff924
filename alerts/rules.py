"""Which alert rules an article fires. Pure: article and rules in, rules out."""

from __future__ import annotations

from duluan.config.models import AlertRule
from duluan.records import Article


def fires(rule: AlertRule, article: Article) -> bool:
    c = article.classification
    if c is None or not c.provinces:
        return False  # alerts are about the monitored provinces only
    if rule.distorted_only and not c.distorted:
        return False
    if c.severity < rule.min_severity:
        return False
    if rule.topics and c.topic not in rule.topics:
        return False
    if rule.sentiments and c.sentiment not in rule.sentiments:
        return False
    if rule.provinces and not set(rule.provinces) & set(c.provinces):
        return False
    return rule.distorted_only or rule.min_severity > 0 or c.flagged


def matching_rules(rules: list[AlertRule], article: Article) -> list[AlertRule]:
    return [r for r in rules if fires(r, article)]
