"""`duluan search` keeps the marks a user typed (issue #14), run as a user would on the demo."""

from __future__ import annotations

import json
import sqlite3

from conftest import run_json

from duluan.index.query import mark_text, search_text


def _texts(db_url: str) -> dict[str, str]:
    """Title and body of every indexed article, read straight from the index table."""
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return {i: f"{t}\n{b}" for i, t, b in conn.execute("SELECT id, title, body FROM search_docs")}
    finally:
        conn.close()


def _ids(db: str, query: str) -> set[str]:
    found = run_json("search", query, "--db", db, "--json", "--limit", "1000")
    assert found["total"] == len(found["hits"])
    return {h["id"] for h in found["hits"]}


def test_search_bao_with_marks_finds_only_bao_storm(demo_db):
    result, _ = demo_db
    texts = _texts(result["db"])
    storm = {i for i, t in texts.items() if "bão" in mark_text(t).split()}
    paper = {i for i, t in texts.items() if "báo" in mark_text(t).split()}
    assert storm and paper, "the demo mirror must hold both words for this test to mean something"
    assert _ids(result["db"], "bão") == storm


def test_search_bao_without_marks_finds_bao_and_bao_storm(demo_db):
    result, _ = demo_db
    texts = _texts(result["db"])
    folded = {i for i, t in texts.items() if "bao" in search_text(t).split()}
    storm = {i for i, t in texts.items() if "bão" in mark_text(t).split()}
    paper = {i for i, t in texts.items() if "báo" in mark_text(t).split()}
    found = _ids(result["db"], "bao")
    assert found == folded
    assert storm | paper <= found


def test_snippet_marks_the_word_typed(demo_db):
    result, _ = demo_db
    found = run_json("search", "bão", "--db", result["db"], "--json")
    assert found["hits"] and all("«bão»" in h["snippet"].lower() or "bão" in h["title"].lower()
                                 for h in found["hits"]), json.dumps(found["hits"][:2], ensure_ascii=False)
