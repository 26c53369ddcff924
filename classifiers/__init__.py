"""Vietnamese NLP for duluan: province mentions, sentiment toward the province, distortion, topic, severity.

``Classifier.load()`` reads the committed models in ``classifiers/models/``;
``classify()`` is pure (no network, no disk) and takes ~2–4 ms an article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from duluan.text import fold, normalise
from duluan.records import SOURCE_KINDS, Article, Classification, SourceContext

from .distortion import OfficialStatement, detect
from .features import focus_text
from .gazetteer import Gazetteer
from .lexicon import lexicon_counts
from .mentions import about, score_provinces
from .models import MODELS_DIR, FastModel, load
from .severity import severity
from .topic import TopicRules, choose_topic, route

if TYPE_CHECKING:
    from duluan.config import Config

__all__ = ["Classifier", "SourceContext", "OfficialStatement"]

DISTORTION_THRESHOLD = 0.45  # non-distorted items score ≤ 0.21 on every split; distorted mostly ≥ 0.5
# Distortion treats an item as negative from this P(negative) on, even when another label wins:
# loaded foreign-press framing often reads "neutral" to a model trained on domestic news.
NEGATIVE_FOR_DISTORTION = 0.3


class Classifier:
    """Everything issue #5 asks of one article, in one call."""

    def __init__(self, config: "Config", bundle: dict | None = None,
                 statements: list[OfficialStatement] | None = None):
        self.config = config
        self.gazetteer = Gazetteer(config.provinces)
        self.topic_rules = TopicRules(config.routing)
        bundle = bundle or {}
        self.sentiment_model = FastModel(bundle["sentiment"]) if bundle.get("sentiment") else None
        self.topic_model = FastModel(bundle["topic"]) if bundle.get("topic") else None
        self.distortion_weights: dict[str, float] = bundle.get("distortion_weights", {})
        self.distortion_threshold: float = bundle.get("distortion_threshold", DISTORTION_THRESHOLD)
        self.statements = list(statements or [])

    @classmethod
    def load(cls, config: "Config | None" = None, models_dir=MODELS_DIR) -> "Classifier":
        """Load the committed models; ``default_config()`` when ``config`` is None."""
        if config is None:
            from duluan.config.loader import default_config

            config = default_config()
        bundle = load("bundle", models_dir) if (models_dir / "bundle.joblib").exists() else None
        return cls(config, bundle)

    def with_statements(self, statements: list[OfficialStatement]) -> "Classifier":
        """Same models, plus official statements to check claims against (optional hook)."""
        c = Classifier(self.config, None, statements)
        c.sentiment_model, c.topic_model = self.sentiment_model, self.topic_model
        c.distortion_weights, c.distortion_threshold = self.distortion_weights, self.distortion_threshold
        return c

    def _sentiment(self, focus: str) -> tuple[str, float]:
        if self.sentiment_model is not None:
            probs = self.sentiment_model.predict_proba([focus])[0]
        else:  # no trained model yet: the lexicon alone
            pos, neg = lexicon_counts(focus)
            probs = {"positive": 0.2 + pos, "negative": 0.2 + neg, "neutral": 0.5}
            total = sum(probs.values())
            probs = {k: v / total for k, v in probs.items()}
        label = max(probs, key=probs.get)
        return label, probs.get("negative", 0.0)

    def classify(self, article: Article, context: SourceContext = SourceContext(), *,
                 statements: list[OfficialStatement] | None = None) -> Classification:
        """Classify one article; spans in the result index ``article.text``."""
        text = article.text
        if normalise(text) != text:
            # Offsets must index article.text as given; NFD input is matched through an NFC copy
            # only when the lengths agree (combining marks change length otherwise).
            nfc = normalise(text)
            work = nfc if len(nfc) == len(text) else text
        else:
            work = text
        folded = fold(work)
        title_len = len(article.title)
        scores, mentions = score_provinces(self.gazetteer, work, title_len, folded)
        provinces = about(scores)
        # Mentions of provinces the article is about come first; passing mentions are kept too.
        mentions.sort(key=lambda m: (m.province not in provinces, m.start))

        sentiment, p_neg = None, 0.0
        if provinces:
            spans = [(m.start, m.end) for m in mentions if m.province in provinces]
            sentiment, p_neg = self._sentiment(focus_text(work, title_len, spans))

        probs = self.topic_model.predict_proba([work])[0] if self.topic_model is not None else None
        topic = choose_topic(probs, self.topic_rules.scores(work, title_len))
        on = (article.published.date() if article.published else date.today())
        agencies = route(topic, self.config.routing, self.config.agencies, on)

        score, evidence, _ = detect(
            work, title_len, negative=sentiment == "negative" or p_neg >= NEGATIVE_FOR_DISTORTION,
            context_fabrication=context.fabrication_record,
            statements=[*self.statements, *(statements or [])],
            weights=self.distortion_weights,
        )
        # Items about a monitored province are flagged from the threshold; an item about no monitored
        # province (e.g. a smear of a neighbour) only on stronger, more varied evidence.
        kinds = {e.signal for e in evidence} - {"no_source", "fabrication_record"}
        distorted = bool(evidence) and score >= self.distortion_threshold and (
            bool(provinces) or (score >= self.distortion_threshold + 0.05 and len(kinds) >= 3))
        kind = context.kind if context.kind in SOURCE_KINDS else article.source_kind
        if kind == "official":
            # The government's own channels are where clarifications are published: their items
            # are facts to answer claims with, never claims to answer.
            distorted = False
        sev = severity(p_neg, score, kind, context.syndication, topic, bool(provinces))
        return Classification(
            provinces=provinces,
            mentions=mentions,
            sentiment=sentiment,
            distorted=distorted,
            distortion_score=score,
            evidence=evidence,
            topic=topic,
            agencies=agencies if provinces or topic else [],
            severity=sev,
        )
