"""Topic and routing: agencies resolved to the agency current on the article date (2025 names)."""

from __future__ import annotations

from datetime import date, datetime

from duluan.classifiers import Classifier
from duluan.classifiers.topic import route
from duluan.config.loader import default_config
from duluan.records import Article


def test_agencies_use_2025_names():
    cfg = default_config()
    got = route("investment", cfg.routing, cfg.agencies, date(2025, 9, 1))
    assert "so-tai-chinh" in got and "so-khdt" not in got
    assert "ban-tuyen-giao-dan-van" in got and "so-vhttdl" in got
    land = route("land_environment", cfg.routing, cfg.agencies, date(2025, 9, 1))
    assert land[0] == "so-nn-mt"


def test_classifier_routes_on_article_date():
    clf = Classifier.load()
    a = Article(id="t", url="u", source="s", source_kind="domestic", language="vi",
                title="Cá chết hàng loạt trên sông ở Bến Tre cũ",
                body="Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long lấy mẫu nước, phát hiện ô nhiễm vượt ngưỡng.",
                published=datetime(2025, 8, 1))
    c = clf.classify(a)
    assert c.topic == "land_environment"
    assert c.agencies[0] == "so-nn-mt"
    assert not {"so-tn-mt", "so-nn-ptnt", "ban-tuyen-giao", "so-tttt"} & set(c.agencies)


def test_severity_in_range_and_no_province_low():
    clf = Classifier.load()
    a = Article(id="t", url="u", source="s", source_kind="domestic", language="vi",
                title="Viện Hải dương học", body="Nghiên cứu về Thái Bình Dương.")
    c = clf.classify(a)
    assert 0.0 <= c.severity <= 1.0 and c.severity < 0.3
