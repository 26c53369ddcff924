"""Every classifier output, to check that a speed change changes none: ``python bench/classify_snapshot.py OUT [BEFORE]``.

Classifies every item of the train, dev, nlp-dev, heldout and mirror splits, and the long
articles of ``bench_classify.py``, and writes each ``Classification`` with its distortion
features to ``OUT`` (JSON).  Given ``BEFORE`` (a snapshot of the code before the change),
lists the items whose output differs and exits 1 if any does.  The blind split is left out:
it is read only by ``duluan eval --split blind`` (issue #13).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

SPLITS = ("train", "dev", "nlp-dev", "heldout", "mirror-a", "mirror-b")


def snapshot() -> dict[str, dict]:
    from bench_classify import long_articles

    from duluan.classifiers import Classifier, SourceContext
    from duluan.classifiers.corpus import load_split

    clf = Classifier.load()
    out: dict[str, dict] = {}
    pairs = [(f"{s}/{it.id}", it.article(), it.context()) for s in SPLITS for it in load_split(s)]
    pairs += [(a.id, a, SourceContext()) for a in long_articles()]
    for key, article, context in pairs:
        c, features = clf.classify_with_features(article, context)
        out[key] = json.loads(json.dumps({"classification": asdict(c), "features": features}, default=str))
    return out


def differences(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    now = snapshot()
    Path(argv[0]).write_text(json.dumps(now, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    if len(argv) == 1:
        print(f"{len(now)} items")
        return 0
    diff = differences(json.loads(Path(argv[1]).read_text(encoding="utf-8")), now)
    print(f"{len(now)} items, {len(diff)} differ")
    for k in diff[:20]:
        print("  " + k)
    return 1 if diff else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main(sys.argv[1:]))
