"""Diacritic-aware gazetteer (classifiers/gazetteer.py, issue #13): the writer's diacritics decide,
every 2025 ward with its administrative word, shared names and nicknames need a cue."""

from __future__ import annotations

import pytest

from duluan.classifiers import Classifier
from duluan.classifiers.gazetteer import config_entries
from duluan.classifiers.wards import all_wards, wards_of
from duluan.config.loader import default_config
from duluan.records import Article


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def art(title: str, body: str, lang: str = "vi") -> Article:
    return Article(id="t", url="https://example.org/t", source="s", source_kind="domestic",
                   language=lang, title=title, body=body)


def mentioned(clf, title, body, lang="vi"):
    c = clf.classify(art(title, body, lang))
    return c, {(m.province, m.text) for m in c.mentions}


@pytest.mark.parametrize("title,body", [
    ("Vượt đèn đỏ bị phạt nặng", "Nhiều người vượt đèn đỏ đến độ cảnh sát phải lập chốt."),
    ("Chị Linh bán rau", "Chị Linh cho biết giá rau tăng."),
    ("Phim mới của Lâm Chí Linh", "Nữ diễn viên Lâm Chí Linh trở lại màn ảnh."),
    ("Phổ Hiền thắng giải", "Anh Phổ Hiền nhận giải thưởng âm nhạc."),
    ("Kinh tế biển", "Mỗi thành phố cảng đều cần logistics hiện đại."),
    ("Tỉnh Sơn Đông mở rộng cảng", "Sơn Đông, Trung Quốc, tăng xuất khẩu."),
    ("Nông dân xuống giống vụ Đông Xuân", "Vụ Đông Xuân năm nay được mùa."),
    ("Quận Bình Tân ngập nặng", "Nhiều tuyến đường ở quận Bình Tân, TP Hồ Chí Minh ngập sau mưa."),
])
def test_hard_negatives_of_issue_13_are_not_mentions(clf, title, body):
    c, got = mentioned(clf, title, body)
    assert c.provinces == [] and got == set(), got


@pytest.mark.parametrize("title,body,province,text", [
    ("Phát hiện vụ trộm", "Công an huyện An Dương (Hải Phòng) phát hiện vụ trộm.", "hai-phong", "An Dương"),
    ("Dừa mất giá", "Nông dân xã Phú Túc, huyện Châu Thành, tỉnh Bến Tre lo lắng.", "vinh-long", "Phú Túc"),
    ("Học sinh đạt giải", "Học sinh ở Thái Bình đạt giải quốc gia.", "hung-yen", "Thái Bình"),
    ("Đền Đô đón khách", "Lễ hội đền Đô thu hút nhiều du khách.", "bac-ninh", "đền Đô"),
    ("Chí Linh trồng rừng", "Người dân Chí Linh trồng rừng.", "hai-phong", "Chí Linh"),
])
def test_names_written_with_their_diacritics_match(clf, title, body, province, text):
    _, got = mentioned(clf, title, body)
    assert (province, text) in got, got


@pytest.mark.parametrize("name", ["Hải Dương", "Thái Bình", "Bắc Giang", "Bến Tre", "Trà Vinh", "Phú Yên"])
def test_pre_merger_provinces_are_first_class(clf, name):
    c = clf.classify(art(f"{name} khánh thành bệnh viện mới", f"Bệnh viện đa khoa {name} đi vào hoạt động."))
    assert len(c.provinces) == 1 and any(m.text == name for m in c.mentions)


def test_text_without_diacritics_matches_folded(clf):
    _, got = mentioned(clf, "Den Do le hoi", "Le hoi den Do o Tu Son, Bac Ninh.")
    assert ("bac-ninh", "Bac Ninh") in got and ("bac-ninh", "Tu Son") in got


def test_old_tone_placement_is_the_same_name(clf):
    _, got = mentioned(clf, "Thuỷ Nguyên mở rộng đô thị", "Thành phố Thuỷ Nguyên, Hải Phòng.")
    assert ("hai-phong", "Thuỷ Nguyên") in got


def test_every_2025_ward_of_each_monitored_province_is_in_the_gazetteer():
    cfg = default_config().provinces
    entries = config_entries(cfg)
    wards = {(e.province, e.surface) for e in entries if e.kind == "ward"}
    assert len(all_wards()) > 3000
    for p in cfg.profiles:
        if p.id in cfg.monitored:
            mine = wards_of(p.name)
            assert len(mine) > 50 and all((p.id, w.name) in wards for w in mine)


def test_ward_needs_its_admin_word_or_a_cue(clf):
    # A ward that is only a ward (not also a former district or landmark in config, not shared).
    entries = config_entries(default_config().provinces)
    other = {e.surface for e in entries if e.kind != "ward"}
    ward = next(w for w in wards_of("Hưng Yên") if w.name not in other
                and not any(e.shared for e in entries if e.surface == w.name))
    with_word, _ = mentioned(clf, "Tin địa phương", f"Người dân {ward.admin} {ward.name} phấn khởi đón Tết.")
    bare, got = mentioned(clf, "Tin địa phương", f"Người dân {ward.name} phấn khởi đón Tết.")
    assert any(m.text == ward.name for m in with_word.mentions)
    assert not any(m.text == ward.name for m in bare.mentions), got


def test_shared_name_needs_a_cue_of_the_same_province(clf):
    # Bình Tân is a former district of Vĩnh Long and a ward of Hồ Chí Minh City.
    bare, _ = mentioned(clf, "Lúa mất giá", "Nông dân Bình Tân lo lắng vì lúa mất giá.")
    cued, _ = mentioned(clf, "Lúa mất giá", "Nông dân Bình Tân, tỉnh Vĩnh Long lo lắng vì lúa mất giá.")
    assert not any(m.text == "Bình Tân" for m in bare.mentions)
    assert any(m.text == "Bình Tân" for m in cued.mentions)


def test_delegate_constituency_is_a_low_relevance_mention(clf):
    c = clf.classify(art("Quốc hội thảo luận luật đất đai",
                         "Tại phiên họp, đại biểu Nguyễn Văn An (Thái Bình) đề nghị sửa điều 12. "
                         "Nhiều đại biểu đồng tình."))
    m = [m for m in c.mentions if m.text == "Thái Bình"]
    assert m and m[0].relevance == "constituency" and c.provinces == []


def test_relevance_headline_lead_body(clf):
    body = "Sáng nay, Hải Phòng khai trương cảng mới. " + "Dự án có vốn lớn. " * 30 + "Hải Phòng kỳ vọng nhiều."
    c = clf.classify(art("Hải Phòng mở cảng", body))
    rel = [m.relevance for m in c.mentions if m.text == "Hải Phòng"]
    assert rel == ["headline", "lead", "body"]


@pytest.mark.parametrize("title,kept", [
    ("Ca sĩ trẻ Thanh Hà ra album mới", False),  # occupation + modifier + name: a person
    ("Cầu thủ trẻ Hải Dương ghi bàn", False),
    ("Bà con Hải Phòng đón Tết", True),  # "bà con": the people of Hải Phòng
])
def test_person_words_with_a_modifier(clf, title, kept):
    c = clf.classify(art(title, "Tin tức trong ngày."))
    assert bool(c.mentions) is kept, [(m.text, m.rule) for m in c.mentions]
