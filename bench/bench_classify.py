"""Classification speed on one core and model sizes: ``python bench/bench_classify.py``.

Runs the test split repeated; reports the first (cold: underthesea NER loaded
and its per-sentence cache empty) and the steady-state pass separately, so the
number is honest about the NER cache.
"""

from __future__ import annotations

import json
import os
import time


def run(repeats: int = 5) -> dict:
    # One core: BLAS and joblib threads would blur the measurement.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from duluan.classifiers import Classifier
    from duluan.classifiers.corpus import load_split
    from duluan.classifiers.models import MODELS_DIR

    t0 = time.perf_counter()
    clf = Classifier.load()
    load_s = time.perf_counter() - t0
    items = load_split("test")
    pairs = [(it.article(), it.context()) for it in items]
    t0 = time.perf_counter()
    for a, c in pairs:
        clf.classify(a, c)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(repeats):
        for a, c in pairs:
            clf.classify(a, c)
    warm = time.perf_counter() - t0
    sizes = {p.name: p.stat().st_size for p in sorted(MODELS_DIR.glob("*")) if p.is_file()}
    return {
        "articles": len(pairs),
        "repeats": repeats,
        "load_seconds": round(load_s, 3),
        "cold_articles_per_second": round(len(pairs) / cold, 1),
        "articles_per_second": round(len(pairs) * repeats / warm, 1),
        "model_bytes": sizes,
        "model_bytes_total": sum(sizes.values()),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
