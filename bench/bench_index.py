"""Index benchmark (issue #6): bulk write speed and query latency, SQLite FTS5 and Elasticsearch.

    python bench/bench_index.py [--n 100000] [--es http://127.0.0.1:9200]   → one JSON object

``run(n)`` generates ``n`` synthetic Vietnamese articles from a vocabulary (province names
with diacritics, common news words, English items), indexes them into both backends in one
run, times ~20 typical queries (words, phrases, prefixes, filters, NOT), and returns docs/s,
p50/p95 latency per backend and the ES/SQLite ratios. Elasticsearch comes from ``--es``,
``DULUAN_ES_URL``, or ``ops/es.sh up`` on port 9288 (stopped again afterwards).
Goals at 100k: ≥ 2000 docs/s into ES, p95 < 50 ms on ES, < 150 ms on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from duluan.records import Article, Classification

REPO = Path(__file__).resolve().parents[1]

PROVINCES = {
    "hai-phong": ["Hải Phòng", "Hai Phong", "Hải Dương", "cảng Lạch Huyện", "Đồ Sơn"],
    "da-nang": ["Đà Nẵng", "Da Nang", "Quảng Nam", "Hội An", "cầu Rồng"],
    "dak-lak": ["Đắk Lắk", "Dak Lak", "Buôn Ma Thuột", "Ea H'leo", "Phú Yên"],
    "vinh-long": ["Vĩnh Long", "Vinh Long", "Bến Tre", "Trà Vinh"],
    "quang-ninh": ["Quảng Ninh", "vịnh Hạ Long", "Ha Long Bay", "Móng Cái"],
    "hung-yen": ["Hưng Yên", "Thái Bình", "Phố Hiến"],
    "ha-noi": ["Hà Nội", "Hanoi", "hồ Hoàn Kiếm"],
}
TOPICS = {
    "tourism": ["du lịch", "du khách", "lễ hội", "khách sạn", "bãi biển", "di sản", "tourists", "festival"],
    "investment": ["đầu tư", "vốn FDI", "khu công nghiệp", "dự án", "nhà máy", "doanh nghiệp", "investment"],
    "security": ["công an", "tin sai sự thật", "đối tượng", "điều tra", "an ninh", "khởi tố", "police"],
    "disaster": ["bão", "mưa lớn", "lũ lụt", "sạt lở", "ngập", "nắng nóng", "storm", "flooding"],
    "health": ["bệnh viện", "covid-19", "y tế", "dịch bệnh", "tiêm chủng", "hospital"],
    "agriculture": ["cà phê", "lúa", "nông dân", "hạn hán", "xuất khẩu", "thanh long", "coffee"],
    "traffic": ["cao tốc", "cầu", "đường bay", "tai nạn", "giao thông", "sân bay", "expressway"],
    "environment": ["môi trường", "ô nhiễm", "rác thải", "lấn biển", "rừng ngập mặn", "pollution"],
}
COMMON = ("theo", "cho biết", "trong", "năm", "ngày", "người dân", "chính quyền", "tỉnh", "thành phố", "huyện", "xã",
          "UBND", "lãnh đạo", "đã", "đang", "sẽ", "nhiều", "các", "những", "được", "với", "về", "tại", "sau khi",
          "kế hoạch", "báo cáo", "triển khai", "phát triển", "tăng", "giảm", "tỷ đồng", "hơn", "gần", "khoảng",
          "hội nghị", "quyết định", "chỉ đạo", "khẩn trương", "an toàn", "kinh tế", "xã hội", "hiệu quả")
SOURCES = ("vnexpress", "tuoitre", "thanhnien", "baohaiphong", "baodanang", "baodaklak", "vietnamnet", "reuters", "rfa")
QUERIES = [
    "hai phong", '"Hải Phòng"', "da nang", '"Đà Nẵng" du lịch', "ea h'leo", "covid-19", "cà phê xuất khẩu",
    "cang* hai phong", '"khu công nghiệp" đầu tư', "bão OR lũ", 'đà nẵng -"du lịch"', "province:dak-lak",
    "province:hai-phong topic:disaster", "flagged:true", "sentiment:negative province:da-nang",
    "lang:en flooding", "from:2025-06-01 to:2025-06-30 bão", "(mưa lớn OR ngập) province:ha-noi",
    '"tin sai sự thật" công an', "source:reuters investment",
]


def generate(n: int, seed: int = 6) -> list[Article]:
    """``n`` reproducible synthetic articles, 60–120 words of body each."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    provinces, topics = list(PROVINCES), list(TOPICS)
    out = []
    for i in range(n):
        prov = rng.sample(provinces, k=1 if rng.random() < 0.8 else 2)
        topic = rng.choice(topics)
        names = [nm for p in prov for nm in PROVINCES[p]]
        words = TOPICS[topic]

        def sentence() -> str:
            parts = [rng.choice(COMMON) for _ in range(rng.randint(5, 10))]
            parts.insert(rng.randrange(len(parts)), rng.choice(names))
            parts.insert(rng.randrange(len(parts)), rng.choice(words))
            s = " ".join(parts)
            return s[0].upper() + s[1:] + rng.choice([".", ".", ",", ";"])

        title = f"{rng.choice(names)}: {rng.choice(words)} {rng.choice(COMMON)} {rng.choice(words)}"
        body = " ".join(sentence() for _ in range(rng.randint(6, 11)))
        sentiment = rng.choice(["positive", "neutral", "neutral", "negative"])
        severity = round(rng.random(), 2) if sentiment == "negative" else 0.0
        out.append(Article(
            id=f"b{i:08d}", url=f"https://example.vn/bench/{i}", source=rng.choice(SOURCES),
            source_kind="domestic", language="en" if rng.random() < 0.1 else "vi", title=title, body=body,
            published=start + timedelta(minutes=rng.randrange(365 * 24 * 60)),
            classification=Classification(provinces=prov, topic=topic, sentiment=sentiment, severity=severity,
                                          distorted=rng.random() < 0.02)))
    return out


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _latency(index, rounds: int = 5) -> dict:
    # Warm up as a running server would be: three passes, since a fresh JVM compiles its hot
    # paths over the first few hundred requests (SQLite gets the same passes).
    for _ in range(3):
        for query in QUERIES:
            index.search(query, limit=20)
    times, totals = [], {}
    for _ in range(rounds):
        for query in QUERIES:
            t = time.perf_counter()
            res = index.search(query, limit=20)
            times.append((time.perf_counter() - t) * 1000)
            totals[query] = res.total
    return {"queries": len(QUERIES), "runs": len(times), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(_percentile(times, 0.95), 2), "max_ms": round(max(times), 2), "hits": totals}


def _bench_sqlite(articles: list[Article], path: Path) -> dict:
    from duluan.index.sqlite import SqliteIndex

    index = SqliteIndex(path)
    t = time.perf_counter()
    for i in range(0, len(articles), 2000):
        index.upsert(articles[i:i + 2000])
    seconds = time.perf_counter() - t
    out = {"docs": index.count(), "index_seconds": round(seconds, 2),
           "docs_per_s": round(len(articles) / seconds), **_latency(index)}
    index.close()
    return out


def _bench_es(articles: list[Article], url: str) -> dict:
    from duluan.config.models import ElasticsearchSettings
    from duluan.index.elasticsearch import ElasticsearchIndex

    index = ElasticsearchIndex.from_settings([url], ElasticsearchSettings(index_prefix=f"bench-{uuid.uuid4().hex[:6]}"),
                                             refresh=False)
    try:
        t = time.perf_counter()
        result = index.reindex(articles)  # bulk into a fresh version (refresh off), then the alias swap
        seconds = time.perf_counter() - t
        index.client.options(request_timeout=600).indices.forcemerge(index=index.alias, max_num_segments=1)
        out = {"docs": index.count(), "index_seconds": round(seconds, 2),
               "docs_per_s": round(result["written"] / seconds), **_latency(index)}
    finally:
        index.drop()
        index.close()
    return out


class _Node:
    """Elasticsearch for the bench: a given URL, or ``ops/es.sh`` on a port of its own."""

    def __init__(self, url: str | None, port: int = 9288):
        self.url = url or os.environ.get("DULUAN_ES_URL")
        self.port, self.started = port, False

    def __enter__(self) -> str:
        if not self.url:
            env = {**os.environ, "DULUAN_ES_PORT": str(self.port), "DULUAN_ES_HEAP": os.environ.get("DULUAN_ES_HEAP", "1g")}
            subprocess.run(["bash", str(REPO / "ops" / "es.sh"), "up"], env=env, check=True, capture_output=True)
            self.url, self.started = f"http://127.0.0.1:{self.port}", True
        return self.url

    def __exit__(self, *exc: object) -> None:
        if self.started:
            subprocess.run(["bash", str(REPO / "ops" / "es.sh"), "down"], capture_output=True,
                           env={**os.environ, "DULUAN_ES_PORT": str(self.port)})


def run(n: int = 100_000, es_url: str | None = None) -> dict:
    """Index ``n`` synthetic articles into SQLite FTS5 and Elasticsearch; returns speeds and latencies."""
    t = time.perf_counter()
    articles = generate(n)
    gen_seconds = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = _bench_sqlite(articles, Path(tmp) / "bench.sqlite3")
    with _Node(es_url) as url:
        es = _bench_es(articles, url)
    for backend in (sqlite, es):
        backend["hits"] = dict(backend["hits"])
    mismatched = sorted(q for q in QUERIES if sqlite["hits"][q] != es["hits"][q])
    return {
        "n": n,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "generate_seconds": round(gen_seconds, 2),
        "sqlite": sqlite,
        "elasticsearch": es,
        "ratio_es_over_sqlite": {
            "docs_per_s": round(es["docs_per_s"] / sqlite["docs_per_s"], 2),
            "p50": round(es["p50_ms"] / sqlite["p50_ms"], 2),
            "p95": round(es["p95_ms"] / sqlite["p95_ms"], 2),
        },
        "same_totals": not mismatched,
        "totals_differ": mismatched,
        "goals": {"es_docs_per_s>=2000": es["docs_per_s"] >= 2000, "es_p95<50ms": es["p95_ms"] < 50,
                  "sqlite_p95<150ms": sqlite["p95_ms"] < 150},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--es", help="Elasticsearch URL (default: DULUAN_ES_URL, else start one with ops/es.sh)")
    args = parser.parse_args()
    print(json.dumps(run(args.n, args.es), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
