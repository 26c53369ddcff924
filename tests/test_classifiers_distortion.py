"""Distortion signals: factual critical reporting is not flagged; every flag has exact evidence."""

from __future__ import annotations

import pytest

from duluan.classifiers import Classifier, OfficialStatement, SourceContext
from duluan.classifiers.corpus import load_split
from duluan.records import Article


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def art(title: str, body: str) -> Article:
    return Article(id="t", url="u", source="s", source_kind="domestic", language="vi", title=title, body=body)


@pytest.mark.parametrize("title,body", [
    ("Cựu chủ tịch xã ở Kinh Môn lĩnh 6 năm tù",
     "TAND TP Hải Phòng tuyên phạt bị cáo Phạm Văn Lực 6 năm tù về tội tham ô. Theo cáo trạng, bị cáo chiếm đoạt 1,2 tỷ đồng."),
    ("Thanh tra chỉ ra sai phạm tại Tiên Lãng",
     "Thanh tra TP Hải Phòng đã kết luận UBND huyện giao đất trái thẩm quyền. Kết luận kiến nghị thu hồi 3 tỷ đồng."),
    ("Tai nạn trên quốc lộ qua Hưng Yên, 3 người bị thương",
     "Ba ô tô va chạm trên quốc lộ 5 đoạn qua Mỹ Hào, Hưng Yên. Công an tỉnh cho biết đang điều tra nguyên nhân."),
    ("Workers strike at Bac Ninh factory",
     "About 500 workers at a plant in Bac Ninh stopped work over unpaid wages, the industrial zones authority said."),
])
def test_factual_critical_not_flagged(clf, title, body):
    c = clf.classify(art(title, body))
    assert c.provinces
    assert not c.distorted


def test_distorted_item_has_evidence_with_exact_spans(clf):
    a = art("Toàn bộ cán bộ Đắk Lắk đều tham nhũng?",
            "Một nguồn tin giấu tên cho biết ai cũng biết lãnh đạo Đắk Lắk bán đất. Hãy xuống đường phản đối!")
    c = clf.classify(a, SourceContext(kind="foreign", syndication=8))
    assert c.distorted and c.evidence
    for e in c.evidence:
        assert getattr(a, e.field)[e.start:e.end] == e.text
        assert e.explanation and e.signal
    assert c.flagged


@pytest.mark.parametrize("split", ["dev", "nlp-dev", "heldout"])
def test_every_span_of_every_item_is_its_field_slice(clf, split):
    flagged = 0
    for it in load_split(split):
        a = it.article()
        c = clf.classify(a, it.context())
        if c.distorted:
            flagged += 1
            assert c.evidence, it.id
        for sp in [*c.evidence, *c.mentions]:
            assert sp.field in ("title", "body"), it.id
            assert getattr(a, sp.field)[sp.start:sp.end] == sp.text, (it.id, sp)
    assert flagged > 5


def test_nfd_input_gets_spans_into_the_nfc_text(clf):
    import unicodedata

    a = art(unicodedata.normalize("NFD", "Toàn bộ cán bộ Đắk Lắk đều tham nhũng?"),
            unicodedata.normalize("NFD", "Một nguồn tin giấu tên cho biết ai cũng biết lãnh đạo Đắk Lắk bán đất."))
    c = clf.classify(a)
    nfc = {f: unicodedata.normalize("NFC", getattr(a, f)) for f in ("title", "body")}
    assert c.mentions and c.evidence
    assert all(nfc[s.field][s.start:s.end] == s.text for s in [*c.mentions, *c.evidence])


def test_quotation_and_attribution_lower_the_score(clf):
    asserted = art("Hải Phòng: công nhân bị bóc lột tàn bạo?",
                   "Ai cũng biết công nhân ở Hải Phòng bị bóc lột tàn bạo. Chính quyền đang che giấu sự thật.")
    quoted = art("Hải Phòng: công nhân phản ánh bị ép tăng ca",
                 "“Chúng tôi bị bóc lột tàn bạo”, một công nhân nói. Ông Trần Văn Bình, Giám đốc Sở Nội vụ "
                 "TP Hải Phòng, cho biết thanh tra sẽ kiểm tra và trả lời công nhân trong tuần.")
    sa, sq = clf.classify(asserted), clf.classify(quoted)
    assert sa.distorted and not sq.distorted
    assert sq.distortion_score < sa.distortion_score


def test_official_statement_hook(clf):
    a = art("Hải Phòng cưỡng chế 300 hộ dân ở Tiên Lãng",
            "Bài đăng cho rằng 300 hộ dân Tiên Lãng bị cưỡng chế trong đêm.")
    st = OfficialStatement(text="UBND TP Hải Phòng khẳng định không có cưỡng chế tại Tiên Lãng.",
                           refutes=["300 hộ dân Tiên Lãng bị cưỡng chế"])
    plain = clf.classify(a)
    checked = clf.classify(a, statements=[st])
    assert checked.distortion_score > plain.distortion_score
    ev = [e for e in checked.evidence if e.signal == "contradicts_official"]
    assert ev and getattr(a, ev[0].field)[ev[0].start:ev[0].end] == ev[0].text


def test_fabrication_record_raises_score(clf):
    a = art("Hải Phòng che giấu sự thật?", "Dân mạng cho rằng Hải Phòng giấu dịch bệnh.")
    assert (clf.classify(a, SourceContext(fabrication_record=True)).distortion_score
            > clf.classify(a).distortion_score)
