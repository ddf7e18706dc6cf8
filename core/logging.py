"""Structured logging: dotted event names with key/value context; JSON lines in production
(`rapport --json-logs …` or RAPPORT_JSON_LOGS=1), each carrying its request or job id."""

from __future__ import annotations

import logging
import sys

import structlog


def configure(level: str = "INFO", *, json: bool = False) -> None:
    """Set up structlog once per process (called by the CLI and the app factory)."""
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=level)
    logging.getLogger().setLevel(level)  # also when a library configured logging first
    if json:  # the libraries' own logs (procrastinate, uvicorn) as JSON lines too
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(
            structlog.stdlib.ProcessorFormatter(
                processor=structlog.processors.JSONRenderer(),
                foreign_pre_chain=[
                    structlog.contextvars.merge_contextvars,
                    structlog.processors.add_log_level,
                    structlog.processors.TimeStamper(fmt="iso"),
                ],
            )
        )
        logging.getLogger().handlers = [handler]
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            # the request or job being handled (`request_id`, `job_id`), bound by the web
            # middleware and the job wrapper
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=_StderrLogger,
        cache_logger_on_first_use=False,
    )


class _StderrLogger:
    """Writes to whatever sys.stderr is at the time of writing (it may be swapped)."""

    def __init__(self, *args: object) -> None:
        pass

    def msg(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    log = debug = info = warning = error = critical = exception = fatal = msg


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger(name)  # type: ignore[no-any-return]
