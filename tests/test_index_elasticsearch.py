"""The Elasticsearch backend: template, alias over versioned indices, reindex, errors, settings."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest

from duluan.config.models import ElasticsearchSettings
from duluan.errors import IndexError_, IndexUnavailable, QueryError
from duluan.index import query as q
from duluan.index.elasticsearch import SCHEMA_VERSION, ElasticsearchIndex, PartialWriteError, _ranked, compile_query
from duluan.records import Article, Classification
from es_support import es_index, es_node, es_url, make_es_index  # noqa: F401


def _a(i: int, title: str = "Đà Nẵng đón khách", **c) -> Article:
    return Article(id=f"es{i}", url=f"https://example.vn/es{i}", source="vnexpress", source_kind="domestic",
                   language="vi", title=title, body=f"Bài {i}: Thành phố Đà Nẵng đón khách du lịch.",
                   published=datetime(2025, 7, 1, tzinfo=timezone.utc), classification=Classification(**c))


# -- without a server --------------------------------------------------------------


def test_filters_compile_to_filter_context_and_not_to_must_not():
    body = compile_query(q.parse('"Đà Nẵng" province:da-nang -bão from:2025-07-01'))
    phrase = body["bool"]["must"][0]["bool"]["should"]
    assert phrase[0]["bool"]["must"] == [{"match_phrase": {"mark_title": "đà nẵng"}}]  # typed with marks
    assert phrase[1] == {"match_phrase": {"mark_body": "đà nẵng"}}
    assert {"term": {"provinces": "da-nang"}} in body["bool"]["filter"]
    assert {"range": {"published": {"gte": "2025-07-01", "format": "strict_date", "time_zone": "UTC"}}} \
        in body["bool"]["filter"]
    assert body["bool"]["must_not"][0]["bool"]["should"][1] == {"term": {"mark_body": "bão"}}


def test_unmarked_words_go_to_the_folded_fields_and_mixed_phrases_to_intervals():
    assert compile_query(q.parse("bao"))["bool"]["should"][1] == {"term": {"search_body": "bao"}}
    mixed = compile_query(q.parse('"khu công nghiệp"'))["bool"]["should"][1]
    rules = mixed["intervals"]["mark_body"]["all_of"]["intervals"]
    assert rules == [{"match": {"query": "khu", "use_field": "search_body"}},
                     {"match": {"query": "công"}}, {"match": {"query": "nghiệp"}}]


def test_to_is_inclusive_of_the_whole_day():
    assert compile_query(q.parse("to:2025-12-31"))["bool"]["filter"] == [
        {"range": {"published": {"lt": "2026-01-01", "format": "strict_date", "time_zone": "UTC"}}}]



def _hit(i: int, score: float, published: str | None = "2025-07-01T08:00:00.000Z") -> dict:
    fields = {"id": [f"d{i:02d}"], **({"published": [published]} if published else {})}
    return {"_score": score, "fields": fields}


def test_a_page_ranked_by_score_alone_is_put_in_the_full_order():
    # the node breaks ties by document number; the page breaks them by date (newest first), then id
    hits = [_hit(0, 9.0), _hit(1, 5.0, "2025-01-01T00:00:00.000Z"), _hit(2, 5.0, None),
            _hit(3, 5.0, "2025-09-01T00:00:00.000Z"), _hit(4, 5.0, "2025-09-01T00:00:00.000Z"), _hit(5, 1.0)]
    page = _ranked(hits, first=0, offset=0, limit=4, complete=False)
    assert [h["fields"]["id"][0] for h in page] == ["d00", "d03", "d04", "d01"]  # d02 (no date) goes last
    assert [h["fields"]["id"][0] for h in _ranked(hits, 0, 2, 10, complete=True)] == ["d04", "d01", "d02", "d05"]
    assert _ranked(hits, 0, 9, 2, complete=True) == []


def test_a_tie_running_past_the_window_leaves_the_page_unknown():
    tied = [_hit(i, 5.0) for i in range(6)]
    assert _ranked(tied, first=0, offset=0, limit=3, complete=False) is None  # the run may go on past d05
    assert _ranked(tied, first=0, offset=0, limit=3, complete=True) is not None  # d05 is the last match
    # from rank 2: d00 and d01 may tie with what came before the window
    assert _ranked([_hit(0, 6.0), *tied], first=2, offset=3, limit=2, complete=True) is not None
    assert _ranked(tied, first=2, offset=3, limit=2, complete=True) is None


def test_from_settings_api_key_basic_auth_and_tls():
    idx = ElasticsearchIndex.from_settings(["https://es.example:9200"], ElasticsearchSettings(
        api_key="c2VjcmV0", verify_certs=False, index_prefix="tinh"))
    assert idx.client._headers["authorization"] == "ApiKey c2VjcmV0"
    assert idx.client.transport.node_pool.get().config.verify_certs is False
    assert idx.alias == "tinh-articles"
    idx = ElasticsearchIndex.from_settings(["http://es:9200"], ElasticsearchSettings(username="u", password="p"))
    assert idx.client._headers["authorization"] == "Basic " + base64.b64encode(b"u:p").decode()


def test_unreachable_node_is_index_unavailable_and_bad_queries_still_query_errors():
    idx = ElasticsearchIndex.from_settings(["http://127.0.0.1:9"])  # opening never fails
    with pytest.raises(IndexUnavailable):
        idx.upsert([_a(1)])
    with pytest.raises(IndexUnavailable):
        idx.search("da nang")
    with pytest.raises(QueryError):
        idx.search('"da nang')


# -- with the node -----------------------------------------------------------------


def test_alias_points_at_a_versioned_index_built_from_the_template(es_index):
    assert es_index.upsert([_a(1), _a(2)]) == 2
    assert es_index.current_index() == f"{es_index.alias}-v1"
    mapping = es_index.client.indices.get_mapping(index=es_index.alias).body
    props = next(iter(mapping.values()))["mappings"]["properties"]
    assert props["search_body"]["analyzer"] == props["mark_body"]["analyzer"] == "whitespace"
    assert props["provinces"]["type"] == "keyword"
    assert props["title"]["fields"]["keyword"]["type"] == "keyword"
    doc = es_index.client.get(index=es_index.alias, id="es1", stored_fields="title,body,search_body,mark_body").body
    assert "_source" not in doc  # derived from the SQL record: stored fields only
    assert set(doc["fields"]) == {"title", "body"}  # the folded streams are indexed, not kept
    assert doc["fields"]["title"] == ["Đà Nẵng đón khách"]
    hit = next(h for h in es_index.search("đón khách").hits if h.id == "es1")
    assert (hit.id, hit.title, hit.url) == ("es1", "Đà Nẵng đón khách", _a(1).url)
    assert hit.published == _a(1).published.isoformat()  # the stored date, back in published_utc's form


def test_an_index_of_an_older_schema_is_refused_with_the_fix(es_url):
    idx = make_es_index(es_url)
    idx.upsert([_a(1)])
    idx.client.indices.put_mapping(index=idx.alias, meta={"schema": SCHEMA_VERSION - 1})
    old = make_es_index(es_url, prefix=idx.alias.removesuffix("-articles"))
    try:
        with pytest.raises(IndexError_, match="duluan index reindex"):
            old.search("da nang")
        old.reindex([_a(1)])  # the fix
        assert [h.id for h in old.search("đà nẵng").hits] == ["es1"]
    finally:
        old.drop()
        idx.close()


def test_reindex_builds_the_next_version_and_swaps_the_alias(es_index):
    es_index.upsert([_a(1), _a(2), _a(3)])
    result = es_index.reindex([_a(1), _a(2, title="Hải Phòng mới")])  # the record lost es3, changed es2
    assert (result["old"], result["new"], result["written"]) == (
        f"{es_index.alias}-v1", f"{es_index.alias}-v2", 2)
    assert es_index.current_index() == f"{es_index.alias}-v2"
    assert not es_index.client.indices.exists(index=f"{es_index.alias}-v1")
    assert es_index.ids() == {"es1", "es2"}
    assert [h.id for h in es_index.search('"hải phòng"').hits] == ["es2"]
    es_index.reindex([_a(1)], keep_old=True)
    assert es_index.status()["versions"] == [2, 3]
    assert es_index.count() == 1



def test_reindex_leaves_a_segment_per_processor_at_most(es_index):
    for i in range(3):  # three refreshes: three segments before the merge
        es_index.upsert([_a(10 * i + j) for j in range(5)])
    es_index.optimize(segments=1)
    segments = es_index.client.cat.segments(index=es_index.current_index(), format="json").body
    assert len({s["segment"] for s in segments}) == 1
    settings = es_index.client.indices.get_settings(index=es_index.current_index(), flat_settings=True).body
    assert "index.merge.policy.max_merged_segment" not in next(iter(settings.values()))["settings"]  # cap undone
    es_index.reindex([_a(i) for i in range(20)])
    processors = min(n["os"]["allocated_processors"] for n in es_index.client.nodes.info(metric="os")["nodes"].values())
    assert len(es_index.client.cat.segments(index=es_index.current_index(), format="json").body) <= processors


def test_a_document_the_mapping_refuses_is_a_partial_write(es_index):
    bad = _a(2, severity="cao")  # not a float: this one document fails, the other is written
    with pytest.raises(PartialWriteError) as e:
        es_index.upsert([_a(1), bad])
    assert e.value.written == 1 and set(e.value.failed) == {"es2"}
    assert es_index.ids() == {"es1"}


def test_reindex_reports_what_the_mapping_refused_across_chunks(es_index):
    from duluan.index import es_bulk
    from duluan.index.elasticsearch import document

    es_index.ensure()
    docs = [(a.id, document(a)) for a in [_a(i) for i in range(1, 6)]]
    docs[3][1]["severity"] = "cao"  # es4 fails; the chunks before and after it are written
    written, failed = es_bulk.load(es_index.client, es_index.current_index(), docs, chunk=2)
    assert written == 4 and set(failed) == {"es4"}
    es_index.refresh()
    assert es_index.ids() == {"es1", "es2", "es3", "es5"}
    with pytest.raises(PartialWriteError) as e:
        es_index.reindex([_a(1), _a(2, severity="cao")])
    assert e.value.written == 1 and set(e.value.failed) == {"es2"}


def test_an_index_squatting_the_alias_name_is_an_index_error(es_url):
    idx = make_es_index(es_url)
    idx.client.indices.create(index=idx.alias)
    try:
        with pytest.raises(IndexError_, match="not an alias"):
            idx.upsert([_a(1)])
    finally:
        idx.client.indices.delete(index=idx.alias)
        idx.drop()


def test_api_errors_are_translated(es_index):
    with pytest.raises(IndexError_) as e:
        es_index.search("da nang", limit=20, offset=20_000)  # past max_result_window: a 400
    assert not isinstance(e.value, IndexUnavailable)
    assert "result window" in str(e.value).lower()


@pytest.mark.parametrize("cache", [True, False])
def test_the_shard_request_cache_is_used_unless_the_index_is_opened_without_cache(es_url, cache):
    index = make_es_index(es_url, cache=cache)
    try:
        index.upsert([_a(1), _a(2)])
        index.client.indices.refresh(index=index.alias)

        def hits() -> int:
            stats = index.client.indices.stats(index=index.alias, metric="request_cache")
            return stats["_all"]["total"]["request_cache"]["hit_count"]

        before = hits()
        for _ in range(3):  # the facets and the count are searches of size 0: the cacheable kind
            assert index.facets("đà nẵng")["kind"] == {"domestic": 2}
            assert index.search("đà nẵng").total == 2
        assert (hits() - before >= 4) is cache
    finally:
        index.drop()
        index.close()
