"""PostgreSQL for the tests, like ``es_support``: a real server, started by ``ops/pg.sh``.

    pg_server  session: ``ops/pg.sh up`` (Debian's postgresql, installed if missing) unless
               DULUAN_PG_URL points at a running server; ``down`` at the end if it started it
    pg_url     function: a fresh, empty database on that server, dropped afterwards
    record_url function, parametrised: the same test on SQLite and on PostgreSQL
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

PG_SH = Path(__file__).resolve().parents[1] / "ops" / "pg.sh"
DEFAULT_URL = "postgresql+psycopg://duluan:duluan@127.0.0.1:5432/duluan"

_state: dict[str, object] = {}


def _server_url() -> str:
    if "url" not in _state:
        external = os.environ.get("DULUAN_PG_URL")
        if external:
            _state.update(url=external, managed=False)
        else:
            already = subprocess.run(["bash", str(PG_SH), "status"], capture_output=True, text=True).returncode == 0
            proc = subprocess.run(["bash", str(PG_SH), "up"], capture_output=True, text=True, timeout=900)
            if proc.returncode != 0:
                pytest.fail(f"`ops/pg.sh up` failed with {proc.returncode}:\n{proc.stderr[-4000:]}", pytrace=False)
            # A server someone started before the session is theirs to stop.
            _state.update(url=DEFAULT_URL, managed=not already)
    return str(_state["url"])


@pytest.fixture(scope="session")
def pg_server():
    url = _server_url()
    yield url
    if _state.get("managed"):
        subprocess.run(["bash", str(PG_SH), "down"], capture_output=True, text=True)
    _state.clear()


@pytest.fixture
def pg_url(pg_server):
    """A new database for one test (CREATE DATABASE is quick with fsync off), dropped after it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def record_url(request, tmp_path):
    """One store test-suite, two backends (as the index parity suite runs on both indexes)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'record' / 'duluan.db'}"
    return request.getfixturevalue("pg_url")
