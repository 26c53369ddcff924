"""Re-checks (issue #12): every confirmed appearance of a published claim is fetched again and
marked ``unchanged``, ``corrected``, ``removed`` or ``unreachable``, with a diff of its passage.

    fetch (guarded crawler: robots, rate limits, conditional GET)
      304                              unchanged (the outlet says nothing changed)
      404 / 410                        removed
      network error, 5xx, timeout      unreachable (retried next pass; never taken for removed)
      200, no article text             removed
      200, the claim still scores ≥ confirm and no correction note    unchanged
      200, otherwise                   corrected
Each 200 is kept as evidence (raw bytes and SHA-256) like any crawled page.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from sqlalchemy import select

from duluan.config import Config
from duluan.config.models import Source
from duluan.errors import ExtractError, FetchError
from duluan.store import Database
from duluan.store import articles as store
from duluan.store.db import guarded, utcnow
from duluan.store.schema import AppearanceRow, ArticleRow, CaseRow, ClaimRow
from duluan.text import fold

from .spread import score

# Notes outlets add when they correct a story (folded, so they match with or without marks).
CORRECTION_NOTES = re.compile(r"\b(dinh chinh|cai chinh|xin loi ban doc|correction|corrected|clarification|"
                              r"editor'?s note|this article has been (?:updated|amended))\b")


def _source_for(config: Config, article: ArticleRow) -> Source:
    for s in config.sources.sources:
        if s.id == article.source:
            return s
    return Source(id=article.source, name=article.source, kind=article.source_kind
                  if article.source_kind in ("domestic", "foreign", "official") else "domestic")


def classify_fetch(claim: str, old_passage: str, new_text: str | None, confirm: float,
                   new_body: str | None = None) -> tuple[str, str]:
    """(status, passage now) of one appearance from the text fetched now (None: no article text).

    The passage now is the body paragraph closest to the passage before, so the diff shows
    what the outlet did to it (a headline echoing the story is not that paragraph).
    """
    if new_text is None:
        return "removed", ""
    m = score(claim, new_text)
    if m.score >= confirm and not CORRECTION_NOTES.search(fold(new_text)):
        return "unchanged", m.passage
    after = score(old_passage or claim, new_body or new_text).passage
    return "corrected", after


def passage_diff(before: str, after: str) -> str:
    return "\n".join(difflib.unified_diff([before], [after], "trước / before", "sau / after", lineterm="", n=0))


@guarded
def due(db: Database, config: Config, now: datetime | None = None, force: bool = False) -> list[int]:
    """Confirmed appearances of published claims whose last check is older than the interval."""
    from datetime import timedelta

    now = now or utcnow()
    cutoff = now - timedelta(hours=config.settings.spread.recheck_hours)
    with db.session() as s:
        q = (select(AppearanceRow.id, AppearanceRow.checked_at).join(ClaimRow, ClaimRow.id == AppearanceRow.claim_id)
             .join(CaseRow, CaseRow.id == ClaimRow.case_id)
             .where(AppearanceRow.link == "confirmed", CaseRow.published_at.is_not(None)))
        rows = s.execute(q.order_by(AppearanceRow.id)).all()
    from duluan.store.db import as_utc

    return [i for i, checked in rows if force or checked is None or as_utc(checked) <= cutoff]


def recheck(db: Database, config: Config, crawler=None, now: datetime | None = None, force: bool = True) -> dict:
    """One pass over the appearances due; returns counts and each outcome."""
    from duluan.crawlers import Crawler
    from duluan.pipeline.extract import extract

    own = crawler is None
    crawler = crawler or Crawler(db, config.settings.crawl)
    counts = {"unchanged": 0, "corrected": 0, "removed": 0, "unreachable": 0}
    outcomes = []
    try:
        for app_id in due(db, config, now, force):
            with db.session() as s:
                app = s.get(AppearanceRow, app_id)
                claim = s.get(ClaimRow, app.claim_id)
                article = s.get(ArticleRow, app.article_id)
                claim_text, old_passage, url, previous = claim.text, app.passage, article.url, app.status
                source = _source_for(config, article)
            sha = None
            try:
                page = crawler.fetch(source, url)
                sha = page.sha256
                store.save_page(db, page, app.article_id)
                try:
                    text = extract(page, source)
                    new_text, new_body = f"{text.title}\n{text.body}", text.body
                except ExtractError:
                    new_text = new_body = None
                status, passage = classify_fetch(claim_text, old_passage, new_text, config.settings.spread.confirm,
                                                 new_body)
            except FetchError as e:
                if e.message.startswith("HTTP 304"):
                    status, passage = "unchanged", old_passage
                elif e.message.startswith(("HTTP 404", "HTTP 410")):
                    status, passage = "removed", ""
                else:
                    status, passage = "unreachable", old_passage
            when = now or utcnow()
            with db.session.begin() as s:
                app = s.get(AppearanceRow, app_id)
                app.checked_at = when
                if status != "unreachable" and status != previous:
                    app.changed_at = when
                    app.diff = passage_diff(old_passage, passage) if status != "unchanged" else None
                if status != "unreachable":  # an outage tells nothing of the outlet's choice
                    app.status = status
                elif app.status is None:
                    app.status = "unreachable"
                if sha:
                    app.last_sha256 = sha
            counts[status] += 1
            outcomes.append({"appearance": app_id, "article_id": app.article_id, "url": url, "status": status})
    finally:
        if own:
            crawler.close()
    return {**counts, "checked": len(outcomes), "outcomes": outcomes}
