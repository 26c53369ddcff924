"""Cases (issues #10, #12): users and roles, triage, the case workflow and its audit trail, notices,
reports, claims followed across outlets and their re-checks.

Importing the package joins it to runs (``pipeline.hooks``): newly stored articles are matched
against open claims, and the deadline jobs run beside the crawl scheduler.
"""

from duluan.pipeline import hooks as _hooks


def _match(db, config, article_ids):
    from .spread import match_new_articles

    match_new_articles(db, config, article_ids)


def _deadlines(scheduler, config, db):
    from .deadlines import add_jobs

    add_jobs(scheduler, config, db)


_hooks.register_after_store(_match)
_hooks.register_scheduled(_deadlines)
