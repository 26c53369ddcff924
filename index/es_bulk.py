"""Bulk loading for an Elasticsearch reindex: one NDJSON body per chunk, sent while the next is built.

``helpers.parallel_bulk`` copies every action, serialises action and source one by one and
walks every item of the answer; at a million articles on two cores that client work, not the
node, set the rate (issue #14). Here the calling thread builds each chunk as one UTF-8 body
(orjson: ~6 µs a document against ~34 µs for ``json.dumps``), ``SENDERS`` threads post
chunks, so the node indexes two while the next is built (its write threads index concurrently
into one shard), and the answer is filtered by the node to each item's status, errors only
in full.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable
from typing import Any

import orjson
from elasticsearch import Elasticsearch

CHUNK = 2000  # documents a request: ~5 MB of Vietnamese text, well under http.max_content_length
SENDERS = 2  # requests in flight: one per core of a small node; more only queue in its write pool
_DONE = object()
# items in request order, each reduced to status (and error when there is one)
_FILTER = "errors,items.*.status,items.*.error"


def load(client: Elasticsearch, index: str, docs: Iterable[tuple[str, dict[str, Any]]],
         chunk: int = CHUNK, senders: int = SENDERS) -> tuple[int, dict[str, str]]:
    """Index ``(id, source)`` pairs into ``index``; returns (written, failed: id → reason).

    Errors of the node or the transport (refused, 5xx) are raised as the client raises them.
    """
    # bounded: a slow node slows the reader, memory stays flat
    todo: queue.Queue = queue.Queue(maxsize=senders)
    written, failed, crashed = [0], {}, []
    lock = threading.Lock()

    def send() -> None:
        while (item := todo.get()) is not _DONE:
            if crashed:
                continue  # drain, so the builder never blocks on a full queue
            body, ids = item
            try:
                res = client.bulk(index=index, operations=body, filter_path=_FILTER)
            except BaseException as e:  # noqa: BLE001 — raised again in the calling thread
                crashed.append(e)
                continue
            bad = {}
            if res.get("errors"):
                for doc_id, it in zip(ids, res["items"]):
                    info = next(iter(it.values()))
                    if info.get("error") or info.get("status", 200) >= 300:
                        bad[doc_id] = str(info.get("error") or info.get("status"))
            with lock:
                written[0] += len(ids) - len(bad)
                failed.update(bad)

    threads = [threading.Thread(target=send, name=f"es-bulk-{i}", daemon=True) for i in range(senders)]
    for t in threads:
        t.start()
    try:
        lines: list[bytes] = []
        ids: list[str] = []
        for doc_id, source in docs:
            if crashed:
                break
            lines.append(b'{"index":{"_id":%s}}' % orjson.dumps(doc_id))
            lines.append(orjson.dumps(source))
            ids.append(doc_id)
            if len(ids) >= chunk:
                todo.put((b"\n".join(lines) + b"\n", ids))
                lines, ids = [], []
        if ids and not crashed:
            todo.put((b"\n".join(lines) + b"\n", ids))
    finally:
        for _ in threads:
            todo.put(_DONE)
        for t in threads:
            t.join()
    if crashed:
        raise crashed[0]
    return written[0], failed
