"""The text of an alert, Vietnamese first, built from the article and its evidence."""

from __future__ import annotations

from dataclasses import dataclass

from duluan.config.models import AlertRule
from duluan.records import Article

_SENTIMENT = {"negative": "tiêu cực / negative", "neutral": "trung tính / neutral", "positive": "tích cực / positive"}


@dataclass(frozen=True)
class AlertMessage:
    rule_id: str
    article_id: str
    subject: str
    text: str
    payload: dict


def build_message(rule: AlertRule, article: Article, base_url: str, case_id: int | None = None) -> AlertMessage:
    c = article.classification
    assert c is not None
    link = f"{base_url.rstrip('/')}/articles/{article.id}"
    case_link = f"{base_url.rstrip('/')}/cases/{case_id}" if case_id is not None else None
    lines = [
        f"Quy tắc / rule: {rule.name}",
        f"Bài / article: {article.title}",
        f"Nguồn / source: {article.source} ({article.source_kind}) — {article.url}",
        f"Ngày đăng / published: {article.published.isoformat() if article.published else '—'}",
        f"Tỉnh / provinces: {', '.join(c.provinces)}",
        f"Sắc thái / sentiment: {_SENTIMENT.get(c.sentiment or '', '—')}",
        f"Mức độ / severity: {c.severity:.2f}; sai lệch / distortion: {c.distortion_score:.2f}",
        f"Chủ đề / topic: {c.topic or '—'}; cơ quan / agencies: {', '.join(c.agencies) or '—'}",
    ]
    if c.evidence:
        lines.append("Dấu hiệu / evidence:")
        lines += [f"  - [{e.signal}] «{e.text}» — {e.explanation}" for e in c.evidence[:10]]
    lines.append(f"Xem / open: {link}")
    if case_link:
        lines.append(f"Hồ sơ / case: {case_link}")
    flag = "SAI LỆCH" if c.distorted else "TIÊU CỰC"
    subject = f"[duluan] {flag}: {article.title[:120]}"
    payload = {"rule": rule.id, "article": article.to_dict() | {"body": article.body[:2000]}, "link": link,
               "case": case_id, "case_link": case_link}
    return AlertMessage(rule.id, article.id, subject, "\n".join(lines), payload)
