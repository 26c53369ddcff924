"""Evaluation splits (classifiers/corpus.py, issue #13): a fixed hash of each story frame; blind is guarded."""

from __future__ import annotations

import pytest

from duluan.classifiers.corpus import frame_of, hash_split, load_split
from duluan.classifiers.evaluation import evaluate


def test_frame_and_hash_split_are_fixed():
    assert frame_of("news-vi-012-3") == "news-vi-012" and frame_of("d001") == "d001"
    assert hash_split("news-vi-012-3") == hash_split("news-vi-012-0")  # one story, one split
    assert {hash_split(f"news-vi-{i:03d}-0") for i in range(60)} == {"train", "dev", "blind"}


def test_splits_partition_the_corpus_by_frame():
    train, dev = load_split("train"), load_split("dev")
    blind = load_split("blind", blind=True)
    assert len(train) > 400 and len(dev) > 60 and len(blind) > 60
    frames = [{frame_of(it.id) for it in s} for s in (train, dev, blind)]
    assert not frames[0] & frames[1] and not frames[0] & frames[2] and not frames[1] & frames[2]
    assert all(hash_split(it.id) == "blind" for it in blind)


def test_blind_is_refused_unless_asked_for():
    with pytest.raises(ValueError, match="blind"):
        load_split("blind")
    with pytest.raises(ValueError, match="blind"):
        evaluate("blind")


def test_nlp_dev_set_loads_with_its_labels():
    items = load_split("nlp-dev")
    assert len(items) == 220
    assert sum(it.distorted for it in items) == 60
    assert sum(it.factual_critical for it in items) == 54  # negative toward a province, not distorted
    assert all(not it.sentiment for it in items if not it.provinces)


def test_nlp_dev_topics_are_the_routing_topics():
    """nlp-dev's own topic names are read as the routing topics they stand for, so topic accuracy
    on it measures the classifier, not a naming difference."""
    from duluan.config.loader import default_config

    routed = {r.topic for r in default_config().routing.routes}
    topics = {it.topic for it in load_split("nlp-dev")}
    assert topics - {None} <= routed and len(topics) > 10


def test_written_training_items_load_and_say_who_wrote_them():
    """``written/``: articles written for training only, each line naming its writer; trained on by default."""
    from duluan.classifiers.corpus import TRAIN_SPLITS

    items = load_split("written")
    assert "written" in TRAIN_SPLITS and len(items) >= 200
    assert all(it.raw["written_by"] for it in items)
    labelled = [it for it in items if it.provinces]
    assert {it.sentiment for it in labelled} == {"positive", "neutral", "negative"}
    assert all(it.sentiment is None for it in items if not it.provinces)
    assert not any(it.distorted and it.factual_critical for it in items)
    # nothing in it is an evaluation item
    eval_ids = {it.id for s in ("dev", "nlp-dev", "heldout", "written-check") for it in load_split(s)}
    assert eval_ids.isdisjoint(it.id for it in items)


def test_the_written_check_items_are_scored_not_trained_on():
    from duluan.classifiers.corpus import TRAIN_SPLITS

    items = load_split("written-check")
    assert "written-check" not in TRAIN_SPLITS and len(items) >= 250
    assert all(it.raw["written_by"] for it in items)
    assert sum(len(it.raw["body"]) >= 1500 for it in items) >= 100  # real-length reports among them


def test_a_bad_written_line_names_its_file_and_line(tmp_path):
    import json

    from duluan.classifiers.corpus import load_written

    path = tmp_path / "x.jsonl"
    good = {"id": "x-1", "title": "T", "body": "B", "written_by": "me", "provinces": ["hai-phong"],
            "sentiment": "positive"}
    bad = {**good, "id": "x-2", "provinces": [], "sentiment": "negative"}
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl:2: sentiment 'negative'"):
        load_written(path)
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert [it.id for it in load_written(path)] == ["x-1"]
