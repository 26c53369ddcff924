"""Structured logs (structlog) on stderr, so stdout stays clean for --json output."""

from __future__ import annotations

import logging
import sys

import structlog


def setup_logging(verbose: bool = False, json_logs: bool = False) -> None:
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s")
    # Libraries that log every request or date guess drown the crawl's own record.
    for noisy in ("httpx", "httpcore", "trafilatura", "htmldate", "elastic_transport", "scrapy", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    renderer = structlog.processors.JSONRenderer() if json_logs else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
