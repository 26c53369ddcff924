"""Web pages under load: p50/p95 of the triage queue and of search with 20 concurrent clients,
against a real ``duluan serve`` process on a record of ``DULUAN_BENCH_WEB_N`` articles
(default 100,000; real-length bodies), on loopback (issue #11).

``*_first_ms``: each page and query asked once, alone, before the concurrent phase (nothing
cached yet); the concurrent figures then measure the steady state of the same pages and
queries, which the record and the index keep until their next commit."""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

N = int(os.environ.get("DULUAN_BENCH_WEB_N", "100000"))
CLIENTS = 20
WORKERS = int(os.environ.get("DULUAN_BENCH_WEB_WORKERS", "2"))  # `duluan serve --workers`: one per core here
REQUESTS_PER_CLIENT = int(os.environ.get("DULUAN_BENCH_WEB_REQUESTS", "25"))
PASSWORD = "bench-mat-khau-2025"

PLACES = ["Hải Phòng", "Hưng Yên", "Vĩnh Long", "Bắc Ninh", "Đắk Lắk", "Thái Bình", "Hải Dương", "Bến Tre"]
IDS = ["hai-phong", "hung-yen", "vinh-long", "bac-ninh", "dak-lak", "hung-yen", "hai-phong", "vinh-long"]
WORDS = ("dự án đầu tư khu công nghiệp người dân chính quyền tỉnh cơ quan chức năng kiểm tra xử lý vi phạm "
         "đất đai môi trường giao thông cầu đường bão lũ mưa lớn nông dân lúa cà phê giá cả thị trường "
         "doanh nghiệp công nhân lương thưởng trường học bệnh viện du lịch lễ hội văn hóa an ninh trật tự").split()
QUERIES = ["hai phong", '"Hải Phòng"', "bão OR lũ", "dak lak -cà", "province:hai-phong flagged:true", "cong nhan"]


def _body(rng: random.Random, place: str) -> str:
    sentences = []
    for _ in range(18):  # ~2,500 characters, a real article's length
        words = rng.choices(WORDS, k=rng.randint(14, 24))
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), place)
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def build(path: Path) -> str:
    from sqlalchemy import insert

    from duluan.index.sqlite import SqliteIndex
    from duluan.records import Article, Classification, Evidence
    from duluan.store import open_database
    from duluan.store.schema import ArticleRow

    url = f"sqlite:///{path}"
    db = open_database(url)
    rng = random.Random(7)
    start = datetime(2025, 7, 1, tzinfo=timezone.utc)
    index = SqliteIndex(path)
    batch: list[Article] = []
    for i in range(N):
        k = rng.randrange(len(PLACES))
        flagged = rng.random() < 0.05
        ev = [Evidence("anonymous_source", "một nguồn tin", 10, 23, "nguồn giấu tên")] if flagged else []
        c = Classification(provinces=[IDS[k]], sentiment=rng.choice(["negative", "neutral", "positive"]),
                           distorted=flagged, distortion_score=0.8 if flagged else 0.1, evidence=ev,
                           topic=rng.choice(["security", "land_environment", "health", "investment"]),
                           severity=round(rng.random(), 3))
        when = start + timedelta(minutes=7 * i)
        batch.append(Article(id=f"b{i:07d}", url=f"https://bench.example/{i}", source=f"src{i % 40}",
                             source_kind=rng.choice(["domestic", "domestic", "foreign"]), language="vi",
                             title=f"{PLACES[k]}: {' '.join(rng.choices(WORDS, k=8))}", body=_body(rng, PLACES[k]),
                             published=when, fetched_at=when, classification=c))
        if len(batch) == 2000 or i == N - 1:
            rows = []
            for a in batch:
                d = a.classification.to_dict()
                rows.append({"id": a.id, "url": a.url, "source": a.source, "source_kind": a.source_kind,
                             "language": a.language, "title": a.title, "body": a.body, "published": a.published,
                             "fetched_at": a.fetched_at, "raw_sha256": None, "cluster_id": a.id,
                             **{k2: d[k2] for k2 in ("provinces", "mentions", "sentiment", "distorted",
                                                     "distortion_score", "evidence", "topic", "agencies",
                                                     "severity", "flagged")},
                             "created_at": a.fetched_at, "updated_at": a.fetched_at})
            with db.session.begin() as s:
                s.execute(insert(ArticleRow), rows)
            index.upsert(batch)
            batch = []
    index.close()
    from duluan.cases.users import add_user
    from duluan.config import load_config

    add_user(db, load_config(None), "bench", "analyst", PASSWORD)
    db.close()
    return url


def _login(base: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    assert r.status_code in (200, 303), r.status_code
    return c


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))], 1)


def run() -> dict:
    from socket import socket

    keep = os.environ.get("DULUAN_BENCH_WEB_KEEP")  # a folder to build the record in once and reuse
    with tempfile.TemporaryDirectory() as tmp:
        d = keep or tmp
        path = Path(d) / f"duluan-{N}.db"
        t0 = time.perf_counter()
        url = f"sqlite:///{path}" if keep and path.exists() else build(path)
        build_s = time.perf_counter() - t0
        with socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "DULUAN_SECRET_FILE": str(Path(d) / "secret")}
        proc = subprocess.Popen([sys.executable, "-m", "duluan.cli", "serve", "--db", url, "--port", str(port),
                                 "--workers", str(WORKERS)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            clients = [_login(base) for _ in range(CLIENTS)]
            # The first request of each page and query, alone: what it costs before any cache holds it.
            first: dict[str, list[float]] = {"queue": [], "search": []}
            for page, params in [*(("queue", {"page": p}) for p in range(1, 6)),
                                 *(("search", {"q": query}) for query in QUERIES)]:
                started = time.perf_counter()
                clients[0].get(f"/{page}", params=params)
                first[page].append((time.perf_counter() - started) * 1000)
            # Then every client once more, unmeasured: each worker process holds its own results.
            for c in clients[1:]:
                for p in range(1, 6):
                    c.get("/queue", params={"page": p})
                for query in QUERIES:
                    c.get("/search", params={"q": query})
            times: dict[str, list[float]] = {"queue": [], "search": []}
            lock = threading.Lock()
            errors: list[int] = []

            def worker(c: httpx.Client, seed: int) -> None:
                rng = random.Random(seed)
                for i in range(REQUESTS_PER_CLIENT):
                    page, params = ("queue", {"page": rng.randint(1, 5)}) if i % 2 else \
                        ("search", {"q": rng.choice(QUERIES)})
                    started = time.perf_counter()
                    r = c.get(f"/{page}", params=params)
                    ms = (time.perf_counter() - started) * 1000
                    with lock:
                        (times[page] if r.status_code == 200 else errors).append(ms if r.status_code == 200
                                                                                 else r.status_code)

            import resource

            cpu0 = resource.getrusage(resource.RUSAGE_SELF)
            wall0 = time.perf_counter()
            threads = [threading.Thread(target=worker, args=(c, i)) for i, c in enumerate(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - wall0
            cpu1 = resource.getrusage(resource.RUSAGE_SELF)
            client_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        finally:
            proc.terminate()
            proc.wait(10)
    total = sum(len(v) for v in times.values())
    return {
        "articles": N, "clients": CLIENTS, "workers": WORKERS, "requests": total, "errors": len(errors),
        "build_seconds": round(build_s, 1), "requests_per_s": round(total / wall, 1),
        # the load generator shares the 2 cores with the server: its CPU per request, for reading the figures
        "client_cpu_ms_per_request": round(client_cpu * 1000 / max(total, 1), 2),
        **{f"{k}_ms": {"p50": round(statistics.median(v), 1), "p95": _pct(v, 0.95), "max": round(max(v), 1)}
           for k, v in times.items() if v},
        **{f"{k}_first_ms": {"median": round(statistics.median(v), 1), "max": round(max(v), 1)}
           for k, v in first.items()},
        "target_p95_ms": 200,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
