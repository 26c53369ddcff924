"""The spread of a claim: where else it appears, scored, proposed, confirmed or rejected (issue #12).

    score(claim passage, candidate text) ─▶ (score, method, passage)
        copy       the claim's words, folded, appear whole in the candidate            1.0
        near_copy  most of the claim's word 3-shingles appear in one paragraph       containment
        rewrite    the same names, places and figures (any language: compared folded)
                   with some of the same words                                       0.6·anchors + 0.4·words

A proposal at or above ``settings.spread.suggest`` is *suggested* to an analyst; at or above
``settings.spread.confirm`` it is *confirmed* at once. An analyst's decision is never
overwritten by a later proposal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from duluan.config import Config
from duluan.store import Database
from duluan.store.db import as_utc, guarded, utcnow
from duluan.store.schema import AppearanceRow, ArticleRow, CaseRow, ClaimRow
from duluan.text import canonical, fold

_WORD = re.compile(r"\w+", re.U)
_TOKEN = re.compile(r"\w+|[^\w\s]", re.U)
_FIGURE = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*(?![^\W\d_])")  # 3.000, 40%; not the 3 of "m3"
_PARAGRAPH = re.compile(r"\n+|(?<=[.!?…])\s+(?=[^\W\d_\"“])")
SHINGLE = 3
AUTO_REWRITE_CAP = 0.79  # below any sensible ``spread.confirm``: such a rewrite is suggested, never linked alone


@dataclass(frozen=True)
class Match:
    score: float
    method: str
    passage: str


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def anchors(text: str) -> set[str]:
    """Names and figures of ``text``, folded (so "Hải Phòng" in Vietnamese = "Hai Phong" in English)."""
    out: set[str] = set()
    run: list[str] = []
    # A name: two or more capitalised words in a row (Hải Phòng, Lạch Huyện, Nguyễn Văn An), or an acronym.
    for w in [*_TOKEN.findall(text), ""]:  # punctuation ends a name: "Dương Kinh (Hải Phòng)" is two
        if w and w[0].isupper() and not w.isdigit():
            run.append(w)
            if len(w) >= 2 and w.isupper():
                out.add(fold(w))
            continue
        if len(run) >= 2:
            out.add(fold(" ".join(run)))
        run = []
    out |= {re.sub(r"[.,]", "", m.group(0)) for m in _FIGURE.finditer(text) if len(m.group(0)) > 1 or
            m.group(0) != "0"}
    return {a for a in out if a}


def _parts(anchor: str) -> set[str]:
    """A name and its runs of two words or more: "cang lach huyen" is also "lach huyen"."""
    words = anchor.split()
    if len(words) < 2:
        return {anchor}
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)}


def _shared(claim_anchors: set[str], theirs: set[str]) -> set[str]:
    """The claim's anchors that ``theirs`` names, a name counting when part of it is named there
    (a sentence's first word is capitalised: "Cảng Lạch Huyện" is "cảng Lạch Huyện" elsewhere;
    "Vinh Long Provincial General Hospital" names Vinh Long)."""
    pool = set().union(*(_parts(a) for a in theirs)) if theirs else set()
    return {a for a in claim_anchors if _parts(a) & pool}


def paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in _PARAGRAPH.split(text) if p and p.strip()]
    # windows of two sentences, so a claim split over a sentence break is still found whole
    return parts + [f"{a} {b}" for a, b in zip(parts, parts[1:])]


def score(claim: str, text: str) -> Match:
    """How strongly ``text`` carries ``claim``; the passage that carries it."""
    cw = _words(claim)
    if not cw:
        return Match(0.0, "none", "")
    folded_claim = " ".join(cw)
    best = Match(0.0, "none", "")
    claim_sh, claim_anchors, claim_set = _shingles(cw), anchors(claim), set(cw)
    for p in paragraphs(text):
        pw = _words(p)
        if not pw:
            continue
        if folded_claim in " ".join(pw):
            return Match(1.0, "copy", p)
        contained = len(claim_sh & _shingles(pw)) / len(claim_sh)
        if contained > best.score:
            best = Match(round(contained, 3), "near_copy", p)
        if len(claim_anchors) >= 2:
            pa = anchors(p)
            common = _shared(claim_anchors, pa)
            shared = len(common) / len(claim_anchors)
            words = len(claim_set & set(pw)) / len(claim_set)
            rewrite = 0.6 * shared + 0.4 * words
            figures = {a for a in claim_anchors if a.isdigit()}
            theirs = {a for a in pa if a.isdigit()}
            if figures and theirs and not figures & theirs:
                rewrite *= 0.6  # the same story with other figures is more likely an answer than a copy
            if len(common) < 3:
                # a place and a number are in many stories: linking without an analyst needs a third anchor
                rewrite = min(rewrite, AUTO_REWRITE_CAP)
            rewrite = round(rewrite, 3)
            if rewrite > best.score:
                best = Match(rewrite, "rewrite", p)
    return best


def link_for(s: float, config: Config) -> str | None:
    if s >= config.settings.spread.confirm:
        return "confirmed"
    if s >= config.settings.spread.suggest:
        return "suggested"
    return None


def _article_text(a: ArticleRow) -> str:
    return f"{a.title}\n{a.body}"


@guarded
def propose(db: Database, config: Config, claim_id: int, article_ids: list[str] | None = None,
            limit: int = 20000) -> list[dict]:
    """Score articles against a claim and add the appearances above the thresholds; returns them."""
    now = utcnow()
    out = []
    with db.session.begin() as s:
        claim = s.get(ClaimRow, claim_id)
        case = s.get(CaseRow, claim.case_id)
        known = {r.article_id for r in s.scalars(select(AppearanceRow).where(AppearanceRow.claim_id == claim_id))}
        q = select(ArticleRow).where(ArticleRow.id != case.article_id)
        if article_ids is not None:
            q = q.where(ArticleRow.id.in_(article_ids))
        for a in s.scalars(q.order_by(ArticleRow.published.desc()).limit(limit)):
            if a.id in known:
                continue  # an earlier proposal or an analyst's decision stands
            m = score(claim.text, _article_text(a))
            link = link_for(m.score, config)
            if link is None:
                continue
            row = AppearanceRow(claim_id=claim_id, article_id=a.id, link=link, score=m.score, method=m.method,
                                passage=m.passage[:4000], decided_by="auto" if link == "confirmed" else None,
                                created_at=now)
            s.add(row)
            s.flush()
            out.append(describe(row, a))
    return out


@guarded
def match_new_articles(db: Database, config: Config, article_ids: list[str]) -> list[dict]:
    """Newly stored articles against every claim of a case not yet closed; each new suggestion or
    confirmation joins its case and the case's agency is told (alert queue, kind ``appearance``)."""
    if not article_ids:
        return []
    with db.session() as s:
        claim_ids = list(s.scalars(select(ClaimRow.id).join(CaseRow, CaseRow.id == ClaimRow.case_id)
                                   .where(CaseRow.status != "closed")))
    found = []
    for cid in claim_ids:
        for p in propose(db, config, cid, list(article_ids)):
            found.append({**p, "claim_id": cid})
            _tell_agency(db, config, cid, p)
    return found


def _tell_agency(db: Database, config: Config, claim_id: int, appearance: dict) -> None:
    from duluan.store.schema import AlertRow

    with db.session.begin() as s:
        case = s.get(CaseRow, s.get(ClaimRow, claim_id).case_id)
        if not case.agency_id:
            return
        agency = config.agencies.get(case.agency_id)
        if not agency.email or s.scalar(select(AlertRow.id).where(
                AlertRow.article_id == appearance["article_id"], AlertRow.channel_id == f"agency:{agency.id}",
                AlertRow.kind == "appearance")) is not None:
            return
        base = config.settings.web_base_url.rstrip("/")
        s.add(AlertRow(
            rule_id="claim-appearance", article_id=appearance["article_id"], channel_id=f"agency:{agency.id}",
            kind="appearance", case_id=case.id, status="pending", attempts=0, created_at=utcnow(),
            payload={"to": [agency.email],
                     "subject": f"[duluan] Hồ sơ {case.id}: nội dung sai xuất hiện thêm / the claim appears again",
                     "text": f"{appearance['source']}: {appearance['title']}\n{appearance['url']}\n"
                             f"{'đã xác nhận / confirmed' if appearance['link'] == 'confirmed' else 'đề xuất / suggested'}"
                             f" ({appearance['score']:.2f})\n{base}/cases/{case.id}"}))


def describe(row: AppearanceRow, article: ArticleRow | None) -> dict:
    return {"id": row.id, "article_id": row.article_id, "url": article.url if article else None,
            "source": article.source if article else None, "title": article.title if article else None,
            "link": row.link, "score": row.score, "method": row.method, "status": row.status,
            "checked_at": as_utc(row.checked_at).isoformat() if row.checked_at else None,
            "changed_at": as_utc(row.changed_at).isoformat() if row.changed_at else None, "diff": row.diff}


def claims_of(s, case_id: int) -> list[dict]:
    """The claims of a case with their appearances, the case's own article first (inside a session)."""
    out = []
    for c in s.scalars(select(ClaimRow).where(ClaimRow.case_id == case_id).order_by(ClaimRow.seq)):
        apps = []
        for r in s.scalars(select(AppearanceRow).where(AppearanceRow.claim_id == c.id)
                           .order_by((AppearanceRow.method != "origin"), AppearanceRow.score.desc(), AppearanceRow.id)):
            apps.append(describe(r, s.get(ArticleRow, r.article_id)))
        out.append({"id": c.id, "seq": c.seq, "text": c.text, "facts": c.facts, "field": c.field, "start": c.start,
                    "span": [c.start, c.end] if c.start is not None else None,
                    "end": c.end, "evidence": c.evidence or [], "appearances": apps})
    return out
