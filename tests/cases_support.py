"""Helpers of the case tests: a real SMTP sink (aiosmtpd), a real webhook receiver, stored articles, users."""

from __future__ import annotations

import socket
import threading
from datetime import datetime, timezone
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from duluan.cases.users import acting_user, add_user
from duluan.records import Article, Classification, Evidence
from duluan.store.articles import save_article

PASSWORD = "correct horse battery"
USERS = [  # name, role, agency
    ("ana", "analyst", None), ("lead", "approver", None), ("police", "agency", "cong-an"),
    ("land", "agency", "so-nn-mt"), ("viewer-police", "viewer", "cong-an"),
    ("viewer-board", "viewer", "ban-tuyen-giao-dan-van"), ("root", "admin", None),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """What a real SMTP server received, parsed."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd hook name
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self):
        return [message_from_bytes(e.content, policy=default_policy) for e in self.envelopes]

    def to(self) -> list[str]:
        return [r for e in self.envelopes for r in e.rcpt_tos]


def start_smtp(port: int | None = None):
    sink = Sink()
    ctl = Controller(sink, hostname="127.0.0.1", port=port or free_port())
    ctl.start()
    return ctl, sink


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass


def start_webhook():
    handler = type("R", (Receiver,), {"received": []})
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/hook", handler


def article(aid: str = "art-sec", topic: str = "security", severity: float = 0.9, distorted: bool = True,
            province: str = "hai-phong", title: str = "Hải Phòng: tin đồn thất thiệt về vụ bắt giữ") -> Article:
    body = ("Theo một nguồn tin giấu tên, hàng trăm người đã bị bắt. Chính quyền không công bố số liệu. "
            "Người dân hoang mang.")
    start = body.index("một nguồn tin giấu tên")  # evidence offsets index the stored field (issue #13)
    c = Classification(provinces=[province], sentiment="negative", distorted=distorted, distortion_score=0.8,
                       evidence=[Evidence("anonymous_source", "một nguồn tin giấu tên", start, start + 22,
                                          "Dẫn nguồn giấu tên, không kiểm chứng được", field="body")],
                       topic=topic, agencies=["cong-an"], severity=severity)
    return Article(id=aid, url=f"https://tin.example.com/{aid}", source="tin-example", source_kind="foreign",
                   language="vi", title=title, body=body,
                   published=datetime(2025, 9, 1, 8, tzinfo=timezone.utc), classification=c)


def seed(db, config, *articles: Article) -> dict:
    """Store ``articles`` and create every user of ``USERS``; returns name → Actor."""
    for a in articles:
        save_article(db, a)
    for name, role, agency in USERS:
        add_user(db, config, name, role, PASSWORD, agency_id=agency, email=f"{name}@example.gov.vn")
    return {name: acting_user(db, name) for name, _r, _a in USERS}
