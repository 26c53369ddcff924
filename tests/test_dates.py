"""Publication dates (pipeline/dates.py): every by-line form, publication before update, not related links."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from lxml import html

from duluan.pipeline.dates import VN_TZ, parse_relative, parse_vietnamese_date, published_date

NOW = datetime(2025, 11, 28, 9, 0, tzinfo=VN_TZ)


@pytest.mark.parametrize(("text", "expected"), [
    ("Thứ Ba, 25/11/2025 - 14:30", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("25-11-2025 | 14:30 GMT+7", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("Cập nhật: 14:30 25/11/2025", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("14h30, 25/11/2025", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("Đăng ngày 25 tháng 11 năm 2025, lúc 14:30", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("25/11/2025 07:30 GMT+0", datetime(2025, 11, 25, 7, 30, tzinfo=timezone.utc)),
    # a 12-hour clock with seconds: 2:30 PM is 14:30, and 12:10 AM ten past midnight (not noon)
    ("25/11/2025 2:30:41 PM", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("12:10 AM | 25/11/2025", datetime(2025, 11, 25, 0, 10, tzinfo=VN_TZ)),
    ("Đăng ngày 25 tháng 11 năm 2025, lúc 9:05 p.m.", datetime(2025, 11, 25, 21, 5, tzinfo=VN_TZ)),
    # year first, as some CMSs print it
    ("Ngày đăng: 2025-11-25 14:30", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("2025/11/25", datetime(2025, 11, 25, tzinfo=VN_TZ)),
    # one line, published then updated: the first date, whichever form each takes
    ("Thứ Ba, 25/11/2025 - 14:30 | Cập nhật: 15:00 26/11/2025", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("2025-11-20 | cập nhật 25/11/2025", datetime(2025, 11, 20, tzinfo=VN_TZ)),
    # the Vietnamese locale's 12-hour clock: SA (sáng) and CH (chiều)
    ("25/11/2025 02:30 CH", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("12:10:00 SA 25/11/2025", datetime(2025, 11, 25, 0, 10, tzinfo=VN_TZ)),
    # hours and minutes in words, and a clock before a date that has none
    ("14 giờ 30 phút ngày 25/11/2025", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("Lúc 8:15, ngày 25 tháng 11 năm 2025", datetime(2025, 11, 25, 8, 15, tzinfo=VN_TZ)),
    # "25 Tháng 11, 2025", as WordPress prints it in Vietnamese
    ("25 Tháng 11, 2025", datetime(2025, 11, 25, tzinfo=VN_TZ)),
    # the foreign press: English month names, either order
    ("November 25, 2025 2:30 PM GMT+7", datetime(2025, 11, 25, 14, 30, tzinfo=VN_TZ)),
    ("Published Tue, Sept. 9, 2025", datetime(2025, 9, 9, tzinfo=VN_TZ)),
    ("25 Nov 2025 07:30 GMT+0", datetime(2025, 11, 25, 7, 30, tzinfo=timezone.utc)),
])
def test_byline_forms(text, expected):
    assert parse_vietnamese_date(text) == expected


@pytest.mark.parametrize(("text", "delta"), [
    ("2 giờ trước", timedelta(hours=2)), ("30 phút trước", timedelta(minutes=30)),
    ("3 ngày trước", timedelta(days=3)), ("hôm qua", timedelta(days=1)), ("1 tuần trước", timedelta(weeks=1)),
    ("45 giây trước", timedelta(seconds=45)), ("Vừa xong", timedelta(0)),
    ("3 hours ago", timedelta(hours=3)), ("5 mins ago", timedelta(minutes=5)), ("2 days ago", timedelta(days=2)),
])
def test_relative_dates_count_back_from_the_fetch(text, delta):
    assert parse_relative(text, NOW) == NOW - delta


@pytest.mark.parametrize(("text", "expected"), [
    ("Hôm qua lúc 14:30", datetime(2025, 11, 27, 14, 30, tzinfo=VN_TZ)),
    ("08:05 hôm nay", datetime(2025, 11, 28, 8, 5, tzinfo=VN_TZ)),
])
def test_yesterday_and_today_take_their_clock(text, expected):
    assert parse_relative(text, NOW) == expected


def _date(body: str, head: str = "", feed: datetime | None = None) -> datetime | None:
    tree = html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return published_date(tree, "https://bao.example.vn/a.html", VN_TZ, now=NOW, feed_date=feed)


def test_publication_line_wins_over_an_update_line_before_it():
    body = ("<div class='meta'><span class='date-update'>Cập nhật: 16:00 26/11/2025</span></div>"
            "<div class='date'>Thứ Ba, 25/11/2025 - 14:30</div>")
    assert _date(body) == datetime(2025, 11, 25, 7, 30, tzinfo=timezone.utc)


def test_one_line_with_publication_then_update_gives_the_publication():
    body = "<div class='post-time'>Đăng lúc 2:30 PM 25/11/2025 · Cập nhật lúc 9:00 AM 26/11/2025</div>"
    assert _date(body) == datetime(2025, 11, 25, 7, 30, tzinfo=timezone.utc)


def test_an_update_line_alone_is_the_date():
    assert _date("<span class='date'>Cập nhật: 14:30 25/11/2025</span>") == datetime(2025, 11, 25, 7, 30,
                                                                                       tzinfo=timezone.utc)


def test_dates_of_related_links_are_not_the_article_date():
    body = ("<div class='box-hot'><ul><li><a href='/x'>Tin khác</a><span class='time'>01/12/2025 08:00</span></li></ul></div>"
            "<div class='article'><p class='byline'><span class='date'>(Dân trí) -</span></p>"
            "<p>Nội dung bài viết dài.</p></div>")
    assert _date(body, feed=datetime(2025, 11, 20, 1, 0, tzinfo=timezone.utc)) == \
        datetime(2025, 11, 20, 1, 0, tzinfo=timezone.utc)  # no by-line date: the feed's


def test_publication_markup_beats_the_byline_and_modified_markup():
    head = ("<meta property='article:modified_time' content='2025-11-27T10:00:00+07:00'>"
            "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2025-11-25T14:30:00+07:00\","
            " \"dateModified\": \"2025-11-27T10:00:00+07:00\"}</script>")
    assert _date("<div class='date'>27/11/2025 10:00</div>", head) == datetime(2025, 11, 25, 7, 30, tzinfo=timezone.utc)


def test_relative_byline():
    assert _date("<span class='time-ago'>2 giờ trước</span>") == (NOW - timedelta(hours=2)).astimezone(timezone.utc)


def test_foreign_press_byline_with_an_english_date():
    body = ("<article><div class='article-header'><time class='byline-date'>November 25, 2025 2:30 PM GMT+7"
            "</time> <span class='updated'>Updated 3 hours ago</span></div><p>Text of the report.</p></article>")
    assert _date(body) == datetime(2025, 11, 25, 7, 30, tzinfo=timezone.utc)
