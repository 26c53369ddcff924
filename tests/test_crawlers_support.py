"""Shared helpers for the crawler tests: a real threaded HTTP server with scripted routes.

(No tests here; the module is imported by the other ``test_crawlers_*``
files because tests/conftest.py belongs to the whole suite.)
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from duluan.config.models import CrawlSettings, Source
from duluan.store import open_database

Handler = Callable[["Request"], "Reply"]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reset: bool = False  # drop the connection without answering
    chunks: int = 0  # stream the body this many times without Content-Length


def page(body: str | bytes, ctype: str = "text/html; charset=utf-8", status: int = 200, **headers: str) -> Reply:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Reply(status, data, {"Content-Type": ctype, **headers})


def conditional(body: str | bytes, ctype: str = "application/rss+xml; charset=utf-8") -> Handler:
    """A static resource answering If-None-Match / If-Modified-Since with 304."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
    lm = "Mon, 14 Jul 2025 01:30:00 GMT"

    def handler(req: Request) -> Reply:
        if req.headers.get("If-None-Match") == etag or req.headers.get("If-Modified-Since") == lm:
            return Reply(304, b"", {"ETag": etag, "Last-Modified": lm})
        return Reply(200, data, {"Content-Type": ctype, "ETag": etag, "Last-Modified": lm})
    return handler


class Site:
    """A threaded HTTP server on 127.0.0.1 whose routes are set by the test; logs every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler | Reply] = {}
        self.log: list[Request] = []
        self._lock = threading.Lock()
        site = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: object) -> None:
                pass

            def do_GET(self) -> None:
                req = Request("GET", self.path, {k: v for k, v in self.headers.items()})
                with site._lock:
                    site.log.append(req)
                route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
                if route is None:
                    reply = Reply(404, b"<html><body>not found</body></html>", {"Content-Type": "text/html"})
                else:
                    reply = route(req) if callable(route) else route
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.reset:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                if reply.chunks:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        for _ in range(reply.chunks):
                            self.wfile.write(reply.body)
                    except OSError:
                        pass
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.log]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def make_source(site: Site, **kw: object) -> Source:
    base = {"id": "test", "name": "Test outlet", "kind": "domestic", "homepage": site.url + "/",
            "feeds": [site.url + "/rss.xml"], "allow_private": True, "rate_limit_per_sec": 200.0}
    base.update(kw)
    return Source(**base)


def fast_settings(**kw: object) -> CrawlSettings:
    base = {"timeout_seconds": 2.0, "retries": 2, "backoff_seconds": 0.01}
    base.update(kw)
    return CrawlSettings(**base)


def new_db(tmp_path):  # noqa: ANN001, ANN201
    return open_database(f"sqlite:///{tmp_path}/duluan.db")


ARTICLE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title} - Báo Thử</title>
<script>var tracking = "không được giữ";</script><style>.x{{color:red}}</style></head><body>
<nav class="menu"><a href="/">Trang chủ</a> <a href="/thoi-su/">Thời sự</a></nav>
<div class="ads">Quảng cáo: mua ngay hôm nay</div>
<span class="date">Thứ hai, 14/7/2025, 08:30 (GMT+7)</span>
<h1>{title}</h1><article>{paragraphs}</article>
<div class="box-tinlienquan"><h3>Tin liên quan</h3><ul><li><a href="/a-1.html">Bài khác hoàn toàn không liên quan</a></li></ul></div>
<section class="box-comment"><h3>Ý kiến bạn đọc</h3><p class="comment-content">Bình luận của bạn đọc không phải nội dung bài.</p></section>
<footer class="footer">© 2025 Báo Thử. Giấy phép số 1/GP.</footer></body></html>"""


def article_html(title: str, paragraphs: list[str]) -> str:
    return ARTICLE.format(title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs))
