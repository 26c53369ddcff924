"""Scores of claim spread (cases/spread.py): names inside longer names, figures, and what may be
linked without an analyst; the floors of bench/eval_spread.py on its two sets (issue #12)."""

from __future__ import annotations

import sys

from conftest import REPO

from duluan.cases.spread import AUTO_REWRITE_CAP, anchors, score
from duluan.config import load_config


def test_a_name_inside_a_longer_name_or_after_a_capitalised_first_word_is_the_same_name():
    claim = "Bệnh viện ở Vĩnh Long để 7 bệnh nhân tử vong vì thiếu máy thở tại Cảng Lạch Huyện"
    m = score(claim, "Seven patients died at Vinh Long Provincial General Hospital near the port of Lach Huyen, "
                     "7 of them in August.")
    assert m.method == "rewrite" and m.score >= 0.45


def test_a_unit_is_not_a_figure():
    assert "3" not in anchors("xả 3.000 m3 nước thải") and "3000" in anchors("xả 3.000 m3 nước thải")
    assert "40" in anchors("cắt 40% lương")


def test_a_place_and_a_number_alone_are_never_linked_without_an_analyst():
    claim = "Thế nhưng chính quyền Đắk Lắk chỉ công bố vỏn vẹn 3 người chết trong trận lũ"
    answer = ("Chính quyền Đắk Lắk khẳng định thông tin trận lũ chỉ có 3 người chết là đúng, chính quyền "
              "không che giấu, công bố vỏn vẹn trong ngày")
    m = score(claim, answer)
    assert m.method == "rewrite" and m.score <= AUTO_REWRITE_CAP < load_config(None).settings.spread.confirm


def test_the_thresholds_hold_on_the_evaluation_sets():
    sys.path.insert(0, str(REPO / "bench"))
    from eval_spread import run

    got = run()
    # the mirror's syndicated copies: every one suggested and linked, nothing linked wrongly
    assert got["suggest"]["recall"] == 1.0 and got["confirm"]["recall"] == 1.0 and got["confirm"]["precision"] == 1.0
    assert got["suggest"]["fp"] <= got["claims"]  # at most about one wrong suggestion per claim
    # hand-written rewrites and translations: suggested, the official answers and other stories not
    rw = got["rewrites"]
    assert rw["suggest"]["recall"] >= 0.9 and rw["suggest"]["precision"] >= 0.9 and rw["confirm"]["fp"] == 0
