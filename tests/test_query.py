"""The query language (index/query.py): one parser, one tokeniser, for every backend."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

import pytest

from duluan.errors import QueryError
from duluan.index.query import (
    And, Field, MatchAll, Not, Or, Phrase, Term, mark_text, parse, positive_terms, published_utc, search_text, words,
)
from duluan.text import fold


@pytest.mark.parametrize(("text", "node"), [
    ("", MatchAll()),
    ("hai phong", And((Term("hai"), Term("phong")))),
    ('"Hải Phòng"', Phrase(("hải", "phòng"), (True, True))),
    ('"Đà"', Term("đà", marked=True)),
    ('"Ða"', Term("đa", marked=True)),  # U+00D0 is Đ
    ('"khu công nghiệp"', Phrase(("khu", "công", "nghiệp"), (False, True, True))),  # word by word
    ("Khánh Hoà", And((Term("khánh", marked=True), Term("hòa", marked=True)))),  # old tone placement
    ("thuỷ*", Term("thủy", prefix=True, marked=True)),
    ("bao", Term("bao")),
    ("hai OR phong", Or((Term("hai"), Term("phong")))),
    ("hai AND phong", And((Term("hai"), Term("phong")))),
    ("-bão", Not(Term("bão", marked=True))),
    ("NOT bão", Not(Term("bão", marked=True))),
    ('-"Thái Bình Dương"', Not(Phrase(("thái", "bình", "dương"), (True, True, True)))),
    ('-"Thai Binh Duong"', Not(Phrase(("thai", "binh", "duong")))),
    ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
    ("cảng*", Term("cảng", prefix=True, marked=True)),
    ("cang*", Term("cang", prefix=True)),
    ("kind:Official", Field("kind", "official")),
    ("covid-19", Phrase(("covid", "19"))),
    ("Ea H'leo", And((Term("ea"), Phrase(("h", "leo"))))),
    ("L'Oréal", Phrase(("l", "oréal"), (False, True))),
    ("hai_phong", Phrase(("hai", "phong"))),  # "_" separates, as in SQLite's unicode61
    ("province:Hải-Phòng", Field("province", "hai-phong")),
    ('province:"Đắk Lắk"', Field("province", "dak-lak")),
    ("flagged:yes", Field("flagged", "true")),
    ("flagged:0", Field("flagged", "false")),
    ("sentiment:NEGATIVE", Field("sentiment", "negative")),
    ("lang:VI", Field("lang", "vi")),
    ("from:2025-07-01", Field("from", "2025-07-01")),
    ("unknown:x", Phrase(("unknown", "x"))),  # not a field: searched as words
])
def test_parse(text, node):
    assert parse(text) == node


@pytest.mark.parametrize(("text", "position"), [
    ('"unclosed', 0), ("(hai phong", 0), ("hai)", 3), ("OR hai", 0), ("hai OR", 6), ("NOT", 0),
    ("from:2025-13-01", 0), ("a flagged:maybe", 2), ("sentiment:angry", 0), ("province:", 0), ("()", 0),
    ('""', 0), ("*", 0),
])
def test_malformed_queries_name_the_position(text, position):
    with pytest.raises(QueryError) as e:
        parse(text)
    assert e.value.position == position


def test_positive_terms_skip_negations():
    assert positive_terms(parse('a "b c" -d NOT e province:x (f OR g)')) == [
        Term("a"), Phrase(("b", "c")), Term("f"), Term("g")]


@pytest.mark.parametrize("text", [
    "Đà Nẵng, Ea H'leo — covid-19!", "L'Oréal\tđầu tư\n3.000 đồng", "中文 ΆΒΓ ß ø æ", "a_b", "",
])
def test_search_text_keeps_length_and_splits_like_words(text):
    s = search_text(text)
    assert len(s) == len(text)
    assert s.split() == words(text)
    assert all(c == " " or c.isalnum() for c in s)


def test_search_text_folds_vietnamese():
    assert search_text("ĐẮK LẮK: Ea H'leo") == "dak lak  ea h leo"


def test_nfd_query_parses_like_nfc():
    nfd = unicodedata.normalize("NFD", '"Khánh Hoà" bão')
    assert parse(nfd) == parse('"Khánh Hòa" bão')


@pytest.mark.parametrize("text", ["Khánh Hoà, thuỷ điện — Ðà Lạt!", "L'Oréal 3.000 đồng", "中文 ß a_b", ""])
def test_mark_text_is_aligned_with_search_text(text):
    folded, marked = search_text(text), mark_text(text)
    assert len(marked) == len(text)
    assert [i for i, c in enumerate(folded) if c == " "] == [i for i, c in enumerate(marked) if c == " "]
    assert fold(marked) == folded


def test_mark_text_keeps_marks_in_canonical_form():
    assert mark_text("Khánh Hoà: THUỶ ĐIỆN, Ðà") == "khánh hòa  thủy điện  đà"


def test_published_utc():
    assert published_utc(None) is None
    assert published_utc(datetime(2025, 7, 1, 5, tzinfo=timezone(timedelta(hours=7)))) == "2025-06-30T22:00:00+00:00"
    assert published_utc(datetime(2025, 7, 1, 5)) == "2025-07-01T05:00:00+00:00"  # naive means UTC


@pytest.mark.parametrize("text", ["Khánh Hoà, thuỷ lợi", "quà  tặng\tcủa\nHoà", "hoà.Thuỷ", "  Ea H'leo ", "ĐÀ NẴNG—hoà\u00a0bình",
                                  "北京 hoà 🌊 thuỷ", "", "qua"])
def test_mark_text_word_by_word_equals_the_whole_text(text):
    """mark_text maps word by word through a cache (issue #14): the same as mapping the whole text."""
    from duluan.index.query import _MARK_MAP
    from duluan.text import retone

    assert mark_text(text) == retone(_MARK_MAP(text))
    assert len(mark_text(text)) == len(text)


@pytest.mark.parametrize("text", ["Khánh Hoà, thuỷ lợi", "quà  tặng\tcủa\nHoà", "  Ea H'leo ", "ĐÀ NẴNG—hoà\u00a0bình",
                                  "北京 hoà 🌊 thuỷ", "L'Oréal 3.000 đồng", "", "qua"])
def test_index_texts_is_both_streams_in_one_pass(text):
    from duluan.index.query import index_texts

    assert index_texts(text) == (search_text(text), mark_text(text))
