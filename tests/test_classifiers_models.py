"""Trained models: committed, small, and the fast inference path equals sklearn's."""

from __future__ import annotations

from duluan.classifiers.corpus import load_split
from duluan.classifiers.models import MODELS_DIR, FastModel, load


def test_models_committed_and_small():
    total = sum(p.stat().st_size for p in MODELS_DIR.glob("*") if p.is_file())
    assert 0 < total < 5 * 1024 * 1024


def test_fast_model_matches_sklearn():
    bundle = load("bundle")
    texts = [it.article().text for it in load_split("test")[:15]]
    for name in ("sentiment", "topic"):
        slow, fast = bundle[name].predict_proba(texts), FastModel(bundle[name]).predict_proba(texts)
        for a, b in zip(slow, fast):
            assert all(abs(a[k] - b[k]) < 1e-6 for k in a)


def test_corpus_size_and_splits():
    n = {s: len(load_split(s)) for s in ("train", "dev", "test", "heldout")}
    assert n["train"] + n["dev"] + n["test"] >= 600 and n["heldout"] >= 80
    ids = {s: {it.raw["title"] for it in load_split(s)} for s in ("train", "test")}
    assert not ids["train"] & ids["test"]
