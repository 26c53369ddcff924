"""Story clusters: near-duplicate (syndicated) copies of one story share a cluster (issue #4).

MinHash LSH (datasketch) over word 3-shingles of the *folded* body text
(lower case, no diacritics, đ → d), so a copy that an outlet re-typed
without diacritics or re-punctuated still lands in the same cluster.  Every
copy is kept as its own article; the cluster id is the id of the first
article of the cluster, so it is stable across runs.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter

from datasketch import MinHash, MinHashLSH

from duluan.records import Article
from duluan.store import Database
from duluan.store import articles as store_articles
from duluan.text import fold

log = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE = 3
# A 128-permutation MinHash estimates Jaccard with σ ≈ 0.04: query the LSH
# below the threshold and accept within 2.5σ of it, so a copy whose true
# similarity is right at the threshold is not lost to estimator noise.  On the
# mirror, copies of one story score ≥ 0.73 and different stories ≤ 0.17.
CANDIDATE_MARGIN = 0.2
ACCEPT_MARGIN = 0.1
_WORD = re.compile(r"\w+", re.U)


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(fold(text))
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


def signature(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch(list(shingles(text)))
    return m


class StoryClusterer:
    """Assigns each article to a story cluster; thread-safe.

    The articles already in the database are loaded (signatures computed) on
    the first ``assign`` only, so a run that stores nothing new costs nothing.
    """

    def __init__(self, db: Database, threshold: float = 0.7):
        self.db = db
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=max(0.1, threshold - CANDIDATE_MARGIN), num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}
        self._cluster: dict[str, str] = {}  # article id → cluster id
        self._sizes: Counter[str] = Counter()
        self._loaded = False
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._loaded:
            return
        n = 0
        for a in store_articles.iter_articles(self.db):
            self._add(a.id, signature(a.body), a.cluster_id or a.id)
            n += 1
        self._loaded = True
        log.info("clusterer loaded articles=%d clusters=%d", n, len(self._sizes))

    def _add(self, article_id: str, sig: MinHash, cluster_id: str) -> None:
        if article_id in self._sigs:
            return
        self._sigs[article_id] = sig
        self._lsh.insert(article_id, sig)
        self._cluster[article_id] = cluster_id
        self._sizes[cluster_id] += 1

    def assign(self, article: Article) -> str:
        """Cluster id for ``article`` (its own id when it starts a new story); sets ``article.cluster_id``."""
        with self._lock:
            self._load()
            if article.id in self._cluster:  # seen before: idempotent
                article.cluster_id = self._cluster[article.id]
                return article.cluster_id
            sig = signature(article.body)
            best, best_sim = None, 0.0
            for other in self._lsh.query(sig):
                sim = sig.jaccard(self._sigs[other])
                # Ties go to the older cluster so the result does not depend on set order.
                if sim > best_sim or (sim == best_sim and best is not None and other < best):
                    best, best_sim = other, sim
            cluster = self._cluster[best] if best is not None and best_sim >= self.threshold - ACCEPT_MARGIN else article.id
            self._add(article.id, sig, cluster)
            article.cluster_id = cluster
            return cluster

    def size(self, cluster_id: str) -> int:
        """How many copies (syndications) the cluster holds."""
        with self._lock:
            self._load()
            return self._sizes.get(cluster_id, 0)
