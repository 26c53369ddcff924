"""A real Elasticsearch node for the test-suite (issue #6), started with ``ops/es.sh``.

    es_node   session: ``ops/es.sh up`` on DULUAN_ES_TEST_PORT (default 9277), ``down`` at the end;
              with DULUAN_ES_URL set, that node is used and nothing is started or stopped
    es_url    session: the node's URL
    es_index  function: an empty ``ElasticsearchIndex`` under a prefix of its own, dropped after

Missing Java or Maven is a failure with the fix, never a skip: the suite promises a real server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ES_SH = REPO / "ops" / "es.sh"
TEST_PORT = int(os.environ.get("DULUAN_ES_TEST_PORT", "9277"))


class EsNode:
    """One node on 127.0.0.1:``port`` driven by ``ops/es.sh``; ``managed`` is False for DULUAN_ES_URL."""

    def __init__(self, port: int | None = None, url: str | None = None):
        self.port = port
        self.url = url or f"http://127.0.0.1:{port}"
        self.managed = url is None

    def _run(self, command: str, timeout: float = 240) -> subprocess.CompletedProcess:
        env = {**os.environ, "DULUAN_ES_PORT": str(self.port)}
        return subprocess.run(["bash", str(ES_SH), command], env=env, capture_output=True, text=True,
                              timeout=timeout)

    def up(self) -> None:
        require_tools()
        proc = self._run("up")
        if proc.returncode != 0:
            pytest.fail(f"`ops/es.sh up` (port {self.port}) failed with {proc.returncode}:\n"
                        f"{proc.stderr[-4000:]}", pytrace=False)

    def stop(self) -> None:
        """Stop the node, keeping its data: a real outage."""
        assert self.managed, "cannot stop a node given by DULUAN_ES_URL"
        proc = self._run("stop")
        assert proc.returncode == 0, proc.stderr

    def down(self) -> None:
        if self.managed:
            self._run("down")


def require_tools() -> None:
    zip_cached = (Path(os.environ.get("DULUAN_CACHE", Path.home() / ".cache" / "duluan"))
                  / f"elasticsearch-{os.environ.get('DULUAN_ES_VERSION', '8.19.14')}.zip").exists()
    needed = {"java": "apt-get install openjdk-17-jre-headless", "curl": "apt-get install curl",
              "unzip": "apt-get install unzip"}
    if not zip_cached:
        needed["mvn"] = "apt-get install maven (fetches the Elasticsearch zip once)"
    missing = [f"{tool} ({fix})" for tool, fix in needed.items() if not shutil.which(tool)]
    if missing:
        pytest.fail("Elasticsearch tests need a real node, but these are missing: " + "; ".join(missing)
                    + ". Or point DULUAN_ES_URL at a running Elasticsearch 8.", pytrace=False)


_shared: dict[str, object] = {}


def shared_node() -> EsNode:
    """The session's node, started once however many modules import the fixtures."""
    if "node" not in _shared:
        external = os.environ.get("DULUAN_ES_URL")
        node = EsNode(url=external) if external else EsNode(port=TEST_PORT)
        if node.managed:
            node.up()
        _shared["node"] = node
        _shared["users"] = 0
    return _shared["node"]  # type: ignore[return-value]


@pytest.fixture(scope="session")
def es_node():
    node = shared_node()
    _shared["users"] = int(_shared["users"]) + 1  # type: ignore[call-overload]
    yield node
    _shared["users"] = int(_shared["users"]) - 1  # type: ignore[call-overload]
    if _shared["users"] == 0:
        node.down()
        _shared.clear()


@pytest.fixture(scope="session")
def es_url(es_node) -> str:
    return es_node.url


def make_es_index(url: str, prefix: str | None = None, **kw):
    from duluan.config.models import ElasticsearchSettings
    from duluan.index.elasticsearch import ElasticsearchIndex

    prefix = prefix or f"test-{uuid.uuid4().hex[:8]}"
    return ElasticsearchIndex.from_settings([url], ElasticsearchSettings(index_prefix=prefix), **kw)


@pytest.fixture
def es_index(es_url):
    index = make_es_index(es_url)
    yield index
    try:
        index.drop()
    finally:
        index.close()
