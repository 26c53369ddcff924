"""Sentiment model variants against the development sets: ``python bench/sentiment_variants.py``.

Each variant is trained as ``duluan train`` trains it (the train split and the written items,
``TRAIN_SPLITS``) and scored by the whole classifier on dev, nlp-dev and mirror half A, the sets
tuning may look at, and on the written items by 5 folds (each fifth scored by the model trained
without it). Held-out, mirror half B and blind are never scored here (issue #13). Prints one JSON
object; about a minute.

Variants: the committed settings; without the written items; their weight, the regularisation C,
the lexicon's scale and the class weights around the committed ones; fewer n-grams; and nlp-dev's
own items added to training, scored on the fifth of nlp-dev each model did not see.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable

from duluan.logs import setup_logging


def _fold(item_id: str, k: int = 5) -> int:
    return int(hashlib.sha256(item_id.encode()).hexdigest(), 16) % k


def main() -> dict:
    setup_logging()
    import duluan.classifiers.models as models
    from duluan.classifiers import Classifier
    from duluan.classifiers.corpus import Item, load_split
    from duluan.classifiers.evaluation import evaluate_items
    from duluan.classifiers.gazetteer import Gazetteer
    from duluan.classifiers.models import TextModel, load
    from duluan.classifiers.training import (SENTIMENT_C, SENTIMENT_CLASS_WEIGHT, WRITTEN_WEIGHT, sample_weights,
                                             sentiment_text)
    from duluan.config.loader import default_config

    cfg = default_config()
    bundle = load("bundle")
    gaz = Gazetteer(cfg.provinces)
    sets = {s: load_split(s) for s in ("dev", "nlp-dev", "mirror-a")}
    written_all = load_split("written")

    def labelled(items: list[Item]) -> list[Item]:
        return [it for it in items if it.provinces and it.sentiment]

    train, written = labelled(load_split("train")), labelled(written_all)
    text = {it.id: sentiment_text(gaz, it) for it in train + written + labelled(sets["nlp-dev"])}
    committed = {"c": SENTIMENT_C, "lex": models.LEX_SCALE, "class_weight": SENTIMENT_CLASS_WEIGHT,
                 "max_features": 20000, "written_weight": WRITTEN_WEIGHT}

    def fit(items: list[Item], **change) -> TextModel:
        """A model of the committed settings but ``change``, trained on ``items``."""
        settings = {**committed, **change}
        models.LEX_SCALE = settings.pop("lex")  # read by TextModel and FastModel alike
        w = settings.pop("written_weight")
        return TextModel(use_lexicon=True, **settings).fit(
            [text[it.id] for it in items], [it.sentiment for it in items], sample_weights(items, w))

    def accuracy(model: TextModel, items: list[Item]) -> tuple[int, int]:
        s = evaluate_items(Classifier(cfg, {**bundle, "sentiment": model}, nlp=gaz.nlp), items).metrics["sentiment"]
        return round(s["accuracy"] * s["n"]), s["n"]

    def folds(base: list[Item], extra: list[Item], scored: list[Item], **change) -> float:
        """Accuracy on ``scored``, each fifth by a model trained on ``base`` + the other fifths of ``extra``."""
        ok = n = 0
        for f in range(5):
            a, b = accuracy(fit(base + [it for it in extra if _fold(it.id) != f], **change),
                            [it for it in scored if _fold(it.id) == f])
            ok, n = ok + a, n + b
        return round(ok / n, 3)

    def scored(name: str, items: Callable[[], list[Item]], skip: tuple[str, ...] = (), cv: bool = True,
               **change) -> dict:
        model = fit(items(), **change)
        row = {"variant": name}
        for split, its in sets.items():
            if split not in skip:
                ok, n = accuracy(model, its)
                row[split] = round(ok / n, 3)
        if cv:
            row["written_5fold"] = folds(train, written, written_all, **change)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
        return row

    both = lambda: train + written  # noqa: E731
    rows = [scored(f"committed (train + written x{WRITTEN_WEIGHT:g}, C={SENTIMENT_C:g}, lexicon x{models.LEX_SCALE:g})",
                   both)]
    row = scored("train split only", lambda: train, cv=False)
    row["written_5fold"] = folds(train, [], written_all)
    rows.append(row)
    for w in (1.0, 5.0):
        rows.append(scored(f"written x{w:g}", both, written_weight=w))
    for c in (1.0, 16.0):
        rows.append(scored(f"C={c:g}", both, c=c))
    for lex in (1.0, 4.0):
        rows.append(scored(f"lexicon x{lex:g}", both, lex=lex))
    rows.append(scored("balanced class weights", both, class_weight="balanced"))
    rows.append(scored("1000 n-grams", both, max_features=1000))
    # nlp-dev in training: each fifth scored by the model trained without it.
    nd = sets["nlp-dev"]
    row = scored("train + written + nlp-dev", lambda: train + written + labelled(nd), skip=("nlp-dev",), cv=False)
    row["nlp-dev"] = folds(train + written, labelled(nd), nd)
    row["nlp-dev_scored_by"] = "5-fold, each fifth unseen by its model"
    rows.append(row)
    models.LEX_SCALE = committed.pop("lex")
    return {"trained_on": "train split + written items", "scored": [*sets, "written (5-fold)"],
            "committed": committed, "variants": rows}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False, indent=1))
