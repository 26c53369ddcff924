"""The web app over HTTP, against a real ``duluan serve`` process, as a stranger, an analyst and an
officer of another agency would meet it (issue #11)."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest

from web_support import PASSWORD, csrf_of, login, web_site  # noqa: F401


def test_a_stranger_meets_the_login_page_and_the_api_says_401(web_site):
    c = httpx.Client(base_url=web_site.url, follow_redirects=False)
    for page in ("/queue", "/search?q=hai", f"/articles/{web_site.hostile_id}", "/cases", "/dashboard", "/admin"):
        r = c.get(page)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), page
    for api in ("/api/cases", "/api/search?q=hai", f"/api/articles/{web_site.hostile_id}"):
        assert c.get(api).status_code == 401, api
    assert c.post("/api/cases", json={"article_id": web_site.hostile_id}).status_code == 401
    assert c.get("/static/app.css").status_code == 200
    form = c.get("/login").text
    for field in ('name="username"', 'name="password"', 'name="csrf_token"', 'method="post"'):
        assert field in form


def test_wrong_passwords_are_refused_and_then_throttled(web_site):
    c = httpx.Client(base_url=web_site.url, follow_redirects=False)
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": "ana", "password": "sai-roi", "csrf_token": token})
    assert r.status_code == 401 and "sai tên hoặc mật khẩu" in r.text and "duluan_session" not in r.headers.get(
        "set-cookie", "")
    r = c.post("/login", data={"username": "nobody", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 401  # the same answer for an unknown user
    for _ in range(4):
        c.post("/login", data={"username": "watch", "password": "wrong", "csrf_token": token})
    r = c.post("/login", data={"username": "watch", "password": "wrong", "csrf_token": token})
    assert r.status_code == 401
    r = c.post("/login", data={"username": "watch", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0  # even the right password waits now
    assert c.post("/login", data={"username": "ana", "password": PASSWORD}).status_code == 403  # no CSRF token


def test_the_session_cookie_is_httponly_and_samesite_and_logout_ends_it(web_site):
    c = httpx.Client(base_url=web_site.url, follow_redirects=False)
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": "boss", "password": PASSWORD, "csrf_token": token, "next": "/dashboard"})
    cookie = r.headers["set-cookie"].lower()
    assert r.status_code == 303 and r.headers["location"] == "/dashboard"
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = c.get("/dashboard")
    assert page.status_code == 200 and "<svg" in page.text
    c.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert c.get("/dashboard").status_code == 303


def test_csrf_is_enforced_on_every_state_change(web_site):
    c = login(web_site, "ana")
    good = c.headers.pop("X-CSRF-Token")
    target = web_site.flagged[-1]
    assert c.post("/api/cases", json={"article_id": target}).status_code == 403
    assert c.post("/api/cases", json={"article_id": target}, headers={"X-CSRF-Token": "x" + good}).status_code == 403
    assert c.post(f"/articles/{target}/triage", data={"decision": "confirm", "reason": "r"}).status_code == 403
    assert c.post("/queue/bulk", data={"ids": target, "action": "dismiss", "reason": "r",
                                       "csrf_token": "forged"}).status_code == 403
    other = login(web_site, "boss")  # another user's token is not this session's
    assert c.post("/api/cases", json={"article_id": target},
                  headers={"X-CSRF-Token": other.headers["X-CSRF-Token"]}).status_code == 403
    r = c.get(f"/api/articles/{target}")
    assert r.status_code == 200 and r.json()["case"] is None  # nothing was opened


def test_hostile_article_content_is_escaped(web_site):
    c = login(web_site, "ana")
    r = c.get(f"/articles/{web_site.hostile_id}")
    assert r.status_code == 200
    html = r.text
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert('img')", "")  \
        or "&lt;img" in html
    assert 'href="javascript:' not in html
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in html.replace('<script src="/static/app.js" defer></script>', "")


def test_search_without_diacritics_and_complete_export(web_site):
    c = login(web_site, "ana")
    api = c.get("/api/search", params={"q": "hai phong", "limit": 5}).json()
    assert api["total"] > 5 and len(api["hits"]) == 5
    page = c.get("/search", params={"q": "hai phong"})
    assert page.status_code == 200 and page.text.count('href="/articles/') == min(api["total"], 20)
    exported = c.get("/search/export.csv", params={"q": "hai phong"})
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:3] == ["id", "title", "source"] and len(rows) - 1 == api["total"]  # every hit, not a page
    lines = c.get("/search/export.jsonl", params={"q": "hai phong"}).text.splitlines()
    assert len(lines) == api["total"] and {json.loads(l)["id"] for l in lines} == {r[0] for r in rows[1:]}


def test_the_case_flow_over_the_api_and_the_agency_fence(web_site):
    ana, police, culture, boss = (login(web_site, u) for u in ("ana", "police", "culture", "boss"))
    article = web_site.flagged[0]
    opened = ana.post("/api/cases", json={"article_id": article})
    assert opened.status_code == 201, opened.text
    cid = opened.json()["case_id"]
    routed = ana.post(f"/api/cases/{cid}/route", json={"agency": "cong-an"})
    assert routed.status_code == 200 and routed.json()["agency"] == "cong-an"

    # An officer of another agency cannot read it, by page, by API, or through its article.
    assert culture.get(f"/api/cases/{cid}").status_code == 403
    assert culture.get(f"/cases/{cid}").status_code == 403
    assert culture.get(f"/api/articles/{article}").status_code == 404
    assert cid not in {c["id"] for c in culture.get("/api/cases").json()}
    assert culture.post(f"/api/cases/{cid}/draft", json={"lang": "vi"}).status_code == 403
    assert culture.get("/queue").status_code == 403  # the queue is the press office's

    assert police.post(f"/api/cases/{cid}/approve", json={}).status_code == 403  # the drafter never approves
    drafted = police.post(f"/api/cases/{cid}/draft", json={"lang": "vi", "claims": [
        {"text": "Chính quyền che giấu số người chết", "facts": "Cơ quan chức năng đã công bố đầy đủ danh sách."}]})
    assert drafted.status_code == 200 and drafted.json()["status"] == "drafted"
    assert police.get(f"/cases/{cid}/notice.docx").content[:2] == b"PK"
    assert boss.post(f"/api/cases/{cid}/approve", json={}).json()["status"] == "approved"
    assert boss.post(f"/api/cases/{cid}/publish", json={}).json()["status"] == "published"
    shown = ana.get(f"/api/cases/{cid}").json()
    actions = [e["action"] for e in shown["events"]]
    assert {"open", "route", "draft", "approve", "publish", "refused"} <= set(actions)
    assert len([a for a in actions if a not in ("view", "list")]) >= 5
    page = ana.get(f"/cases/{cid}")
    assert page.status_code == 200 and "published" in page.text


def test_admin_pages_are_for_admins(web_site):
    assert login(web_site, "ana").get("/admin").status_code == 403
    assert login(web_site, "ana").get("/api/openapi.json").status_code == 403
    root = login(web_site, "root")
    page = root.get("/admin")
    assert page.status_code == 200 and "police" in page.text
    assert root.get("/api/openapi.json").json()["info"]["title"] == "duluan"
    r = root.post("/admin/users", data={"name": "newbie", "role": "analyst", "password": PASSWORD,
                                        "csrf_token": csrf_of(page.text)})
    assert r.status_code == 303 and "newbie" in root.get("/admin").text
    login(web_site, "newbie")


@pytest.mark.parametrize("page", ["/queue", "/dashboard", "/sources", "/cases", "/search?q=bão"])
def test_every_page_renders_for_an_analyst(web_site, page):
    r = login(web_site, "ana").get(page)
    assert r.status_code == 200 and "duluan" in r.text


def test_a_disabled_user_is_out_at_once(web_site):
    import time

    from conftest import run_cli

    root = login(web_site, "root")
    page = root.get("/admin")
    root.post("/admin/users", data={"name": "shortlived", "role": "analyst", "password": PASSWORD,
                                    "csrf_token": csrf_of(page.text)})
    c = login(web_site, "shortlived")
    assert c.get("/queue").status_code == 200
    run_cli("users", "disable", "shortlived", "--as", "root", "--db", web_site.db)
    time.sleep(2.5)  # the app trusts a looked-up user for at most 2 s
    assert c.get("/queue").status_code == 303 and c.get("/api/cases").status_code == 401
    fresh = httpx.Client(base_url=web_site.url, follow_redirects=False)
    token = csrf_of(fresh.get("/login").text)
    assert fresh.post("/login", data={"username": "shortlived", "password": PASSWORD,
                                      "csrf_token": token}).status_code == 401


def test_two_workers_share_sessions_and_the_login_limit(web_site, tmp_path):
    from pathlib import Path

    from web_support import start_serve, stop

    proc, url = start_serve(web_site.db, {"DULUAN_SECRET_FILE": str(tmp_path / "secret")}, "--workers", "2")
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) >= 2, children  # the supervisor and its two worker processes
        site = type(web_site)(url=url, db=web_site.db, hostile_id=web_site.hostile_id, flagged=web_site.flagged)
        cookies = login(site, "ana").cookies
        # a fresh connection each time: the kernel hands them to either worker, and each knows the session
        assert {httpx.get(url + "/queue", cookies=cookies).status_code for _ in range(12)} == {200}
        token_page = httpx.get(url + "/login")
        token, jar = csrf_of(token_page.text), token_page.cookies
        checked = [httpx.post(url + "/login", cookies=jar, data={"username": "watch", "password": "wrong",
                                                                  "csrf_token": token}).status_code
                   for _ in range(12)]
        # each worker counts on its own, so together they check at most five attempts plus one per extra worker
        assert set(checked) <= {401, 429} and checked.count(401) <= 6 and 429 in checked
    finally:
        stop(proc)


def test_the_app_warms_the_search_index_when_it_starts_and_a_failure_is_logged(tmp_path):
    """At a million articles the doc values take seconds to load: the app loads them as it starts,
    not in its first user's search; when that fails it says so and still serves."""
    from fastapi.testclient import TestClient
    from structlog.testing import capture_logs

    from duluan.config.loader import default_config
    from duluan.errors import IndexUnavailable
    from duluan.index.sqlite import SqliteIndex
    from duluan.store.db import open_database
    from duluan.web.app import WebConfig, create_app
    from tests.test_index_columns import _articles

    db = open_database(f"sqlite:///{tmp_path / 'record.sqlite3'}")
    index = SqliteIndex(tmp_path / "search.sqlite3", cache=False)
    index.upsert(_articles(50))
    app = create_app(WebConfig(config=default_config(), db=db, index=index, secret="s" * 32))
    try:
        assert index._columns.seen == -1
        with TestClient(app) as client:
            app.state.warming.join(timeout=30)
            assert index._columns.live.sum() == 50
            assert client.get("/healthz").json() == {"ok": True}

        def down() -> None:
            raise IndexUnavailable("SQLite FTS5 index: database is locked")

        index.warm = down
        with capture_logs() as logs, TestClient(app) as client:
            app.state.warming.join(timeout=30)
            assert client.get("/healthz").status_code == 200
        assert any(e["event"] == "search_index_warm_failed" and "locked" in e["error"] for e in logs)
    finally:
        index.close()
