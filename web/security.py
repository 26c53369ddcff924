"""Sessions, CSRF tokens, login throttling and security headers: pure pieces the app wires in.

The session is a signed cookie (itsdangerous, HMAC-SHA256) holding the user name, a
per-session CSRF token and the time it was issued; the user is looked up again on every
request, so a disabled account loses access at once.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "duluan_session"
SESSION_SECONDS = 12 * 3600

# No inline script anywhere: the pages load /static/app.js only.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def load_secret(path: Path) -> str:
    """The signing key kept beside the data (created once, readable by its owner only)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str
    issued: float


class Sessions:
    def __init__(self, secret: str, max_age: int = SESSION_SECONDS):
        self._s = URLSafeTimedSerializer(secret, salt="duluan-session")
        self.max_age = max_age

    def issue(self, user: str) -> tuple[str, Session]:
        sess = Session(user=user, csrf=secrets.token_urlsafe(32), issued=time.time())
        return self._s.dumps({"u": sess.user, "c": sess.csrf, "t": sess.issued}), sess

    def read(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            d = self._s.loads(cookie, max_age=self.max_age)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(d, dict) or not {"u", "c", "t"} <= set(d):
            return None
        return Session(user=str(d["u"]), csrf=str(d["c"]), issued=float(d["t"]))


def csrf_ok(session: Session | None, token: str | None) -> bool:
    return bool(session and token and hmac.compare_digest(session.csrf, token))


class Throttle:
    """At most ``limit`` failed logins per (user, address) in ``window`` seconds."""

    LIMIT = 5

    def __init__(self, limit: int = LIMIT, window: float = 900.0):
        self.limit, self.window = limit, window
        self._fails: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._fails[key]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def retry_after(self, user: str, address: str) -> int:
        """Seconds to wait before another attempt, 0 when one is allowed."""
        now = time.monotonic()
        with self._lock:
            q = self._recent((user.lower(), address), now)
            if len(q) < self.limit:
                return 0
            return max(1, int(self.window - (now - q[0])))

    def failed(self, user: str, address: str) -> None:
        with self._lock:
            self._recent((user.lower(), address), time.monotonic()).append(time.monotonic())

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._fails.pop((user.lower(), address), None)
