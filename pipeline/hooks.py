"""Where later stages join a run without the pipeline importing them (no arrow back upstream).

``cases`` registers here when it is imported: it matches newly stored articles against open
claims, and adds its deadline jobs to the crawl scheduler. The pipeline calls whatever is
registered; a hook that fails is logged and never ends a run.
"""

from __future__ import annotations

from collections.abc import Callable

# (db, config, ids of the articles just stored) → None
after_store: list[Callable] = []
# (scheduler, config, db) → None: adds periodic jobs beside the crawl
scheduled: list[Callable] = []


def register_after_store(fn: Callable) -> Callable:
    if fn not in after_store:
        after_store.append(fn)
    return fn


def register_scheduled(fn: Callable) -> Callable:
    if fn not in scheduled:
        scheduled.append(fn)
    return fn
