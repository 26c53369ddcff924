"""The 6-monthly / annual report on external-information work, as .docx.

Coverage by source kind, sentiment, topic and month (a table each, and a matplotlib
chart by month); the flagged items with the analysts' decisions; cases, their
outcomes and response times (median and worst, by agency); the province's report
deadlines. The analysts' triage decisions win over the classifier everywhere.
Texts come from ``config/templates/report.yaml``.

``collect`` reads the record; ``render`` is pure (numbers in, bytes out).
"""

from __future__ import annotations

import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select

from duluan.config import Config
from duluan.store import Database
from duluan.store.db import as_utc, guarded
from duluan.store.schema import ArticleRow, CaseRow

from .notices import xml_safe
from .templates import load_template
from .triage import all_decisions
from .workflow import agency_name, province_profile

SENTIMENTS = ("negative", "neutral", "positive", None)
SENTIMENT_NAMES = {"negative": "tiêu cực / negative", "neutral": "trung tính / neutral",
                   "positive": "tích cực / positive", None: "không xác định / none"}
KIND_NAMES = {"domestic": "trong nước / domestic", "foreign": "nước ngoài / foreign",
              "official": "chính thống / official"}


@dataclass
class ReportData:
    start: date
    end: date
    province: str | None
    articles: int = 0
    flagged: int = 0
    confirmed: int = 0
    dismissed: int = 0
    by_kind: Counter = field(default_factory=Counter)
    flagged_by_kind: Counter = field(default_factory=Counter)
    by_sentiment: Counter = field(default_factory=Counter)
    by_topic: Counter = field(default_factory=Counter)
    flagged_by_topic: Counter = field(default_factory=Counter)
    by_month: Counter = field(default_factory=Counter)
    flagged_by_month: Counter = field(default_factory=Counter)
    flagged_items: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)

    def response_hours(self, agency: str | None = None) -> list[float]:
        return [c["hours"] for c in self.cases if c["hours"] is not None and (agency is None or c["agency"] == agency)]

    def summary(self) -> dict:
        hours = self.response_hours()
        by_agency = {}
        for agency in sorted({c["agency"] or "—" for c in self.cases}):
            h = self.response_hours(agency) if agency != "—" else []
            by_agency[agency] = {"cases": sum(1 for c in self.cases if (c["agency"] or "—") == agency),
                                 "published": sum(1 for c in self.cases if (c["agency"] or "—") == agency
                                                  and c["published"]),
                                 "median_hours": round(statistics.median(h), 2) if h else None,
                                 "worst_hours": round(max(h), 2) if h else None}
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "province": self.province,
                "articles": self.articles, "flagged": self.flagged, "confirmed": self.confirmed,
                "dismissed": self.dismissed, "cases": len(self.cases),
                "published": sum(1 for c in self.cases if c["published"]),
                "outcomes": dict(Counter(c["status"] for c in self.cases)),
                "median_hours": round(statistics.median(hours), 2) if hours else None,
                "worst_hours": round(max(hours), 2) if hours else None, "by_agency": by_agency,
                "by_source_kind": dict(self.by_kind), "by_sentiment": {str(k): v for k, v in self.by_sentiment.items()},
                "by_topic": {str(k): v for k, v in self.by_topic.items()}, "by_month": dict(sorted(self.by_month.items()))}


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time.min, timezone.utc),
            datetime.combine(end + timedelta(days=1), time.min, timezone.utc))


@guarded
def collect(db: Database, config: Config, start: date, end: date, province: str | None = None) -> ReportData:
    lo, hi = _window(start, end)
    data = ReportData(start, end, province)
    decisions = all_decisions(db)
    when = func.coalesce(ArticleRow.published, ArticleRow.fetched_at)
    with db.session() as s:
        rows = s.execute(select(ArticleRow.id, ArticleRow.title, ArticleRow.source, ArticleRow.source_kind,
                                ArticleRow.provinces, ArticleRow.sentiment, ArticleRow.topic, ArticleRow.flagged,
                                ArticleRow.published, ArticleRow.fetched_at, ArticleRow.severity)
                         .where(when >= lo, when < hi).order_by(ArticleRow.published))
        for r in rows:
            d = decisions.get(r.id, {})
            provinces = [d["province"]] if d.get("province") else list(r.provinces or [])
            if not provinces or (province and province not in provinces):
                continue  # the report is about the province(s), not every article crawled
            topic = d.get("topic") or r.topic
            flagged = (bool(r.flagged) and d.get("decision") != "dismiss") or d.get("decision") == "confirm"
            month = as_utc(r.published or r.fetched_at).strftime("%Y-%m")
            data.articles += 1
            data.by_kind[r.source_kind] += 1
            data.by_sentiment[r.sentiment] += 1
            data.by_topic[topic] += 1
            data.by_month[month] += 1
            data.confirmed += d.get("decision") == "confirm"
            data.dismissed += d.get("decision") == "dismiss"
            if flagged:
                data.flagged += 1
                data.flagged_by_kind[r.source_kind] += 1
                data.flagged_by_topic[topic] += 1
                data.flagged_by_month[month] += 1
                data.flagged_items.append({
                    "id": r.id, "date": as_utc(r.published or r.fetched_at).date().isoformat(), "title": r.title,
                    "source": r.source, "topic": topic, "severity": r.severity, "decision": d.get("decision")})
        q = select(CaseRow).where(CaseRow.opened_at >= lo, CaseRow.opened_at < hi).order_by(CaseRow.id)
        for c in s.scalars(q):
            if province and c.province != province:
                continue
            published = as_utc(c.published_at)
            hours = (published - as_utc(c.opened_at)).total_seconds() / 3600 if published else None
            data.cases.append({"id": c.id, "status": c.status, "agency": c.agency_id, "published": published is not None,
                               "hours": hours, "outcome": c.outcome})
    data.flagged_items.sort(key=lambda i: (-(i["severity"] or 0), i["date"]))
    return data


def _chart(data: ReportData, t) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # no display: reports are built on servers
    import matplotlib.pyplot as plt

    months = sorted(data.by_month) or [data.start.strftime("%Y-%m")]
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=150)
    xs = range(len(months))
    ax.bar([x - 0.2 for x in xs], [data.by_month[m] for m in months], width=0.4, label=t("chart_all"), color="#4e79a7")
    ax.bar([x + 0.2 for x in xs], [data.flagged_by_month[m] for m in months], width=0.4, label=t("chart_flagged"),
           color="#e15759")
    ax.set_xticks(list(xs), months, rotation=45, ha="right", fontsize=8)
    ax.set_title(t("chart_title"), fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _table(doc, headers: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(h).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = "" if v is None else xml_safe(str(v))


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "—"


def _hours(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def render(data: ReportData, config: Config, issued: date | None = None, config_dir=None) -> bytes:
    """The report as .docx bytes (pure)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from .notices import _font, _grid, _para

    t = load_template("report", config_dir)
    issued = issued or date.today()
    pname, _kind = province_profile(config, data.province or config.provinces.monitored[0])
    scope = pname if data.province else ", ".join(province_profile(config, p)[0] for p in config.provinces.monitored)
    issuer = agency_name(config, config.settings.cases.press_office) or ""
    v = {"province": scope, "start": data.start.strftime("%d/%m/%Y"), "end": data.end.strftime("%d/%m/%Y"),
         "place": pname, "day": f"{issued.day:02d}", "month": f"{issued.month:02d}", "year": str(issued.year),
         "issuer_upper": issuer.upper()}
    s = data.summary()

    doc = Document()
    _font(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    doc.core_properties.title = t("title")
    left, right = _grid(doc, (70, 95))
    left.paragraphs[0].add_run(t("issuer", **v)).bold = True
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].add_run(t("quoc_hieu")).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(right, t("tieu_ngu"), bold=True, underline=True)
    _para(right, t("place_date", **v), italic=True)
    doc.add_paragraph()
    _para(doc, t("title"), bold=True, size=14)
    _para(doc, t("subtitle", **v), bold=True)
    _para(doc, t("summary", **v, articles=data.articles, flagged=data.flagged, confirmed=data.confirmed,
                 dismissed=data.dismissed, cases=s["cases"], published=s["published"]),
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)

    doc.add_heading(t("h_coverage"), level=1)
    doc.add_heading(t("h_source_kind"), level=2)
    _table(doc, [t("col_kind"), t("col_count"), t("col_share"), t("col_flagged")],
           [[KIND_NAMES.get(k, k), n, _pct(n, data.articles), data.flagged_by_kind[k]]
            for k, n in data.by_kind.most_common()])
    doc.add_heading(t("h_sentiment"), level=2)
    _table(doc, [t("col_kind"), t("col_count"), t("col_share")],
           [[SENTIMENT_NAMES.get(k, str(k)), data.by_sentiment[k], _pct(data.by_sentiment[k], data.articles)]
            for k in SENTIMENTS if data.by_sentiment[k]])
    doc.add_heading(t("h_topic"), level=2)
    labels = {r.topic: r.label for r in config.routing.routes}
    _table(doc, [t("col_topic"), t("col_count"), t("col_flagged")],
           [[labels.get(k, k or "—"), n, data.flagged_by_topic[k]] for k, n in data.by_topic.most_common()])
    doc.add_heading(t("h_month"), level=2)
    _table(doc, [t("col_month"), t("col_count"), t("col_flagged")],
           [[m, data.by_month[m], data.flagged_by_month[m]] for m in sorted(data.by_month)])
    doc.add_picture(io.BytesIO(_chart(data, t)), width=Mm(160))
    _para(doc, t("chart_caption"), italic=True, size=11)

    doc.add_heading(t("h_flagged"), level=1)
    if data.flagged_items:
        _table(doc, [t("col_date"), t("col_title"), t("col_outlet"), t("col_topic"), t("col_decision")],
               [[i["date"], i["title"], i["source"], labels.get(i["topic"], i["topic"] or "—"),
                 i["decision"] or "—"] for i in data.flagged_items[:100]])
    else:
        _para(doc, t("none"), align=WD_ALIGN_PARAGRAPH.LEFT)

    doc.add_heading(t("h_cases"), level=1)
    _para(doc, t("response_note", median=_hours(s["median_hours"]) + " h", worst=_hours(s["worst_hours"]) + " h"),
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    doc.add_heading(t("h_response"), level=2)
    _table(doc, [t("col_agency"), t("col_cases"), t("col_published"), t("col_median"), t("col_worst")],
           [[agency_name(config, a) if a != "—" else "—", r["cases"], r["published"], _hours(r["median_hours"]),
             _hours(r["worst_hours"])] for a, r in s["by_agency"].items()] or [[t("none"), 0, 0, "—", "—"]])
    if data.cases:
        doc.add_paragraph()
        _table(doc, [t("col_case"), t("col_agency"), t("col_status"), t("col_hours")],
               [[c["id"], agency_name(config, c["agency"]) or "—", c["status"], _hours(c["hours"])]
                for c in data.cases])

    doc.add_heading(t("h_deadline"), level=1)
    provinces = [data.province] if data.province else config.provinces.monitored
    for pid in provinces:
        profile = config.provinces.profile(pid)
        for d in profile.report_deadlines:
            _para(doc, f"{profile.name} — " + t("deadline_line", name=d.name, day=f"{d.day:02d}", month=f"{d.month:02d}"),
                  align=WD_ALIGN_PARAGRAPH.LEFT)
    for p in doc.paragraphs:
        for r in p.runs:
            if r.font.size is None:
                r.font.size = Pt(13)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def build_report(db: Database, config: Config, start: date, end: date,
                 province: str | None = None) -> tuple[bytes, dict]:
    """The report's .docx bytes and its numbers (what the JSON of ``duluan report`` prints)."""
    data = collect(db, config, start, end, province)
    return render(data, config), data.summary()

