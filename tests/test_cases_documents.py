"""The notice and the report as .docx, opened and read back: text, tables, the chart image."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import docx
import pytest

from cases_support import article, seed
from duluan.cases import workflow
from duluan.cases.notices import Claim, Notice, build_notice
from duluan.cases.reports import build_report
from duluan.cases.templates import load_template
from duluan.cases.triage import decide
from duluan.config import load_config
from duluan.errors import ConfigError
from duluan.store import open_database


@pytest.fixture
def cfg():
    return load_config()


def _all_text(d) -> str:
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _notice(cfg, lang: str) -> docx.Document:
    n = Notice(lang=lang, agency=cfg.agencies.get("cong-an"), province="Hải Phòng", province_kind="city",
               number="07", issued=date(2026, 3, 9), outlet="Tin Example", article_title="Hải Phòng: tin đồn thất thiệt",
               article_url="https://tin.example.com/a", article_published=date(2026, 3, 1),
               claims=[Claim("Hàng trăm người bị bắt", "Không có ai bị bắt; Công an thành phố đã xác minh", ("bien-ban.pdf",)),
                       Claim("Chính quyền giấu số liệu")],
               recipients=["Ban Tuyên giáo và Dân vận Tỉnh ủy", "Sở Văn hóa, Thể thao và Du lịch"])
    return docx.Document(io.BytesIO(build_notice(n)))


def test_the_vietnamese_notice_has_every_part_of_the_administrative_format(cfg):
    d = _notice(cfg, "vi")
    head_left, head_right = (c.text for c in d.tables[0].rows[0].cells)
    assert head_left.splitlines() == ["UBND THÀNH PHỐ HẢI PHÒNG", "CÔNG AN TỈNH", "Số: 07/TCBC-CAT"]
    assert head_right.splitlines() == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                       "Hải Phòng, ngày 09 tháng 03 năm 2026"]
    body = [p.text for p in d.paragraphs]
    assert "THÔNG CÁO BÁO CHÍ" in body
    intro = next(p for p in body if p.startswith("Ngày 01/03/2026"))
    assert "Tin Example" in intro and "“Hải Phòng: tin đồn thất thiệt”" in intro and "https://tin.example.com/a" in intro
    i = body.index("1. Bài viết nêu: “Hàng trăm người bị bắt”")
    assert body[i + 1] == "Sự thật: Không có ai bị bắt; Công an thành phố đã xác minh"
    assert body[i + 2] == "Tài liệu kèm theo: bien-ban.pdf"
    assert "2. Bài viết nêu: “Chính quyền giấu số liệu”" in body
    assert any("Cơ quan chủ trì bổ sung" in p for p in body)  # an unanswered claim says so
    foot_left, foot_right = (c.text for c in d.tables[1].rows[0].cells)
    assert foot_left.splitlines() == ["Nơi nhận:", "- Ban Tuyên giáo và Dân vận Tỉnh ủy;",
                                      "- Sở Văn hóa, Thể thao và Du lịch;", "- Lưu: VT, CAT."]
    assert foot_right.splitlines()[:2] == ["THỦ TRƯỞNG CƠ QUAN", "(Ký tên, đóng dấu)"]
    assert d.styles["Normal"].font.name == "Times New Roman"


def test_the_english_notice_for_foreign_outlets(cfg):
    text = _all_text(_notice(cfg, "en"))
    for part in ("SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness", "PRESS RELEASE",
                 "No. 07/TCBC-CAT", "Hai Phong, March 09, 2026", "PEOPLE'S COMMITTEE OF HAI PHONG CITY",
                 "The article claims: “Hàng trăm người bị bắt”", "Provincial Police", "Recipients:"):
        assert part in text, part
    assert "THÔNG CÁO" not in text


def test_templates_are_files_and_a_bad_placeholder_names_the_file(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "notice.vi.yaml").write_text('title: "THÔNG CÁO {nope}"\n', "utf-8")
    t = load_template("notice.vi", tmp_path)
    with pytest.raises(ConfigError, match=r"notice\.vi\.yaml.*\{nope\}"):
        t("title", number="1")


def test_a_drafted_notice_names_the_article_and_is_kept_on_the_case(tmp_path, cfg):
    db = open_database(f"sqlite:///{tmp_path / 'n.db'}")
    u = seed(db, cfg, article())
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec")["id"]
    workflow.route(db, cfg, u["ana"], cid, auto=True)
    data, case = workflow.draft(db, cfg, u["police"], cid)
    text = _all_text(docx.Document(io.BytesIO(data)))
    assert "Hải Phòng: tin đồn thất thiệt về vụ bắt giữ" in text and "https://tin.example.com/art-sec" in text
    # without claims from the agency, the sentence around the classifier's evidence is the claim
    assert "“Theo một nguồn tin giấu tên, hàng trăm người đã bị bắt.”" in text
    assert "01/09/2025" in text and f"Số: {cid:02d}/TCBC-CAT" in text
    assert workflow.notice_bytes(db, cfg, u["lead"], cid) == data
    (claim,) = workflow.show(db, cfg, u["ana"], cid)["claims"]
    a = article()
    assert a.body[claim["span"][0]:claim["span"][1]].strip() == claim["text"]  # the span indexes the body
    assert case["notice_sha256"] and case["status"] == "drafted"
    db.close()


def test_the_report_counts_coverage_and_response_times_with_a_table_and_a_chart(tmp_path, cfg):
    db = open_database(f"sqlite:///{tmp_path / 'r.db'}")
    arts = [article("a1"), article("a2", topic="land_environment", title="Vĩnh Long: cướp đất", province="vinh-long"),
            article("a3", topic="health", severity=0.2, distorted=False)]
    arts[2].classification.sentiment = "positive"
    arts[1].published = datetime(2025, 10, 3, tzinfo=timezone.utc)
    u = seed(db, cfg, *arts)
    decide(db, cfg, u["ana"], "a2", "dismiss", "Tin đúng")
    t0 = datetime(2025, 11, 1, 8, tzinfo=timezone.utc)
    cid = workflow.open_case(db, cfg, u["ana"], "a1", now=t0)["id"]
    workflow.route(db, cfg, u["ana"], cid, auto=True, now=t0)
    workflow.draft(db, cfg, u["police"], cid, now=t0 + timedelta(hours=5))
    workflow.approve(db, cfg, u["lead"], cid, now=t0 + timedelta(hours=8))
    workflow.publish(db, cfg, u["ana"], cid, now=t0 + timedelta(hours=10))
    open_one = workflow.open_case(db, cfg, u["ana"], "a3", now=t0)["id"]
    workflow.route(db, cfg, u["ana"], open_one, agency="so-y-te", now=t0)

    data, s = build_report(db, cfg, date(2025, 7, 1), date(2025, 12, 31))
    assert (s["articles"], s["flagged"], s["dismissed"], s["cases"], s["published"]) == (3, 1, 1, 2, 1)
    assert s["by_agency"]["cong-an"] == {"cases": 1, "published": 1, "median_hours": 10.0, "worst_hours": 10.0}
    assert s["by_agency"]["so-y-te"]["median_hours"] is None and s["median_hours"] == 10.0
    assert s["by_month"] == {"2025-09": 2, "2025-10": 1}
    d = docx.Document(io.BytesIO(data))
    rows = {tuple(c.text for c in r.cells) for t in d.tables for r in t.rows}
    assert ("nước ngoài / foreign", "3", "100.0%", "1") in rows
    assert ("Công an tỉnh", "1", "1", "10.0", "10.0") in rows
    assert ("2025-10", "1", "0") in rows
    assert len(d.inline_shapes) == 1
    images = [p for p in d.part.package.parts if p.content_type == "image/png"]
    assert len(images) == 1 and images[0].blob[:8] == b"\x89PNG\r\n\x1a\n"
    text = _all_text(d)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Báo cáo 6 tháng" in text

    only = build_report(db, cfg, date(2025, 7, 1), date(2025, 12, 31), "vinh-long")[1]
    assert (only["articles"], only["cases"]) == (1, 0)
    db.close()


def test_control_characters_in_crawled_text_do_not_break_the_documents(tmp_path, cfg):
    db = open_database(f"sqlite:///{tmp_path / 'h.db'}")
    hostile = article("art-x", title="Hải Phòng\x00: tin\x0b giả\x1f <w:t>")
    u = seed(db, cfg, hostile)
    cid = workflow.open_case(db, cfg, u["ana"], "art-x")["id"]
    workflow.route(db, cfg, u["ana"], cid, auto=True)
    data, _ = workflow.draft(db, cfg, u["police"], cid)
    assert "Hải Phòng: tin giả <w:t>" in _all_text(docx.Document(io.BytesIO(data)))
    report, _s = build_report(db, cfg, date(2025, 1, 1), date(2025, 12, 31))
    assert "Hải Phòng: tin giả <w:t>" in _all_text(docx.Document(io.BytesIO(report)))
    db.close()
