"""Train the sentiment and topic models from ``classifiers/data`` into ``classifiers/models``.

Deterministic (fixed seeds); takes a few seconds on one core. The models learn from
``corpus.TRAIN_SPLITS``: the train split of the generated corpus and the written items. Sentiment is
trained on the text around the gold province's mentions (``features.focus_text``),
exactly what ``Classifier.classify`` feeds it, so it learns sentiment toward
the province rather than the article's tone.

Analysts' feedback (``duluan feedback export``: confirmed and dismissed flags as
corpus lines) joins the training data with ``train(feedback=...)``. A fixed fifth of
it, chosen by a hash of the article id, is never trained on: it is where
``feedback_report`` measures what the feedback changed, beside the dev split.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import numpy as np

from . import DISTORTION_THRESHOLD
from .corpus import DATA_DIR, TRAIN_SPLITS, Item, load_items, load_split, missing
from .features import focus_text
from .gazetteer import Gazetteer
from .mentions import find_mentions
from .models import MODELS_DIR, SEED, TextModel, save


# Class weights of the sentiment model (None = the training items' own priors).
SENTIMENT_CLASS_WEIGHT = None
# Weight of a ``written/`` item against a templated corpus item: there are fewer of them, and they
# are the varied text the models must learn from (chosen by 5-fold scores on written and dev sets).
WRITTEN_WEIGHT = 3.0
# Inverse regularisation of the sentiment model: with the written items, 4 beats 1 on dev, nlp-dev,
# mirror half A and the written items' 5 folds (bench/sentiment_variants.py).
SENTIMENT_C = 4.0
# Percent of the feedback items kept out of training to measure it on.
FEEDBACK_CHECK_PERCENT = 20
FEEDBACK_SALT = "duluan-feedback-v1:"


def load_feedback(path: Path) -> list[Item]:
    """The lines of a ``duluan feedback export`` file as items; a line without title, body or id is refused."""
    return load_items(path, lambda row: missing(row, ("id", "title", "body")))


def feedback_split(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """(fit, check): a fixed hash of each id, so an item stays on its side as the feedback file grows."""
    fit, check = [], []
    for it in items:
        h = int(hashlib.sha256((FEEDBACK_SALT + it.id).encode()).hexdigest(), 16) % 100
        (check if h < FEEDBACK_CHECK_PERCENT else fit).append(it)
    return fit, check


def _has_gold_topic(it: Item) -> bool:
    # A feedback line whose topic is the model's own guess (not the analyst's) would teach the model itself.
    return bool(it.topic) and it.raw.get("topic_label") != "model"


def sample_weights(items: list[Item], written_weight: float = WRITTEN_WEIGHT) -> list[float]:
    """Each item's weight in training: ``written_weight`` for a written item, 1 for the others."""
    return [written_weight if it.written else 1.0 for it in items]


def sentiment_text(gaz: Gazetteer, item: Item) -> str:
    a = item.article()
    text = a.text
    mentions, _, _ = find_mentions(gaz, text, title_len=len(a.title))
    spans = [(m.start, m.end) for m in mentions if m.province in item.provinces]
    return focus_text(text, len(a.title), spans)


def train(config=None, data_dir: Path = DATA_DIR, models_dir: Path = MODELS_DIR,
          splits: tuple[str, ...] = TRAIN_SPLITS, feedback: list[Item] = (),
          written_weight: float = WRITTEN_WEIGHT, distortion_written: bool = False) -> dict:
    """Fit the models on ``splits`` (+ the fit part of ``feedback``) and save them; returns a summary.

    The ``written/`` items train sentiment and topic (weighted ``written_weight``) but not the
    distortion model unless ``distortion_written``: with them, its recall on nlp-dev fell from
    0.75 to 0.65."""
    random.seed(SEED)
    np.random.seed(SEED)
    if config is None:
        from duluan.config.loader import default_config

        config = default_config()
    gaz = Gazetteer(config.provinces)
    fit, check = feedback_split(list(feedback))
    items = [it for s in splits for it in load_split(s, data_dir)] + fit
    senti = [it for it in items if it.provinces and it.sentiment]
    sent_model = TextModel(use_lexicon=True, c=SENTIMENT_C, class_weight=SENTIMENT_CLASS_WEIGHT).fit(
        [sentiment_text(gaz, it) for it in senti], [it.sentiment for it in senti],
        sample_weights(senti, written_weight)).shrink()
    topical = [it for it in items if _has_gold_topic(it)]
    topic_model = TextModel(use_lexicon=False, c=8.0).fit(
        [it.article().text for it in topical], [it.topic for it in topical],
        sample_weights(topical, written_weight)).shrink()
    bundle = {"version": 2, "sentiment": sent_model, "topic": topic_model,
              "distortion_weights": {}, "distortion_threshold": DISTORTION_THRESHOLD}
    # The distortion model weighs the per-sentence cue features of the train items, computed by the
    # classifier as it runs (with the sentiment model just fitted), so training sees what inference sees.
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    from . import Classifier
    from .distortion import FEATURES, DistortionModel

    clf = Classifier(config, bundle, nlp=gaz.nlp)
    weighed = [it for it in items if distortion_written or not it.written]
    x = np.array([[clf.classify_with_features(it.article(), it.context())[1][k] for k in FEATURES]
                  for it in weighed], dtype=np.float64)
    y = np.array([int(it.distorted) for it in weighed])
    cal = CalibratedClassifierCV(LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000,
                                                    random_state=SEED), method="sigmoid", cv=5).fit(x, y)
    bundle["distortion_model"] = DistortionModel.from_sklearn(cal, FEATURES)
    bundle["distortion_threshold"] = DISTORTION_THRESHOLD
    path = save(bundle, "bundle", models_dir)
    # The spaCy pipeline (tokenizer + gazetteer component), saved for the product to load.
    nlp_dir = models_dir / "nlp"
    gaz.nlp.to_disk(nlp_dir)
    return {"path": str(path), "bytes": path.stat().st_size, "sentiment_items": len(senti),
            "topic_items": len(topical), "distortion_items": len(weighed), "distorted": int(y.sum()),
            "nlp": str(nlp_dir), "feedback_fit": len(fit), "feedback_check": len(check)}


FEEDBACK_METRICS = {"sentiment.accuracy": ("sentiment", "accuracy"), "topic.accuracy": ("topic", "accuracy"),
                    "distortion.precision": ("distortion", "precision"),
                    "distortion.recall": ("distortion", "recall"), "distortion.f1": ("distortion", "f1"),
                    "mentions.f1": ("mentions", "f1")}


def feedback_report(before, after, feedback: list[Item], data_dir: Path = DATA_DIR) -> dict:
    """Scores of the models ``before`` and ``after`` training with ``feedback``: on its held-out
    check part (what analysts said, unseen by training) and on the dev split (what it cost elsewhere)."""
    from .evaluation import evaluate_items

    _, check = feedback_split(feedback)
    out = {}
    for name, items in (("feedback_check", check), ("dev", load_split("dev", data_dir))):
        b, a = evaluate_items(before, items, name).metrics, evaluate_items(after, items, name).metrics
        pick = {k: (b[t][m], a[t][m]) for k, (t, m) in FEEDBACK_METRICS.items()}
        out[name] = {"n": len(items), **{k: {"before": x, "after": y, "change": round(y - x, 3)}
                                         for k, (x, y) in pick.items()}}
    return out
