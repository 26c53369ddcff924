"""The spaCy pipeline (classifiers/nlp.py, gazetteer.py, cues.py): tokens, NORM, saved and loaded."""

from __future__ import annotations

import pytest
import spacy

from duluan.classifiers import Classifier
from duluan.classifiers.cues import cue_component, expand
from duluan.classifiers.gazetteer import Gazetteer, config_fingerprint
from duluan.classifiers.models import MODELS_DIR
from duluan.classifiers.nlp import load_nlp, make_nlp
from duluan.config.loader import default_config
from duluan.text import fold


def test_tokenizer_keeps_syllables_and_splits_punctuation():
    doc = make_nlp().make_doc("Công an huyện An Dương (Hải Phòng) phát hiện… “xã Phú Túc”, TP.HCM?")
    words = [t.text for t in doc]
    assert words[:8] == ["Công", "an", "huyện", "An", "Dương", "(", "Hải", "Phòng"]
    assert "“" in words and "?" in words and "TP.HCM" in words
    # Words carry their folded form as NORM (punctuation keeps spaCy's own norms: "…" → "...").
    assert all(t.norm_ == fold(t.text) for t in doc if t.is_alpha)
    assert [t.norm_ for t in doc][6:8] == ["hai", "phong"]


def test_committed_pipeline_loads_with_its_components_and_current_config():
    nlp = load_nlp(MODELS_DIR / "nlp")
    assert nlp.pipe_names == ["duluan_gazetteer", "duluan_cues"]
    gaz = nlp.get_pipe("duluan_gazetteer")
    assert gaz.fingerprint == config_fingerprint(default_config().provinces)
    assert sum(e.kind == "ward" for e in gaz.entries) > 400


def test_pipeline_round_trip_gives_the_same_hits(tmp_path):
    cfg = default_config().provinces
    g = Gazetteer(cfg)
    cue_component(g.nlp)
    g.nlp.to_disk(tmp_path / "nlp")
    again = Gazetteer(cfg, spacy.load(tmp_path / "nlp"))
    text = "Người dân xã Phú Túc, tỉnh Bến Tre và Hai Phong đón đoàn; đèn đỏ ở đền Đô."
    key = lambda hits: [(h.entry.surface, h.start, h.end) for h in hits]  # noqa: E731
    assert key(g.scan(text)) == key(again.scan(text)) and key(g.scan(text))
    doc = again.nlp(text)  # runs as a spaCy pipeline too
    assert {s.label_ for s in doc.spans["gazetteer"]} >= {"ward", "absorbed"}
    assert [s.label_ for s in doc.spans["cues"]] == []  # "đèn đỏ" is no cue, and no place either
    loud = again.nlp("Ai cũng biết nguồn tin giấu tên nói vậy.")
    assert {s.label_ for s in loud.spans["cues"]} == {"sweeping_claim", "anonymous_source"}


def test_a_pipeline_built_for_another_config_is_rebuilt():
    cfg = default_config().provinces
    saved = load_nlp(MODELS_DIR / "nlp")
    other = cfg.model_copy(update={"monitored": ["hai-phong"]})
    g = Gazetteer(other, saved)
    assert {e.province for e in g.entries if e.province and not e.province.startswith("other:")} == {"hai-phong"}


def test_cue_patterns_expand_or_stay_regexes():
    assert sorted(expand(r"toan bo (?:can bo|lanh dao)")) == ["toan bo can bo", "toan bo lanh dao"]
    assert sorted(expand(r"ai cung (?:da )?ro")) == ["ai cung da ro", "ai cung ro"]
    with pytest.raises(ValueError):
        expand(r"tyrann\w*")


def test_classifier_uses_one_pipeline_for_gazetteer_and_cues():
    clf = Classifier.load()
    assert clf.gazetteer.nlp.pipe_names == ["duluan_gazetteer", "duluan_cues"]
    assert clf.with_statements([]).gazetteer.nlp is clf.gazetteer.nlp


def test_token_texts_equal_spacy_tokens_on_every_development_item():
    from duluan.classifiers.corpus import load_split
    from duluan.classifiers.nlp import token_texts

    nlp = make_nlp()
    texts = [it.article().text for s in ("dev", "nlp-dev", "heldout", "mirror-a") for it in load_split(s)]
    # Whitespace tokens (double spaces, blank lines, no-break spaces) are where a slice could go wrong.
    texts += ["a  b", "a   b\n\n c", " x ", "x\n", "  ", "a \n b", "Hà\u00a0Nội  (x) \t y", "a\u2003b  \n  c "]
    for t in texts:
        doc = nlp.make_doc(t)
        words = token_texts(doc, t)
        assert [words[k] for k in range(words.n)] == [tok.text for tok in doc]
        assert [words.end(k) for k in range(words.n)] == [tok.idx + len(tok) for tok in doc]
