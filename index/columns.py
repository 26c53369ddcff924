"""Doc values for the SQLite index: the filter and facet columns in memory, keyed by rowid.

At a million articles a broad query matches 100 000 of them, and counting them by province,
kind, sentiment, topic and month in SQL is a join per match (1.6 s). Held as small integer
codes in numpy arrays indexed by ``search_docs.rowid`` (what Elasticsearch calls doc values),
facets are a ``bincount`` over the matching rowids and filters a boolean mask (issue #14).

The store follows the table through ``search_changes``, a log that the triggers of
``search_docs`` append to on every insert and delete, from any connection or process; each
``sync`` re-reads the rows named since it last looked. A rowid absent from the table is not
``live``. ``prune`` trims the log after a bulk load; a store that finds the log pruned past
what it has seen loads everything again. The store only moves forward: a read transaction that
began before another thread synced it to a newer commit raises ``StaleRead`` and is read again
(``SqliteIndex._read``), so twenty searchers beside a crawl never reload a million rows.
"""

from __future__ import annotations

import copy
import sqlite3
import threading
from collections.abc import Iterable

import numpy as np

from . import query as q

COLUMNS = ("source_kind", "sentiment", "topic", "source", "lang", "month")
# month: YYYY-MM of publication in UTC, as substr(published, 1, 7) of the stored ISO text
_SELECT = ("SELECT rowid, source_kind, sentiment, topic, source, lang, substr(published, 1, 7),"
           " flagged, coalesce(unixepoch(published), ?) FROM search_docs")
NO_DATE = np.iinfo(np.int64).min  # sorts after every date, newest first (as NULL in SQL)
_FIELD_COLUMN = {"kind": "source_kind", "sentiment": "sentiment", "topic": "topic", "source": "source", "lang": "lang"}


_EXPRS = {"source_kind": "source_kind", "sentiment": "sentiment", "topic": "topic", "source": "source",
          "lang": "lang", "month": "substr(published, 1, 7)"}


def _case(expr: str, values: list[str], vocab: "Vocab", params: list) -> str:
    """``expr`` as its vocab code, in SQL (0 for NULL and any value not in ``values``)."""
    if not values:
        return "0"
    params.extend(values)
    return f"CASE {expr} " + " ".join(f"WHEN ? THEN {vocab.code(v)}" for v in values) + " ELSE 0 END"


def ints(text: str | None) -> np.ndarray:
    """A ``group_concat`` of integers as an array (numpy's C parser: 1M numbers in 30 ms)."""
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


class Vocab:
    """Values of one column as small integers; 0 is NULL (and the empty string)."""

    def __init__(self) -> None:
        self.values: list[str | None] = [None]
        self.codes: dict[str | None, int] = {None: 0, "": 0}

    def code(self, value: str | None) -> int:
        c = self.codes.get(value)
        if c is None:
            c = self.codes[value] = len(self.values)
            self.values.append(value)
        return c


class StaleRead(Exception):
    """The read transaction saw an older commit than the columns hold (another thread synced them to
    a newer one meanwhile): the caller reads again in a new transaction, which sees at least that."""


class DocColumns:
    """The facet and filter columns of ``search_docs`` as arrays; safe to share across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.seen = -1  # the last search_changes.seq applied; -1: nothing loaded
        self.vocab = {c: Vocab() for c in COLUMNS}
        self.provinces = Vocab()
        self.size = 0  # 1 + the largest rowid held
        self.codes = {c: np.zeros(0, np.int32) for c in COLUMNS}
        self.flagged = np.zeros(0, bool)
        self.published = np.zeros(0, np.int64)
        self.live = np.zeros(0, bool)
        self.pair_doc = np.zeros(0, np.int64)  # one (doc, province) pair a row, as search_provinces
        self.pair_code = np.zeros(0, np.int32)

    # -- following the table ----------------------------------------------------

    def sync(self, conn: sqlite3.Connection, older: str = "raise") -> "DocColumns":
        """Apply what changed in ``search_docs`` since the last call (everything the first time).
        Call it inside a read transaction: the log and the rows it names must agree.

        A transaction that sees an older commit than the columns hold raises ``StaleRead``
        (``older="raise"``), or reloads them at its commit (``older="reload"``, a last resort:
        a million rows take seconds, and every other reader waits).

        Returns a snapshot to read from: its arrays stay whole while another thread syncs
        (growing and reloading make new arrays; changes in place touch only changed rows).
        """
        with self._lock:
            self._sync(conn, older)
            return copy.copy(self)

    def _sync(self, conn: sqlite3.Connection, older: str = "raise") -> None:
        last = conn.execute("SELECT coalesce(max(seq), 0) FROM search_changes").fetchone()[0]
        if last == self.seen:
            return
        if 0 <= last < self.seen and older == "raise":
            raise StaleRead(f"read at change {last}, columns at {self.seen}")
        pruned = conn.execute("SELECT value FROM search_meta WHERE key = 'changes_pruned'").fetchone()
        changed: list[int] = []
        if self.seen >= 0 and not (pruned and pruned[0] > self.seen) and last > self.seen:
            changed = [r[0] for r in conn.execute("SELECT DISTINCT doc FROM search_changes WHERE seq > ?",
                                                  (self.seen,))]
        if changed and len(changed) < max(self.size // 8, 1000):
            self._apply(conn, changed)
        else:  # first use, a pruned log, or a rebuild under way: reading everything is cheaper
            self._reset()
            self._load_all(conn)
        self.seen = last

    def _load_all(self, conn: sqlite3.Connection) -> None:
        """Every row, coded by SQL and handed over as one text a column. The scans read the covering
        index ``search_docs_values`` (sqlite.py), not the table: a million rows take ~3.5 s on the
        bench machine, ~7 s from a cold disk (the Python loop of ``_load`` took 5× as long at 100k)."""
        cases, params = [], []
        for c, expr in _EXPRS.items():
            vocab = self.vocab[c]
            values = [r[0] for r in conn.execute(f"SELECT DISTINCT {expr} FROM search_docs") if r[0]]
            cases.append(_case(expr, values, vocab, params))
        cols = conn.execute(
            f"SELECT group_concat(rowid), {', '.join(f'group_concat({c})' for c in cases)},"
            " group_concat(coalesce(flagged, 0)), group_concat(coalesce(unixepoch(published), ?)) FROM search_docs",
            (*params, int(NO_DATE))).fetchone()
        rid = ints(cols[0])
        self._grow(int(rid.max()) + 1 if len(rid) else 0)
        for c, text in zip(COLUMNS, cols[1:]):
            self.codes[c][rid] = ints(text)
        self.flagged[rid] = ints(cols[-2]).astype(bool)
        self.published[rid] = ints(cols[-1])
        self.live[rid] = True
        params = []
        names = [r[0] for r in conn.execute("SELECT DISTINCT province FROM search_provinces")]
        case = _case("province", names, self.provinces, params)
        docs, codes = conn.execute(f"SELECT group_concat(doc), group_concat({case}) FROM search_provinces",
                                   params).fetchone()
        self.pair_doc, self.pair_code = ints(docs), ints(codes).astype(np.int32)

    def _apply(self, conn: sqlite3.Connection, changed: list[int]) -> None:
        for i in range(0, len(changed), 500):
            part = changed[i:i + 500]
            marks = ",".join("?" * len(part))
            held = [d for d in part if d < self.size]
            if held:
                self.live[held] = False  # re-read below if still (or again) there
            rows = conn.execute(f"{_SELECT} WHERE rowid IN ({marks})", (NO_DATE, *part)).fetchall()
            pairs = conn.execute(f"SELECT doc, province FROM search_provinces WHERE doc IN ({marks})", part).fetchall()
            self._load(conn, rows, pairs, reused=[r[0] for r in rows if r[0] < self.size])

    def _load(self, conn: sqlite3.Connection, rows: Iterable[tuple], pairs: Iterable[tuple], reused) -> None:
        rows = list(rows)
        if reused:  # a rowid used again (SQLite reuses the largest after a delete): drop its old provinces
            keep = ~np.isin(self.pair_doc, np.asarray(reused, np.int64))
            self.pair_doc, self.pair_code = self.pair_doc[keep], self.pair_code[keep]
        if rows:
            rid = np.fromiter((r[0] for r in rows), np.int64, len(rows))
            self._grow(int(rid.max()) + 1)
            for j, c in enumerate(COLUMNS, start=1):
                code = self.vocab[c].code
                self.codes[c][rid] = np.fromiter((code(r[j]) for r in rows), np.int32, len(rows))
            self.flagged[rid] = np.fromiter((bool(r[7]) for r in rows), bool, len(rows))
            self.published[rid] = np.fromiter((r[8] for r in rows), np.int64, len(rows))
            self.live[rid] = True
        pairs = list(pairs)
        if pairs:
            code = self.provinces.code
            self.pair_doc = np.concatenate([self.pair_doc, np.fromiter((p[0] for p in pairs), np.int64, len(pairs))])
            self.pair_code = np.concatenate([self.pair_code,
                                             np.fromiter((code(p[1]) for p in pairs), np.int32, len(pairs))])

    def _grow(self, size: int) -> None:
        if size <= self.size:
            return
        cap = len(self.live)
        if size > cap:
            cap = max(size, cap * 5 // 4 + 1024)  # room for a crawl's inserts without a copy each

            def wider(a: np.ndarray, fill=0) -> np.ndarray:
                out = np.full(cap, fill, a.dtype)
                out[:len(a)] = a
                return out

            self.codes = {c: wider(a) for c, a in self.codes.items()}
            self.flagged, self.live = wider(self.flagged), wider(self.live)
            self.published = wider(self.published, NO_DATE)
        self.size = size

    # -- reading ------------------------------------------------------------------

    def matches(self, rowids: np.ndarray, filters: list[q.Node] = ()) -> np.ndarray:
        """The live rowids of ``rowids`` (ascending) that pass every filter."""
        rowids = rowids[rowids < self.size]
        keep = self.live[rowids]
        for f in filters:
            keep &= self.mask(f)[rowids]
        return rowids[keep]

    def filtered(self, filters: list[q.Node]) -> np.ndarray:
        """Every live rowid passing ``filters`` (a filter-only query), ascending."""
        keep = self.live[:self.size].copy()
        for f in filters:
            keep &= self.mask(f)
        return np.flatnonzero(keep)

    def mask(self, node: q.Node) -> np.ndarray:
        """A filter (fields under any logic) as a boolean array over rowids, as ``SqliteIndex._field``."""
        n = self.size
        if isinstance(node, q.Not):
            return ~self.mask(node.item)
        if isinstance(node, (q.And, q.Or)):
            out = self.mask(node.items[0]).copy()
            for item in node.items[1:]:
                (out.__iand__ if isinstance(node, q.And) else out.__ior__)(self.mask(item))
            return out
        assert isinstance(node, q.Field), node
        if node.name == "province":
            out = np.zeros(n, bool)
            code = self.provinces.codes.get(node.value)
            if code is not None:
                docs = self.pair_doc[self.pair_code == code]
                out[docs[docs < n]] = True
            return out
        if node.name == "flagged":
            return self.flagged[:n] == (node.value == "true")
        if node.name in ("from", "to"):
            day = np.datetime64(node.value, "D").astype("datetime64[s]").astype(np.int64)
            dates = self.published[:n]
            if node.name == "from":
                return (dates != NO_DATE) & (dates >= day)
            return (dates != NO_DATE) & (dates < day + 86400)
        code = self.vocab[_FIELD_COLUMN[node.name]].codes.get(node.value)
        return self.codes[_FIELD_COLUMN[node.name]][:n] == code if code is not None else np.zeros(n, bool)

    def newest(self, rowids: np.ndarray, k: int) -> np.ndarray:
        """At least the ``k`` newest of ``rowids`` and every one tied with the k-th (SQL orders them)."""
        if len(rowids) <= k:
            return rowids
        dates = self.published[rowids]
        kth = np.partition(dates, len(dates) - k)[len(dates) - k]
        return rowids[dates >= kth]

    def facets(self, rowids: np.ndarray, size: int) -> dict[str, dict[str, int]]:
        """Counts of ``rowids`` (live, ascending) by province, kind, sentiment, topic and month."""
        out = {}
        for name, col in (("kind", "source_kind"), ("sentiment", "sentiment"), ("topic", "topic"), ("month", "month")):
            counts = np.bincount(self.codes[col][rowids], minlength=len(self.vocab[col].values))
            out[name] = _top(self.vocab[col].values, counts, size)
        chosen = np.zeros(self.size, bool)
        chosen[rowids] = True
        docs = self.pair_doc
        inside = docs < self.size
        hit = np.zeros(len(docs), bool)
        hit[inside] = chosen[docs[inside]]
        counts = np.bincount(self.pair_code[hit], minlength=len(self.provinces.values))
        out["province"] = _top(self.provinces.values, counts, size)
        return out


def _top(values: list[str | None], counts: np.ndarray, size: int) -> dict[str, int]:
    pairs = [(values[c], int(counts[c])) for c in np.flatnonzero(counts) if values[c]]
    pairs.sort(key=lambda x: (-x[1], x[0]))
    return dict(pairs[:size])
