"""Published clarifications for machines and people: a page per language with schema.org
``ClaimReview`` JSON-LD, and an Atom feed for the provincial portal and the press.

Pure builders over plain dicts (``published``), so ``duluan serve`` and ``duluan site build``
produce the same bytes. Only published cases are public; nothing else leaves through here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from sqlalchemy import select

from duluan.config import Config
from duluan.store import Database
from duluan.store.db import as_utc, guarded
from duluan.store.schema import AppearanceRow, ArticleRow, CaseRow, ClaimRow

RATING = {"vi": "Sai sự thật", "en": "False"}
TITLE = {"vi": "Thông cáo báo chí: làm rõ thông tin", "en": "Press release: clarification"}


@dataclass
class Published:
    id: int
    agency: str
    province: str | None
    published_at: datetime
    notice_number: str | None
    article: dict
    claims: list[dict] = field(default_factory=list)  # {"text", "facts"}
    appearances: list[dict] = field(default_factory=list)  # confirmed copies: {"url", "source", "title", "published"}


@guarded
def published_cases(db: Database, config: Config, case_id: int | None = None) -> list[Published]:
    """Every published case (or the one asked for), newest first."""
    from duluan.cases.workflow import agency_name

    out = []
    with db.session() as s:
        q = select(CaseRow).where(CaseRow.published_at.is_not(None)).order_by(CaseRow.published_at.desc())
        if case_id is not None:
            q = q.where(CaseRow.id == case_id)
        for case in s.scalars(q):
            a = s.get(ArticleRow, case.article_id)
            claims = list(s.scalars(select(ClaimRow).where(ClaimRow.case_id == case.id).order_by(ClaimRow.seq)))
            seen: dict[str, dict] = {}
            for app in s.scalars(select(AppearanceRow).where(
                    AppearanceRow.claim_id.in_([c.id for c in claims]), AppearanceRow.link == "confirmed",
                    AppearanceRow.method != "origin").order_by(AppearanceRow.id)):
                other = s.get(ArticleRow, app.article_id)
                seen.setdefault(other.id, {"url": other.url, "source": other.source, "title": other.title,
                                           "status": app.status})
            out.append(Published(
                id=case.id, agency=agency_name(config, case.agency_id) or "UBND tỉnh", province=case.province,
                published_at=as_utc(case.published_at), notice_number=case.notice_number,
                article={"url": a.url, "title": a.title, "source": a.source,
                         "published": as_utc(a.published).isoformat() if a.published else None},
                claims=[{"text": c.text, "facts": c.facts} for c in claims] or [{"text": a.title, "facts": ""}],
                appearances=list(seen.values())))
    return out


def page_url(base: str, case_id: int, lang: str) -> str:
    url = f"{base.rstrip('/')}/public/clarifications/{case_id}"
    return url + "?lang=en" if lang == "en" else url


def claim_review(p: Published, lang: str, base: str) -> list[dict]:
    """One ``ClaimReview`` per claim, each naming the other language's page as its translation."""
    other = "en" if lang == "vi" else "vi"
    first = {"@type": "CreativeWork", "url": p.article["url"], "headline": p.article["title"],
             "author": {"@type": "Organization", "name": p.article["source"]}}
    if p.article["published"]:
        first["datePublished"] = p.article["published"][:10]
    appearances = [{"@type": "CreativeWork", "url": x["url"], "headline": x.get("title"),
                    "author": {"@type": "Organization", "name": x.get("source")}} for x in p.appearances]
    rel = "translationOfWork" if lang == "en" else "workTranslation"
    return [{
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url(base, p.id, lang),
        "inLanguage": lang,
        "datePublished": p.published_at.date().isoformat(),
        "author": {"@type": "GovernmentOrganization", "name": p.agency},
        "claimReviewed": c["text"],
        "reviewBody": c["facts"],
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                         "alternateName": RATING[lang]},
        "itemReviewed": {"@type": "Claim", "firstAppearance": first, "appearance": [first, *appearances]},
        rel: {"@type": "ClaimReview", "url": page_url(base, p.id, other), "inLanguage": other},
    } for c in p.claims]


def json_ld(p: Published, lang: str, base: str) -> str:
    """The JSON-LD block, safe inside <script>: '<' is escaped so no text can close the element."""
    return json.dumps(claim_review(p, lang, base), ensure_ascii=False, indent=1).replace("<", "\\u003c")


ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(items: list[Published], base: str, now: datetime | None = None) -> bytes:
    """An Atom feed of every published clarification, newest first, with both languages linked."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base.rstrip('/')}/public/clarifications.atom"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = "Thông cáo báo chí làm rõ thông tin / Clarifications"
    updated = max((p.published_at for p in items), default=now or datetime.now(timezone.utc))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base.rstrip('/')}/public/clarifications.atom")
    for p in items:
        e = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(e, f"{{{ATOM}}}id").text = page_url(base, p.id, "vi")
        ET.SubElement(e, f"{{{ATOM}}}title").text = f"{TITLE['vi']}: {p.article['title']}"
        ET.SubElement(e, f"{{{ATOM}}}updated").text = p.published_at.isoformat()
        ET.SubElement(e, f"{{{ATOM}}}published").text = p.published_at.isoformat()
        author = ET.SubElement(e, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = p.agency
        ET.SubElement(e, f"{{{ATOM}}}link", rel="alternate", hreflang="vi", href=page_url(base, p.id, "vi"))
        ET.SubElement(e, f"{{{ATOM}}}link", rel="alternate", hreflang="en", href=page_url(base, p.id, "en"))
        ET.SubElement(e, f"{{{ATOM}}}summary").text = " · ".join(
            f"{c['text']} — {c['facts']}" if c["facts"] else c["text"] for c in p.claims)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def render_page(env, p: Published, lang: str, base: str) -> str:
    """The public page of ``p`` in ``lang`` (``env``: the app's Jinja2 environment)."""
    other = "en" if lang == "vi" else "vi"
    return env.get_template("public_clarification.html").render(
        p=p, lang=lang, other=other, title=TITLE[lang], rating=RATING[lang],
        other_url=page_url("", p.id, other), jsonld=json_ld(p, lang, base))


def build_site(db: Database, config: Config, env, out, base: str) -> dict:
    """Write every public page (both languages) and the feed as static files under ``out``."""
    from pathlib import Path

    out = Path(out)
    items = published_cases(db, config)
    for p in items:
        d = out / "public" / "clarifications"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{p.id}.html").write_text(render_page(env, p, "vi", base), "utf-8")
        (d / f"{p.id}.en.html").write_text(render_page(env, p, "en", base), "utf-8")
    (out / "public").mkdir(parents=True, exist_ok=True)
    (out / "public" / "clarifications.atom").write_bytes(atom_feed(items, base))
    return {"pages": 2 * len(items), "cases": [p.id for p in items], "out": str(out)}
