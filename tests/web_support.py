"""A real ``duluan serve`` process on a record with users, for the HTTP and browser tests.

    web_site   session: a record (SQLite) imported from the corpus plus one hostile item, the
               users of every role, and ``duluan serve`` on a free loopback port
    login      log a user in with a real form post; returns an httpx client holding the session
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from conftest import DULUAN, REPO, run_cli, run_json

PASSWORD = "mat-khau-that-dai-2025"
USERS = {"ana": ("analyst", None), "boss": ("approver", None), "root": ("admin", None),
         "police": ("agency", "cong-an"), "culture": ("agency", "so-vhttdl"), "watch": ("viewer", "ban-tuyen-giao-dan-van")}
HOSTILE = {
    "url": "https://hostile.example/tin-gia-hai-phong.html", "source": "hostile", "source_kind": "foreign",
    "language": "vi", "published": "2025-11-02T08:00:00",
    "title": "<script>alert('title')</script> Hải Phòng che giấu sự thật?",
    "body": "Người dân Hải Phòng <img src=x onerror=alert('img')> bị lừa dối. "
            "<a href=\"javascript:alert('link')\">Bấm vào đây</a> để biết sự thật mà chính quyền che giấu!",
}
ARTIFACTS = Path(os.environ.get("DULUAN_ARTIFACTS", REPO / "test-artifacts"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Site:
    url: str
    db: str
    hostile_id: str
    flagged: list[str]


@pytest.fixture(scope="session")
def web_site(tmp_path_factory):
    d = tmp_path_factory.mktemp("web")
    db = f"sqlite:///{d / 'duluan.db'}"
    corpus = [l for l in (REPO / "classifiers" / "data" / "corpus.jsonl").read_text("utf-8").splitlines() if l.strip()]
    items = d / "items.jsonl"
    items.write_text("\n".join([*corpus[:160], json.dumps(HOSTILE, ensure_ascii=False)]) + "\n", "utf-8")
    run_json("import", str(items), "--db", db, "--json")
    for name, (role, agency) in USERS.items():
        args = ["users", "add", name, "--role", role, "--password-stdin", "--db", db]
        if agency:
            args += ["--agency", agency]
        proc = subprocess.run([*DULUAN, *args], input=PASSWORD + "\n", capture_output=True, text=True, cwd=REPO)
        assert proc.returncode == 0, proc.stderr
    export = [json.loads(l) for l in run_cli("export", "--db", db).stdout.splitlines()]
    hostile_id = next(a["id"] for a in export if a["url"] == HOSTILE["url"])
    flagged = [a["id"] for a in sorted(export, key=lambda a: -a["severity"]) if a["flagged"]]
    proc, url = start_serve(db, {"DULUAN_SECRET_FILE": str(d / "secret")})
    yield Site(url=url, db=db, hostile_id=hostile_id, flagged=flagged)
    stop(proc)


def start_serve(db: str, env: dict, *args: str) -> tuple[subprocess.Popen, str]:
    """``duluan serve --db DB [args]`` on a free port, once it answers /healthz."""
    port = free_port()
    proc = subprocess.Popen([*DULUAN, "serve", "--db", db, "--port", str(port), *args], cwd=REPO,
                            env={**os.environ, "PYTHONUTF8": "1", **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"duluan serve did not start:\n{proc.stderr.read()[-3000:]}", pytrace=False)
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page carries a csrf_token field"
    return m.group(1)


def login(site: Site, user: str, password: str = PASSWORD) -> httpx.Client:
    c = httpx.Client(base_url=site.url, follow_redirects=False, timeout=30)
    page = c.get("/login")
    r = c.post("/login", data={"username": user, "password": password, "csrf_token": csrf_of(page.text),
                               "next": "/queue"})
    assert r.status_code == 303, (r.status_code, r.text[:500])
    c.headers["X-CSRF-Token"] = csrf_of(c.get("/cases").text)
    return c
