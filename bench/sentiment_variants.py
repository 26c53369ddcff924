"""Sentiment model variants against the development sets: ``python bench/sentiment_variants.py``.

Each variant is trained on the train split (as ``duluan train`` does) and scored by the whole
classifier on dev, nlp-dev and mirror half A, the sets tuning may look at. Held-out, mirror half B
and blind are never scored here (issue #13). Prints one JSON object; about ten seconds.

Variants: the committed settings; the regularisation C, the lexicon's scale and the class weights
around them; fewer n-grams; dev added to the training items; and nlp-dev's own items added to
training, scored on the fifth of nlp-dev each model did not see (5 folds by a hash of the id).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable

from duluan.logs import setup_logging


def main() -> dict:
    setup_logging()
    import duluan.classifiers.models as models
    from duluan.classifiers import Classifier
    from duluan.classifiers.corpus import Item, load_split
    from duluan.classifiers.evaluation import evaluate_items
    from duluan.classifiers.gazetteer import Gazetteer
    from duluan.classifiers.models import TextModel, load
    from duluan.classifiers.training import SENTIMENT_CLASS_WEIGHT, sentiment_text
    from duluan.config.loader import default_config

    cfg = default_config()
    bundle = load("bundle")
    gaz = Gazetteer(cfg.provinces)
    sets = {s: load_split(s) for s in ("dev", "nlp-dev", "mirror-a")}

    def labelled(items: list[Item]) -> list[Item]:
        return [it for it in items if it.provinces and it.sentiment]

    def texts(items: list[Item]) -> tuple[list[str], list[str]]:
        return [sentiment_text(gaz, it) for it in items], [it.sentiment for it in items]

    x_train, y_train = texts(labelled(load_split("train")))
    committed = {"c": 1.0, "lex": models.LEX_SCALE, "class_weight": SENTIMENT_CLASS_WEIGHT, "max_features": 20000}

    def fit(x: list[str], y: list[str], **change) -> TextModel:
        """A model of the committed settings but ``change``, trained on ``x``, ``y``."""
        settings = {**committed, **change}
        models.LEX_SCALE = settings.pop("lex")  # read by TextModel and FastModel alike
        return TextModel(use_lexicon=True, **settings).fit(x, y)

    def accuracy(model: TextModel, items: list[Item]) -> tuple[int, int]:
        s = evaluate_items(Classifier(cfg, {**bundle, "sentiment": model}, nlp=gaz.nlp), items).metrics["sentiment"]
        return round(s["accuracy"] * s["n"]), s["n"]

    def scored(name: str, make: Callable[[], TextModel], skip: tuple[str, ...] = ()) -> dict:
        model = make()
        row = {"variant": name}
        for split, items in sets.items():
            if split not in skip:
                ok, n = accuracy(model, items)
                row[split] = round(ok / n, 3)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
        return row

    rows = [scored("committed (C=1, lexicon x2, priors)", lambda: fit(x_train, y_train))]
    for c in (0.3, 3.0):
        rows.append(scored(f"C={c}", lambda c=c: fit(x_train, y_train, c=c)))
    for lex in (1.0, 4.0):
        rows.append(scored(f"lexicon x{lex}", lambda lex=lex: fit(x_train, y_train, lex=lex)))
    rows.append(scored("balanced class weights", lambda: fit(x_train, y_train, class_weight="balanced")))
    for mf in (200, 1000):
        rows.append(scored(f"{mf} n-grams", lambda mf=mf: fit(x_train, y_train, max_features=mf)))
    x_dev, y_dev = texts(labelled(sets["dev"]))
    rows.append(scored("train + dev", lambda: fit(x_train + x_dev, y_train + y_dev), skip=("dev",)))

    # nlp-dev in training: each fifth scored by the model trained without it.
    nd = sets["nlp-dev"]
    folds = [int(hashlib.sha256(it.id.encode()).hexdigest(), 16) % 5 for it in nd]
    ok = n = 0
    for f in range(5):
        x_nd, y_nd = texts(labelled([it for it, k in zip(nd, folds) if k != f]))
        a, b = accuracy(fit(x_train + x_nd, y_train + y_nd), [it for it, k in zip(nd, folds) if k == f])
        ok, n = ok + a, n + b
    x_nd, y_nd = texts(labelled(nd))
    row = scored("train + nlp-dev", lambda: fit(x_train + x_nd, y_train + y_nd), skip=("nlp-dev",))
    row["nlp-dev"] = round(ok / n, 3)
    row["nlp-dev_scored_by"] = "5-fold, each fifth unseen by its model"
    rows.append(row)
    models.LEX_SCALE = committed["lex"]
    return {"trained_on": "train split", "scored": list(sets), "variants": rows}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
