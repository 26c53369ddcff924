"""The query language (index/query.py): one parser, one tokeniser, for every backend."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from duluan.errors import QueryError
from duluan.index.query import (
    And, Field, MatchAll, Not, Or, Phrase, Term, parse, positive_terms, published_utc, search_text, words,
)


@pytest.mark.parametrize(("text", "node"), [
    ("", MatchAll()),
    ("hai phong", And((Term("hai"), Term("phong")))),
    ('"Hải Phòng"', Phrase(("hai", "phong"))),
    ('"Đà"', Term("da")),
    ("hai OR phong", Or((Term("hai"), Term("phong")))),
    ("hai AND phong", And((Term("hai"), Term("phong")))),
    ("-bão", Not(Term("bao"))),
    ("NOT bão", Not(Term("bao"))),
    ('-"Thái Bình Dương"', Not(Phrase(("thai", "binh", "duong")))),
    ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
    ("cảng*", Term("cang", prefix=True)),
    ("covid-19", Phrase(("covid", "19"))),
    ("Ea H'leo", And((Term("ea"), Phrase(("h", "leo"))))),
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


def test_published_utc():
    assert published_utc(None) is None
    assert published_utc(datetime(2025, 7, 1, 5, tzinfo=timezone(timedelta(hours=7)))) == "2025-06-30T22:00:00+00:00"
    assert published_utc(datetime(2025, 7, 1, 5)) == "2025-07-01T05:00:00+00:00"  # naive means UTC
