"""Quality gate (as trafilatura's eval gate): fail when scores fall below the issue #5 targets."""

from __future__ import annotations

import pytest

from duluan.classifiers import Classifier
from duluan.classifiers.evaluation import TARGETS, evaluate


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


@pytest.mark.parametrize("split", ["test", "heldout"])
def test_scores_meet_targets(clf, split):
    report = evaluate(split, clf)
    assert report.n >= (80 if split == "heldout" else 60)
    assert report.failures() == [], report.failures()


def test_targets_are_the_issue_targets():
    assert TARGETS["mentions.precision"] >= 0.9 and TARGETS["sentiment.accuracy"] >= 0.75
