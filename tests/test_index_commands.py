"""`duluan index replay|reindex|status` and `duluan search`, run as a user would, on both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone


from duluan.records import Article, Classification
from duluan.store.articles import save_article
from duluan.store.db import open_database
from duluan.store.outbox import enqueue, pending_count
from es_support import REPO, es_node, es_url, make_es_index  # noqa: F401


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "duluan.cli", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=120, env={**os.environ, "PYTHONUTF8": "1", **(env or {})})


def test_sqlite_replay_search_reindex_status(tmp_path):
    url = f"sqlite:///{tmp_path / 'duluan.db'}"
    db = open_database(url)
    for i, title in enumerate(["Đà Nẵng đón khách", "Bão đổ bộ Hải Phòng", "Ea H'leo thiếu nước"]):
        save_article(db, Article(id=f"c{i}", url=f"https://example.vn/c{i}", source="vnexpress",
                                 source_kind="domestic", language="vi", title=title, body=f"{title}. Bài {i}.",
                                 published=datetime(2025, 7, 1 + i, tzinfo=timezone.utc),
                                 classification=Classification(provinces=["da-nang"])))
    enqueue(db, "sqlite", ["c0", "c1", "c2"])
    args, env = ["--db", url], {"DULUAN_ES": ""}
    proc = _cli("index", "replay", *args, "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["indexed"] == 3
    assert pending_count(db) == 0
    proc = _cli("search", '"đà nẵng"', *args, "--json", env=env)
    assert [h["id"] for h in json.loads(proc.stdout)["hits"]] == ["c0"]
    proc = _cli("index", "reindex", *args, "--json", env=env)
    assert json.loads(proc.stdout)["written"] == 3, proc.stderr
    status = json.loads(_cli("index", "status", *args, "--json", env=env).stdout)
    assert status["index"]["documents"] == 3 and status["articles"] == 3 and status["outbox"] == []
    db.close()


def test_elasticsearch_commands(es_url, tmp_path):
    url = f"sqlite:///{tmp_path / 'duluan.db'}"
    db = open_database(url)
    save_article(db, Article(id="e1", url="https://example.vn/e1", source="vnexpress", source_kind="domestic",
                             language="vi", title="Đắk Lắk mưa lớn", body="Mưa lớn ở Đắk Lắk.",
                             published=datetime(2025, 7, 1, tzinfo=timezone.utc)))
    enqueue(db, "es:duluan-articles", ["e1"])
    args = ["--db", url, "--es", es_url]
    index = make_es_index(es_url, prefix="duluan")  # the CLI uses the configured prefix
    index.drop()
    try:
        replayed = json.loads(_cli("index", "replay", *args, "--json").stdout)
        assert replayed["indexed"] == 1 and replayed["pending"] == 0
        hits = json.loads(_cli("search", "dak lak", *args, "--json").stdout)["hits"]
        assert [(h["id"], h["snippet"]) for h in hits] == [("e1", "Mưa lớn ở «Đắk Lắk».")]
        first = json.loads(_cli("index", "reindex", *args, "--json").stdout)
        assert (first["old"], first["new"], first["written"]) == ("duluan-articles-v1", "duluan-articles-v2", 1)
        status = json.loads(_cli("index", "status", *args, "--json").stdout)
        assert status["index"]["index"] == "duluan-articles-v2" and status["index"]["documents"] == 1
    finally:
        index.drop()
        index.close()
        db.close()


def test_replay_exits_non_zero_while_the_node_is_down(tmp_path):
    url = f"sqlite:///{tmp_path / 'duluan.db'}"
    db = open_database(url)
    save_article(db, Article(id="d1", url="https://example.vn/d1", source="x", source_kind="domestic",
                             language="vi", title="t", body="b"))
    enqueue(db, "es:duluan-articles", ["d1"])
    proc = _cli("index", "replay", "--db", url, "--es", "http://127.0.0.1:9", "--json")
    assert proc.returncode != 0
    assert "unreachable" in proc.stderr
    assert pending_count(db) == 1
    db.close()
