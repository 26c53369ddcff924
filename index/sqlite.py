"""SQLite FTS5 backend: the embedded default, no server needed.

Text is prepared in Python, never by the tokenizer (which runs with ``remove_diacritics 0``):

    title, body        ``query.search_text``: folded (đ → d as well), separators made spaces
    title_m, body_m    one token per word, ``folded~canonical`` (``hai~hải``, ``khu~khu``)
    title_p, body_p    one token per pair of adjacent words, folded (``_da_nang``), then
                       marked (``_hai_phong~hải_phòng``)

so a word typed without diacritics is an exact token of the folded columns, a word typed
with them an exact token of the marked columns.  A phrase is a phrase of word pairs, as
Elasticsearch's ``index_phrases`` (issue #14): tokens rarer than its words and one position
check fewer.  ``"da nang"`` is the one token ``_da_nang``; an unmarked word beside a marked
one stands for the marked pair tokens the vocabulary (``fts5vocab``) has with it, so
``"khu công nghiệp"`` is ``"_khu_cong~khu_công" + "_cong_nghiep~công_nghiệp"``, an OR of
such phrases when the unmarked words are written several ways.  Every kind of token is told
apart by its characters (``~``, a leading ``_``), so an exact token needs no column filter
(with one, FTS5 reads every position list); only a folded prefix keeps one.  A marked
prefix (``cảng*``) is expanded through the vocabulary into the marked tokens it names;
pair tokens, all starting with ``_``, stay out of its term range.  The original text is
kept in ``search_docs`` for snippets.

Readers get a connection per thread (WAL: they never block the writer nor each other);
writes go through one connection under a lock.

At a million articles a broad word matches 100 000 of them, and bm25 over all of them is
what costs: relevance is ranked over the newest ``rank_window`` matches (default 5 000),
the total is always exact.  Elasticsearch ranks over all matches.  A phrase is scored on its
pair tokens (bm25 of a multi-token phrase first re-scans every match to count them).  A
words-only query is answered inside FTS5 (the window's rowids, bm25 over that rowid range,
and meanwhile, on a counter thread, the count of the older matches); filters
and facets read doc values instead of joining ``search_docs`` per match: small integer
columns in memory, kept current through a change log the triggers write (``columns.py``).
The statements of one search run in one read transaction.

Results and counts of recent queries are kept, like Elasticsearch's request cache, until
the index next changes (a commit by this process or any other, seen through ``PRAGMA
data_version``), so the saved views and searches a team runs again and again are answered
without reading the index again.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import structlog

from duluan.cache import SqliteDataVersion, UntilChanged
from duluan.errors import IndexError_, IndexUnavailable, QueryError
from duluan.records import Article
from duluan.text import fold

from . import query as q
from .base import FACETS, SORTS, SearchHit, SearchIndex, SearchResult
from .columns import DocColumns, StaleRead, ints
from .query import index_texts, published_utc
from .snippets import snippet

SCHEMA_VERSION = 3  # 3: word-pair columns, 2: marked columns (issue #14); 1: folded only
log = structlog.get_logger("duluan.index")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO search_meta VALUES ('schema', 3), ('documents', 0);
CREATE TABLE IF NOT EXISTS search_docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT UNIQUE NOT NULL,
    url TEXT, source TEXT, source_kind TEXT, lang TEXT, topic TEXT, sentiment TEXT, flagged INTEGER,
    provinces TEXT, published TEXT, severity REAL,
    -- long text last: filters and sorts read the columns before it without touching overflow pages
    title TEXT, body TEXT
);
CREATE INDEX IF NOT EXISTS search_docs_published ON search_docs(published);
CREATE INDEX IF NOT EXISTS search_docs_topic ON search_docs(topic);
CREATE INDEX IF NOT EXISTS search_docs_sentiment ON search_docs(sentiment);
CREATE INDEX IF NOT EXISTS search_docs_kind ON search_docs(source_kind);
-- every column the doc values load (columns.py), so a restart reads this 50 MB index, not the
-- 3.4 GB table: at 1M a cold load takes 7 s, not 15-29 s (issue #14)
CREATE INDEX IF NOT EXISTS search_docs_values ON search_docs(source_kind, sentiment, topic, source, lang, published, flagged);
CREATE TABLE IF NOT EXISTS search_provinces (
    province TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (province, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_provinces_doc ON search_provinces(doc);
-- the count of a match-all query, kept in the writing transaction (count(*) scans 1M rows)
CREATE TRIGGER IF NOT EXISTS search_docs_in AFTER INSERT ON search_docs
    BEGIN UPDATE search_meta SET value = value + 1 WHERE key = 'documents'; END;
CREATE TRIGGER IF NOT EXISTS search_docs_out AFTER DELETE ON search_docs
    BEGIN UPDATE search_meta SET value = value - 1 WHERE key = 'documents';
          DELETE FROM search_provinces WHERE doc = old.rowid; END;
-- every insert and delete, by any connection or process: what DocColumns (columns.py) re-reads
CREATE TABLE IF NOT EXISTS search_changes (seq INTEGER PRIMARY KEY, doc INTEGER NOT NULL);
INSERT OR IGNORE INTO search_meta VALUES ('changes_pruned', 0);
CREATE TRIGGER IF NOT EXISTS search_docs_log_in AFTER INSERT ON search_docs
    BEGIN INSERT INTO search_changes (doc) VALUES (new.rowid); END;
CREATE TRIGGER IF NOT EXISTS search_docs_log_out AFTER DELETE ON search_docs
    BEGIN INSERT INTO search_changes (doc) VALUES (old.rowid); END;
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    title, body, title_m, body_m, title_p, body_p, content='',
    tokenize="unicode61 remove_diacritics 0 tokenchars '~_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_vocab USING fts5vocab(search_fts, 'row');
"""
_OLD_TABLES = ("search_fts", "search_vocab", "search_docs", "search_provinces", "search_meta", "search_changes")
_FOLDED = "{title body}"
_NOTHING = '"~"'  # a token no text has: what a marked prefix naming no word matches
_MAX_EXPANSIONS = 512
_MAX_CHAINS = 16  # marked pair phrases ORed for one typed phrase
_BM25 = "bm25(search_fts, 3.0, 1.0, 3.0, 1.0, 3.0, 1.0)"
READ_ATTEMPTS = 4  # read transactions tried before the doc values are reloaded at an older commit
RANK_WINDOW = 5000  # relevance is computed over the newest this many matches (see _fast)
COUNTERS = 2  # threads counting the matches older than the window while searches score it
_COUNT_OLDER = "SELECT count(*) FROM search_fts WHERE search_fts MATCH ? AND rowid < ?"


def column_texts(text: str) -> tuple[str, str, str]:
    """What the folded, marked and pair columns index of ``text`` (see the module docstring).

    The folded and the marked pairs are two runs in one column; they never meet in a phrase,
    whose pairs are all of one kind.
    """
    folded, marked = index_texts(text)
    fw, cw = folded.split(), marked.split()
    pairs = [f"_{a}_{b}" for a, b in zip(fw, fw[1:])]
    marked_pairs = [f"{p}~{a}_{b}" for p, a, b in zip(pairs, cw, cw[1:])]
    return folded, " ".join(map("~".join, zip(fw, cw))), " ".join(pairs + marked_pairs)


@contextmanager
def _boundary(path: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as e:
        kind = IndexUnavailable if "locked" in str(e) or "busy" in str(e) else IndexError_
        raise kind(f"SQLite FTS5 index {path}: {e}") from e
    except sqlite3.Error as e:
        raise IndexError_(f"SQLite FTS5 index {path}: {e}") from e


class SqliteIndex(SearchIndex):
    name = "sqlite"

    def __init__(self, path: str | Path, rank_window: int = RANK_WINDOW, cache: bool = True):
        self.path = str(path)
        self.rank_window = rank_window
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self.conn = self._connect()  # the writer; every thread reads on a connection of its own
        try:
            self._upgrade()
            self._note_new_indexes()
            self.conn.executescript(_SCHEMA)
        except sqlite3.OperationalError as e:
            raise IndexError_(f"SQLite FTS5 unavailable at {self.path}: {e}") from e
        # an in-memory index has one connection, which sees no data_version change of its own writes
        self._cache = UntilChanged(SqliteDataVersion(self.path)) if cache and self.path != ":memory:" else None
        self._columns = DocColumns()
        self._counters = threading.BoundedSemaphore(COUNTERS)
        self._pool: ThreadPoolExecutor | None = None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoint, never corrupt
        conn.execute("PRAGMA cache_size=-32768")
        conn.execute("PRAGMA mmap_size=1073741824")
        return conn

    def _upgrade(self) -> None:
        """An index of an older layout is derived data: drop it; ``duluan index reindex`` refills it."""
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "search_fts" not in tables:
            return
        version = 1
        if "search_meta" in tables:
            row = self.conn.execute("SELECT value FROM search_meta WHERE key='schema'").fetchone()
            version = row[0] if row else 1
        if version == SCHEMA_VERSION:
            return
        log.warning("search_index_rebuilt", path=self.path, old_schema=version, schema=SCHEMA_VERSION,
                    hint="chỉ mục cũ đã xoá, chạy / old index dropped, run: duluan index reindex")
        with self.conn:
            for t in _OLD_TABLES:
                self.conn.execute(f"DROP TABLE IF EXISTS {t}")

    def _note_new_indexes(self) -> None:
        """Log before ``_SCHEMA`` indexes a filled table it has no index for (seconds at 1M, once)."""
        names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        if "search_docs" not in names:
            return
        missing = sorted(set(re.findall(r"CREATE INDEX IF NOT EXISTS (\w+) ON search_docs", _SCHEMA)) - names)
        if missing and self.conn.execute("SELECT 1 FROM search_docs LIMIT 1").fetchone():
            log.info("search_index_indexing", path=self.path, indexes=missing,
                     hint="tạo chỉ mục một lần (vài giây / một triệu bài) / building once (seconds per million)")

    def _reader(self) -> sqlite3.Connection:
        """This thread's connection: readers in WAL mode run in parallel with the writer."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.conn if self.path == ":memory:" else self._connect()
            if conn is not self.conn:
                conn.execute("PRAGMA query_only=1")
                with self._lock:
                    self._readers.append(conn)
            self._local.conn = conn
        return conn

    # -- writes ---------------------------------------------------------------

    def upsert(self, articles: Iterable[Article]) -> int:
        with _boundary(self.path):
            return self._upsert(articles)

    def _upsert(self, articles: Iterable[Article]) -> int:
        n = 0
        with self._lock, self.conn:
            for a in articles:
                c = a.classification
                self._remove(a.id)
                provinces = list(dict.fromkeys(c.provinces)) if c else []
                cur = self.conn.execute(
                    "INSERT INTO search_docs (id, title, body, url, source, source_kind, lang, topic, sentiment,"
                    " flagged, provinces, published, severity) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (a.id, a.title, a.body, a.url, a.source, a.source_kind, (a.language or "").lower(),
                     c.topic if c else None, c.sentiment if c else None, int(bool(c and c.flagged)),
                     " " + " ".join(provinces) + " ", published_utc(a.published), c.severity if c else 0.0),
                )
                self.conn.executemany("INSERT INTO search_provinces (province, doc) VALUES (?,?)",
                                      [(p, cur.lastrowid) for p in provinces])
                self.conn.execute("INSERT INTO search_fts (rowid, title, body, title_m, body_m, title_p, body_p)"
                                  " VALUES (?,?,?,?,?,?,?)", (cur.lastrowid, *_fts_values(a.title, a.body)))
                n += 1
        return n

    def delete(self, ids: Iterable[str]) -> None:
        with _boundary(self.path), self._lock, self.conn:
            for i in ids:
                self._remove(i)

    def _remove(self, article_id: str) -> None:
        # A contentless FTS5 table forgets a row only when given the indexed values back
        # (SQLite < 3.43 has no contentless_delete); they are prepared again from search_docs.
        row = self.conn.execute("SELECT rowid, title, body FROM search_docs WHERE id = ?", (article_id,)).fetchone()
        if row:
            self.conn.execute("INSERT INTO search_fts (search_fts, rowid, title, body, title_m, body_m, title_p, body_p)"
                              " VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)", (row[0], *_fts_values(row[1], row[2])))
            self.conn.execute("DELETE FROM search_docs WHERE rowid = ?", (row[0],))

    def count(self) -> int:
        with _boundary(self.path):
            return self._reader().execute("SELECT value FROM search_meta WHERE key = 'documents'").fetchone()[0]

    def ids(self) -> set[str]:
        return {r[0] for r in self._reader().execute("SELECT id FROM search_docs")}

    def reindex(self, articles: Iterable[Article]) -> dict:
        """Rebuild from the record in one transaction; readers see the old index until it commits."""
        n = 0
        with self._lock, self.conn:
            self.conn.execute("DELETE FROM search_docs")
            self.conn.execute("DELETE FROM search_provinces")
            self.conn.execute("UPDATE search_meta SET value = 0 WHERE key = 'documents'")
            self.conn.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
        for batch in _batches(articles, 1000):
            n += self.upsert(batch)
        self.optimize()
        return {"written": n}

    def optimize(self) -> None:
        """Merge the FTS5 segments into one (after a bulk load)."""
        with _boundary(self.path), self._lock, self.conn:
            self.conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            # the change log is read by DocColumns; one that saw less than this reloads (columns.py)
            self.conn.execute("UPDATE search_meta SET value = (SELECT coalesce(max(seq), 1) - 1 FROM search_changes)"
                              " WHERE key = 'changes_pruned'")
            self.conn.execute("DELETE FROM search_changes WHERE seq < (SELECT max(seq) FROM search_changes)")
            self.conn.execute("ANALYZE")

    def status(self) -> dict:
        return {"backend": self.name, "path": self.path, "documents": self.count(), "schema": SCHEMA_VERSION}

    # -- queries --------------------------------------------------------------

    def _fts_string(self, node: q.Term | q.Phrase, relaxed: bool = False) -> str:
        """One term or phrase as an FTS5 expression (see the module docstring for the tokens);
        ``relaxed``: a phrase's pair tokens ANDed rather than adjacent, what relevance is scored on."""
        if isinstance(node, q.Phrase) and relaxed:
            return _relaxed(self._fts_string(node))
        if isinstance(node, q.Term):
            if not node.marked:
                # a folded prefix would also match the marked tokens (``cang~cảng``), hence the columns
                return f'{_FOLDED} : "{node.text}" *' if node.prefix else f'"{node.text}"'
            if not node.prefix:
                return f'"{_marked_token(node.text)}"'
            return f"({' OR '.join(self._expand(node.text))})"
        words, marks = node.words, node.marks()
        if not node.any_marked:
            return "(" + " + ".join(f'"_{a}_{b}"' for a, b in zip(words, words[1:])) + ")"
        # Each pair with an unmarked word stands for the marked pair tokens the index has for it
        # whose marked words are as typed; adjacent pairs must agree on the word they share.
        heads = [f"_{fold(a) if ma else a}_{fold(b) if mb else b}~" for a, b, ma, mb in zip(words, words[1:], marks, marks[1:])]
        vocab = self._vocabs([h for h, ma, mb in zip(heads, marks, marks[1:]) if not (ma and mb)])
        chains: list[list[tuple[str, str, str]]] = [[]]
        for head, a, b, ma, mb in zip(heads, words, words[1:], marks, marks[1:]):
            pairs = [(a, b)] if ma and mb else _pairs(head, vocab[head], a if ma else None, b if mb else None)
            chains = [c + [(head, x, y)] for c in chains for x, y in pairs if not c or c[-1][2] == x]
            if len(chains) > _MAX_CHAINS:  # a phrase of the marked word columns says it as well, slower
                return "(" + " + ".join(f'"{_marked_token(w)}"' if m else f'"{w}~" *' for w, m in zip(words, marks)) + ")"
        if not chains:
            return _NOTHING
        return "(" + " OR ".join("(" + " + ".join(f'"{h}{x}_{y}"' for h, x, y in c) + ")" for c in chains) + ")"

    def _vocabs(self, heads: list[str]) -> dict[str, list[str]]:
        """The index's tokens starting with each of ``heads``.

        fts5vocab walks the whole doclist of every token it lists (~8 ms for one in 100 000
        articles at a million): heads after the first are read on counter threads when free,
        once this read transaction has its commit, so they see it or a later one (a token only
        a later commit has matches nothing here)."""
        conn, heads = self._reader(), list(dict.fromkeys(heads))
        if len(heads) > 1:
            _commit(conn)  # the transaction takes its commit at its first read
        futures = {h: f for h in heads[1:] if (f := self._spare(self._read, lambda c, h=h: list(_vocab(c, h))))}
        out = {h: list(_vocab(conn, h)) for h in heads if h not in futures}
        return out | {h: f.result() for h, f in futures.items()}

    def _expand(self, prefix: str) -> list[str]:
        """The marked tokens whose canonical form starts with ``prefix`` (``cảng*``: cảng, cảngs; not càng)."""
        out = []
        for term in _vocab(self._reader(), fold(prefix)):  # pair tokens start with "_": outside a word's range
            _, sep, canon = term.partition("~")
            if sep and canon.startswith(prefix):
                out.append(f'"{term}"')
                if len(out) >= _MAX_EXPANSIONS:
                    break
        return out or [_NOTHING]

    def _where(self, node: q.Node, params: list) -> str:
        if isinstance(node, q.MatchAll):
            return "1"
        if isinstance(node, (q.Term, q.Phrase)):
            params.append(self._fts_string(node))
            return "d.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)"
        if isinstance(node, q.And):
            # Plain terms of one AND go to FTS5 as one MATCH: one index lookup, not several.
            text = [n for n in node.items if isinstance(n, (q.Term, q.Phrase))]
            rest = [n for n in node.items if not isinstance(n, (q.Term, q.Phrase))]
            parts = []
            if text:
                params.append(" AND ".join(f"({self._fts_string(t)})" for t in text))
                parts.append("d.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)")
            parts += [self._where(n, params) for n in rest]
            return "(" + " AND ".join(parts) + ")"
        if isinstance(node, q.Or):
            return "(" + " OR ".join(self._where(n, params) for n in node.items) + ")"
        if isinstance(node, q.Not):
            return f"(NOT {self._where(node.item, params)})"
        if isinstance(node, q.Field):
            return self._field(node, params)
        raise TypeError(node)

    @staticmethod
    def _field(f: q.Field, params: list) -> str:
        if f.name == "province":
            params.append(f.value)
            return "d.rowid IN (SELECT doc FROM search_provinces WHERE province = ?)"
        if f.name == "flagged":
            return "d.flagged = 1" if f.value == "true" else "d.flagged = 0"
        if f.name in ("from", "to"):
            day = date.fromisoformat(f.value)
            if f.name == "from":
                params.append(day.isoformat())
                return "(d.published IS NOT NULL AND d.published >= ?)"
            params.append((day + timedelta(days=1)).isoformat())
            return "(d.published IS NOT NULL AND d.published < ?)"
        column = {"source": "source", "kind": "source_kind", "lang": "lang", "topic": "topic",
                  "sentiment": "sentiment"}[f.name]
        params.append(f.value)
        # IS, not =: a NULL topic must be true under NOT topic:x (as Elasticsearch's must_not).
        return f"d.{column} IS ?"

    def _fts_expr(self, node: q.Node) -> tuple[str, str] | None:
        """The FTS5 MATCH expression of a words-only node and the same with its positive phrases
        relaxed (``_fts_string``), which matches every row the first does; None when FTS5 cannot
        say it (a NOT with nothing positive beside it, a field inside the logic)."""
        if isinstance(node, (q.Term, q.Phrase)):
            exact = self._fts_string(node)  # once: a phrase may read the vocabulary
            return f"({exact})", f"({_relaxed(exact) if isinstance(node, q.Phrase) else exact})"
        if isinstance(node, q.Or):
            parts = [self._fts_expr(n) for n in node.items]
            if any(p is None for p in parts):
                return None
            return "(" + " OR ".join(p[0] for p in parts) + ")", "(" + " OR ".join(p[1] for p in parts) + ")"
        if isinstance(node, q.And):
            pos, neg = [], []
            for n in node.items:
                e = self._fts_expr(n.item if isinstance(n, q.Not) else n)
                if e is None:
                    return None
                (neg if isinstance(n, q.Not) else pos).append(e)
            if not pos:
                return None
            exact, relaxed = "(" + " AND ".join(p[0] for p in pos) + ")", "(" + " AND ".join(p[1] for p in pos) + ")"
            for e, _ in neg:  # FTS5's NOT is binary: (a AND b) NOT c NOT d; a NOT stays exact, as
                exact, relaxed = f"({exact} NOT {e})", f"({relaxed} NOT {e})"  # relaxed it refuses matches
            return exact, relaxed
        return None

    def _fast(self, conn: sqlite3.Connection, node: q.Node, limit: int, offset: int,
              newest: bool) -> tuple[int, list] | None:
        """One FTS5 expression for the text part of ``node``, the filters from the doc values;
        None when the query cannot be said so."""
        # bm25 costs ~2 µs a match: scored over the newest RANK_WINDOW matches only (by rowid,
        # i.e. indexing order), so a query matching 100 000 articles costs what one matching
        # RANK_WINDOW does. Below the window (and past it by paging) it is exact.
        window = max(self.rank_window, offset + limit)
        text, filters = _split(node)
        if not newest and not filters and (exprs := self._fts_expr(text) if text is not None else None):
            expr, relaxed = exprs
            # words only, no row leaving C: FTS5 reads the window from the newest end, then counts
            # only the matches older than it (each match is read once), while the window is scored
            keep = _rowids(conn, "SELECT group_concat(rowid) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ?"
                                 " ORDER BY rowid DESC LIMIT ?)", [expr, window])
            older = self._count_older(conn, expr, int(keep[0])) if len(keep) == window else None
            page = self._ranked(conn, relaxed, keep, limit, offset)
            return len(keep) + (older() if older else 0), page
        got = self._matches(conn, node)
        if got is None:
            return None
        exprs, keep = got
        total = len(keep)
        if newest or exprs is None:  # a filter-only query comes newest first
            chosen = self._columns_now(conn).newest(keep, offset + limit)
            rows = conn.execute(
                "SELECT d.id, d.title, d.body, d.url, d.source, d.published, 0 FROM search_docs d"
                " WHERE d.rowid IN (SELECT value FROM json_each(?)) ORDER BY d.published DESC, d.id LIMIT ? OFFSET ?",
                (_json_ids(chosen), limit, offset)).fetchall()
            return total, rows
        return total, self._ranked(conn, exprs[1], keep[-window:], limit, offset)

    def _count_older(self, conn: sqlite3.Connection, expr: str, below: int) -> Callable[[], int]:
        """The number of rows matching ``expr`` under rowid ``below``, as a call that waits for it.

        Counted on a counter thread's connection while ``conn`` scores the window (two cores,
        two scans at once: issue #14), when a counter is free and the index is on disk. That
        connection's read transaction may see a later commit than ``conn``'s: the two compare
        the change log's last entry and the document count, and on a difference the count is
        taken again on ``conn``, so the total is always that of the caller's commit.
        """
        def here() -> int:
            return conn.execute(_COUNT_OLDER, (expr, below)).fetchone()[0]

        future = self._spare(self._count_on_counter, expr, below)
        if future is None:
            return here

        def wait() -> int:
            commit, n = future.result()
            return n if commit == _commit(conn) else here()

        return wait

    def _count_on_counter(self, expr: str, below: int) -> tuple[tuple, int]:
        return self._read(lambda conn: (_commit(conn), conn.execute(_COUNT_OLDER, (expr, below)).fetchone()[0]))

    def _spare(self, fn: Callable[..., Any], *args: Any) -> Future | None:
        """``fn(*args)`` on a free counter thread (whose reads use its own connection); None when
        none is free or the index is in memory (one connection)."""
        if self.path == ":memory:" or not self._counters.acquire(blocking=False):
            return None

        def run() -> Any:
            try:
                return fn(*args)
            finally:
                self._counters.release()

        try:
            return self._counter_pool().submit(run)
        except BaseException:
            self._counters.release()
            raise

    def _counter_pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=COUNTERS, thread_name_prefix="duluan-count")
            return self._pool

    def _ranked(self, conn: sqlite3.Connection, expr: str, keep: np.ndarray, limit: int, offset: int) -> list:
        """The page of ``keep`` (the window, ascending rowids) in bm25 order of ``expr``, the
        query's relaxed expression (``_fts_expr``): bm25 is computed for the real matches only,
        and equals the generic path's score, as a phrase under NOT has no hits in a matching
        row and adds nothing."""
        if not len(keep):
            return []
        # FTS5 reads a rowid range straight from its doclists (``rowid IN (…)`` would seek per
        # row, 1000× slower): the rows inside it that the filters refuse are scored, then skipped
        wanted = set(keep.tolist())
        ranked = conn.execute(f"SELECT rowid, {_BM25} FROM search_fts WHERE search_fts MATCH ?"
                              " AND rowid >= ? AND rowid <= ? ORDER BY 2, 1 DESC", (expr, int(keep[0]), int(keep[-1])))
        page, seen = [], 0
        for rid, score in ranked:
            if rid in wanted:
                seen += 1
                if seen > offset:
                    page.append((rid, score))
                    if len(page) == limit:
                        break
        return self._rows(conn, page)

    @staticmethod
    def _rows(conn: sqlite3.Connection, page: list[tuple[int, float]]) -> list[tuple]:
        """The hit columns of ``page`` (rowid, score), in its order."""
        score = dict(page)
        rows = conn.execute(
            "SELECT d.rowid, d.id, d.title, d.body, d.url, d.source, d.published FROM search_docs d"
            " WHERE d.rowid IN (SELECT value FROM json_each(?))", (_json_ids(score),)).fetchall()
        rows.sort(key=lambda r: (score[r[0]], -r[0]))
        return [(*r[1:], score[r[0]]) for r in rows]

    def _matches(self, conn: sqlite3.Connection, node: q.Node) -> tuple[tuple[str, str] | None, np.ndarray] | None:
        """The FTS5 expressions of ``node``'s text (``_fts_expr``; None for a filter-only query)
        and the rowids matching ``node``, ascending; None when FTS5 and the doc values cannot say it."""
        if isinstance(node, q.MatchAll):
            return None, self._columns_now(conn).filtered([])
        if _is_filter(node):
            return None, self._columns_now(conn).filtered([node])
        text, filters = _split(node)
        exprs = self._fts_expr(text) if text is not None else None
        if exprs is None:
            return None
        rowids = _rowids(conn, "SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH ?", [exprs[0]])
        if filters:  # the rows FTS5 returned are committed: the doc values synced after hold them
            rowids = self._columns_now(conn).matches(rowids, filters)
        return exprs, rowids

    def warm(self) -> None:
        # A million articles' doc values take seconds to read (much longer from a cold disk): the
        # web app loads them when it starts rather than in its first user's search.
        with _boundary(self.path):
            self._read(self._columns_now)

    def _columns_now(self, conn: sqlite3.Connection) -> DocColumns:
        return self._columns.sync(conn, older=getattr(self._local, "older", "raise"))

    def search(self, query: str, limit: int = 20, offset: int = 0, sort: str = "relevance") -> SearchResult:
        node = q.parse(query)
        newest = _sort(sort)
        terms = q.positive_terms(node)
        with _boundary(self.path):
            got = self._cached(("search", repr(node), limit, offset, newest),
                               lambda: self._read(self._search, node, terms, limit, offset, newest))
        return SearchResult(total=got.total, hits=list(got.hits))  # a caller may change its copy

    def _search(self, conn: sqlite3.Connection, node: q.Node, terms: list, limit: int, offset: int,
                newest: bool) -> SearchResult:
        # match-all stays on SQL: its count is kept in search_meta, its order in an index
        fast = None if isinstance(node, q.MatchAll) else self._fast(conn, node, limit, offset, newest)
        if fast is not None:
            total, rows = fast
            return SearchResult(total=total, hits=[self._hit(r, terms) for r in rows])
        params: list = []
        where = self._where(node, params)
        if isinstance(node, q.MatchAll):
            total = conn.execute("SELECT value FROM search_meta WHERE key = 'documents'").fetchone()[0]
        else:
            total = conn.execute(f"SELECT count(*) FROM search_docs d WHERE {where}", params).fetchone()[0]
        if terms and not newest:
            rank = " OR ".join(f"({self._fts_string(t, relaxed=True)})" for t in terms)
            sql = (
                "SELECT d.id, d.title, d.body, d.url, d.source, d.published, r.score FROM search_docs d"
                f" LEFT JOIN (SELECT rowid, {_BM25} AS score FROM search_fts"
                " WHERE search_fts MATCH ?) r ON r.rowid = d.rowid"
                f" WHERE {where} ORDER BY coalesce(r.score, 0) ASC, d.published DESC, d.id LIMIT ? OFFSET ?"
            )
            rows = conn.execute(sql, [rank, *params, limit, offset]).fetchall()
        else:
            sql = ("SELECT d.id, d.title, d.body, d.url, d.source, d.published, 0 FROM search_docs d"
                   f" WHERE {where} ORDER BY d.published DESC, d.id LIMIT ? OFFSET ?")
            rows = conn.execute(sql, [*params, limit, offset]).fetchall()
        return SearchResult(total=total, hits=[self._hit(r, terms) for r in rows])

    def facets(self, query: str = "", size: int = 10) -> dict[str, dict[str, int]]:
        node = q.parse(query)
        with _boundary(self.path):
            counts = self._cached(("facets", repr(node), size), lambda: self._read(self._facets, node, size))
        return {k: dict(v) for k, v in counts.items()}  # a caller may change its copy

    def _read(self, run, *args):  # noqa: ANN001
        """``run(conn, *args)`` in one read transaction: its several statements (count, window,
        rows, doc values) see the same commit, whatever the writer does meanwhile."""
        conn = self._reader()
        if conn is self.conn:  # ":memory:": one connection, reads and writes take turns
            return run(conn, *args)
        for attempt in range(READ_ATTEMPTS):
            # A transaction older than the doc values starts again: the next one sees at least
            # their commit. The last attempt reloads them rather than fail (columns.py).
            self._local.older = "reload" if attempt == READ_ATTEMPTS - 1 else "raise"
            conn.execute("BEGIN")
            try:
                return run(conn, *args)
            except StaleRead:
                continue
            finally:
                conn.commit()
        raise AssertionError("unreachable: the last attempt reloads")

    def _cached(self, key: tuple, compute):
        return compute() if self._cache is None else self._cache.get(key, compute)

    def _facets(self, conn: sqlite3.Connection, node: q.Node, size: int) -> dict[str, dict[str, int]]:
        got = self._matches(conn, node)
        if got is None:  # fields inside the word logic: the generic SQL says which rows
            params: list = []
            rowids = _rowids(conn, f"SELECT group_concat(d.rowid) FROM search_docs d WHERE {self._where(node, params)}",
                             params)
        else:
            rowids = got[1]
        counts = self._columns_now(conn).facets(rowids, size)  # FTS5 rows are live: synced after, held
        return {k: counts[k] for k in FACETS}

    @staticmethod
    def _hit(r: tuple, terms: list) -> SearchHit:
        return SearchHit(id=r[0], title=r[1], snippet=snippet(r[2], terms), url=r[3], source=r[4],
                         published=r[5], score=round(-(r[6] or 0.0), 4))

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)  # its threads' connections are among the readers
        with self._lock:
            readers, self._readers = self._readers, []
        for conn in readers:
            conn.close()
        if self._cache is not None:
            self._cache.close()
        self.conn.close()


def _fts_values(title: str | None, body: str | None) -> tuple[str, ...]:
    (ft, mt, pt), (fb, mb, pb) = column_texts(title or ""), column_texts(body or "")
    return ft, fb, mt, mb, pt, pb


def _vocab(conn: sqlite3.Connection, start: str) -> Iterator[str]:
    """The index's tokens that start with ``start``, in order (a range of the vocabulary)."""
    rows = conn.execute("SELECT term FROM search_vocab WHERE term >= ? AND term < ?", (start, start + "\U0010ffff"))
    return (term for (term,) in rows)


def _pairs(head: str, terms: list[str], first: str | None, second: str | None) -> list[tuple[str, str]]:
    """The canonical word pairs of ``terms``, the marked pair tokens starting ``head`` (``_khu_cong~``),
    with ``first`` or ``second`` as that word when given (``công``: khu công, not khu cộng)."""
    out = []
    for term in terms:
        x, _, y = term[len(head):].partition("_")
        if (first is None or x == first) and (second is None or y == second):
            out.append((x, y))
    return out


def _relaxed(phrase: str) -> str:
    """A phrase's FTS5 string with its tokens ANDed rather than adjacent: what it is scored on.

    bm25 first counts, over the whole index, the rows matching each phrase it scores: for a
    phrase of several pairs that is a second position-checked scan of ~100 000 rows at a
    million articles, for a single token a doclist walk (issue #14). Pair tokens are rare
    enough to stand for the phrase, as Elasticsearch's ``index_phrases`` shingles do.
    """
    return phrase.replace(" + ", " AND ")  # tokens are quoted and have no spaces


def _commit(conn: sqlite3.Connection) -> tuple:
    """What tells two read transactions' commits apart: the change log's last entry (every
    insert and delete writes one) and the document count."""
    return conn.execute("SELECT (SELECT coalesce(max(seq), 0) FROM search_changes),"
                        " (SELECT value FROM search_meta WHERE key = 'documents')").fetchone()


def _rowids(conn: sqlite3.Connection, sql: str, params: list) -> np.ndarray:
    """The rowids a ``group_concat(rowid)`` query returns, ascending.

    One row of text, not 100 000 rows: SQLite runs the whole scan with the GIL released
    (20 threads searching at once, issue #14) and numpy parses it.
    """
    out = ints(conn.execute(sql, params).fetchone()[0])
    return out if _ascending(out) else np.sort(out)


def _ascending(a: np.ndarray) -> bool:
    return bool(len(a) < 2 or (a[1:] >= a[:-1]).all())


def _json_ids(rowids) -> str:  # noqa: ANN001
    return "[" + ",".join(map(str, (int(r) for r in rowids))) + "]"


def _marked_token(canon: str) -> str:
    return f"{fold(canon)}~{canon}"


def _sort(sort: str) -> bool:
    if sort not in SORTS:
        raise QueryError(f"sắp xếp / sort: một trong / one of {', '.join(SORTS)}; got {sort!r}")
    return sort == "newest"


def _top(rows: Iterable[tuple], size: int) -> dict[str, int]:
    counts = [(v, n) for v, n in rows if v is not None and v != ""]
    counts.sort(key=lambda x: (-x[1], x[0]))
    return dict(counts[:size])


def _is_filter(node: q.Node) -> bool:
    """No words in it: only fields, under any logic."""
    if isinstance(node, q.Field):
        return True
    if isinstance(node, q.Not):
        return _is_filter(node.item)
    if isinstance(node, (q.And, q.Or)):
        return all(_is_filter(n) for n in node.items)
    return False


def _split(node: q.Node) -> tuple[q.Node | None, list[q.Node]]:
    """A top-level AND split into its text part and its filters."""
    items = node.items if isinstance(node, q.And) else (node,)
    text = [n for n in items if not _is_filter(n)]
    filters = [n for n in items if _is_filter(n)]
    return (None if not text else text[0] if len(text) == 1 else q.And(tuple(text))), filters


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for a in items:
        batch.append(a)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
