"""SQLite FTS5 backend: the embedded default, no server needed.

Text is folded in Python (``query.search_text``: ``folding.fold``, which also folds đ/Đ
that ``unicode61 remove_diacritics 2`` leaves alone, with every separator made a space)
before it reaches FTS5 — the same text Elasticsearch indexes, so both split words alike.
The original text is kept beside it for snippets.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

from duluan.errors import IndexError_, IndexUnavailable
from duluan.records import Article

from . import query as q
from .base import SearchHit, SearchIndex, SearchResult
from .query import published_utc, search_text
from .snippets import snippet

_SCHEMA = """
CREATE TABLE IF NOT EXISTS search_docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT UNIQUE NOT NULL,
    url TEXT, source TEXT, lang TEXT, topic TEXT, sentiment TEXT, flagged INTEGER,
    provinces TEXT, published TEXT, severity REAL,
    -- long text last: filters and sorts read the columns before it without touching overflow pages
    title TEXT, body TEXT
);
CREATE INDEX IF NOT EXISTS search_docs_published ON search_docs(published);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    title, body, content='',
    tokenize='unicode61 remove_diacritics 2'
);
"""


@contextmanager
def _boundary(path: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as e:
        kind = IndexUnavailable if "locked" in str(e) or "busy" in str(e) else IndexError_
        raise kind(f"SQLite FTS5 index {path}: {e}") from e
    except sqlite3.Error as e:
        raise IndexError_(f"SQLite FTS5 index {path}: {e}") from e


def _fts_string(node: q.Term | q.Phrase) -> str:
    if isinstance(node, q.Term):
        return f'"{node.text}"' + (" *" if node.prefix else "")
    return '"' + " ".join(node.words) + '"'


class SqliteIndex(SearchIndex):
    name = "sqlite"

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self.conn.execute("PRAGMA journal_mode=WAL")
        try:
            self.conn.executescript(_SCHEMA)
        except sqlite3.OperationalError as e:
            raise IndexError_(f"SQLite FTS5 unavailable at {self.path}: {e}") from e

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
                cur = self.conn.execute(
                    "INSERT INTO search_docs (id, title, body, url, source, lang, topic, sentiment, flagged,"
                    " provinces, published, severity) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (a.id, a.title, a.body, a.url, a.source, (a.language or "").lower(),
                     c.topic if c else None, c.sentiment if c else None, int(bool(c and c.flagged)),
                     " " + " ".join(c.provinces if c else []) + " ",
                     published_utc(a.published), c.severity if c else 0.0),
                )
                self.conn.execute("INSERT INTO search_fts (rowid, title, body) VALUES (?,?,?)",
                                  (cur.lastrowid, search_text(a.title), search_text(a.body)))
                n += 1
        return n

    def delete(self, ids: Iterable[str]) -> None:
        with _boundary(self.path), self._lock, self.conn:
            for i in ids:
                self._remove(i)

    def _remove(self, article_id: str) -> None:
        # A contentless FTS5 table forgets a row only when given the indexed values back
        # (SQLite < 3.43 has no contentless_delete); they are re-folded from search_docs.
        row = self.conn.execute("SELECT rowid, title, body FROM search_docs WHERE id = ?", (article_id,)).fetchone()
        if row:
            self.conn.execute("INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                              (row[0], search_text(row[1] or ""), search_text(row[2] or "")))
            self.conn.execute("DELETE FROM search_docs WHERE rowid = ?", (row[0],))

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]

    def ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM search_docs")}

    def reindex(self, articles: Iterable[Article]) -> dict:
        """Rebuild from the record in one transaction; readers see the old index until it commits."""
        n = 0
        with self._lock, self.conn:
            self.conn.execute("DELETE FROM search_docs")
            self.conn.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
        for batch in _batches(articles, 1000):
            n += self.upsert(batch)
        with self._lock, self.conn:
            self.conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        return {"written": n}

    def status(self) -> dict:
        return {"backend": self.name, "path": self.path, "documents": self.count()}

    # -- queries --------------------------------------------------------------

    def _where(self, node: q.Node, params: list) -> str:
        if isinstance(node, q.MatchAll):
            return "1"
        if isinstance(node, (q.Term, q.Phrase)):
            params.append(_fts_string(node))
            return "d.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)"
        if isinstance(node, q.And):
            # Plain terms of one AND go to FTS5 as one MATCH: one index lookup, not several.
            text = [n for n in node.items if isinstance(n, (q.Term, q.Phrase))]
            rest = [n for n in node.items if not isinstance(n, (q.Term, q.Phrase))]
            parts = []
            if text:
                params.append(" AND ".join(_fts_string(t) for t in text))
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
            params.append(f" {f.value} ")
            return "instr(d.provinces, ?) > 0"
        if f.name == "flagged":
            return "d.flagged = 1" if f.value == "true" else "d.flagged = 0"
        if f.name in ("from", "to"):
            day = date.fromisoformat(f.value)
            if f.name == "from":
                params.append(day.isoformat())
                return "(d.published IS NOT NULL AND d.published >= ?)"
            params.append((day + timedelta(days=1)).isoformat())
            return "(d.published IS NOT NULL AND d.published < ?)"
        column = {"source": "source", "lang": "lang", "topic": "topic", "sentiment": "sentiment"}[f.name]
        params.append(f.value)
        # IS, not =: a NULL topic must be true under NOT topic:x (as Elasticsearch's must_not).
        return f"d.{column} IS ?"

    def _fast(self, node: q.Node, terms: list, limit: int, offset: int) -> tuple[int, list] | None:
        """One FTS5 query when the text part of ``node`` is one FTS5 expression (most queries).

        bm25 is then computed for the real matches only, and equals the generic path's
        score: a phrase under NOT has no hits in a matching row, so it adds nothing.
        """
        text, filters = _split(node)
        expr = _fts_expr(text) if text is not None else None
        if expr is None:
            return None
        params: list = [expr]
        where = "search_fts MATCH ?" + "".join(f" AND {self._where(f, params)}" for f in filters)
        join = "FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid"
        count_from = join if filters else "FROM search_fts"
        total = self.conn.execute(f"SELECT count(*) {count_from} WHERE {where}", params).fetchone()[0]
        # Rank on (rowid, score, date, id) only and fetch the long text of the page of hits
        # afterwards, rather than sorting every match with its body attached.
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.body, d.url, d.source, d.published, t.score FROM ("
            "SELECT search_fts.rowid AS rid, bm25(search_fts, 3.0, 1.0) AS score, d.published AS pub, d.id AS did"
            f" {join} WHERE {where} ORDER BY score ASC, pub DESC, did LIMIT ? OFFSET ?"
            ") t JOIN search_docs d ON d.rowid = t.rid ORDER BY t.score ASC, t.pub DESC, t.did",
            [*params, limit, offset]).fetchall()
        return total, rows

    def search(self, query: str, limit: int = 20, offset: int = 0) -> SearchResult:
        node = q.parse(query)
        terms = q.positive_terms(node)
        fast = self._fast(node, terms, limit, offset) if terms else None
        if fast is not None:
            total, rows = fast
            return SearchResult(total=total, hits=[self._hit(r, terms) for r in rows])
        params: list = []
        where = self._where(node, params)
        total = self.conn.execute(f"SELECT count(*) FROM search_docs d WHERE {where}", params).fetchone()[0]
        if terms:
            rank = " OR ".join(_fts_string(t) for t in terms)
            sql = (
                "SELECT d.id, d.title, d.body, d.url, d.source, d.published, r.score FROM search_docs d"
                " LEFT JOIN (SELECT rowid, bm25(search_fts, 3.0, 1.0) AS score FROM search_fts"
                " WHERE search_fts MATCH ?) r ON r.rowid = d.rowid"
                f" WHERE {where} ORDER BY coalesce(r.score, 0) ASC, d.published DESC, d.id LIMIT ? OFFSET ?"
            )
            rows = self.conn.execute(sql, [rank, *params, limit, offset]).fetchall()
        else:
            sql = ("SELECT d.id, d.title, d.body, d.url, d.source, d.published, 0 FROM search_docs d"
                   f" WHERE {where} ORDER BY d.published DESC, d.id LIMIT ? OFFSET ?")
            rows = self.conn.execute(sql, [*params, limit, offset]).fetchall()
        return SearchResult(total=total, hits=[self._hit(r, terms) for r in rows])

    @staticmethod
    def _hit(r: tuple, terms: list) -> SearchHit:
        return SearchHit(id=r[0], title=r[1], snippet=snippet(r[2], terms), url=r[3], source=r[4],
                         published=r[5], score=round(-(r[6] or 0.0), 4))

    def close(self) -> None:
        self.conn.close()


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


def _fts_expr(node: q.Node) -> str | None:
    """The FTS5 MATCH expression of a words-only node, or None when FTS5 cannot say it
    (a NOT with nothing positive beside it, a field inside the logic)."""
    if isinstance(node, (q.Term, q.Phrase)):
        return _fts_string(node)
    if isinstance(node, q.Or):
        parts = [_fts_expr(n) for n in node.items]
        return None if None in parts else "(" + " OR ".join(parts) + ")"  # type: ignore[arg-type]
    if isinstance(node, q.And):
        pos, neg = [], []
        for n in node.items:
            e = _fts_expr(n.item if isinstance(n, q.Not) else n)
            if e is None:
                return None
            (neg if isinstance(n, q.Not) else pos).append(e)
        if not pos:
            return None
        out = "(" + " AND ".join(pos) + ")"
        for e in neg:  # FTS5's NOT is binary: (a AND b) NOT c NOT d
            out = f"({out} NOT {e})"
        return out
    return None


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for a in items:
        batch.append(a)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
