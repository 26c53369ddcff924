"""The trained text models: TF-IDF over folded syllable n-grams + lexicon features → logistic regression.

One class, used twice (sentiment toward the province, topic), so training,
saving and loading stay identical. Artefacts are joblib files in
``classifiers/models/`` (tens of kB; issue #5 caps them at 5 MB total).
"""

from __future__ import annotations

from itertools import repeat
from pathlib import Path

import joblib
import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from .features import analyzer, tokens
from .lexicon import lexicon_features

MODELS_DIR = Path(__file__).resolve().parent / "models"
SEED = 13
# Lexicon columns are scaled up so a few hundred templated items cannot drown them (issue #5: unseen styles).
# 2.0 chosen on dev and nlp-dev (sentiment 0.86 / 0.834; 3.0 gave 0.86 / 0.822, 1.0 0.849 / 0.828), never on blind.
LEX_SCALE = 2.0


class TextModel:
    """TF-IDF + optional lexicon features → multinomial logistic regression."""

    def __init__(self, use_lexicon: bool = True, c: float = 4.0, min_df: int = 1, max_features: int = 20000,
                 class_weight: str | dict | None = "balanced"):
        self.use_lexicon = use_lexicon
        self.vectorizer = TfidfVectorizer(analyzer=analyzer, min_df=min_df, sublinear_tf=True,
                                          max_features=max_features, dtype=np.float32)
        self.clf = LogisticRegression(C=c, max_iter=2000, class_weight=class_weight, random_state=SEED)

    def _x(self, texts: list[str], fit: bool = False):
        x = self.vectorizer.fit_transform(texts) if fit else self.vectorizer.transform(texts)
        if self.use_lexicon:
            lex = csr_matrix(np.array([lexicon_features(t) for t in texts], dtype=np.float32))
            x = hstack([x, lex * LEX_SCALE], format="csr")
        return x

    def fit(self, texts: list[str], labels: list[str], weights: list[float] | None = None) -> "TextModel":
        self.clf.fit(self._x(texts, fit=True), labels, sample_weight=weights)
        return self

    def predict_proba(self, texts: list[str]) -> list[dict[str, float]]:
        probs = self.clf.predict_proba(self._x(texts))
        labels = [str(c) for c in self.clf.classes_]
        return [dict(zip(labels, map(float, row))) for row in probs]

    def predict(self, texts: list[str]) -> list[str]:
        return [str(p) for p in self.clf.predict(self._x(texts))]

    def top_features(self, label: str, n: int = 15) -> list[str]:
        """The n-grams that push hardest toward ``label`` (for explaining the model)."""
        names = list(self.vectorizer.get_feature_names_out()) + (["lex_pos", "lex_neg", "lex_bal", "lex_none"] if self.use_lexicon else [])
        k = list(self.clf.classes_).index(label)
        coef = self.clf.coef_[k] if self.clf.coef_.shape[0] > 1 else self.clf.coef_[0]
        return [names[i] for i in np.argsort(-coef)[:n]]

    def shrink(self) -> "TextModel":
        """Drop the fitted stop-word set sklearn keeps only for introspection (smaller file)."""
        if hasattr(self.vectorizer, "stop_words_"):
            self.vectorizer.stop_words_ = None
        return self


class FastModel:
    """Inference-only copy of a fitted ``TextModel``: dict lookup + numpy, no sklearn validation.

    sklearn's per-call input checks cost ~2 ms, more than the maths; this gives
    identical probabilities in ~50 µs (tests/test_classifiers_models.py checks it).
    """

    def __init__(self, m: TextModel):
        self.vocab = {str(k): int(v) for k, v in m.vectorizer.vocabulary_.items()}
        # Every token of the vocabulary gets a number (from 1; 0 is a token the model never saw):
        # a text's tokens are looked up once, and its bigrams are the pairs of those numbers,
        # found with one ``searchsorted``, where a dict lookup per n-gram cost more than the
        # maths (issue #13, speed).
        self._token_ids: dict[str, int] = {}
        for k in self.vocab:
            for w in k.split(" "):
                self._token_ids.setdefault(w, len(self._token_ids) + 1)
        self._width = width = len(self._token_ids) + 1
        self._unigram_col = np.full(width, -1, dtype=np.intp)
        pairs: dict[int, int] = {}
        for k, col in self.vocab.items():
            a, _, b = k.partition(" ")
            if b:
                pairs[self._token_ids[a] * width + self._token_ids[b]] = col
            else:
                self._unigram_col[self._token_ids[a]] = col
        keys = sorted(pairs)
        # A last key above every pair, so ``searchsorted`` always lands on a key.
        self._bigram_keys = np.array([*keys, width * width], dtype=np.intp)
        self._bigram_col = np.array([*(pairs[k] for k in keys), -1], dtype=np.intp)
        self.idf = m.vectorizer.idf_.astype(np.float64)
        self.coef = m.clf.coef_.astype(np.float64)
        # Rows of the n-grams' weights, one contiguous row per n-gram: a text's few hundred rows
        # are gathered in one copy, where columns of ``coef`` were strided (issue #13, speed).
        self._rows = np.ascontiguousarray(self.coef[:, :len(self.vocab)].T)
        self.intercept = m.clf.intercept_.astype(np.float64)
        self.labels = [str(c) for c in m.clf.classes_]
        self.use_lexicon = m.use_lexicon

    def _columns(self, toks: list[str]) -> np.ndarray:
        """The vocabulary columns of the unigrams and bigrams of ``toks`` (``analyzer``), sorted."""
        ids = np.fromiter(map(self._token_ids.get, toks, repeat(0)), dtype=np.intp, count=len(toks))
        uni = self._unigram_col[ids]
        # No key has a 0 in it, so a pair with an unseen token matches none.
        pair = ids[:-1] * self._width + ids[1:]
        keys = self._bigram_keys
        at = keys.searchsorted(pair)
        cols = np.concatenate((uni[uni >= 0], self._bigram_col[at[keys[at] == pair]]))
        cols.sort()
        return cols

    def predict_proba(self, texts: list[str]) -> list[dict[str, float]]:
        return [self.proba(t) for t in texts]

    def proba(self, text: str, toks: list[str] | None = None) -> dict[str, float]:
        """``predict_proba([text])[0]``; ``toks``: ``tokens(text)``, when the caller has them."""
        cols = self._columns(tokens(text) if toks is None else toks)
        # Distinct columns in order and how often each occurs (what ``bincount`` gave): the
        # bounds of the runs of equal columns.
        n = cols.size
        edge = np.empty(n + 1, dtype=bool)
        edge[0] = edge[n] = True
        np.not_equal(cols[1:], cols[:-1], out=edge[1:n])
        bounds = np.flatnonzero(edge)
        idx = cols[bounds[:-1]]
        counts = bounds[1:] - bounds[:-1]
        val = (1.0 + np.log(counts)) * self.idf[idx]
        norm = np.sqrt(val @ val)
        if norm:
            val = val / norm
        z = val @ self._rows[idx] + self.intercept
        if self.use_lexicon:
            z = z + self.coef[:, len(self.vocab):] @ (np.array(lexicon_features(text)) * LEX_SCALE)
        if len(self.labels) == 2 and z.shape[0] == 1:
            p1 = 1.0 / (1.0 + np.exp(-z[0]))
            probs = np.array([1.0 - p1, p1])
        else:
            # The ufuncs' own reductions: ``max`` and ``sum`` are the same ones behind a Python wrapper.
            e = np.exp(z - np.maximum.reduce(z))
            probs = e / np.add.reduce(e)
        return dict(zip(self.labels, probs.tolist()))


def save(obj: object, name: str, directory: Path = MODELS_DIR) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.joblib"
    joblib.dump(obj, path, compress=3)
    return path


def load(name: str, directory: Path = MODELS_DIR) -> object:
    return joblib.load(directory / f"{name}.joblib")
