"""Reminders, escalations, digests and report deadlines, delivered to a real SMTP server; feedback export."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from cases_support import article, seed, start_smtp
from duluan.cases import deadlines, workflow
from duluan.cases.feedback import export
from duluan.cases.triage import decide
from duluan.config import load_config
from duluan.store import open_database
from duluan.store.articles import save_article

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 08:00 in Hà Nội


@pytest.fixture
def smtp(monkeypatch):
    ctl, sink = start_smtp()
    monkeypatch.setenv("DULUAN_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DULUAN_SMTP_PORT", str(ctl.port))
    yield sink
    ctl.stop()


@pytest.fixture
def world(tmp_path):
    cfg = load_config()
    db = open_database(f"sqlite:///{tmp_path / 'd.db'}")
    u = seed(db, cfg, article())
    cid = workflow.open_case(db, cfg, u["ana"], "art-sec", now=T0)["id"]  # severity 0.9: due in 24 h
    workflow.route(db, cfg, u["ana"], cid, auto=True, now=T0)
    yield cfg, db, u, cid
    db.close()


def test_reminder_before_and_escalation_after_the_due_time(world, smtp):
    cfg, db, u, cid = world
    quiet = deadlines.tick(db, cfg, T0 + timedelta(hours=1))
    assert (quiet["reminded"], quiet["escalated"]) == (0, 0)
    assert "cong-an@example.gov.vn" in [r for e in smtp.envelopes for r in e.rcpt_tos]  # the routing alert
    smtp.envelopes.clear()

    soon = deadlines.tick(db, cfg, T0 + timedelta(hours=20))  # 4 h before: inside remind_before_hours (6)
    assert soon["reminded"] == 1 and soon["escalated"] == 0 and soon["sent"] == 1
    (mail,) = smtp.messages()
    assert mail["To"] == "cong-an@example.gov.vn" and f"case {cid}" in mail["Subject"]
    assert f"/cases/{cid}" in mail.get_body().get_content() and "/articles/art-sec" in mail.get_body().get_content()
    assert deadlines.tick(db, cfg, T0 + timedelta(hours=21))["reminded"] == 0  # once

    late = deadlines.tick(db, cfg, T0 + timedelta(hours=25))
    assert late["escalated"] == 1
    assert smtp.messages()[-1]["To"] == "lead@example.gov.vn" and "QUÁ HẠN" in smtp.messages()[-1]["Subject"]
    assert deadlines.tick(db, cfg, T0 + timedelta(hours=30))["escalated"] == 0
    events = [(e["actor"], e["action"]) for e in workflow.show(db, cfg, u["ana"], cid)["events"]]
    assert ("scheduler", "reminded") in events and ("scheduler", "escalated") in events
    assert workflow.show(db, cfg, u["ana"], cid)["overdue"] is True


def test_a_published_case_is_neither_reminded_nor_escalated(world, smtp):
    cfg, db, u, cid = world
    workflow.draft(db, cfg, u["police"], cid, now=T0)
    workflow.approve(db, cfg, u["lead"], cid, now=T0)
    workflow.publish(db, cfg, u["ana"], cid, now=T0)
    result = deadlines.tick(db, cfg, T0 + timedelta(hours=48))
    assert (result["reminded"], result["escalated"]) == (0, 0)


def test_one_daily_digest_per_channel_after_the_digest_hour(world, smtp):
    from duluan.alerts.dispatch import enqueue

    cfg, db, _u, _cid = world
    a = article("art-2", title="Hải Phòng: một tin sai khác")
    save_article(db, a)
    enqueue(db, cfg, [a])
    with db.engine.begin() as c:  # raised on 1 March, 10:00 in Hà Nội
        c.execute(text("UPDATE alerts SET created_at = :t WHERE kind = 'article'"),
                  {"t": datetime(2026, 3, 1, 3, tzinfo=timezone.utc)})
    day_after = datetime(2026, 3, 2, 3, tzinfo=timezone.utc)  # 10:00 local on 2 March
    early = datetime(2026, 3, 1, 23, tzinfo=timezone.utc)  # 06:00 local on 2 March: before the digest hour
    assert deadlines.queue_digests(db, cfg, early) == 0
    assert deadlines.queue_digests(db, cfg, day_after) == 3  # press office, propaganda board, police
    assert deadlines.queue_digests(db, cfg, day_after + timedelta(hours=2)) == 0
    deadlines.tick(db, cfg, day_after)
    digests = [m for m in smtp.messages() if "Bản tin ngày" in m["Subject"]]
    assert sorted(m["To"] for m in digests) == ["bantuyengiao@example.gov.vn", "baochi@example.gov.vn",
                                                "conganh@example.gov.vn"]
    assert all("Hải Phòng: một tin sai khác" in m.get_body().get_content() for m in digests)


def test_report_deadlines_per_province_remind_the_press_office(world, smtp):
    cfg, db, _u, _cid = world
    june = datetime(2026, 6, 1, 3, tzinfo=timezone.utc)
    # Hải Phòng 10/6, Hưng Yên 15/6, Bắc Ninh 15/6, Vĩnh Long 30/6, Đắk Lắk 15/6 — 14 days ahead reaches 15/6
    assert deadlines.report_reminders(db, cfg, june) == 4
    assert deadlines.report_reminders(db, cfg, june) == 0
    deadlines.tick(db, cfg, june)
    subjects = [m["Subject"] for m in smtp.messages() if "Hạn báo cáo" in m["Subject"]]
    assert len(subjects) == 4 and any("10/06/2026" in s and "Hải Phòng" in s for s in subjects)
    assert all(m["To"] == "baochi@example.gov.vn" for m in smtp.messages() if "Hạn báo cáo" in m["Subject"])


def test_the_scheduler_runs_the_case_tick(world, smtp, monkeypatch):
    from apscheduler.schedulers.background import BackgroundScheduler

    cfg, db, _u, cid = world
    monkeypatch.setattr(deadlines, "utcnow", lambda: T0 + timedelta(hours=30))
    scheduler = BackgroundScheduler(timezone=timezone.utc)
    deadlines.add_jobs(scheduler, cfg, db)
    scheduler.start()
    try:
        for _ in range(100):
            if any("QUÁ HẠN" in m["Subject"] for m in smtp.messages()):
                break
            time.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    assert any("QUÁ HẠN" in m["Subject"] and f"case {cid}" in m["Subject"] for m in smtp.messages())


def test_feedback_exports_decisions_as_corpus_items(world, tmp_path):
    from duluan.classifiers.corpus import Item

    cfg, db, u, _cid = world
    save_article(db, article("art-ok", topic="health", distorted=False))
    decide(db, cfg, u["ana"], "art-sec", "confirm", "Bịa đặt", topic="sovereignty")
    decide(db, cfg, u["ana"], "art-ok", "dismiss", "Tin đúng, phản ánh khách quan")
    out = tmp_path / "fb.jsonl"
    assert export(db, out) == 2
    rows = {r["id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    corpus_keys = set(json.loads(open(cfg_corpus()).readline()))
    assert corpus_keys <= set(rows["art-sec"])
    assert rows["art-sec"]["topic"] == "sovereignty" and rows["art-sec"]["distorted"] is True
    assert rows["art-sec"]["topic_label"] == "analyst" and rows["art-sec"]["decided_by"] == "ana"
    assert rows["art-ok"]["distorted"] is False and rows["art-ok"]["factual_critical"] is True
    item = Item(rows["art-sec"])
    assert item.topic == "sovereignty" and item.distorted and item.article().title.startswith("Hải Phòng")


def cfg_corpus():
    from duluan.classifiers.corpus import DATA_DIR

    return DATA_DIR / "corpus.jsonl"


def test_smtp_settings_come_from_config_or_the_environment(world, smtp, monkeypatch):
    from duluan.config.models import SmtpSettings

    base = SmtpSettings(host="mail.example", port=587, sender="a@b", starttls=False)
    env = {"DULUAN_SMTP_HOST": "smtp.tinh.gov.vn", "DULUAN_SMTP_PORT": "2525", "DULUAN_SMTP_USER": "duluan",
           "DULUAN_SMTP_PASSWORD": "pw", "DULUAN_SMTP_STARTTLS": "true", "DULUAN_SMTP_FROM": "canhbao@tinh.gov.vn"}
    got = base.effective(env)
    assert (got.host, got.port, got.username, got.password, got.starttls, got.sender) == (
        "smtp.tinh.gov.vn", 2525, "duluan", "pw", True, "canhbao@tinh.gov.vn")
    assert base.effective({}) == base
    cfg, db, _u, _cid = world
    monkeypatch.setenv("DULUAN_SMTP_FROM", "canhbao@tinh.gov.vn")
    deadlines.tick(db, cfg, T0 + timedelta(hours=1))
    assert smtp.messages() and all(m["From"] == "canhbao@tinh.gov.vn" for m in smtp.messages())


def test_an_article_alert_links_to_its_case_once_there_is_one(world, smtp):
    from duluan.alerts.dispatch import deliver, enqueue

    cfg, db, u, cid = world
    fresh = article("art-3", title="Hải Phòng: chưa có hồ sơ")
    save_article(db, fresh)
    enqueue(db, cfg, [fresh, article()])  # art-sec has case cid; art-3 has none
    smtp.envelopes.clear()
    deliver(db, cfg, force=True)
    article_alerts = [m for m in smtp.messages() if m["Subject"].startswith("[duluan] SAI LỆCH")]
    bodies = {m["X-Duluan-Article"]: m.get_body().get_content() for m in article_alerts}
    assert set(bodies) == {"art-sec", "art-3"}
    assert f"/cases/{cid}" in bodies["art-sec"] and "/articles/art-sec" in bodies["art-sec"]
    assert "/cases/" not in bodies["art-3"] and "/articles/art-3" in bodies["art-3"]
