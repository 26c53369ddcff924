"""CLI commands: classify JSONL (bad lines reported, run goes on), eval JSON."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from duluan.classifiers import commands

app = typer.Typer()
app.command("classify")(commands.classify)
app.command("eval")(commands.evaluate)
app.command("train")(commands.train)


def test_classify_reports_bad_line_and_goes_on(tmp_path):
    f = tmp_path / "in.jsonl"
    good = {"id": "a", "language": "vi", "source_kind": "domestic", "url": "u",
            "title": "Hải Phòng khánh thành cầu mới", "body": "Cầu nối Thủy Nguyên với trung tâm Hải Phòng."}
    f.write_text(json.dumps(good, ensure_ascii=False) + "\n{broken\n" + json.dumps({"id": "b"}) + "\n",
                 encoding="utf-8")
    r = CliRunner().invoke(app, ["classify", str(f)])
    assert r.exit_code == 1
    out = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert [o["id"] for o in out] == ["a"]
    assert out[0]["provinces"] == ["hai-phong"]
    assert set(out[0]) >= {"mentions", "sentiment", "distorted", "distortion_score", "evidence", "topic",
                           "agencies", "severity"}
    for m in out[0]["mentions"]:
        assert good[m["field"]][m["start"]:m["end"]] == m["text"] and m["relevance"]
    assert ":2:" in r.stderr and ":3:" in r.stderr


def test_eval_json():
    r = CliRunner().invoke(app, ["eval", "--split", "dev", "--json"])
    d = json.loads(r.stdout)
    assert d["split"] == "dev" and "mentions" in d["metrics"]
    assert r.exit_code == (1 if d["failures"] else 0)


def test_eval_blind_only_through_the_command():
    # The command is the one way to score the blind split; the report names it and its size.
    r = CliRunner().invoke(app, ["eval", "--split", "blind", "--json"])
    d = json.loads(r.stdout)
    assert d["split"] == "blind" and d["n"] >= 60
    assert set(d["metrics"]) >= {"mentions", "sentiment", "distortion", "spans"}


def test_eval_unknown_split_is_one_line_and_exit_2():
    r = CliRunner().invoke(app, ["eval", "--split", "test"])
    assert r.exit_code == 2 and "unknown split" in r.stderr
