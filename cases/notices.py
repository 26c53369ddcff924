"""The clarification notice (thông cáo báo chí giải thích, làm rõ) as .docx.

Layout after Nghị định 30/2020/NĐ-CP, Phụ lục I: a two-column heading (left: the
superior body and the issuing agency in capitals, then số / ký hiệu; right: quốc hiệu,
tiêu ngữ, then the place and date line in italics), the title THÔNG CÁO BÁO CHÍ and
its subject, the body, and a two-column foot (left: nơi nhận; right: the signature
block). Times New Roman 13–14 pt, margins 20/20/30/15 mm. Every text comes from a
template in ``config/templates/notice.<lang>.yaml``.

Pure: records in, bytes out; no database, no network.

Placeholders the templates may use: province, unit_upper (TỈNH … / THÀNH PHỐ …), province_en,
unit_upper_en, agency, agency_upper, agency_en, symbol, number, place, day, month,
month_name, year, outlet, title, url, published, n, claim, facts, evidence, signer, name.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from duluan.config.models import Agency
from duluan.text import strip_diacritics

from .templates import load_template

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


@dataclass(frozen=True)
class Claim:
    text: str
    facts: str = ""
    evidence: tuple[str, ...] = ()
    start: int | None = None  # the claim's span in the stored article text, when it comes from there
    end: int | None = None


@dataclass
class Notice:
    """Everything a notice says; ``cases/workflow.py`` fills it from the case."""

    lang: str  # vi | en
    agency: Agency
    province: str  # the bare name, e.g. Hải Phòng
    number: str
    issued: date
    outlet: str
    article_title: str
    article_url: str
    article_published: date | None
    claims: list[Claim] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)  # names of who receives it, besides the archive
    signer: str = ""
    province_kind: str = "province"  # province | city


# XML 1.0 forbids most control characters; crawled titles and bodies are untrusted and may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _font(doc: Document, size: float = 13) -> None:
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(size)
    # Word picks the East Asian slot for some Vietnamese runs; name the font there too.
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "Times New Roman")
    style.paragraph_format.space_after = Pt(4)


def _para(container, text: str, *, bold=False, italic=False, underline=False, size: float | None = None,
          align=WD_ALIGN_PARAGRAPH.CENTER, indent: bool = False):
    p = container.add_paragraph()
    p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    run = p.add_run(xml_safe(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return p


def _grid(doc: Document, widths_mm: tuple[float, float]):
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, w in zip(table.rows[0].cells, widths_mm):
        cell.width = Mm(w)
        cell.paragraphs[0].text = ""
    return table.rows[0].cells


def _values(n: Notice) -> dict[str, str]:
    place = n.province
    province_en = strip_diacritics(n.province)
    city = n.province_kind == "city"
    unit = ("THÀNH PHỐ " if city else "TỈNH ") + n.province.upper()
    unit_en = province_en.upper() + (" CITY" if city else " PROVINCE")
    published = n.article_published.strftime("%d/%m/%Y") if n.article_published else "—"
    return {
        "province": n.province, "unit_upper": unit, "province_en": province_en, "unit_upper_en": unit_en, "agency": n.agency.name, "agency_upper": n.agency.name.upper(),
        "agency_en": n.agency.name_en or n.agency.name, "symbol": n.agency.symbol or n.agency.id.upper(),
        "number": n.number, "place": place, "day": f"{n.issued.day:02d}", "month": f"{n.issued.month:02d}",
        "month_name": MONTHS_EN[n.issued.month - 1], "year": str(n.issued.year), "outlet": n.outlet,
        "title": n.article_title, "url": n.article_url, "published": published, "signer": n.signer,
    }


def build_notice(n: Notice, config_dir=None) -> bytes:
    """The notice as .docx bytes."""
    t = load_template(f"notice.{n.lang}", config_dir)
    v = _values(n)
    doc = Document()
    _font(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    doc.core_properties.title = t("title", **v)
    doc.core_properties.language = n.lang

    left, right = _grid(doc, (70, 95))
    left.paragraphs[0].text = t("superior", **v)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    issuer = (n.agency.name if n.lang == "vi" else v["agency_en"]).upper()
    _para(left, issuer, bold=True)
    _para(left, t("number", **v), size=13)
    run = right.paragraphs[0].add_run(t("quoc_hieu", **v))
    run.bold = True
    run.font.size = Pt(12)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(right, t("tieu_ngu", **v), bold=True, underline=True, size=13)
    _para(right, t("place_date", **v), italic=True)

    doc.add_paragraph()
    _para(doc, t("title", **v), bold=True, size=14)
    _para(doc, t("subtitle", **v), bold=True)
    body = WD_ALIGN_PARAGRAPH.JUSTIFY
    _para(doc, t("intro", **v), align=body, indent=True)
    for i, c in enumerate(n.claims, 1):
        _para(doc, t("claim", **v | {"n": str(i), "claim": c.text}), align=body, indent=True, bold=True)
        facts = t("facts", **v | {"facts": c.facts}) if c.facts.strip() else t("facts_missing", **v)
        _para(doc, facts, align=body, indent=True)
        if c.evidence:
            _para(doc, t("evidence", **v | {"evidence": "; ".join(c.evidence)}), align=body, indent=True,
                  italic=True)
    _para(doc, t("closing", **v), align=body, indent=True)

    foot_left, foot_right = _grid(doc, (80, 85))
    head = foot_left.paragraphs[0].add_run(t("recipients_heading", **v))
    head.bold, head.italic = True, True
    head.font.size = Pt(12)
    foot_left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    for name in n.recipients:
        _para(foot_left, t("recipient_line", **v | {"name": name}), size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(foot_left, t("recipients_last", **v), size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    sig = foot_right.paragraphs[0].add_run(t("signer_title", **v))
    sig.bold = True
    foot_right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(foot_right, t("signer_note", **v), italic=True, size=12)
    foot_right.add_paragraph()
    foot_right.add_paragraph()
    _para(foot_right, t("signer_name", **v), bold=True)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


_SENTENCE_END = re.compile(r"[.!?…][\"”’)]?(?=\s)|\n")


def claims_from_evidence(title: str, body: str, evidence: list, limit: int = 5) -> list[Claim]:
    """Default claims: the sentence of the article around each distinct evidence span.

    Evidence offsets index the stored ``title`` or ``body`` (``e.field``).
    """
    out: list[Claim] = []
    seen: set[str] = set()
    for e in evidence:
        text = title if getattr(e, "field", "body") == "title" else body
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        start = max((b for b in ends if b <= e.start), default=0)
        end = min((b for b in ends if b >= e.end), default=len(text))
        sentence = " ".join(text[start:end].split()).strip() or e.text
        if sentence not in seen:
            seen.add(sentence)
            out.append(Claim(sentence[:600], start=start, end=end))
        if len(out) >= limit:
            break
    return out
