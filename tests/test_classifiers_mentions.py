"""Province mentions: hits, hard negatives, clubs, no diacritics, exact spans (classifiers/mentions.py)."""

from __future__ import annotations

import pytest

from duluan.classifiers import Classifier
from duluan.records import Article


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def art(title: str, body: str, lang: str = "vi") -> Article:
    return Article(id="t", url="https://example.org/t", source="s", source_kind="domestic",
                   language=lang, title=title, body=body)


@pytest.mark.parametrize("title,body", [
    ("Viện Hải dương học đón khách", "Các nhà hải dương học ở Nha Trang công bố nghiên cứu mới."),
    ("El Nino trở lại", "Nhiệt độ mặt nước Thái Bình Dương tăng cao; khu vực châu Á – Thái Bình Dương bị ảnh hưởng."),
    ("Ca sĩ Thái Bình ra album", "Anh Thái Bình biểu diễn tại Hà Nội. Ông Nguyễn Vĩnh Long cũng có mặt."),
    ("Công ty Vĩnh Long Food mở cửa hàng", "Tập đoàn Thái Bình và Vĩnh Long Food hợp tác tại TP Hồ Chí Minh."),
    ("Ngập trên đường Hải Phòng", "Đường Hải Phòng, quận Thanh Khê, Đà Nẵng ngập sâu sau mưa, phố Hải Phòng tắc."),
    ("Hải dương mênh mông", "Con người mới khám phá một phần nhỏ của đại hải dương."),
    ("Pacific warming", "Sea temperatures in the Pacific rose; Hai Phong Street in Da Nang flooded.", ),
    ("Singer Thai Binh tours", "Mr Thai Binh and Vinh Long Group sponsor the show in Hanoi."),
    ("Mong thời thái bình", "Khát vọng một đất nước thái bình, thịnh trị."),
])
def test_hard_negatives_not_matched(clf, title, body):
    c = clf.classify(art(title, body))
    assert c.provinces == []
    assert c.mentions == [], [(m.text, m.rule) for m in c.mentions]
    assert c.sentiment is None


def test_club_named_after_province_is_a_mention(clf):
    c = clf.classify(art("CLB Thái Bình thắng đậm", "Thai Binh FC thắng 3-0, cổ động viên Hưng Yên ăn mừng."))
    assert c.provinces == ["hung-yen"]
    assert any(m.text == "CLB Thái Bình" or m.text == "Thai Binh" for m in c.mentions)


@pytest.mark.parametrize("title,body,province", [
    ("Vai thieu Thanh Ha duoc mua", "Nong dan huyen Thanh Ha, tinh Hai Duong cu phan khoi vi duoc gia.", "hai-phong"),
    ("Ca phe Buon Ma Thuot len gia", "Nong dan Dak Lak va Phu Yen cu thu lai lon.", "dak-lak"),
    ("Daklak coffee boom", "Farmers in Daklak and Ban Me Thuot enjoy record prices.", "dak-lak"),
    ("Haiphong port expands", "Lach Huyen port in Haiphong adds two berths.", "hai-phong"),
    ("Bac Giang lychee exports rise", "Luc Ngan growers in Bac Giang, now part of Bac Ninh, sold more fruit.", "bac-ninh"),
    ("Ben Tre coconut farmers", "Farmers in Ben Tre, formerly a province, now Vinh Long, export more.", "vinh-long"),
])
def test_no_diacritics_and_english_spellings(clf, title, body, province):
    assert province in clf.classify(art(title, body, "en")).provinces


def test_spans_are_exact(clf):
    a = art("Hải Phòng và Hải Dương cũ", "UBND TP. Hải Phòng làm việc tại KCN Đình Vũ và huyện Thanh Hà (Hải Dương cũ).")
    c = clf.classify(a)
    assert c.mentions
    for m in c.mentions:
        assert getattr(a, m.field)[m.start:m.end] == m.text
        assert m.field in ("title", "body") and m.rule and m.relevance


def test_passing_mention_in_a_list_is_not_about(clf):
    c = clf.classify(art("Mưa lớn ở miền Bắc",
                         "Mưa lớn gây ngập tại Hà Nội, Hải Phòng, Quảng Ninh, Ninh Bình và Phú Thọ."))
    assert c.provinces == []
    assert any(m.province == "hai-phong" for m in c.mentions)  # reported, but not "about"


def test_person_named_like_a_province_at_sentence_start(clf):
    c = clf.classify(art("Tiền đạo Nguyễn Hải Dương lập cú đúp", "Nguyễn Hải Dương ghi hai bàn giúp Đà Nẵng thắng."))
    assert c.mentions == []


def test_a_unit_without_a_written_profile_is_found_by_name_absorbed_name_and_ward():
    import dataclasses

    from duluan.config.loader import default_config
    from duluan.config.models import ProvincesConfig

    cfg = default_config()
    provinces = ProvincesConfig.model_validate({**cfg.provinces.model_dump(), "monitored": ["quang-tri", "gia-lai"]})
    c = Classifier.load(dataclasses.replace(cfg, provinces=provinces))
    cases = [
        ("Lũ ở Quảng Trị", "Mưa lớn gây ngập sâu tại tỉnh Quảng Trị, nhiều hộ dân phải sơ tán.", ["quang-tri"]),
        ("Du lịch hang động", "Du khách đến tỉnh Quảng Bình cũ tăng mạnh.", ["quang-tri"]),  # absorbed 1 July 2025
        ("Lu o Quang Tri", "Mua lon gay ngap sau tai tinh Quang Tri.", ["quang-tri"]),  # typed without marks
        ("Hội nghị", "Hội nghị diễn ra tại Hà Nội.", []),
    ]
    for title, body, expected in cases:
        assert c.classify(art(title, body)).provinces == expected, body
    # a 2025 ward, with its administrative word, is a mention of its unit (alone it decides nothing)
    got = c.classify(art("Giá cà phê", "Tại phường Pleiku, giá cà phê tăng mạnh."))
    assert [(m.text, m.province) for m in got.mentions] == [("Pleiku", "gia-lai")]


@pytest.mark.parametrize("title,body,lang", [
    # the person is named in full once, then by the given name alone
    ("Em Đỗ Thái Bình giành huy chương vàng bơi lội",
     "Sau ba lượt bơi, Thái Bình về đích đầu tiên. Huấn luyện viên khen Thái Bình có sải tay dài.", "vi"),
    ("Chef Hung Yen opens a noodle bar in Melbourne",
     "Hung Yen, who left Hanoi in 2009, cooks his mother's recipes. Hung Yen says the broth takes a day.", "en"),
    # a company named like the province, then the same name alone
    ("Bac Ninh Trading Pte fined by regulator",
     "The regulator said Bac Ninh had filed late accounts for three years.", "en"),
])
def test_a_name_dropped_as_a_person_or_company_stays_one_in_the_article(clf, title, body, lang):
    c = clf.classify(art(title, body, lang))
    assert c.provinces == [] and c.mentions == [], [(m.text, m.rule) for m in c.mentions]


def test_the_place_of_the_same_name_is_still_the_place(clf):
    """An administrative word or a place preposition before the bare name makes it the province again."""
    c = clf.classify(art("Kỳ thủ Lê Thái Bình vô địch giải trẻ",
                         "Giải cờ vua trẻ tổ chức tại Thái Bình cũ thu hút 200 kỳ thủ. UBND tỉnh Thái Bình cũ trao cúp."))
    found = [(m.province, m.field, m.text) for m in c.mentions]
    assert [f for f in found if f[1] == "body"] == [("hung-yen", "body", "Thái Bình"),
                                                    ("hung-yen", "body", "tỉnh Thái Bình cũ")], found
    assert not [f for f in found if f[1] == "title"], found
