"""Scheduling: one APScheduler job per source on its own interval."""

from __future__ import annotations

import threading

from duluan.config.models import Source
from duluan.crawlers.schedule import build_scheduler, run_forever


def _sources():
    return [Source(id="a", name="A", kind="domestic", feeds=["https://a.vn/rss"], interval_minutes=5),
            Source(id="b", name="B", kind="foreign", feeds=["https://b.com/rss"], interval_minutes=60)]


def test_one_job_per_source_with_its_interval():
    sched = build_scheduler(lambda s: None, _sources(), jitter=None)
    jobs = {j.id: j for j in sched.get_jobs()}
    assert set(jobs) == {"crawl:a", "crawl:b"}
    assert jobs["crawl:a"].trigger.interval.total_seconds() == 300
    assert jobs["crawl:b"].trigger.interval.total_seconds() == 3600
    assert jobs["crawl:a"].max_instances == 1 and jobs["crawl:a"].coalesce


def test_run_forever_runs_every_source_at_once_and_survives_failures():
    seen, stop = [], threading.Event()
    lock = threading.Lock()

    def job(source):
        with lock:
            seen.append(source.id)
            if set(seen) >= {"a", "b"}:
                stop.set()
        if source.id == "a":
            raise RuntimeError("outlet down")  # must not stop source b or the loop

    t = threading.Thread(target=run_forever, args=(job, _sources(), stop), daemon=True)
    t.start()
    t.join(timeout=15)
    assert not t.is_alive() and set(seen) == {"a", "b"}


def test_without_start_now_jobs_wait_one_interval_and_are_not_paused():
    from datetime import datetime, timedelta, timezone

    scheduler = build_scheduler(lambda s: None, _sources(), jitter=None, start_now=False)
    scheduler.start(paused=True)
    try:
        nxt = {j.id: j.next_run_time for j in scheduler.get_jobs()}
        now = datetime.now(timezone.utc)
        assert all(t is not None for t in nxt.values())
        assert timedelta(minutes=4) < nxt["crawl:a"] - now <= timedelta(minutes=5)
        assert timedelta(minutes=59) < nxt["crawl:b"] - now <= timedelta(minutes=60)
    finally:
        scheduler.shutdown(wait=False)
