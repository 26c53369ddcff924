"""Elasticsearch 8 backend: an index template, an alias over versioned indices, bulk writes.

Layout (``prefix`` is ``ElasticsearchSettings.index_prefix``, default ``duluan``)::

    _index_template/duluan-articles      mappings + settings for duluan-articles-v*
    duluan-articles  (alias)  ──▶  duluan-articles-v3   (reindex builds v4, swaps, drops v3)

Folding happens in Python (``query.search_text`` and ``query.mark_text``), not in an ES
analyzer: the same functions feed SQLite FTS5, so both backends see identical words
(issue #6 parity), and it needs no analysis plugin — the integ-test distribution has no
``analysis-common`` (no asciifolding, mapping or pattern analysis). Two aligned streams
are indexed with the built-in ``whitespace`` analyzer and not stored:
``search_title``/``search_body`` folded (words typed without diacritics) and
``mark_title``/``mark_body`` canonical (words typed with them, issue #14). A phrase mixing
both is an ``intervals`` query on the marked field taking each unmarked word from the
folded one (``use_field``): token *i* is the same word in both. ``title``/``body`` keep the
original text; snippets are cut from it in Python (``snippets.py``), as for SQLite.
Filter fields are keywords; ``title.keyword`` holds the exact title.

There is no ``_source``: the index is derived from the SQL record (``reindex`` rebuilds it,
never the update API), and a hit needs only the stored fields ``STORED``. A source with
excludes is parsed, filtered and kept twice by the node (the full one for recovery);
without it a bulk load costs the node ~15 % less CPU a document (issue #14).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from duluan.config.models import ElasticsearchSettings
from duluan.errors import IndexError_, IndexUnavailable, PartialWriteError, QueryError
from duluan.records import Article, Classification

from . import es_bulk
from . import query as q
from .base import FACETS, SORTS, SearchHit, SearchIndex, SearchResult
from .query import index_texts, published_utc
from .snippets import snippet

SCHEMA_VERSION = 3  # 3: stored fields, no _source; 2: mark_title/mark_body (issue #14)
_TITLE_BOOST = 3.0  # as bm25(search_fts, 3.0, 1.0) in the SQLite backend
_UNAVAILABLE_STATUS = {429, 502, 503, 504}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_source": {"enabled": False},
    "_meta": {"schema": SCHEMA_VERSION, "folding": "duluan.index.query.search_text, mark_text (Python)"},
    "properties": {
        "id": {"type": "keyword", "store": True},
        "url": {"type": "keyword", "index": False, "doc_values": False, "store": True},
        "source": {"type": "keyword", "store": True},
        "source_kind": {"type": "keyword"},
        "lang": {"type": "keyword"},
        # searched through search_title; the original is shown and matched exactly via title.keyword
        "title": {"type": "text", "index": False, "store": True,
                  "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}},
        "body": {"type": "text", "index": False, "store": True},
        "published": {"type": "date", "store": True},
        "provinces": {"type": "keyword"},
        "topic": {"type": "keyword"},
        "sentiment": {"type": "keyword"},
        "flagged": {"type": "boolean"},
        "distorted": {"type": "boolean"},
        "severity": {"type": "float"},
        "agencies": {"type": "keyword"},
        "cluster_id": {"type": "keyword"},
        "search_title": {"type": "text", "analyzer": "whitespace"},
        "search_body": {"type": "text", "analyzer": "whitespace"},
        "mark_title": {"type": "text", "analyzer": "whitespace"},
        "mark_body": {"type": "text", "analyzer": "whitespace"},
    },
}
SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}
STORED = ["id", "title", "body", "url", "source", "published"]  # what a hit shows


@contextmanager
def _boundary(action: str, where: str) -> Iterator[None]:
    """Client and transport errors become duluan's own (httpx ``_transports/default.py`` style)."""
    try:
        yield
    except ApiError as e:
        kind = IndexUnavailable if e.status_code in _UNAVAILABLE_STATUS else IndexError_
        raise kind(f"Elasticsearch {where}: {action}: {e.status_code} {_reason(e)}") from e
    except TransportError as e:  # connection refused, timeout, TLS: the node is not there
        raise IndexUnavailable(f"Elasticsearch {where} không kết nối được / unreachable: {action}: {e}") from e
    except helpers.BulkIndexError as e:
        raise IndexError_(f"Elasticsearch {where}: {action}: {e}") from e


def _reason(e: ApiError) -> str:
    body = e.body if isinstance(e.body, dict) else {}
    return _error_text(body.get("error")) or str(e.message)


def _error_text(err: Any) -> str:
    """``type: reason`` of an Elasticsearch error body's root cause."""
    if isinstance(err, dict):
        root = (err.get("root_cause") or [err])[0]
        return f"{root.get('type')}: {root.get('reason')}"
    return str(err or "")


def _answer(item: dict, action: str, where: str) -> dict:
    """One answer of a multi-search; its error raised as a failed search's would be."""
    if "error" not in item:
        return item
    status = int(item.get("status") or 500)
    kind = IndexUnavailable if status in _UNAVAILABLE_STATUS else IndexError_
    raise kind(f"Elasticsearch {where}: {action}: {status} {_error_text(item['error'])}")


def document(a: Article) -> dict[str, Any]:
    """The Elasticsearch document of an article (``_id`` is the article id)."""
    c = a.classification or Classification()
    (search_title, mark_title), (search_body, mark_body) = index_texts(a.title), index_texts(a.body)
    return {
        "id": a.id, "url": a.url, "source": a.source, "source_kind": a.source_kind,
        "lang": (a.language or "").lower(), "title": a.title, "body": a.body,
        "published": published_utc(a.published), "provinces": list(c.provinces), "topic": c.topic,
        "sentiment": c.sentiment, "flagged": bool(c.flagged), "distorted": bool(c.distorted),
        "severity": c.severity, "agencies": list(c.agencies), "cluster_id": a.cluster_id,
        "search_title": search_title, "search_body": search_body, "mark_title": mark_title, "mark_body": mark_body,
    }


def _published(stored: str | None) -> str | None:
    """A stored date as the node prints it (``2025-03-04T05:06:07.000Z``) in ``published_utc``'s form."""
    return published_utc(datetime.fromisoformat(stored)) if stored else None


# -- query compilation: the shared model of index/query.py → ES query DSL ---------------


def _fields(marked: bool) -> tuple[str, str]:
    return ("mark_title", "mark_body") if marked else ("search_title", "search_body")


def _either(title: dict, body: dict) -> dict:
    """A clause on the title (boosted, as bm25(…, 3.0, 1.0) in SQLite) or on the body."""
    return {"bool": {"should": [{"bool": {"must": [title], "boost": _TITLE_BOOST}}, body], "minimum_should_match": 1}}


def _text_query(node: q.Term | q.Phrase) -> dict:
    if isinstance(node, q.Term):
        title, body = _fields(node.marked)
        kind = "prefix" if node.prefix else "term"
        return _either({kind: {title: node.text}}, {kind: {body: node.text}})
    if not node.any_marked:  # one stream: a plain phrase
        title, body = _fields(False)
    elif all(node.marks()):
        title, body = _fields(True)
    else:
        return _either(_intervals(node, "mark_title", "search_title"), _intervals(node, "mark_body", "search_body"))
    return _either({"match_phrase": {title: " ".join(node.words)}}, {"match_phrase": {body: " ".join(node.words)}})


def _intervals(node: q.Phrase, marked_field: str, folded_field: str) -> dict:
    """Word *i* from the marked or the folded stream, the words adjacent and in order."""
    rules = [{"match": {"query": w}} if m else {"match": {"query": w, "use_field": folded_field}}
             for w, m in zip(node.words, node.marks())]
    return {"intervals": {marked_field: {"all_of": {"intervals": rules, "ordered": True, "max_gaps": 0}}}}


def _field_query(f: q.Field) -> dict:
    if f.name in ("from", "to"):
        day = date.fromisoformat(f.value)
        bound = {"gte": day.isoformat()} if f.name == "from" else {"lt": (day + timedelta(days=1)).isoformat()}
        return {"range": {"published": {**bound, "format": "strict_date", "time_zone": "UTC"}}}
    if f.name == "flagged":
        return {"term": {"flagged": f.value == "true"}}
    field = {"province": "provinces", "source": "source", "kind": "source_kind", "lang": "lang", "topic": "topic",
             "sentiment": "sentiment"}[f.name]
    return {"term": {field: f.value}}


def compile_query(node: q.Node) -> dict:
    """The ES query for a parsed query; filters go to filter context (no effect on score)."""
    if isinstance(node, q.MatchAll):
        return {"match_all": {}}
    if isinstance(node, (q.Term, q.Phrase)):
        return _text_query(node)
    if isinstance(node, q.Field):
        return {"bool": {"filter": [_field_query(node)]}}
    if isinstance(node, q.Not):
        return {"bool": {"must_not": [compile_query(node.item)]}}
    if isinstance(node, q.Or):
        return {"bool": {"should": [compile_query(n) for n in node.items], "minimum_should_match": 1}}
    if isinstance(node, q.And):
        must, filters, must_not = [], [], []
        for n in node.items:
            if isinstance(n, q.Field):
                filters.append(_field_query(n))
            elif isinstance(n, q.Not):
                must_not.append(compile_query(n.item))
            else:
                must.append(compile_query(n))
        out: dict[str, Any] = {}
        for key, items in (("must", must), ("filter", filters), ("must_not", must_not)):
            if items:
                out[key] = items
        return {"bool": out}
    raise TypeError(node)


_ORDER: list[Any] = [{"published": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
# Hits asked past each end of a page ranked by score alone. That order lets the node score the
# matches of each segment on a thread of its own (a search sorted by a field as well runs on
# one), and its ties go by document number, not by date: the page is put in the full order
# (score, newest, id) here, from a window wide enough to hold every tie it cuts (issue #14).
_TIE_MARGIN = 5


def _mixed(node: q.Term | q.Phrase) -> bool:
    return isinstance(node, q.Phrase) and node.any_marked and not all(node.marks())


def _stored(hit: dict) -> dict:
    return {k: v[0] for k, v in hit.get("fields", {}).items()}  # a stored field comes as a list


def _full_order(hit: dict) -> tuple:
    s = _stored(hit)
    published = datetime.fromisoformat(s["published"]).timestamp() if s.get("published") else None
    return (-float(hit["_score"]), published is None, -(published or 0.0), s["id"])


def _ranked(hits: list[dict], first: int, offset: int, limit: int, complete: bool) -> list[dict] | None:
    """Ranks ``offset`` to ``offset + limit`` in the full order, from ``hits``: the matches ranked
    ``first`` on by score alone (``complete``: the last of them is the last match). None when a
    run of equal scores at the page's edge may go on past the window's, so the page is unknown."""
    lo, hi = offset - first, offset - first + limit
    if lo >= len(hits):
        return [] if complete else None
    if first > 0 and hits[0]["_score"] == hits[lo]["_score"]:
        return None
    if not complete and hits[-1]["_score"] == hits[min(hi, len(hits)) - 1]["_score"]:
        return None
    return sorted(hits, key=_full_order)[lo:hi]


class ElasticsearchIndex(SearchIndex):
    """``SearchIndex`` on Elasticsearch 8. Nothing is created until the first use, so opening
    it never fails while the node is down: writes then raise ``IndexUnavailable`` and stay in
    the outbox (``index/writer.py``)."""

    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str = "duluan", where: str = "",
                 refresh: bool = True, cache: bool = True):
        self.client = client
        # False: the node's shard request cache is not used (a bench measures work, not the cache),
        # as SqliteIndex(cache=False)
        self.request_cache = None if cache else False
        self.alias = f"{prefix}-articles"
        self.where = where or "?"
        self.refresh_after_write = refresh
        self._ready = False

    @classmethod
    def from_settings(cls, urls: list[str], es: ElasticsearchSettings | None = None, **kw: Any) -> "ElasticsearchIndex":
        """Connect with API key or basic auth and TLS options from ``ElasticsearchSettings``."""
        es = es or ElasticsearchSettings()
        options: dict[str, Any] = {"request_timeout": 30, "max_retries": 2, "retry_on_timeout": True}
        if es.api_key:
            options["api_key"] = es.api_key
        elif es.username:
            options["basic_auth"] = (es.username, es.password or "")
        if any(u.startswith("https") for u in urls):
            options["verify_certs"] = es.verify_certs
            if es.ca_certs:
                options["ca_certs"] = es.ca_certs
            if not es.verify_certs:
                options["ssl_show_warn"] = False
        try:
            client = Elasticsearch(urls, **options)
        except ValueError as e:  # a malformed URL
            raise IndexError_(f"Elasticsearch URL {urls}: {e}") from e
        return cls(client, prefix=es.index_prefix, where=",".join(urls), **kw)

    @property
    def outbox_target(self) -> str:
        return f"es:{self.alias}"[:40]

    # -- layout: template, versioned indices, alias ------------------------------

    def ensure(self, check_schema: bool = True) -> None:
        """Put the index template and create ``<alias>-v1`` behind the alias if there is none.

        An index built by an older schema (no marked fields) is refused with the fix: reindex.
        """
        if self._ready:
            return
        with _boundary("ensure index", self.where):
            self.client.indices.put_index_template(
                name=self.alias, index_patterns=[f"{self.alias}-v*"], priority=200,
                template={"settings": SETTINGS, "mappings": MAPPINGS},
                meta={"owner": "duluan", "schema": SCHEMA_VERSION})
            if not self.client.indices.exists_alias(name=self.alias):
                if self.client.indices.exists(index=self.alias):
                    raise IndexError_(f"{self.alias} is an index, not an alias; delete it or run `duluan index reindex`")
                first = f"{self.alias}-v1"
                if not self.client.indices.exists(index=first):
                    self.client.indices.create(index=first, aliases={self.alias: {}},
                                               wait_for_active_shards="1")
                else:
                    self.client.indices.put_alias(index=first, name=self.alias)
            if check_schema:
                for name, m in self.client.indices.get_mapping(index=self.alias).body.items():
                    schema = (m.get("mappings", {}).get("_meta") or {}).get("schema", 1)
                    if schema < SCHEMA_VERSION:
                        raise IndexError_(f"Elasticsearch {self.where}: {name} has schema {schema}, "
                                          f"this version needs {SCHEMA_VERSION}; chạy / run `duluan index reindex`")
        self._ready = True

    def current_index(self) -> str | None:
        with _boundary("read alias", self.where):
            if not self.client.indices.exists_alias(name=self.alias):
                return None
            return sorted(self.client.indices.get_alias(name=self.alias).body)[-1]

    def _versions(self) -> list[int]:
        with _boundary("list versions", self.where):
            names = self.client.indices.get(index=f"{self.alias}-v*", allow_no_indices=True,
                                            expand_wildcards="open,closed").body
        return sorted(int(m.group(1)) for n in names if (m := re.fullmatch(rf"{re.escape(self.alias)}-v(\d+)", n)))

    def reindex(self, articles: Iterable[Article], keep_old: bool = False, optimize: bool = True) -> dict:
        """Build the next versioned index from ``articles`` (the SQL record), swap the alias
        atomically (searches see the old index until then) and ``optimize`` it. Returns what it did."""
        self._ready = False
        self.ensure(check_schema=False)
        old = self.current_index()
        new = f"{self.alias}-v{(max(self._versions(), default=0)) + 1}"
        with _boundary("create " + new, self.where):
            # Built offline: no refresh, no fsync per bulk request; both restored before the swap.
            self.client.indices.create(index=new, settings={"refresh_interval": "-1",
                                                            "translog": {"durability": "async"}},
                                       wait_for_active_shards="1")
        with _boundary("bulk write", self.where):
            written, failed = es_bulk.load(self.client, new, ((a.id, document(a)) for a in articles))
        if failed:
            raise PartialWriteError(written, failed)
        with _boundary("swap alias to " + new, self.where):
            self.client.indices.put_settings(index=new, settings={"refresh_interval": None,
                                                                  "translog": {"durability": None}})
            self.client.indices.refresh(index=new)
            actions: list[dict] = [{"add": {"index": new, "alias": self.alias}}]
            if old:
                actions.insert(0, {"remove": {"index": old, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
            if old and not keep_old:
                self.client.indices.delete(index=old)
        if optimize:
            self.optimize()
        return {"alias": self.alias, "old": old, "new": new, "written": written}

    def optimize(self, segments: int | None = None) -> None:
        """Merge the current index (after a bulk load) into ``segments`` segments of about one size,
        by default one per processor of the smallest node: a page ranked by score is searched a
        segment per thread (``_TIE_MARGIN``), so one segment would leave the other cores idle."""
        index = self.current_index()
        if index is None:
            return
        with _boundary("optimize " + index, self.where):
            if segments is None:
                nodes = self.client.nodes.info(metric="os")["nodes"].values()
                segments = min((n["os"].get("allocated_processors") or 1 for n in nodes), default=1)
            # A forced merge fills segments up to max_merged_segment (5 GB) or, when that is smaller,
            # to 1.25 x index / segments: a 1 MB cap while it runs gives segments of about one size.
            self.client.indices.put_settings(index=index, settings={"index.merge.policy.max_merged_segment": "1mb"})
            try:
                self.client.options(request_timeout=3600).indices.forcemerge(index=index, max_num_segments=max(1, segments))
            finally:
                self.client.indices.put_settings(index=index, settings={"index.merge.policy.max_merged_segment": None})

    def drop(self) -> None:
        """Delete every versioned index, the alias and the template (tests, `reindex` from scratch)."""
        names = [f"{self.alias}-v{v}" for v in self._versions()]
        with _boundary("drop", self.where):
            if names:  # by name: clusters refuse wildcard deletes (action.destructive_requires_name)
                self.client.indices.delete(index=",".join(names))
            self.client.options(ignore_status=404).indices.delete_index_template(name=self.alias)
        self._ready = False

    # -- writes ------------------------------------------------------------------

    def _bulk(self, actions: Iterable[dict], threads: int = 1) -> int:
        failed: dict[str, str] = {}
        ok = 0
        with _boundary("bulk write", self.where):
            if threads > 1:
                results = helpers.parallel_bulk(self.client, actions, thread_count=threads, chunk_size=1000,
                                                raise_on_error=False, raise_on_exception=True)
            else:
                results = helpers.streaming_bulk(self.client, actions, chunk_size=500, max_retries=2,
                                                 raise_on_error=False, raise_on_exception=True)
            for success, item in results:
                op, info = next(iter(item.items()))
                if success or (op == "delete" and info.get("status") == 404):
                    ok += 1
                else:
                    failed[str(info.get("_id"))] = str(info.get("error") or info.get("status"))
        if failed:
            if all(("es_rejected_execution" in v) or ("cluster_block" in v) for v in failed.values()):
                raise IndexUnavailable(f"Elasticsearch {self.where}: node rejected {len(failed)} writes (overloaded)")
            raise PartialWriteError(ok, failed)
        return ok

    def upsert(self, articles: Iterable[Article], threads: int = 1) -> int:
        self.ensure()
        try:
            n = self._bulk(({"_op_type": "index", "_index": self.alias, "_id": a.id, "_source": document(a)}
                            for a in articles), threads=threads)
        except PartialWriteError as e:
            if e.written and self.refresh_after_write:
                self.refresh()  # what was written is searchable now, as after a full write
            raise
        if n and self.refresh_after_write:
            self.refresh()
        return n

    def delete(self, ids: Iterable[str]) -> None:
        self.ensure()
        n = self._bulk({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids)
        if n and self.refresh_after_write:
            self.refresh()

    def refresh(self) -> None:
        with _boundary("refresh", self.where):
            self.client.indices.refresh(index=self.alias)

    # -- reads -------------------------------------------------------------------

    def count(self) -> int:
        self.ensure()
        with _boundary("count", self.where):
            return int(self.client.count(index=self.alias)["count"])

    def ids(self) -> set[str]:
        self.ensure()
        with _boundary("scan ids", self.where):
            return {h["_id"] for h in helpers.scan(self.client, index=self.alias, query={"query": {"match_all": {}}},
                                                   _source=False, size=2000)}

    def search(self, query: str, limit: int = 20, offset: int = 0, sort: str = "relevance") -> SearchResult:
        node = q.parse(query)  # QueryError before any network: same errors as SQLite, node up or down
        if sort not in SORTS:
            raise QueryError(f"sắp xếp / sort: một trong / one of {', '.join(SORTS)}; got {sort!r}")
        terms = q.positive_terms(node)
        query = compile_query(node)
        head = {} if self.request_cache is None else {"request_cache": self.request_cache}
        # Two searches in one request, run side by side by the node: the page without a total
        # lets Lucene skip what cannot reach it (block-max scores, the date's points), the count
        # scores nothing. One search tracking the total scores every match: 2-3× slower for a
        # phrase matching 100 000 articles (issue #14).
        count = {"query": query, "size": 0, "track_total_hits": True}
        # A phrase mixing marked and unmarked words is an intervals query, scored by how often it
        # occurs (no idf, no length): ties by the thousand, which no window holds (_TIE_MARGIN).
        by_score = bool(terms) and sort == "relevance" and not any(_mixed(t) for t in terms)
        first = max(0, offset - _TIE_MARGIN) if by_score else offset
        page = {"query": query, "from": first, "track_total_hits": False, "stored_fields": STORED,
                **({"size": offset + limit + _TIE_MARGIN - first, "sort": ["_score"]} if by_score else
                   {"size": limit, "sort": (["_score"] if terms and sort == "relevance" else []) + _ORDER})}
        self.ensure()
        with _boundary("search", self.where):
            res, total = (_answer(r, "search", self.where)
                          for r in self.client.msearch(index=self.alias, searches=[head, page, head, count])["responses"])
            hits = res["hits"]["hits"]
            if by_score:
                hits = _ranked(hits, first, offset, limit, complete=len(hits) < page["size"])
            if hits is None:  # equal scores run past the window: ask again in the full order
                full = {**page, "from": offset, "size": limit, "sort": ["_score"] + _ORDER}
                hits = _answer(self.client.msearch(index=self.alias, searches=[head, full])["responses"][0],
                               "search", self.where)["hits"]["hits"]
        out = []
        for h in hits:
            s = _stored(h)
            out.append(SearchHit(id=s["id"], title=s.get("title") or "", snippet=snippet(s.get("body") or "", terms),
                                 url=s.get("url") or "", source=s.get("source") or "",
                                 published=_published(s.get("published")), score=round(float(h.get("_score") or 0.0), 4)))
        return SearchResult(total=int(total["hits"]["total"]["value"]), hits=out)

    def facets(self, query: str = "", size: int = 10) -> dict[str, dict[str, int]]:
        node = q.parse(query)
        fields = {"province": "provinces", "kind": "source_kind", "sentiment": "sentiment", "topic": "topic"}
        aggs: dict[str, Any] = {name: {"terms": {"field": f, "size": size}} for name, f in fields.items()}
        aggs["month"] = {"date_histogram": {"field": "published", "calendar_interval": "month", "format": "yyyy-MM",
                                            "time_zone": "UTC", "min_doc_count": 1}}
        self.ensure()
        with _boundary("facets", self.where):
            res = self.client.search(index=self.alias, query=compile_query(node), size=0, aggs=aggs,
                                     track_total_hits=False, request_cache=self.request_cache)
        out: dict[str, dict[str, int]] = {}
        for name in FACETS:
            buckets = [(b.get("key_as_string", b["key"]), b["doc_count"]) for b in res["aggregations"][name]["buckets"]]
            buckets.sort(key=lambda x: (-x[1], x[0]))
            out[name] = dict(buckets[:size])
        return out

    def status(self) -> dict:
        """Alias, current versioned index, document count and cluster health."""
        with _boundary("status", self.where):
            health = self.client.cluster.health()["status"]
        index = self.current_index()
        return {"backend": self.name, "url": self.where, "alias": self.alias, "index": index,
                "versions": self._versions(), "documents": self.count() if index else 0, "health": health}

    def close(self) -> None:
        self.client.close()
