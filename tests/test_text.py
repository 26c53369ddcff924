"""Vietnamese folding: tone marks, đ/Đ, NFD input; offsets preserved for snippets."""

from __future__ import annotations

import unicodedata

import pytest

from duluan.text import fold, fold_query


@pytest.mark.parametrize(("text", "folded"), [
    ("Hải Phòng", "hai phong"),
    ("Đà Nẵng", "da nang"),
    ("đường", "duong"),
    ("ĐẮK LẮK", "dak lak"),
    ("Thừa Thiên Huế", "thua thien hue"),
    ("Ea H'leo", "ea h'leo"),
    ("Nguyễn Văn Đức", "nguyen van duc"),
])
def test_fold_removes_tones_and_d_bar(text, folded):
    assert fold(text) == folded


def test_nfd_input_folds_like_nfc():
    nfd = unicodedata.normalize("NFD", "Hải Phòng – Đắk Lắk")
    assert nfd != "Hải Phòng – Đắk Lắk"
    assert fold_query(nfd) == fold("Hải Phòng – Đắk Lắk") == "hai phong – dak lak"


def test_fold_keeps_length_so_offsets_map_back():
    text = "Tin tức Đắk Lắk và Bến Tre, Trà Vinh cũ."
    folded = fold(text)
    assert len(folded) == len(text)
    start = folded.index("ben tre")
    assert text[start:start + 7] == "Bến Tre"


@pytest.mark.parametrize(("old", "new"), [
    ("Khánh Hoà", "Khánh Hòa"),
    ("thuỷ lợi", "thủy lợi"),
    ("hoè", "hòe"),
    ("Uỷ ban", "ủy ban"),
    ("ÐÀ NẴNG", "Đà Nẵng"),
])
def test_canonical_unifies_case_d_and_tone_placement(old, new):
    from duluan.text import canonical
    assert canonical(old) == canonical(new)
    assert len(canonical(old)) == len(old)


def test_canonical_keeps_marks_that_change_the_word():
    from duluan.text import canonical
    words = ["báo", "bão", "bảo", "bạo", "bao"]
    assert len({canonical(w) for w in words}) == 5
    assert canonical("đèn đỏ") != canonical("Đền Đô")
    # closed syllables and qu-/gi- initials are left alone
    assert canonical("hoàng") == "hoàng" and canonical("quý") == "quý" and canonical("Quỳnh") == "quỳnh"


def test_has_diacritics():
    from duluan.text import has_diacritics
    assert not has_diacritics("Hai Phong 2025")
    assert has_diacritics("bão") and has_diacritics("Ðak") and has_diacritics("đ")
