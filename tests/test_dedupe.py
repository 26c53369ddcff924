"""Story clusters with MinHash LSH: syndicated copies grouped, every copy kept."""

from __future__ import annotations

import json
from pathlib import Path


from duluan.pipeline.dedupe import StoryClusterer, fold
from duluan.records import Article
from duluan.mirror import ROOT as MIRROR_ROOT
from duluan.store import articles as store_articles
from test_crawlers_support import new_db

STORY = ("Sáng 1/7, tại Nhà hát thành phố, Thành ủy, HĐND, UBND thành phố Hải Phòng tổ chức lễ công bố nghị quyết "
         "của Quốc hội về việc sắp xếp đơn vị hành chính, theo đó tỉnh Hải Dương cũ và thành phố Hải Phòng hợp nhất "
         "thành thành phố Hải Phòng mới. Thành phố sau sắp xếp có diện tích tự nhiên hơn 3.194 km2, quy mô dân số "
         "trên 4,6 triệu người, gồm 114 đơn vị hành chính cấp xã.")
OTHER = ("Tỉnh Lào Cai vừa đón đoàn khách quốc tế đầu tiên làm thủ tục qua cửa khẩu mới mở. Lực lượng biên phòng "
         "cho biết thời gian làm thủ tục trung bình chỉ khoảng năm phút mỗi khách, ngành du lịch kỳ vọng tăng mạnh.")


def art(i: str, body: str) -> Article:
    return Article(id=i, url=f"https://x.vn/{i}", source="s", source_kind="domestic", language="vi", title=i, body=body)


def test_fold():
    assert fold("Đà Nẵng ĐẸP") == "da nang dep"


def test_syndicated_copies_share_a_cluster(tmp_path):
    c = StoryClusterer(new_db(tmp_path))
    a = art("a", STORY)
    b = art("b", "Theo TTXVN: " + STORY.replace("Sáng 1/7,", "Sáng ngày 1/7,") + " (Nguồn: Báo Hải Phòng)")
    nodiac = art("c", fold(STORY))  # an outlet that strips diacritics
    o = art("o", OTHER)
    assert c.assign(a) == "a"
    assert c.assign(b) == "a" and b.cluster_id == "a"
    assert c.assign(nodiac) == "a"
    assert c.assign(o) == "o"
    assert c.size("a") == 3 and c.size("o") == 1


def test_assign_is_idempotent(tmp_path):
    c = StoryClusterer(new_db(tmp_path))
    a = art("a", STORY)
    c.assign(a)
    c.assign(a)
    assert c.size("a") == 1


def test_existing_articles_are_loaded_lazily(tmp_path):
    db = new_db(tmp_path)
    first = art("first", STORY)
    first.cluster_id = "first"
    store_articles.save_article(db, first)
    c = StoryClusterer(db)
    assert c._loaded is False
    assert c.assign(art("later", STORY + " Cập nhật lúc 10 giờ.")) == "first"
    assert c.size("first") == 2


def test_mirror_syndicated_groups():
    root = MIRROR_ROOT
    cases = [m for m in json.loads((root / "manifest.json").read_text("utf-8")) if m.get("gold_body")]
    groups = {}
    for m in cases:
        if m.get("syndicated_group"):
            groups.setdefault(m["syndicated_group"], []).append(m["path"])
    assert groups, "the mirror must carry syndicated copies (manifest syndicated_group)"
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        c = StoryClusterer(new_db(Path(d)))
        got = {m["path"]: c.assign(art(m["path"], m["gold_body"])) for m in cases}
    for group, paths in groups.items():
        assert len({got[p] for p in paths}) == 1, group
    singles = [got[m["path"]] for m in cases if not m.get("syndicated_group")]
    assert len(set(singles)) == len(singles)  # unrelated stories are never merged
