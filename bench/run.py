"""`make bench`: every benchmark in one run, printed as one JSON object.

Ratios are measured within this one run on this one machine; absolute numbers
depend on the machine, which is printed with them.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from duluan.logs import setup_logging

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def machine() -> dict:
    return {"python": platform.python_version(), "cpu_count": os.cpu_count(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine()}


def bench_demo() -> dict:
    """One demo cycle in a subprocess: articles/s and the child's peak RSS."""
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "duluan.cli", "demo", "--once", "--json",
                               "--data-dir", d], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        result = json.loads(proc.stdout)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "articles": result["articles"],
        "wall_seconds": round(wall, 2),
        "cycle_seconds": result.get("seconds"),
        "articles_per_s_wall": round(result["articles"] / wall, 1),
        "articles_per_s_cycle": round(result["articles"] / result["seconds"], 1) if result.get("seconds") else None,
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


def main() -> None:
    setup_logging()  # warnings to stderr: stdout is the JSON report
    report: dict = {"machine": machine(), "demo": bench_demo()}
    for name in ("bench_crawl", "bench_classify", "bench_index", "bench_cases", "bench_web"):
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        t0 = time.perf_counter()
        report[name.removeprefix("bench_")] = mod.run()
        report[name.removeprefix("bench_")]["bench_seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
