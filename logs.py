"""One logging system: structlog, with stdlib logging (ours and libraries') routed through it.

Logs go to stderr, so stdout stays clean for ``--json`` output. Every record, from
``structlog.get_logger`` or ``logging.getLogger``, is rendered by one formatter:
key-value lines for people, or JSON lines with ``--log-json``.
"""

from __future__ import annotations

import logging
import sys

import structlog

# Libraries that log every request or date guess drown the crawl's own record.
NOISY = ("httpx", "httpcore", "trafilatura", "htmldate", "elastic_transport", "scrapy", "urllib3",
         "alembic", "courlan", "charset_normalizer")


def setup_logging(verbose: bool = False, json_logs: bool = False) -> None:
    level = logging.INFO if verbose else logging.WARNING
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer = structlog.processors.JSONRenderer() if json_logs else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared,
                    structlog.stdlib.PositionalArgumentsFormatter(),
                    structlog.processors.format_exc_info,
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.ERROR)
