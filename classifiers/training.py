"""Train the sentiment and topic models from ``classifiers/data`` into ``classifiers/models``.

Deterministic (fixed seeds); takes a few seconds on one core. Sentiment is
trained on the text around the gold province's mentions (``features.focus_text``),
exactly what ``Classifier.classify`` feeds it, so it learns sentiment toward
the province rather than the article's tone.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from . import DISTORTION_THRESHOLD
from .corpus import DATA_DIR, Item, load_split
from .features import focus_text
from .gazetteer import Gazetteer
from .mentions import find_mentions
from .models import MODELS_DIR, SEED, TextModel, save


# Class weights of the sentiment model (None = the train split's own priors).
SENTIMENT_CLASS_WEIGHT = None


def sentiment_text(gaz: Gazetteer, item: Item) -> str:
    a = item.article()
    text = a.text
    mentions, _, _ = find_mentions(gaz, text, title_len=len(a.title))
    spans = [(m.start, m.end) for m in mentions if m.province in item.provinces]
    return focus_text(text, len(a.title), spans)


def train(config=None, data_dir: Path = DATA_DIR, models_dir: Path = MODELS_DIR,
          splits: tuple[str, ...] = ("train",)) -> dict:
    """Fit both models on ``splits`` and save ``bundle.joblib``; returns a summary."""
    random.seed(SEED)
    np.random.seed(SEED)
    if config is None:
        from duluan.config.loader import default_config

        config = default_config()
    gaz = Gazetteer(config.provinces)
    items = [it for s in splits for it in load_split(s, data_dir)]
    senti = [it for it in items if it.provinces and it.sentiment]
    sent_model = TextModel(use_lexicon=True, c=1.0, class_weight=SENTIMENT_CLASS_WEIGHT).fit(
        [sentiment_text(gaz, it) for it in senti], [it.sentiment for it in senti]).shrink()
    topical = [it for it in items if it.topic]
    topic_model = TextModel(use_lexicon=False, c=8.0).fit(
        [it.article().text for it in topical], [it.topic for it in topical]).shrink()
    bundle = {"version": 2, "sentiment": sent_model, "topic": topic_model,
              "distortion_weights": {}, "distortion_threshold": DISTORTION_THRESHOLD}
    # The distortion model weighs the per-sentence cue features of the train items, computed by the
    # classifier as it runs (with the sentiment model just fitted), so training sees what inference sees.
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    from . import Classifier
    from .distortion import FEATURES, DistortionModel

    clf = Classifier(config, bundle, nlp=gaz.nlp)
    x = np.array([[clf.classify_with_features(it.article(), it.context())[1][k] for k in FEATURES]
                  for it in items], dtype=np.float64)
    y = np.array([int(it.distorted) for it in items])
    cal = CalibratedClassifierCV(LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000,
                                                    random_state=SEED), method="sigmoid", cv=5).fit(x, y)
    bundle["distortion_model"] = DistortionModel.from_sklearn(cal, FEATURES)
    bundle["distortion_threshold"] = DISTORTION_THRESHOLD
    path = save(bundle, "bundle", models_dir)
    # The spaCy pipeline (tokenizer + gazetteer component), saved for the product to load.
    nlp_dir = models_dir / "nlp"
    gaz.nlp.to_disk(nlp_dir)
    return {"path": str(path), "bytes": path.stat().st_size, "sentiment_items": len(senti),
            "topic_items": len(topical), "distortion_items": len(items), "distorted": int(y.sum()),
            "nlp": str(nlp_dir)}
