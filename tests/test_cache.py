"""``duluan.cache.UntilChanged``: results kept until the data changes, each computed once at a time."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from duluan.cache import SqliteDataVersion, UntilChanged


def test_a_commit_by_any_connection_drops_what_was_kept(tmp_path):
    path = str(tmp_path / "r.db")
    writer = sqlite3.connect(path)
    writer.execute("CREATE TABLE t (x)")
    writer.commit()
    cache = UntilChanged(SqliteDataVersion(path))
    count = lambda: writer.execute("SELECT count(*) FROM t").fetchone()[0]  # noqa: E731
    assert cache.get("n", count) == 0
    writer.execute("INSERT INTO t VALUES (1)")
    assert cache.get("n", count) == 0  # not committed yet: nothing changed for the others
    writer.commit()
    assert cache.get("n", count) == 1
    assert cache.get("n", lambda: pytest.fail("kept, not read again")) == 1
    cache.close()


def test_concurrent_askers_wait_for_one_computation_and_share_its_error():
    cache = UntilChanged(lambda: 1)
    calls, results = [], []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "page"

    threads = [threading.Thread(target=lambda: results.append(cache.get("q", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["page"] * 8 and len(calls) == 1

    def broken():
        raise ValueError("index down")

    with pytest.raises(ValueError):
        cache.get("bad", broken)
    assert cache.get("bad", lambda: "recovered") == "recovered"  # an error is not kept


def test_the_oldest_keys_go_first():
    cache = UntilChanged(lambda: 1, size=2)
    for k in "abc":
        cache.get(k, lambda k=k: k)
    assert cache.get("a", lambda: "again") == "again" and cache.get("c", lambda: "x") == "c"
