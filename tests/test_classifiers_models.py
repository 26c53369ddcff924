"""Trained models: committed, small, and the fast inference paths equal sklearn's."""

from __future__ import annotations

import numpy as np

from duluan.classifiers.corpus import load_split
from duluan.classifiers.models import MODELS_DIR, FastModel, load


def test_models_committed_and_small():
    total = sum(p.stat().st_size for p in MODELS_DIR.rglob("*") if p.is_file())
    assert 0 < total < 5 * 1024 * 1024
    assert (MODELS_DIR / "nlp" / "config.cfg").exists()


def test_fast_model_matches_sklearn():
    bundle = load("bundle")
    texts = [it.article().text for it in load_split("dev")[:15]]
    for name in ("sentiment", "topic"):
        slow, fast = bundle[name].predict_proba(texts), FastModel(bundle[name]).predict_proba(texts)
        for a, b in zip(slow, fast):
            assert all(abs(a[k] - b[k]) < 1e-6 for k in a)


def test_distortion_model_is_calibrated_probability():
    m = load("bundle")["distortion_model"]
    zero = m.proba({})
    loud = m.proba({"anonymous_source": 3, "loaded_language": 3, "title_question": 1, "negative": 1,
                    "p_negative": 0.9, "no_reply": 1})
    attributed = m.proba({"anonymous_source": 3 * 0.35, "loaded_language": 3 * 0.35, "title_question": 1,
                          "negative": 1, "p_negative": 0.9, "official": 1, "attributed": 3})
    assert 0.0 < zero < 0.5 < loud < 1.0
    assert attributed < loud
    assert np.isfinite([zero, loud, attributed]).all()


def test_tokens_equal_the_regex_and_negator_loop_they_replace():
    from duluan.classifiers.corpus import load_split
    from duluan.classifiers.features import _TOKEN, NEGATORS, tokens
    from duluan.text import fold

    def reference(text: str) -> list[str]:
        out, neg = [], False
        for t in _TOKEN.findall(fold(text)):
            if t in NEGATORS:
                neg = True
                out.append(t)
                continue
            out.append(f"neg_{t}" if neg else t)
            neg = False
        return out

    texts = [it.article().text for s in ("dev", "nlp-dev", "heldout", "mirror-a") for it in load_split(s)]
    texts += ["không không tốt", "x khong", "Không! chưa? tốt", "a!!b??c", "don't H'leo 'x y'",
              "１２ ３ abc中文 ß Ø", "khong he tot", "chua chua", "Đ\u0301 x"]
    for t in texts:
        assert tokens(t) == reference(t), t[:60]
