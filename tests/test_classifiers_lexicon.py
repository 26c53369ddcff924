"""The sentiment lexicon and the cue lists are data files whose entries say where they came
from, and none carries a phrase lifted from an evaluation item (issue #13, item 7)."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from duluan.classifiers.corpus import DATA_DIR, load_split, read_jsonl
from duluan.classifiers.lexicon import LEXICON_FILE, lexicon_counts, load_lexicon
from duluan.classifiers.phrases import phrase_regex
from duluan.text import fold, sentences


def _lexicon_phrases() -> list[str]:
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    return [e["phrase"] for lst in data["lists"].values() for e in lst["entries"]]


def test_every_lexicon_entry_says_where_it_came_from():
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    for name, lst in data["lists"].items():
        assert lst["entries"], name
        for e in lst["entries"]:
            assert isinstance(e["phrase"], str) and e["phrase"] == fold(e["phrase"]), e
            assert e["source"].strip(), e
    for ctx in data["contexts"].values():
        assert ctx["source"].strip() and all(isinstance(w, str) for w in ctx["words"])


def test_removed_phrases_stay_out_of_the_lexicon():
    removed = json.loads((DATA_DIR / "lexicon-removed.json").read_text(encoding="utf-8"))
    gone = {p for k, v in removed.items() if isinstance(v, list) for p in v}
    assert gone and not gone & set(_lexicon_phrases())


def _texts(split: str) -> list[str]:
    return [fold(it.article().text) for it in load_split(split)]


def _corpus() -> list[str]:
    return [fold(r["title"] + "\n\n" + r["body"]) for r in read_jsonl(DATA_DIR / "corpus.jsonl")]


def test_no_lexicon_phrase_occurs_only_in_unseen_items():
    """A phrase found in heldout or mirror half B but in no training text (generated corpus, written
    items) is the mark of one lifted from them: that is how the lifted phrases of issue #13 were found
    and removed."""
    corpus, unseen = _corpus() + _texts("written"), _texts("heldout") + _texts("mirror-b")
    lifted = []
    for p in sorted(set(_lexicon_phrases())):
        rx = phrase_regex({p})
        if any(rx.search(t) for t in unseen) and not any(rx.search(t) for t in corpus):
            lifted.append(p)
    assert lifted == []


def test_provenance_that_names_corpus_matches_is_true():
    """An entry whose source says it "matches N generated corpus items" does match some."""
    corpus = _corpus()
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    claims = [(phrase_regex({e["phrase"]}), e["source"]) for lst in data["lists"].values() for e in lst["entries"]]
    cues = yaml.safe_load((DATA_DIR / "cues.yaml").read_text(encoding="utf-8"))["classes"]
    claims += [(re.compile(c["pattern"]), c["source"]) for cls in cues.values() for c in cls["cues"]]
    false = [(rx.pattern, src) for rx, src in claims
             if "generated corpus items" in src and not any(rx.search(t) for t in corpus)]
    assert len(claims) > 500 and false == []


@pytest.mark.parametrize("text, expected", [
    ("Du lịch tăng trưởng mạnh", (1.0, 0.0)),
    ("Dự án không hiệu quả, không thành công", (0.0, 1.0)),  # a negated positive is negative
    ("Tỉnh ngăn chặn lừa đảo qua mạng", (0.5, 0.0)),  # a remedied problem is half a positive
    ("Giảm thiểu tình trạng ùn tắc giờ cao điểm", (0.5, 0.0)),
    ("Sản lượng giảm vì ngập lụt", (0.0, 1.0)),  # a decline is no remedy
    ("The city moved to tackle pollution", (0.5, 0.0)),
    ("Sạt lở sau mưa lớn", (0.0, 1.0)),
    ("Kế hoạch hỗ trợ nông dân", (0.6, 0.0)),  # administrative boilerplate counts less
    ("xu ly o nhiem song", (0.5, 0.0)),  # text typed without diacritics
    ("Cháy lớn ở chợ đêm", (0.0, 1.0)),
    ("Xe chạy suốt đêm", (0.0, 0.0)),  # written with marks: chạy (run) is not cháy (fire)
    ("Chay lon o cho dem", (0.0, 1.0)),  # written without: taken as typed
    ("Tác động của dự án", (0.0, 0.0)),  # not đóng cửa
    ("Nhà máy đóng cửa", (0.0, 1.0)),
    ("Sản phẩm cháy hàng dịp Tết", (1.0, 0.0)),  # the longer phrase wins
])
def test_lexicon_counts_with_their_contexts(text, expected):
    assert lexicon_counts(text) == expected


def test_a_bad_lexicon_file_names_itself(tmp_path):
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    data["contexts"]["negators"]["words"].append(False)  # what a bare `no` becomes in YAML
    bad = tmp_path / "lexicon.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="lexicon.yaml"):
        load_lexicon(bad)


def test_a_marked_form_of_another_phrase_is_refused(tmp_path):
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    data["lists"]["negative"]["entries"][0]["marked"] = ["chạy"]
    bad = tmp_path / "lexicon.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="must fold to the phrase"):
        load_lexicon(bad)


def test_sentences_keep_numbers_and_abbreviations_whole():
    text = 'Giá 10.000 đồng. TP.HCM có mưa! Ông nói: "Không." Vì sao?\nDòng mới'
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "Giá 10.000 đồng.", "TP.HCM có mưa!", 'Ông nói: "Không."', "Vì sao?", "Dòng mới"]
