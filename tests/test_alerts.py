"""Alert rules and both delivery channels, against a real SMTP server (aiosmtpd) and a real HTTP receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from datetime import datetime, timezone
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from duluan.alerts.channels import ChannelError, SmtpChannel, WebhookChannel
from duluan.alerts.dispatch import deliver, enqueue
from duluan.alerts.message import build_message
from duluan.alerts.rules import fires
from duluan.config import load_config
from duluan.config.models import AlertRule, SmtpSettings
from duluan.records import Article, Classification, Evidence
from duluan.store import open_database
from duluan.store.articles import save_article


def _article(distorted=True, severity=0.9, topic="security", provinces=("hai-phong",)) -> Article:
    c = Classification(provinces=list(provinces), sentiment="negative", distorted=distorted, distortion_score=0.8,
                       evidence=[Evidence("anonymous_source", "một nguồn tin giấu tên", 10, 32,
                                          "Dẫn nguồn giấu tên, không kiểm chứng được")],
                       topic=topic, agencies=["cong-an"], severity=severity)
    return Article(id="art-1", url="https://x.example/a", source="x", source_kind="foreign", language="vi",
                   title="Hải Phòng: tin đồn thất thiệt", body="Theo một nguồn tin giấu tên…",
                   published=datetime(2025, 9, 1, tzinfo=timezone.utc), classification=c)


class _Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd hook name
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    sink = _Sink()
    ctl = Controller(sink, hostname="127.0.0.1", port=_free_port())
    ctl.start()
    yield ctl, sink
    ctl.stop()


class _Receiver(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *a):
        pass


@pytest.fixture
def webhook_server():
    handler = type("R", (_Receiver,), {"received": [], "status": 200})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/hook", handler
    srv.shutdown()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["email", "webhook"])
def channel_and_inbox(request, smtp_server, webhook_server):
    """Both channels behind one interface; ``inbox()`` returns what really arrived, as text."""
    if request.param == "email":
        ctl, sink = smtp_server
        ch = SmtpChannel("mail", ["bantuyengiao@example.gov.vn"], SmtpSettings(host="127.0.0.1", port=ctl.port))
        return ch, lambda: [message_from_bytes(m.content, policy=default_policy).get_body().get_content() +
                            message_from_bytes(m.content, policy=default_policy)["Subject"] for m in sink.messages]
    url, handler = webhook_server
    ch = WebhookChannel("hook", url, secret="s3cret")
    return ch, lambda: [json.loads(b)["text"] + json.loads(b)["subject"] for _h, b in handler.received]


def test_every_channel_delivers_vietnamese_text_with_evidence(channel_and_inbox):
    ch, inbox = channel_and_inbox
    cfg = load_config()
    ch.send(build_message(cfg.alerts.rules[0], _article(), "http://127.0.0.1:8000"))
    got = inbox()
    assert len(got) == 1
    assert "một nguồn tin giấu tên" in got[0] and "Hải Phòng" in got[0] and "/articles/art-1" in got[0]


def test_webhook_is_signed(webhook_server):
    url, handler = webhook_server
    WebhookChannel("hook", url, secret="s3cret").send(build_message(load_config().alerts.rules[0], _article(), "http://x"))
    headers, body = handler.received[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Duluan-Signature"] == expected


def test_unreachable_channels_raise_channel_error():
    port = _free_port()
    with pytest.raises(ChannelError):
        SmtpChannel("m", ["a@b"], SmtpSettings(host="127.0.0.1", port=port, timeout_seconds=2)).send(
            build_message(load_config().alerts.rules[0], _article(), "http://x"))
    with pytest.raises(ChannelError):
        WebhookChannel("h", f"http://127.0.0.1:{port}/", timeout=2).send(
            build_message(load_config().alerts.rules[0], _article(), "http://x"))


def test_rules_select_by_distortion_topic_severity_and_province():
    distorted = AlertRule(id="d", name="d", distorted_only=True, channels=["c"])
    security = AlertRule(id="s", name="s", min_severity=0.6, topics=["security"], channels=["c"])
    elsewhere = AlertRule(id="p", name="p", distorted_only=True, provinces=["dak-lak"], channels=["c"])
    assert fires(distorted, _article()) and not fires(distorted, _article(distorted=False))
    assert fires(security, _article()) and not fires(security, _article(topic="health"))
    assert not fires(security, _article(severity=0.3))
    assert not fires(elsewhere, _article())
    assert not fires(distorted, _article(provinces=()))


def test_failed_delivery_is_kept_and_retried_once_the_server_is_back(tmp_path, smtp_server):
    ctl, sink = smtp_server
    cfg = load_config()
    db = open_database(f"sqlite:///{tmp_path / 'a.db'}")
    art = _article()
    save_article(db, art)
    # distorted-any → press-office, ban-tuyen-giao; security-high → cong-an (ban-tuyen-giao once only)
    assert enqueue(db, cfg, [art]) == 3
    assert enqueue(db, cfg, [art]) == 0  # idempotent

    down = {c.id: SmtpChannel(c.id, c.to, SmtpSettings(host="127.0.0.1", port=_free_port(), timeout_seconds=2))
            for c in cfg.alerts.channels}
    assert deliver(db, cfg, down) == {"sent": 0, "failed": 3}

    up = {c.id: SmtpChannel(c.id, c.to, SmtpSettings(host="127.0.0.1", port=ctl.port)) for c in cfg.alerts.channels}
    assert deliver(db, cfg, up) == {"sent": 0, "failed": 0}  # backing off: not due yet
    assert deliver(db, cfg, up, force=True) == {"sent": 3, "failed": 0}
    assert len(sink.messages) == 3
    assert deliver(db, cfg, up) == {"sent": 0, "failed": 0}


def test_retry_backs_off_exponentially_up_to_six_hours():
    from datetime import timedelta

    from duluan.alerts.dispatch import retry_delay

    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert retry_delay(30) == timedelta(hours=6)
