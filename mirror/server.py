"""Máy chủ HTTP phục vụ bản sao báo chí ngoại tuyến cho kiểm thử / Offline press-mirror HTTP server for tests."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from duluan.mirror import ROOT

DEFAULT_ROOT: Path = ROOT

HUGE_SIZE = 52 * 1024 * 1024
_CHUNK = 64 * 1024
_DEFAULT_LAST_MODIFIED = "Sun, 15 Nov 2026 00:00:00 GMT"
_TEXT_SUFFIXES = {".html", ".htm", ".xml", ".rss", ".rdf", ".atom", ".txt"}
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}

# Dynamic routes of the hostile outlet (see mirror/hostile.json).
REDIRECTS = {
    "/hostile/loop-a": "/hostile/loop-b",
    "/hostile/loop-b": "/hostile/loop-a",
    "/hostile/redirect-metadata": "http://169.254.169.254/latest/meta-data/",
    "/hostile/redirect-private": "http://10.0.0.1/admin",
    "/hostile/moved.html": "/hostile/tin/bai-viet-an-toan.html",
}


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xml":
        name = path.name.lower()
        if "atom" in name:
            return "application/atom+xml; charset=utf-8"
        if "rss" in name or "feed" in name:
            return "application/rss+xml; charset=utf-8"
        return "application/xml; charset=utf-8"
    return _CONTENT_TYPES.get(suffix, "application/octet-stream")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        # A crawler that cuts off the 52 MB page closes the socket mid-write: expected, not news.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class MirrorServer:
    """Serves ``root/sites/**`` on a loopback port in a background thread."""

    def __init__(self, root: Path = DEFAULT_ROOT, host: str = "127.0.0.1", port: int = 0):
        self.root = Path(root)
        self.sites = self.root / "sites"
        self.host = host
        self.port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._log: list[dict[str, Any]] = []
        self._counters: dict[str, int] = {}
        meta_file = self.root / "serve-overrides.json"
        meta = json.loads(meta_file.read_text("utf-8")) if meta_file.exists() else {}
        self._ctype_overrides: dict[str, str] = meta.get("content_type", {})
        self._last_modified: dict[str, str] = meta.get("last_modified", {})
        self._default_lm: str = meta.get("default_last_modified", _DEFAULT_LAST_MODIFIED)

    # -- lifecycle -------------------------------------------------------
    def start(self) -> "MirrorServer":
        if self._httpd is not None:
            return self
        handler = _make_handler(self)
        self._httpd = _QuietServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="duluan-mirror", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> "MirrorServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- introspection ---------------------------------------------------
    def request_log(self) -> list[dict]:
        with self._lock:
            return [dict(entry, headers=dict(entry["headers"])) for entry in self._log]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def reset_counters(self) -> None:
        with self._lock:
            self._counters.clear()

    def _record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._log.append(entry)

    def _bump(self, key: str) -> int:
        with self._lock:
            self._counters[key] = self._counters.get(key, 0) + 1
            return self._counters[key]

    # -- file resolution -------------------------------------------------
    def _resolve(self, url_path: str) -> tuple[Path | None, str]:
        """Return (file, canonical key) or (None, key); key is the URL path of the file."""
        rel = unquote(url_path).lstrip("/")
        target = (self.sites / rel).resolve()
        sites = self.sites.resolve()
        if target != sites and sites not in target.parents:
            return None, url_path
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return None, url_path
        key = "/" + target.relative_to(sites).as_posix()
        return target, key

    def _load(self, file: Path) -> bytes:
        data = file.read_bytes()
        if file.suffix.lower() in _TEXT_SUFFIXES:
            data = data.replace(b"{{BASE}}", self.url.encode("ascii"))
        return data

    def _ctype_for(self, file: Path, key: str) -> str:
        return self._ctype_overrides.get(key, _content_type(file))

    def _lm_for(self, key: str) -> str:
        return self._last_modified.get(key, self._default_lm)


def _make_handler(server: MirrorServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without it, small responses on keep-alive connections wait ~40 ms for a delayed ACK.
        disable_nagle_algorithm = True
        server_version = "nginx"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            try:
                status = int(code)
            except (TypeError, ValueError):
                status = 0
            server._record({
                "method": self.command,
                "path": self.path,
                "headers": {k: v for k, v in self.headers.items()},
                "status": status,
                "time": time.time(),
            })

        # -- helpers -----------------------------------------------------
        def _send_simple(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
                         extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _not_found(self) -> None:
            body = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 - Không tìm thấy trang"
                    "</title></head><body><h1>404</h1><p>Trang bạn tìm không tồn tại hoặc đã bị gỡ.</p>"
                    "</body></html>").encode("utf-8")
            self._send_simple(404, body)

        def _redirect(self, location: str, status: int = 302) -> None:
            if location.startswith("/"):
                location = server.url + location
            body = f"<html><body>Moved: <a href=\"{location}\">{location}</a></body></html>".encode()
            self._send_simple(status, body, extra={"Location": location})

        def _stream_huge(self, with_length: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if with_length:
                self.send_header("Content-Length", str(HUGE_SIZE))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command == "HEAD":
                return
            head = (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Trang rat lon</title></head>"
                    b"<body><article><p>")
            filler = (b"Du lieu rac de kiem tra gioi han kich thuoc trang. " * 2000)[:_CHUNK]
            sent = 0
            try:
                self.wfile.write(head)
                sent += len(head)
                while sent < HUGE_SIZE:
                    piece = filler[: min(_CHUNK, HUGE_SIZE - sent)]
                    self.wfile.write(piece)
                    sent += len(piece)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
                self.close_connection = True

        def _serve_file(self, file: Path, key: str, *, compress: bool = False) -> None:
            data = server._load(file)
            etag = '"' + hashlib.sha1(data).hexdigest()[:20] + '"'
            last_modified = server._lm_for(key)
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            not_modified = False
            if inm is not None:
                tags = [t.strip() for t in inm.split(",")]
                not_modified = "*" in tags or etag in tags or ("W/" + etag) in tags
            elif ims is not None:
                try:
                    not_modified = parsedate_to_datetime(ims) >= parsedate_to_datetime(last_modified)
                except (TypeError, ValueError, IndexError):
                    not_modified = False
            if not_modified:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", last_modified)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": "max-age=60"}
            if compress:
                data = gzip.compress(data, mtime=0)
                headers["Content-Encoding"] = "gzip"
                headers["Vary"] = "Accept-Encoding"
            self._send_simple(200, data, server._ctype_for(file, key), headers)

        # -- dispatch ----------------------------------------------------
        def _handle(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path or "/"
            query = parse_qs(parts.query)
            if path in REDIRECTS:
                self._redirect(REDIRECTS[path])
                return
            if path == "/hostile/huge.html":
                self._stream_huge(with_length=True)
                return
            if path == "/hostile/huge-stream.html":
                self._stream_huge(with_length=False)
                return
            if path == "/hostile/slow.html":
                try:
                    delay = float(query.get("delay", ["3"])[0])
                except ValueError:
                    delay = 3.0
                time.sleep(max(0.0, min(delay, 60.0)))
            if path == "/hostile/flaky.html":
                if server._bump(self.path) == 1:
                    body = (b"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
                            b"<body><h1>Internal Server Error</h1></body></html>")
                    self._send_simple(500, body)
                    return
            file, key = server._resolve(path)
            if file is None:
                self._not_found()
                return
            if file.name == "index.html" and not path.endswith("/") and not path.endswith("index.html"):
                self._redirect(path + "/", 301)
                return
            self._serve_file(file, key, compress=(path == "/hostile/gzip.html"))

        def do_GET(self) -> None:
            try:
                self._handle()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def do_HEAD(self) -> None:
            self.do_GET()

    return Handler


def _main() -> None:  # pragma: no cover - manual use: python -m duluan.mirror.server [port]
    import sys

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    with MirrorServer(port=port) as srv:
        print(f"mirror at {srv.url}/  (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":  # pragma: no cover
    _main()
