"""Vietnamese folding: tone marks, đ/Đ, NFD input; offsets preserved for snippets."""

from __future__ import annotations

import unicodedata

import pytest

from duluan.index.folding import fold, fold_query


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
