"""The CLI contract of issue #10, end to end: import raises e-mail alerts, a case goes from flag to
published notice, refusals are one line and a non-zero exit; on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
from datetime import date
from pathlib import Path

import docx
import pytest
import yaml

from cases_support import PASSWORD, free_port, start_smtp, start_webhook
from conftest import REPO, run_cli, run_json

ARTICLES = Path(__file__).parent / "fixtures" / "cases" / "articles.jsonl"
SHOW_KEYS = {"id", "status", "article", "agency", "due", "events"}


@pytest.fixture
def smtp():
    ctl, sink = start_smtp()
    yield {"DULUAN_SMTP_HOST": "127.0.0.1", "DULUAN_SMTP_PORT": str(ctl.port)}, sink
    ctl.stop()


def _users(url: str, env: dict) -> None:
    for args in (["ana", "--role", "analyst"], ["lead", "--role", "approver", "--email", "lead@example.gov.vn"],
                 ["police", "--role", "agency", "--agency", "cong-an"],
                 ["land", "--role", "agency", "--agency", "so-nn-mt"]):
        proc = run_cli("users", "add", *args, "--password-stdin", "--db", url, env=env, input=PASSWORD + "\n")
        assert PASSWORD not in proc.stdout + proc.stderr


def _ids_by_topic(url: str) -> dict[str, str]:
    lines = run_cli("export", "--db", url, "--format", "jsonl").stdout.splitlines()
    return {a["title"]: a["id"] for a in map(json.loads, lines)} | {
        f"topic:{a['topic']}": a["id"] for a in map(json.loads, lines) if a["flagged"]}


def _refused(proc) -> str:
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_from_import_to_published_notice(record_url, smtp, tmp_path, request):
    env, sink = smtp
    # a PostgreSQL record is searched through Elasticsearch (issue #9): the import needs the node
    es = ["--es", request.getfixturevalue("es_url")] if record_url.startswith("postgresql") else []
    imported = run_json("import", str(ARTICLES), "--db", record_url, *es, "--json", env=env)
    assert imported["imported"] == 4
    # the security item (negative, not distorted) → police, propaganda board; the distorted land item → press
    # office, propaganda board; the football result and the heritage item → nothing
    assert imported["alerts"] == {"sent": 4, "failed": 0}
    subjects = [m["Subject"] for m in sink.messages()]
    assert sum("Bắt giữ tàu" in s for s in subjects) == 2 and sum("Lũ sông Ba" in s for s in subjects) == 2
    assert not any("CLB Hải Phòng" in s or "Côn Sơn" in s for s in subjects)
    assert sorted(set(sink.to())) == ["bantuyengiao@example.gov.vn", "baochi@example.gov.vn", "conganh@example.gov.vn"]

    _users(record_url, env)
    ids = _ids_by_topic(record_url)
    security = ids["topic:security"]
    opened = run_json("case", "open", security, "--as", "ana", "--db", record_url, "--json")
    cid = str(opened["case_id"])
    routed = run_json("case", "route", cid, "--auto", "--as", "ana", "--db", record_url, "--json", env=env)
    assert routed["agency"] == "cong-an" and routed["agency_name"] == "Công an tỉnh"
    routed_mail = [m for m in sink.messages() if m["To"] == "cong-an@example.gov.vn"]
    assert len(routed_mail) == 1 and f"/cases/{cid}" in routed_mail[0].get_body().get_content()

    # an officer of another agency cannot read it, nor draft it
    line = _refused(run_cli("case", "show", cid, "--as", "land", "--db", record_url, "--json", check=False))
    assert "land" in line and "so-nn-mt" in line and "cong-an" not in line  # no hint where it went
    _refused(run_cli("case", "draft", cid, "--as", "land", "--out", str(tmp_path / "x.docx"), "--db", record_url,
                     check=False))
    assert not (tmp_path / "x.docx").exists()
    assert run_json("case", "list", "--as", "land", "--db", record_url, "--json") == []

    notice = tmp_path / "thong-cao.docx"
    run_cli("case", "draft", cid, "--as", "police", "--out", str(notice), "--db", record_url,
            "--claim", "Tàu chở 200 tấn dầu không rõ nguồn gốc",
            "--facts", "Tàu chở 45.000 lít dầu DO, đã bị tạm giữ theo quy định")
    text = "\n".join(p.text for p in docx.Document(notice).paragraphs)
    assert "THÔNG CÁO BÁO CHÍ" in text and "45.000 lít" in text
    _refused(run_cli("case", "approve", cid, "--as", "police", "--db", record_url, check=False))
    run_cli("case", "approve", cid, "--as", "lead", "--db", record_url)
    run_cli("case", "publish", cid, "--as", "ana", "--db", record_url)
    _refused(run_cli("case", "close", cid, "--as", "police", "--db", record_url, check=False))

    shown = run_json("case", "show", cid, "--as", "police", "--db", record_url, "--json")
    assert SHOW_KEYS <= set(shown) and shown["status"] == "published" and shown["agency"] == "cong-an"
    assert shown["article"] == security and shown["due"]
    acted = [e["action"] for e in shown["events"] if e["action"] not in ("refused", "view", "list")]
    assert acted == ["open", "route", "draft", "approve", "publish"]
    assert len(shown["events"]) >= 5 and all({"actor", "at", "action"} <= set(e) for e in shown["events"])
    assert {e["actor"] for e in shown["events"] if e["action"] == "refused"} == {"land", "police"}
    assert run_json("audit", "verify", "--as", "ana", "--db", record_url, "--json")["ok"] is True

    assert run_json("alerts", "deliver", "--db", record_url, "--json", env=env) == {"sent": 0, "failed": 0}
    assert len(sink.envelopes) == 5  # four article alerts and the routed agency's, each once

    report = tmp_path / "bao-cao.docx"
    # the period holds the articles (2025) and the case (opened today)
    summary = run_json("report", "--from", "2025-01-01", "--to", date.today().isoformat(), "--out", str(report),
                       "--db", record_url, "--json")
    assert (summary["articles"], summary["flagged"], summary["cases"], summary["published"]) == (4, 2, 1, 1)
    assert summary["by_agency"]["cong-an"]["published"] == 1 and summary["median_hours"] is not None
    doc = docx.Document(report)
    assert doc.tables and doc.inline_shapes
    assert "Công an tỉnh" in {c.text for t in doc.tables for row in t.rows for c in row.cells}


def test_refusals_are_one_line_and_non_zero(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    run_cli("import", str(ARTICLES), "--db", url)
    _users(url, {})
    security = _ids_by_topic(url)["topic:security"]
    assert "--as" in _refused(run_cli("case", "open", security, "--db", url, check=False))
    assert "nobody" in _refused(run_cli("case", "open", security, "--as", "nobody", "--db", url, check=False))
    assert "analyst" in _refused(run_cli("case", "open", security, "--as", "lead", "--db", url, check=False))
    cid = str(run_json("case", "open", security, "--as", "ana", "--db", url, "--json")["case_id"])
    _refused(run_cli("case", "route", cid, "--auto", "--as", "police", "--db", url, check=False))
    _refused(run_cli("case", "return", cid, "--as", "lead", "--comment", "x", "--db", url, check=False))  # state
    _refused(run_cli("case", "show", "999", "--as", "ana", "--db", url, check=False))
    _refused(run_cli("users", "add", "eve", "--role", "admin", "--password-stdin", "--as", "ana", "--db", url,
                     check=False, input=PASSWORD + "\n"))
    _refused(run_cli("users", "add", "eve", "--role", "analyst", "--password-stdin", "--db", url, check=False,
                     input="\n"))  # an empty password
    weak = run_cli("users", "add", "bob", "--role", "analyst", "--password-stdin", "--db", url, input="Zq7#\n")
    assert "under 8 characters is weak" in weak.stderr and "Zq7#" not in weak.stdout + weak.stderr
    _refused(run_cli("users", "add", "eve", "--role", "agency", "--password-stdin", "--db", url, check=False,
                     input=PASSWORD + "\n"))  # an officer needs an agency
    run_cli("users", "add", "root", "--role", "admin", "--password-stdin", "--db", url, input=PASSWORD + "\n")
    run_cli("users", "disable", "ana", "--as", "root", "--db", url)
    assert "disabled" in _refused(run_cli("case", "list", "--as", "ana", "--db", url, check=False))


def test_agencies_list_shows_current_names():
    items = run_json("agencies", "list", "--json")
    by_id = {a["id"]: a for a in items}
    assert by_id["cong-an"]["name"] == "Công an tỉnh"
    assert "so-tttt" not in by_id and "so-tn-mt" in by_id["so-nn-mt"]["replaces"]
    every = {a["id"]: a for a in run_json("agencies", "list", "--json", "--all")}
    assert every["so-tttt"]["name"] == "Sở Văn hóa, Thể thao và Du lịch" and every["so-tttt"]["active"] is False


def test_smtp_down_then_up_loses_no_alert_and_sends_none_twice(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    port = free_port()
    env = {"DULUAN_SMTP_HOST": "127.0.0.1", "DULUAN_SMTP_PORT": str(port)}
    assert run_json("import", str(ARTICLES), "--db", url, "--json", env=env)["alerts"] == {"sent": 0, "failed": 4}
    assert len(run_json("alerts", "status", "--db", url, "--json")["pending"]) == 4
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as c:  # a long outage: every alert has used up its automatic retries
        c.execute(text("UPDATE alerts SET attempts = 10"))
    engine.dispose()
    ctl, sink = start_smtp(port)
    try:
        # backing off, but `alerts deliver` sends everything now: the operator has just fixed the server
        assert run_json("alerts", "deliver", "--db", url, "--json", env=env) == {"sent": 4, "failed": 0}
        assert run_json("alerts", "deliver", "--db", url, "--json", env=env) == {"sent": 0, "failed": 0}
        run_cli("import", str(ARTICLES), "--db", url, env=env)  # the same articles again: nothing new
        assert run_json("alerts", "deliver", "--db", url, "--json", env=env) == {"sent": 0, "failed": 0}
    finally:
        ctl.stop()
    assert len(sink.envelopes) == 4
    assert len({(m["X-Duluan-Article"], tuple(m["To"].split(", "))) for m in sink.messages()}) == 4
    assert run_json("alerts", "status", "--db", url, "--json")["pending"] == []


def test_webhook_recipients_get_signed_json(tmp_path):
    conf = tmp_path / "config"
    shutil.copytree(REPO / "config", conf, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    srv, hook, handler = start_webhook()
    try:
        alerts = yaml.safe_load((conf / "alerts.yaml").read_text("utf-8"))
        alerts["channels"].append({"id": "board-hook", "type": "webhook", "url": hook, "secret": "k3y",
                                   "agency": "ban-tuyen-giao-dan-van"})
        for r in alerts["rules"]:
            r["channels"].append("board-hook")
        (conf / "alerts.yaml").write_text(yaml.safe_dump(alerts, allow_unicode=True), "utf-8")
        port = free_port()  # mail is down; the webhook still gets its alerts
        run_cli("import", str(ARTICLES), "--db", f"sqlite:///{tmp_path / 'w.db'}", "--config", str(conf),
                env={"DULUAN_SMTP_PORT": str(port)})
    finally:
        srv.shutdown()
    bodies = [json.loads(b) for _h, b in handler.received]
    assert sorted(b["article"]["title"][:10] for b in bodies) == ["Bắt giữ tà", "Lũ sông Ba"]
    for headers, body in handler.received:
        assert headers["X-Duluan-Signature"] == "sha256=" + hmac.new(b"k3y", body, hashlib.sha256).hexdigest()


def test_with_cli_password_every_acting_user_proves_who_they_are(tmp_path):
    conf = tmp_path / "config"
    shutil.copytree(REPO / "config", conf, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    settings = yaml.safe_load((conf / "settings.yaml").read_text("utf-8"))
    settings["cases"]["cli_password"] = True
    (conf / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    url = f"sqlite:///{tmp_path / 'p.db'}"
    run_cli("users", "add", "ana", "--role", "analyst", "--password-stdin", "--db", url, "--config", str(conf),
            input=PASSWORD + "\n")
    line = _refused(run_cli("case", "list", "--as", "ana", "--db", url, "--config", str(conf), check=False,
                            input="not her password\n"))
    assert "password" in line and "not her password" not in line
    _refused(run_cli("case", "list", "--as", "ana", "--db", url, "--config", str(conf), check=False))  # no stdin
    assert run_json("case", "list", "--as", "ana", "--db", url, "--config", str(conf), "--json",
                    input=PASSWORD + "\n") == []
