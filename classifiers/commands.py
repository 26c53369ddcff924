"""CLI commands ``duluan classify``, ``duluan eval`` and ``duluan train`` (registered on the typer app).

Plain functions with typer-style annotations; the pipeline's CLI registers them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import Classifier


def result_dict(article_id: str, c) -> dict:
    """The JSON line ``duluan classify`` prints for one article."""
    return {
        "id": article_id,
        "provinces": c.provinces,
        "mentions": [{"province": m.province, "text": m.text, "field": m.field, "start": m.start, "end": m.end,
                      "rule": m.rule, "relevance": m.relevance}
                     for m in c.mentions],
        "sentiment": c.sentiment,
        "distorted": c.distorted,
        "distortion_score": c.distortion_score,
        "evidence": [{"signal": e.signal, "text": e.text, "field": e.field, "start": e.start, "end": e.end,
                      "explanation": e.explanation} for e in c.evidence],
        "topic": c.topic,
        "agencies": c.agencies,
        "severity": c.severity,
    }


def classify(file: Annotated[Path, typer.Argument(help="JSONL: một bài mỗi dòng / one article a line")]) -> None:
    """Phân loại bài báo trong tệp JSONL / classify the articles in a JSONL file."""
    # The same reader as `duluan import`: NFC, +07:00 for dates without an offset, id from the URL if absent.
    from duluan.jsonl import LineError, read_jsonl

    clf = Classifier.load()
    failed = 0
    try:
        for n, item in read_jsonl(file):
            if isinstance(item, LineError):
                failed += 1
                typer.echo(f"{file}:{n}: lỗi / error: {item.message}", err=True)
                continue
            art, ctx = item
            c = clf.classify(art, ctx)
            sys.stdout.write(json.dumps(result_dict(art.id, c), ensure_ascii=False) + "\n")
    except OSError as e:
        typer.echo(f"{file}: không mở được tệp / cannot open: {e.strerror}", err=True)
        raise typer.Exit(2) from None
    if failed:
        typer.echo(f"{failed} dòng lỗi / line(s) failed", err=True)
        raise typer.Exit(1)


def evaluate(split: Annotated[str, typer.Option(
                 help="dev | nlp-dev | heldout | mirror-a | mirror-b | written-check | blind "
                      "(chỉ chấm, không dùng để chỉnh / scored only, never for tuning)")] = "dev",
             json_out: Annotated[bool, typer.Option("--json", help="in JSON cho máy / JSON for machines")] = False
             ) -> None:
    """Đánh giá bộ phân loại trên một tập / precision, recall, F1 and confusion on a split."""
    from .evaluation import evaluate as run

    try:
        report = run(split, blind=split == "blind")
    except ValueError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    if json_out:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        from .report import render

        render(report)
    if report.failures():
        raise typer.Exit(1)


def train(feedback: Annotated[Optional[Path], typer.Option(
              "--feedback", help="JSONL của `duluan feedback export`: quyết định của chuyên viên / "
                                 "the analysts' decisions as labelled items")] = None) -> None:
    """Huấn luyện lại mô hình từ classifiers/data / retrain the models (deterministic).

    With --feedback, a fixed fifth of the feedback is held out and the summary reports the
    scores before and after on it and on the dev split.
    """
    from .training import feedback_report, load_feedback, train as run

    items = []
    if feedback is not None:
        try:
            items = load_feedback(feedback)
        except (OSError, ValueError) as e:
            typer.echo(f"{feedback}: {getattr(e, 'strerror', None) or e}", err=True)
            raise typer.Exit(2) from None
    before = Classifier.load() if items else None
    summary = run(feedback=items)
    if items:
        summary["feedback"] = feedback_report(before, Classifier.load(), items)
    typer.echo(json.dumps(summary, ensure_ascii=False))
