"""Results kept until the database they were read from changes.

Pages and searches that a team runs again and again (the queue, saved views, a search
paged through) are read once per change of the data, like Elasticsearch's request cache:
``UntilChanged`` drops everything as soon as ``version()`` moves. For an SQLite file that is
``PRAGMA data_version`` on a connection that never writes, which moves on every commit of
any other connection, in this process or another (the crawler, the CLI).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class SqliteDataVersion:
    """A token that changes whenever anything commits to the SQLite file at ``path``."""

    def __init__(self, path: str):
        self._probe = sqlite3.connect(path, check_same_thread=False, timeout=30)

    def __call__(self) -> int:
        return self._probe.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self._probe.close()


class UntilChanged:
    """The ``size`` most recent results by key, all dropped when ``version()`` changes.

    A key asked for while it is being computed waits for that computation instead of
    starting another (twenty analysts opening the queue after a crawl read it once).
    """

    def __init__(self, version: Callable[[], Any], size: int = 256):
        self.version, self.size = version, size
        self._lock = threading.Lock()  # also serialises the version probe's connection
        self._seen: Any = object()
        self._items: OrderedDict = OrderedDict()
        self._running: dict = {}  # (version, key) → Future of the computation under way

    def get(self, key, compute: Callable[[], Any]):
        with self._lock:
            version = self.version()
            if version != self._seen:
                self._items.clear()
                self._seen = version
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            running = self._running.get((version, key))
            if running is None:
                mine = self._running[(version, key)] = Future()
        if running is not None:
            return running.result()
        try:
            value = compute()
        except BaseException as e:
            mine.set_exception(e)
            raise
        finally:
            with self._lock:
                self._running.pop((version, key), None)
        with self._lock:
            if self._seen == version:  # else a commit came in meanwhile: what was read may be stale
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        mine.set_result(value)
        return value

    def close(self) -> None:
        close = getattr(self.version, "close", None)
        if close is not None:
            close()
