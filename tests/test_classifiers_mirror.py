"""The press-mirror splits: half A (analysis) and half B (blind test) by a hash of ``path``."""

from __future__ import annotations

import hashlib

from duluan.classifiers.corpus import load_split, mirror_half
from duluan.classifiers.evaluation import evaluate


def test_halves_partition_by_path_hash():
    entries = [{"path": f"/outlet/{i}.html"} for i in range(50)]
    a, b = mirror_half(entries, "a"), mirror_half(entries, "b")
    assert len(a) + len(b) == 50 and not {e["path"] for e in a} & {e["path"] for e in b}
    assert all(int(hashlib.sha256(e["path"].encode()).hexdigest(), 16) % 2 == 0 for e in a)
    assert mirror_half(entries, "a") == a  # deterministic


def test_mirror_a_items_and_targets():
    items = load_split("mirror-a")
    assert len(items) > 80
    it = items[0]
    assert it.article().text.startswith(it.raw["title"] + "\n\n")
    report = evaluate("mirror-a")
    assert report.metrics["mentions"]["recall"] >= 0.95 and report.metrics["distortion"]["recall"] >= 0.9
