"""Session fixtures: the offline press mirror on loopback, and CLI helpers.

Real servers only (scrapy ``tests/mockserver``): the mirror is served by
``duluan.mirror.server.MirrorServer`` on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from es_support import es_index, es_node, es_url  # noqa: F401 — the Elasticsearch node fixtures (issue #6)
from pg_support import pg_server, pg_url, record_url  # noqa: F401 — PostgreSQL fixtures (issue #9)

REPO = Path(__file__).resolve().parents[1]
DULUAN = [sys.executable, "-m", "duluan.cli"]


@pytest.fixture(scope="session")
def mirror():
    from duluan.mirror.server import MirrorServer

    with MirrorServer() as server:
        os.environ["DULUAN_MIRROR_URL"] = server.url
        yield server


def run_cli(*args: str, env: dict | None = None, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``duluan`` in a subprocess, as a user would (``input`` is its stdin, e.g. a password)."""
    full_env = {**os.environ, "PYTHONUTF8": "1", **(env or {})}
    proc = subprocess.run([*DULUAN, *args], capture_output=True, text=True, env=full_env, timeout=600, cwd=REPO,
                          input=input)
    if check and proc.returncode != 0:
        raise AssertionError(f"duluan {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def run_json(*args: str, env: dict | None = None, input: str | None = None) -> dict:
    return json.loads(run_cli(*args, env=env, input=input).stdout)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """One demo cycle into a fresh folder, shared by the CLI contract tests."""
    data = tmp_path_factory.mktemp("demo")
    result = run_json("demo", "--once", "--json", "--data-dir", str(data))
    return result, data
