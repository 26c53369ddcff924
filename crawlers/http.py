"""The guarded HTTP client: every byte duluan fetches goes through here (issue #4).

What it guarantees, per request:

* SSRF: the host is resolved and checked before anything is sent, and the
  connection backend checks again the exact IP it connects to (so DNS
  rebinding between the check and the connect cannot slip through).  httpcore
  still does TLS with the original host name as SNI and httpx sends the
  original ``Host`` header, because only the TCP connect target is pinned.
* Redirects are followed by hand, one hop at a time, each hop checked like a
  new request; a repeated URL is ``redirect_loop``, more than
  ``max_redirects`` hops is ``too_many_redirects``.
* Bodies are streamed and cut off at ``max_body_bytes`` (decoded size, so a
  gzip bomb is cut too): ``too_large``, nothing returned.
* Transient failures (5xx, 429, timeouts, connection resets) are retried with
  exponential backoff; everything else fails at once with a ``FetchError``.
* Requests to one host:port are spaced by the per-host rate limiter.
"""

from __future__ import annotations

import contextvars
import logging
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpcore
import httpx

from duluan.config.models import CrawlSettings
from duluan.errors import FetchError

from .ratelimit import HostRateLimiter
from .ssrf import AddressPolicy, host_port

log = logging.getLogger(__name__)

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 30.0

# The policy of the request being sent by this thread (or task); read by the
# connection backend, which httpx gives no other way to reach.
_policy: contextvars.ContextVar[AddressPolicy] = contextvars.ContextVar("duluan_address_policy")


class ForbiddenConnect(Exception):
    """Raised by the backend instead of connecting to a refused address."""


class GuardedBackend(httpcore.SyncBackend):
    """httpcore network backend that connects only to addresses the current policy allows."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # noqa: ANN001
        from .ssrf import resolve  # local: keeps the patch point obvious in tests

        policy = _policy.get(AddressPolicy())
        try:
            ips = resolve(host, port)
        except (socket.gaierror, UnicodeError) as e:
            raise httpcore.ConnectError(f"cannot resolve {host}: {e}") from None
        bad = [ip for ip in ips if not policy.allows(host, port, ip)]
        if bad or not ips:
            raise ForbiddenConnect(f"{host}:{port} resolves to non-public address {bad[0] if bad else '?'}")
        last: Exception | None = None
        for ip in ips:
            try:
                # Connect to the checked IP itself; SNI and Host still name ``host``.
                return super().connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e
        assert last is not None
        raise last


@dataclass(frozen=True)
class Response:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError, IndexError):
            return None


class HttpClient:
    """One pooled httpx client behind the SSRF guard, limits, retries and rate limiter."""

    def __init__(self, settings: CrawlSettings, limiter: HostRateLimiter | None = None,
                 sleep=time.sleep):  # noqa: ANN001
        self.settings = settings
        self.limiter = limiter or HostRateLimiter()
        self._sleep = sleep
        transport = httpx.HTTPTransport(retries=0)
        # httpx offers no public hook for the network backend; swap the pool
        # for one built on GuardedBackend (same defaults as httpx's own).
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=100, max_keepalive_connections=20,
            keepalive_expiry=5.0, http1=True, http2=False, retries=0, network_backend=GuardedBackend())
        self._client = httpx.Client(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(settings.timeout_seconds),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept-Language": "vi,en;q=0.8"})

    def close(self) -> None:
        self._client.close()

    # -- public ----------------------------------------------------------
    def get(self, url: str, policy: AddressPolicy, rate_per_sec: float, headers: dict[str, str] | None = None,
            robots=None, max_redirects: int | None = None) -> Response:  # noqa: ANN001
        """GET ``url`` following redirects by hand. ``robots(url)`` may raise to refuse a hop.

        Returns the final response whatever its status (callers decide what a
        304 or a 404 means); raises ``FetchError`` for everything else.
        """
        limit = self.settings.max_redirects if max_redirects is None else max_redirects
        seen = [url]
        current = url
        while True:
            try:
                policy.check_url(current)
                if robots is not None:
                    robots(current)
                resp = self._with_retries(current, policy, rate_per_sec, headers or {})
            except FetchError as e:
                if current == url:
                    raise
                # Errors name the URL that was asked for; the hop goes in the message.
                raise FetchError(e.kind, url, f"after redirect to {current}: {e.message}", e.retryable) from None
            location = resp.headers.get("location")
            if resp.status not in REDIRECT_STATUSES or not location:
                return Response(url, current, resp.status, resp.headers, resp.body, resp.fetched_at)
            nxt = urljoin(current, location.strip())
            if nxt in seen:
                raise FetchError("redirect_loop", url, " → ".join([*seen, nxt]))
            seen.append(nxt)
            if len(seen) - 1 > limit:
                raise FetchError("too_many_redirects", url, f"more than {limit} redirects: {' → '.join(seen)}")
            log.debug("redirect from=%s to=%s status=%s", current, nxt, resp.status)
            current = nxt

    # -- internals -------------------------------------------------------
    def _with_retries(self, url: str, policy: AddressPolicy, rate: float, headers: dict[str, str]) -> Response:
        attempts = self.settings.retries + 1
        host, port = host_port(url)
        for attempt in range(attempts):
            wait = self.settings.backoff_seconds * (2 ** attempt)
            try:
                self.limiter.wait(f"{host}:{port}", rate)
                resp = self._once(url, policy, headers)
            except FetchError as e:
                if not e.retryable or attempt == attempts - 1:
                    raise
                log.info("retry url=%s attempt=%d kind=%s wait=%.2f", url, attempt + 1, e.kind, wait)
            else:
                if resp.status not in RETRY_STATUSES or attempt == attempts - 1:
                    return resp
                after = _retry_after(resp.headers.get("retry-after"))
                if after is not None:
                    wait = max(wait, min(after, MAX_RETRY_AFTER))
                log.info("retry url=%s attempt=%d status=%d wait=%.2f", url, attempt + 1, resp.status, wait)
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _once(self, url: str, policy: AddressPolicy, headers: dict[str, str]) -> Response:
        token = _policy.set(policy)
        max_bytes = self.settings.max_body_bytes
        deadline = time.monotonic() + self.settings.timeout_seconds * 3
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                hdrs = {k.lower(): v for k, v in r.headers.multi_items()}
                status = r.status_code
                body = b""
                if status not in REDIRECT_STATUSES and status != 304:
                    declared = r.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError("too_large", url, f"Content-Length {declared} > limit {max_bytes} bytes")
                    buf = bytearray()
                    for chunk in r.iter_bytes():
                        buf += chunk
                        if len(buf) > max_bytes:
                            raise FetchError("too_large", url, f"body exceeds limit of {max_bytes} bytes; cut off")
                        # httpx times out each read, not the whole body: a
                        # server dripping a byte a second would never end.
                        if time.monotonic() > deadline:
                            raise FetchError("timeout", url, "body download exceeded the total time limit",
                                             retryable=True)
                    body = bytes(buf)
                return Response(url, url, status, hdrs, body, datetime.now(timezone.utc))
        except ForbiddenConnect as e:
            raise FetchError("forbidden_address", url, f"{e}; no request sent") from None
        except httpx.TimeoutException as e:
            raise FetchError("timeout", url, f"{type(e).__name__} after {self.settings.timeout_seconds}s",
                             retryable=True) from None
        except httpx.DecodingError as e:
            raise FetchError("network", url, f"bad content encoding: {e}") from None
        except (httpx.TransportError, httpx.StreamError) as e:
            raise FetchError("network", url, f"{type(e).__name__}: {e}", retryable=True) from None
        except httpx.InvalidURL as e:
            raise FetchError("network", url, f"invalid URL: {e}") from None
        finally:
            _policy.reset(token)
