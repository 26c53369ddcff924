"""The CLI contract of issue #3 (demo, search, export, import), run as a user would."""

from __future__ import annotations

import json
import unicodedata

from conftest import run_cli, run_json

from duluan.mirror import ROOT as MIRROR_ROOT

HIT_KEYS = {"id", "title", "snippet", "url", "source", "published", "score"}


def test_demo_once_crawls_the_whole_mirror(demo_db):
    result, data = demo_db
    assert set(result) >= {"articles", "sources", "flagged", "errors", "db"}
    assert result["articles"] >= 150
    assert result["sources"] >= 8
    assert result["flagged"] >= 1
    assert result["db"] == f"sqlite:///{data.resolve() / 'duluan.db'}"
    assert isinstance(result["errors"], list)


def test_source_health_accounts_for_every_article(demo_db):
    result, _ = demo_db
    health = run_json("sources", "status", "--sources", str(MIRROR_ROOT / "sources.yaml"),
                      "--db", result["db"], "--json", env={"DULUAN_MIRROR_URL": "http://127.0.0.1:1"})
    assert len(health["sources"]) == result["sources"]
    assert sum(h["articles"] for h in health["sources"]) == result["articles"]
    assert all(h["articles"] > 0 and h["last_run"] for h in health["sources"])
    assert health["errors"] == []


def test_demo_rerun_adds_nothing(demo_db):
    result, data = demo_db
    again = run_json("demo", "--once", "--json", "--data-dir", str(data))
    assert again["articles"] == result["articles"]
    assert again["new_articles"] == 0


def test_search_folded_words_find_diacritics(demo_db):
    result, _ = demo_db
    found = run_json("search", "hai phong", "--db", result["db"], "--json")
    assert found["total"] > 0
    assert all(set(h) == HIT_KEYS for h in found["hits"])
    shown = [h for h in found["hits"] if "Hải Phòng" in h["title"] or "Hải Phòng" in h["snippet"]]
    assert len(shown) >= 0.8 * len(found["hits"])


def test_search_nfd_and_uppercase_queries_match_the_same(demo_db):
    result, _ = demo_db
    base = run_json("search", "Hải Phòng", "--db", result["db"], "--json", "--limit", "1000")  # issue #14: marks typed
    nfd = run_json("search", unicodedata.normalize("NFD", "HẢI PHÒNG"), "--db", result["db"], "--json", "--limit", "1000")
    assert {h["id"] for h in nfd["hits"]} == {h["id"] for h in base["hits"]}


def test_search_uses_duluan_db_when_no_flag(demo_db):
    result, _ = demo_db
    found = run_json("search", "dak lak", "--json", env={"DULUAN_DB": result["db"]})
    assert found["total"] > 0


def test_malformed_query_is_one_clear_line(demo_db):
    result, _ = demo_db
    proc = run_cli("search", '"Hải Phòng', "--db", result["db"], "--json", check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "quote" in proc.stderr


def test_export_has_every_article_with_classifier_fields(demo_db):
    result, _ = demo_db
    lines = run_cli("export", "--db", result["db"], "--format", "jsonl").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == result["articles"]
    needed = {"id", "url", "title", "body", "published", "source", "language",
              "provinces", "sentiment", "distorted", "distortion_score", "evidence", "topic", "agencies", "severity"}
    assert all(needed <= set(r) for r in rows)
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["body"].strip() and "<script" not in r["body"] for r in rows)
    assert sum(r["flagged"] for r in rows) == result["flagged"]
    assert all(unicodedata.is_normalized("NFC", r["title"] + r["body"]) for r in rows)


def test_import_keeps_ids_and_reports_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    good = {"id": "given-1", "url": "https://example.vn/a", "title": "Hải Phòng khánh thành cầu mới",
            "body": "Sáng nay, thành phố Hải Phòng khánh thành cầu Rào mới.", "language": "vi", "source_kind": "domestic",
            "published": "2025-09-01T08:00:00+07:00", "source": "example"}
    src.write_text(json.dumps(good, ensure_ascii=False) + "\n{not json\n" + json.dumps({"id": "x"}) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'db.sqlite'}"
    proc = run_cli("import", str(src), "--db", db, "--json", check=False)
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["imported"] == 1 and len(out["errors"]) == 2
    assert "line 2" in out["errors"][0] and "line 3" in out["errors"][1]
    found = run_json("search", "cau rao", "--db", db, "--json")
    assert [h["id"] for h in found["hits"]] == ["given-1"]
