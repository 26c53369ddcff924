"""Classification speed on one core and model sizes: ``python bench/bench_classify.py``.

Two workloads: the dev split as it is (short items), and real-length articles of 2,500+
characters (issue #13), each made of train-split items of one province joined into one
article, the way a long report strings several events together. Reports the first (cold) pass
and the steady state separately, as wall-clock and as this process's CPU time: on a shared
machine the wall clock also counts other people's work.
"""

from __future__ import annotations

import json
import os
import time

LONG_MIN_CHARS = 2500


def long_articles(n: int = 120, min_chars: int = LONG_MIN_CHARS):
    """``n`` articles of at least ``min_chars`` characters of body, from train-split items."""
    from duluan.classifiers.corpus import load_split
    from duluan.records import Article

    by_prov: dict[str, list] = {}
    for it in load_split("train"):
        by_prov.setdefault((it.provinces or ["-"])[0] + it.raw.get("language", "vi"), []).append(it)
    groups = [v for v in by_prov.values() if len(v) > 10]
    out, k = [], 0
    while len(out) < n:
        g = groups[len(out) % len(groups)]
        first = g[k % len(g)]
        parts, j = [], k
        while sum(map(len, parts)) + 2 * len(parts) < min_chars:
            parts.append(g[j % len(g)].raw["body"])
            j += 1
        a = first.article()
        out.append(Article(id=f"long-{len(out)}", url=a.url, source=a.source, source_kind=a.source_kind,
                           language=a.language, title=a.title, body="\n\n".join(parts), published=a.published))
        k += 3
    return out


def _speed(clf, pairs, repeats: int) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    for a, c in pairs:
        clf.classify(a, c)
    cold = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        for a, c in pairs:
            clf.classify(a, c)
    warm, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(pairs) * repeats
    return {"articles": len(pairs), "repeats": repeats,
            "mean_chars": round(sum(len(a.text) for a, _ in pairs) / len(pairs)),
            "cold_articles_per_second": round(len(pairs) / cold, 1),
            "articles_per_second": round(n / warm, 1), "articles_per_cpu_second": round(n / cpu, 1)}


def run(repeats: int = 3) -> dict:
    # One core: BLAS and joblib threads would blur the measurement.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from duluan.classifiers import Classifier, SourceContext
    from duluan.classifiers.corpus import load_split
    from duluan.classifiers.models import MODELS_DIR

    t0 = time.perf_counter()
    clf = Classifier.load()
    load_s = time.perf_counter() - t0
    short = [(it.article(), it.context()) for it in load_split("dev")]
    long = [(a, SourceContext()) for a in long_articles()]
    assert min(len(a.body) for a, _ in long) >= LONG_MIN_CHARS
    sizes = {str(p.relative_to(MODELS_DIR)): p.stat().st_size for p in sorted(MODELS_DIR.rglob("*")) if p.is_file()}
    return {
        "load_seconds": round(load_s, 3),
        "short": _speed(clf, short, repeats),
        "long_2500_plus": _speed(clf, long, repeats),
        "target_long_articles_per_second": 300,
        "model_bytes_total": sum(sizes.values()),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
