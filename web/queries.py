"""Read models of the pages: the triage queue, an article's evidence page, dashboard counts.

Reads only; every write goes through ``cases`` (which fences and audits it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, cast, func, or_, select

from duluan.cases import triage
from duluan.store import Database
from duluan.store.db import as_utc, guarded, utcnow
from duluan.store.schema import ArticleRow, CaseRow, PageRow, TriageRow

SIGNAL_WORDS = {
    "sweeping_claim": "quy chụp / sweeping claim", "accusatory_question": "câu hỏi buộc tội / accusatory question",
    "rhetorical_question": "câu hỏi tu từ / rhetorical question", "anonymous_source": "nguồn giấu tên / anonymous source",
    "no_source": "không nguồn chính thức / no official source", "incitement": "kích động / incitement",
    "loaded_language": "ngôn từ kích động / loaded language", "recycled_material": "tư liệu cũ / recycled material",
    "cover_up": "quy kết che giấu / cover-up framing", "speculation": "suy đoán / speculation",
    "unsourced_figure": "số liệu không nguồn / unsourced figure", "scare_quotes": "ngoặc kép mỉa / scare quotes",
    "no_reply": "không có phản hồi / no right of reply", "contradicts_official": "trái thông tin chính thức / contradicts an official statement",
    "contradiction": "trái thông tin chính thức / contradicts an official statement",
    "fabrication_record": "nguồn từng bịa tin / outlet with a record",
}


@dataclass
class QueueRow:
    id: str
    title: str
    source: str
    source_kind: str
    url: str
    first_seen: datetime | None
    published: datetime | None
    severity: float
    distorted: bool
    topic: str | None
    provinces: list[str]
    reasons: list[str]
    copies: int = 1
    decision: str | None = None
    case_id: int | None = None
    case_status: str | None = None
    agency: str | None = None
    due: datetime | None = None


@dataclass
class Filters:
    province: str | None = None
    kind: str | None = None
    topic: str | None = None
    status: str = "open"  # open (not dismissed) | untriaged | confirmed | dismissed | all
    extra: dict = field(default_factory=dict)


def reasons_of(evidence: list[dict], n: int = 3) -> list[str]:
    out: list[str] = []
    for e in evidence or []:
        signal = e.get("signal", "")
        word = SIGNAL_WORDS.get(signal, signal.replace("_", " "))
        if word and word not in out:
            out.append(word)
    return out[:n]


@guarded
def queue(db: Database, f: Filters, limit: int = 50, offset: int = 0) -> tuple[int, list[QueueRow]]:
    """Flagged articles, worst first, with their triage state, case and story-cluster size."""
    # The newest decision of each row, looked up through ix_triage_article_latest, keeps the plan on
    # ix_articles_queue: the page reads its 50 rows in index order instead of sorting every flagged one.
    decision = (select(TriageRow.decision).where(TriageRow.article_id == ArticleRow.id)
                .order_by(TriageRow.id.desc()).limit(1).correlate(ArticleRow).scalar_subquery())
    q = select(ArticleRow.id).where(ArticleRow.flagged.is_(True))
    if f.kind:
        q = q.where(ArticleRow.source_kind == f.kind)
    if f.topic:
        q = q.where(ArticleRow.topic == f.topic)
    if f.status == "open":
        q = q.where(or_(decision.is_(None), decision != "dismiss"))
    elif f.status == "untriaged":
        q = q.where(decision.is_(None))
    elif f.status in ("confirm", "confirmed"):
        q = q.where(decision == "confirm")
    elif f.status in ("dismiss", "dismissed"):
        q = q.where(decision == "dismiss")
    if f.province:  # provinces is a JSON list; its text form holds '"id"' on SQLite and PostgreSQL alike
        q = q.where(cast(ArticleRow.provinces, String).like(f'%"{f.province}"%'))
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
        ids = list(s.scalars(q.order_by(ArticleRow.flagged.desc(), ArticleRow.severity.desc(),
                                        ArticleRow.published.desc(), ArticleRow.id.desc())
                             .limit(limit).offset(offset)))
        rows = {a.id: a for a in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids)))} if ids else {}
        latest = triage.effective(db, ids)
        page = [(rows[i], latest[i]["decision"] if i in latest else None) for i in ids if i in rows]
        clusters = [r[0].cluster_id for r in page if r[0].cluster_id]
        sizes = dict(s.execute(select(ArticleRow.cluster_id, func.count()).where(ArticleRow.cluster_id.in_(clusters))
                               .group_by(ArticleRow.cluster_id)).all()) if clusters else {}
        cases: dict[str, CaseRow] = {}
        if ids:
            for c in s.scalars(select(CaseRow).where(CaseRow.article_id.in_(ids)).order_by(CaseRow.id)):
                cases[c.article_id] = c  # the newest case wins
        out = []
        for a, decision in page:
            c = cases.get(a.id)
            out.append(QueueRow(
                id=a.id, title=a.title, source=a.source, source_kind=a.source_kind, url=a.url,
                first_seen=as_utc(a.created_at), published=as_utc(a.published), severity=a.severity or 0.0,
                distorted=bool(a.distorted), topic=a.topic, provinces=list(a.provinces or []),
                reasons=reasons_of(a.evidence), copies=sizes.get(a.cluster_id, 1), decision=decision,
                case_id=c.id if c else None, case_status=c.status if c else None,
                agency=c.agency_id if c else None, due=as_utc(c.due_at) if c and c.status not in
                ("published", "closed") else None))
        return total, out


@guarded
def snapshots(db: Database, article_id: str) -> list[dict]:
    """Each kept fetch of the article: hash, time, status and URL (not the bytes)."""
    with db.session() as s:
        rows = s.execute(select(PageRow.sha256, PageRow.fetched_at, PageRow.status, PageRow.final_url)
                         .where(PageRow.article_id == article_id).order_by(PageRow.id)).all()
    return [{"sha256": r[0], "fetched_at": as_utc(r[1]), "status": r[2], "url": r[3]} for r in rows]


@guarded
def cluster(db: Database, cluster_id: str | None, exclude: str) -> list[dict]:
    """The other outlets that carry the same story."""
    if not cluster_id:
        return []
    with db.session() as s:
        rows = s.execute(select(ArticleRow.id, ArticleRow.source, ArticleRow.title, ArticleRow.published,
                                ArticleRow.url).where(ArticleRow.cluster_id == cluster_id, ArticleRow.id != exclude)
                         .order_by(ArticleRow.published)).all()
    return [{"id": r[0], "source": r[1], "title": r[2], "published": as_utc(r[3]), "url": r[4]} for r in rows]


@guarded
def case_of_article(db: Database, article_id: str) -> CaseRow | None:
    with db.session() as s:
        return s.scalar(select(CaseRow).where(CaseRow.article_id == article_id).order_by(CaseRow.id.desc()).limit(1))


@guarded
def dashboard(db: Database) -> dict:
    """Counts for the dashboard: coverage by month, sentiment by province, sources, topics, cases by agency."""
    now = utcnow()
    with db.session() as s:
        months = Counter()
        sentiment: dict[str, Counter] = defaultdict(Counter)
        for published, provinces, sent in s.execute(
                select(ArticleRow.published, ArticleRow.provinces, ArticleRow.sentiment)):
            if published is not None:
                months[as_utc(published).strftime("%Y-%m")] += 1
            for p in provinces or []:
                sentiment[p][sent or "neutral"] += 1
        sources = s.execute(select(ArticleRow.source, func.count()).group_by(ArticleRow.source)
                            .order_by(func.count().desc()).limit(10)).all()
        topics = s.execute(select(ArticleRow.topic, func.count()).where(ArticleRow.topic.is_not(None))
                           .group_by(ArticleRow.topic).order_by(func.count().desc()).limit(10)).all()
        kinds = dict(s.execute(select(ArticleRow.source_kind, func.count()).group_by(ArticleRow.source_kind)).all())
        flagged = s.scalar(select(func.count()).select_from(ArticleRow).where(ArticleRow.flagged.is_(True))) or 0
        by_agency: dict[str, Counter] = defaultdict(Counter)
        for agency, status, due in s.execute(select(CaseRow.agency_id, CaseRow.status, CaseRow.due_at)):
            if status in ("published", "closed"):
                by_agency[agency or "—"]["done"] += 1
            elif due is not None and as_utc(due) < now:
                by_agency[agency or "—"]["overdue"] += 1
            else:
                by_agency[agency or "—"]["open"] += 1
    return {
        "months": sorted(months.items())[-24:],
        "sentiment": sorted(((p, dict(c)) for p, c in sentiment.items()), key=lambda x: -sum(x[1].values()))[:10],
        "sources": [(a, n) for a, n in sources],
        "topics": [(t, n) for t, n in topics],
        "kinds": kinds,
        "flagged": flagged,
        "articles": sum(kinds.values()),
        "cases": sorted(((a, dict(c)) for a, c in by_agency.items()), key=lambda x: x[0]),
    }
