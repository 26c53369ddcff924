"""Run every source on its own ``interval_minutes`` (APScheduler 3; issue #4).

``run_forever`` is what ``duluan crawl`` calls without ``--once``.  Each
source is one job: it starts at once, then repeats on the source's interval;
a run that overruns its interval is not started twice (``max_instances=1``)
and missed runs collapse into one (``coalesce``), so a slow outlet never
piles up work.  A failing job is logged and tried again next interval; it
never stops the other sources.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from duluan.config.models import Source

log = logging.getLogger(__name__)

# Two cores; fetching is I/O bound, but extraction is not: a few sources at once.
MAX_PARALLEL_SOURCES = 4
JITTER_SECONDS = 30


def build_scheduler(job_for_source: Callable[[Source], None], sources: Iterable[Source],
                    max_workers: int = MAX_PARALLEL_SOURCES, jitter: int | None = JITTER_SECONDS,
                    start_now: bool = True) -> BackgroundScheduler:
    """A scheduler with one interval job per source (not started)."""
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone=timezone.utc)
    # next_run_time=None would add the job paused (APScheduler 3); leave it out to wait one interval.
    first = {"next_run_time": datetime.now(timezone.utc)} if start_now else {}
    for source in sources:
        scheduler.add_job(
            job_for_source, IntervalTrigger(minutes=source.interval_minutes, jitter=jitter, timezone=timezone.utc),
            args=[source], id=f"crawl:{source.id}", name=f"crawl {source.id}", replace_existing=True,
            max_instances=1, coalesce=True, misfire_grace_time=300, **first)

    def on_event(event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_ERROR:
            log.error("job failed job=%s error=%r", event.job_id, event.exception)
        else:
            log.warning("job missed job=%s scheduled=%s", event.job_id, event.scheduled_run_time)

    scheduler.add_listener(on_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def run_forever(job_for_source: Callable[[Source], None], sources: Iterable[Source],
                stop: threading.Event | None = None, start_now: bool = True,
                extra_jobs: Callable[[BackgroundScheduler], None] | None = None) -> None:
    """Crawl every source on its interval until SIGINT/SIGTERM (or ``stop`` is set).

    ``start_now=False`` waits one interval first, for callers that have just crawled.
    ``extra_jobs`` adds other periodic work to the same scheduler (case deadlines, digests).
    """
    sources = list(sources)
    stop = stop or threading.Event()
    scheduler = build_scheduler(job_for_source, sources, start_now=start_now)
    if extra_jobs is not None:
        extra_jobs(scheduler)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    scheduler.start()
    log.info("scheduler started sources=%d", len(sources))
    try:
        while not stop.wait(1.0):
            pass
    finally:
        # Let running crawls finish their current source: a half-written run
        # would leave crawl state inconsistent.
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("scheduler stopped")
