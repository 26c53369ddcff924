"""Per-host politeness: at most ``rate`` requests per second to one host:port (issue #4)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# A robots.txt Crawl-delay above this is treated as this: a site must not be
# able to stall a whole crawl run with "Crawl-delay: 86400".
MAX_CRAWL_DELAY = 30.0


class HostRateLimiter:
    """Spaces requests to each host; thread-safe, so sources can be crawled in parallel.

    A caller reserves the next free slot under the lock and sleeps outside
    it, so waiting for a slow host never blocks requests to other hosts.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._next: dict[str, float] = {}
        self._delay: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock, self._sleep = clock, sleep

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Honour robots.txt ``Crawl-delay`` (capped) as a minimum spacing for ``host``."""
        with self._lock:
            if seconds and seconds > 0:
                self._delay[host] = min(float(seconds), MAX_CRAWL_DELAY)
            else:
                self._delay.pop(host, None)

    def wait(self, host: str, rate_per_sec: float) -> float:
        """Block until a request to ``host`` is allowed; returns the seconds waited."""
        interval = max(1.0 / rate_per_sec if rate_per_sec > 0 else 0.0, 0.0)
        with self._lock:
            interval = max(interval, self._delay.get(host, 0.0))
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + interval
        pause = slot - now
        if pause > 0:
            self._sleep(pause)
        return max(pause, 0.0)
