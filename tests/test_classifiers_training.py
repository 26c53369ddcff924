"""`duluan train --feedback`: the analysts' decisions join the training data, and a held-out fifth
of them measures what they changed (issue #10: "the evaluation reports how much")."""

from __future__ import annotations

import json

from conftest import run_cli

from duluan.classifiers import Classifier
from duluan.classifiers.corpus import Item, load_split
from duluan.classifiers.training import feedback_report, feedback_split, train


def _as_feedback(items: list[Item]) -> list[Item]:
    # Items written independently of the corpus, in the outlets' own voice, labelled as analysts would.
    return [Item({**it.raw, "id": f"fb-{it.id}", "split": "feedback", "topic_label": "analyst"}) for it in items]


def test_the_check_part_is_fixed_and_never_trained_on():
    items = _as_feedback(load_split("nlp-dev"))
    fit, check = feedback_split(items)
    assert {i.id for i in fit}.isdisjoint(i.id for i in check) and len(fit) + len(check) == len(items)
    assert 0.1 < len(check) / len(items) < 0.3
    # the side of an item does not depend on what else is in the file
    _, check_half = feedback_split(items[::2])
    assert {i.id for i in check_half} == {i.id for i in check} & {i.id for i in items[::2]}


def test_feedback_improves_the_model_on_what_analysts_said(tmp_path):
    items = _as_feedback(load_split("nlp-dev"))
    before = Classifier.load()
    summary = train(models_dir=tmp_path, feedback=items)
    assert summary["feedback_fit"] + summary["feedback_check"] == len(items)
    after = Classifier.load(models_dir=tmp_path)
    report = feedback_report(before, after, items)
    check, dev = report["feedback_check"], report["dev"]
    assert check["n"] == summary["feedback_check"] and dev["n"] > 50
    # the analysts' labels are learned: better on their unseen part, and no worse elsewhere than a little
    assert check["distortion.f1"]["change"] > 0 and check["topic.accuracy"]["change"] > 0, check
    assert check["sentiment.accuracy"]["change"] > -0.05, check
    assert dev["sentiment.accuracy"]["change"] > -0.05 and dev["distortion.f1"]["change"] > -0.05, dev


def test_a_bad_feedback_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "fb.jsonl"
    bad.write_text(json.dumps({"id": "x", "title": "Tiêu đề"}) + "\n", encoding="utf-8")
    proc = run_cli("train", "--feedback", str(bad), check=False)
    assert proc.returncode == 2 and "body" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
