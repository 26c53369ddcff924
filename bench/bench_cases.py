"""Every flagged demo article taken from flag to published notice, timed (issue #10).

    .venv/bin/python bench/bench_cases.py duluan-data/demo/duluan.db

Copies the demo database, adds an analyst, an approver and one officer per agency,
then for each flagged article: confirm, open, route automatically, draft, approve,
publish. Prints one JSON object: the per-step latency (ms), the report's response
times (open → publish, here pure processing time: no human is in the loop) by agency,
and the size of the notice and report files.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main(demo_db: str) -> dict:
    from sqlalchemy import select

    from duluan.cases import workflow
    from duluan.cases.reports import build_report, collect
    from duluan.cases.triage import decide
    from duluan.cases.users import acting_user, add_user
    from duluan.config import load_config
    from duluan.store import open_database
    from duluan.store.schema import ArticleRow

    cfg = load_config()
    work = Path(tempfile.mkdtemp())
    try:
        shutil.copy(demo_db, work / "duluan.db")
        db = open_database(f"sqlite:///{work / 'duluan.db'}")
        pw = "bench-password"
        add_user(db, cfg, "ana", "analyst", pw)
        add_user(db, cfg, "lead", "approver", pw)
        ana, lead = acting_user(db, "ana"), acting_user(db, "lead")
        officers: dict = {}
        with db.session() as s:
            flagged = [r.id for r in s.scalars(select(ArticleRow).where(ArticleRow.flagged.is_(True))
                                               .order_by(ArticleRow.id))]
        steps: dict[str, list[float]] = {k: [] for k in ("triage", "open", "route", "draft", "approve", "publish")}
        notice_bytes = []
        unrouted = 0
        for aid in flagged:
            t = time.perf_counter()
            decide(db, cfg, ana, aid, "confirm", "bench")
            steps["triage"].append(time.perf_counter() - t)
            t = time.perf_counter()
            cid = workflow.open_case(db, cfg, ana, aid)["id"]
            steps["open"].append(time.perf_counter() - t)
            t = time.perf_counter()
            try:
                agency = workflow.route(db, cfg, ana, cid, auto=True)["agency"]
            except Exception:  # noqa: BLE001 — no route for the topic: left open, counted
                unrouted += 1
                continue
            steps["route"].append(time.perf_counter() - t)
            if agency not in officers:
                add_user(db, cfg, f"officer-{agency}", "agency", pw, agency_id=agency)
                officers[agency] = acting_user(db, f"officer-{agency}")
            t = time.perf_counter()
            data, _ = workflow.draft(db, cfg, officers[agency], cid)
            steps["draft"].append(time.perf_counter() - t)
            notice_bytes.append(len(data))
            t = time.perf_counter()
            workflow.approve(db, cfg, lead, cid)
            steps["approve"].append(time.perf_counter() - t)
            t = time.perf_counter()
            workflow.publish(db, cfg, ana, cid)
            steps["publish"].append(time.perf_counter() - t)
        t = time.perf_counter()
        report, summary = build_report(db, cfg, date(2025, 1, 1), date.today())
        report_seconds = time.perf_counter() - t
        data = collect(db, cfg, date(2025, 1, 1), date.today())
        by_agency = {a: data.response_hours(a) for a in sorted({c["agency"] for c in data.cases if c["agency"]})}
        seconds = lambda hs: {"n": len(hs), "median": round(statistics.median(hs) * 3600, 3),
                              "worst": round(max(hs) * 3600, 3)} if hs else {"n": 0}
        db.close()
        ms = lambda xs: {"median": round(1000 * statistics.median(xs), 1), "max": round(1000 * max(xs), 1)} if xs else None
        return {
            "flagged": len(flagged), "published": summary["published"], "unrouted": unrouted,
            "step_ms": {k: ms(v) for k, v in steps.items()},
            "response_seconds": seconds(data.response_hours()),
            "response_seconds_by_agency": {a: seconds(h) for a, h in by_agency.items()},
            "notice_kb_median": round(statistics.median(notice_bytes) / 1024, 1) if notice_bytes else None,
            "report_kb": round(len(report) / 1024, 1), "report_seconds": round(report_seconds, 2),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else "duluan-data/demo/duluan.db"), ensure_ascii=False))
