"""Rich tables for ``duluan eval``: per-task precision/recall/F1, targets, sentiment confusion."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .evaluation import TARGETS, Report


def render(report: Report, console: Console | None = None) -> None:
    console = console or Console()
    m = report.metrics
    t = Table(title=f"Kết quả đánh giá / evaluation — {report.split} ({report.n} bài / items)")
    for col in ("nhiệm vụ / task", "precision", "recall", "F1", "khác / other"):
        t.add_column(col)
    mt, d = m["mentions"], m["distortion"]
    t.add_row("địa danh / mentions", str(mt["precision"]), str(mt["recall"]), str(mt["f1"]),
              f"hard negatives matched {mt['hard_negatives_matched']}/{mt['hard_negatives']}")
    for lab, v in m["sentiment"]["per_class"].items():
        t.add_row(f"sắc thái / sentiment: {lab}", str(v["precision"]), str(v["recall"]), str(v["f1"]), "")
    t.add_row("sắc thái / sentiment (accuracy)", "", "", "", str(m["sentiment"]["accuracy"]))
    t.add_row("sai lệch / distortion", str(d["precision"]), str(d["recall"]), str(d["f1"]),
              f"factual flagged {d['factual_flagged']}/{d['factual_items']}, "
              f"no evidence {d['flags_without_evidence']}")
    t.add_row("chủ đề / topic (accuracy)", "", "", "", str(m["topic"]["accuracy"]))
    console.print(t)

    labels = ["positive", "neutral", "negative", "none"]
    conf = report.confusion["sentiment"]
    c = Table(title="Ma trận nhầm lẫn sắc thái / sentiment confusion (hàng: thật / rows: gold)")
    c.add_column("gold \\ pred")
    for lab in labels:
        c.add_column(lab)
    for g in labels[:3]:
        c.add_row(g, *[str(conf.get(f"{g}->{p}", 0)) for p in labels])
    console.print(c)

    fails = report.failures()
    if fails:
        console.print("[red]Chưa đạt mục tiêu / targets not met:[/red] " + "; ".join(fails))
    else:
        console.print(f"[green]Đạt mọi mục tiêu / all targets met[/green] ({len(TARGETS)})")
