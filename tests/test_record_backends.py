"""The same import on SQLite (+FTS5) and on PostgreSQL (+Elasticsearch) gives the same record and
the same answers; official sources import and are never flagged distorted (issue #9)."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, run_cli, run_json
from es_support import make_es_index

CORPUS = REPO / "classifiers" / "data" / "corpus.jsonl"
QUERIES = ["hai phong", '"Hải Phòng"', "province:hai-phong", "flagged:true", "dak lak OR bac ninh"]

OFFICIAL = {
    "url": "https://haiphong.gov.vn/thong-cao/2025-11-20-lam-ro-thong-tin.html",
    "source": "cong-thong-tin-hai-phong", "source_kind": "official", "language": "vi",
    "published": "2025-11-20T09:00:00",
    "title": "Thông cáo báo chí: làm rõ thông tin sai sự thật về dự án cảng Lạch Huyện, Hải Phòng",
    "body": "UBND thành phố Hải Phòng khẳng định thông tin 'bán rẻ cảng cho nước ngoài' lan truyền trên mạng là "
            "hoàn toàn bịa đặt, xuyên tạc. Dự án do doanh nghiệp trong nước đầu tư 100% vốn, đã được cấp phép "
            "đúng quy định. Đề nghị người dân chỉ tin nguồn chính thức.",
}


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    lines = [l for l in CORPUS.read_text("utf-8").splitlines() if l.strip()][:60]
    f = tmp_path_factory.mktemp("items") / "items.jsonl"
    f.write_text("\n".join([*lines, json.dumps(OFFICIAL, ensure_ascii=False)]) + "\n", "utf-8")
    return f


def _ids(db: str, *es: str) -> dict:
    export = [json.loads(l) for l in run_cli("export", "--db", db).stdout.splitlines()]
    searches = {q: sorted(h["id"] for h in run_json("search", q, "--db", db, *es, "--json", "--limit", "1000")["hits"])
                for q in QUERIES}
    return {"export": sorted(a["id"] for a in export), "searches": searches,
            "official": next(a for a in export if a["source_kind"] == "official")}


def test_postgresql_and_elasticsearch_answer_like_sqlite(items, tmp_path, pg_url, es_url):
    lite = f"sqlite:///{tmp_path / 'duluan.db'}"
    assert run_json("import", str(items), "--db", lite, "--json")["imported"] == 61
    run_json("db", "upgrade", "--db", pg_url, "--json")
    index = make_es_index(es_url, prefix="duluan")  # the CLI uses the configured prefix
    index.drop()
    try:
        assert run_json("import", str(items), "--db", pg_url, "--es", es_url, "--json")["imported"] == 61
        a, b = _ids(lite), _ids(pg_url, "--es", es_url)
        status = run_json("index", "status", "--db", pg_url, "--es", es_url, "--json")
    finally:
        index.drop()
        index.close()
    assert status["documents"] == status["articles"] == 61 and status["pending"] == 0
    assert a["export"] == b["export"] and len(a["export"]) == 61
    assert a["searches"] == b["searches"]
    assert all(a["searches"][q] for q in QUERIES)
    for official in (a["official"], b["official"]):
        assert official["distorted"] is False and official["flagged"] is False
    assert OFFICIAL["url"] in {h["url"] for h in run_json("search", "Lạch Huyện", "--db", lite, "--json")["hits"]}


def test_a_postgresql_record_without_elasticsearch_names_the_fix(pg_url):
    run_json("db", "upgrade", "--db", pg_url, "--json")
    proc = run_cli("search", "hai phong", "--db", pg_url, check=False, env={"DULUAN_ES": ""})
    assert proc.returncode == 2
    lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
    assert len(lines) == 1 and "--es" in lines[0] and "DULUAN_ES" in lines[0]
