"""Structured JSON logs with request ids, and Prometheus metrics per app instance."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from service.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE

request_id_var: ContextVar[str] = ContextVar("request_id", default="")


def _add_request_id(_: Any, __: str, event: MutableMapping[str, Any]) -> Mapping[str, Any]:
    """Every line logged while serving a request names it (one ContextVar read; structlog's
    bind/merge_contextvars cost a third of the access log line)."""
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("request_id", request_id)
    return event


@dataclass
class _AccessLog:
    enabled: bool = True
    json: bool = True


_access = _AccessLog()


def configure_logging(level: str, *, json: bool) -> None:
    _access.enabled = logging.getLevelName(level) <= logging.INFO
    _access.json = json
    logging.basicConfig(stream=sys.stderr, level=level, format="%(message)s", force=True)
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=_orjson_text)
        if json
        else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            _add_request_id,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )


def _orjson_text(value: Any, **_: Any) -> str:
    # a line per request: orjson renders it in a fraction of the stdlib's time
    return orjson.dumps(value, default=repr).decode()


log = structlog.get_logger("qcredit")


def access_log(method: str, path: str, status: int, ms: float) -> None:
    """The access log line, as structlog would render it at INFO, without its processor
    chain: at one line per request that chain cost more than the lookup's own Python work
    (BENCHMARKS.md, "Lookup"). Written to the current stderr, line-buffered: one write."""
    if not _access.enabled:
        return
    if not _access.json:  # the developer's console renderer
        log.info("request", method=method, path=path, status=status, ms=ms)
        return
    line = {
        "method": method,
        "path": path,
        "status": status,
        "ms": ms,
        "event": "request",
        "request_id": request_id_var.get(),
        "level": "info",
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    sys.stderr.write(orjson.dumps(line).decode() + "\n")


class Metrics:
    def __init__(self) -> None:
        # (method, route, status) -> the request counter's and latency histogram's children
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "qcredit_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "qcredit_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
        )
        self.routed_reads = Counter(
            "qcredit_replica_routed_reads_total",
            "Replica-eligible reads by the database that served them",
            ["target"],
            registry=self.registry,
        )
        self.replica_lag = Gauge(
            "qcredit_replica_lag_seconds",
            "Read replica's replay lag at its last check (NaN while unreachable)",
            registry=self.registry,
        )
        self.replica_in_use = Gauge(
            "qcredit_replica_in_use",
            "1 when replica-eligible reads go to the read replica, 0 when to the primary",
            registry=self.registry,
        )
        # Order 18 Art.55 / Order 44 working days: how far the official calendar is known
        self.calendar_last_year = Gauge(
            "qcredit_calendar_last_year",
            "Last year the working-day calendar covers (official or operator-loaded)",
            registry=self.registry,
        )
        self.calendar_short = Gauge(
            "qcredit_calendar_coverage_short",
            "1 when today + 60 days is beyond the last covered year (load the next year)",
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request and its latency. The labelled children are looked up once per
        (method, route, status) — ``labels()`` validates and hashes its arguments on every
        call. Finite: routes are templates (or "unmatched") and the HTTP parser admits only
        the standard methods."""
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


RETRY_AFTER_SECONDS = 5


def failure_problem(unavailable: bool) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    if unavailable:
        status, slug, title = 503, "unavailable", "Service unavailable"
        detail = "the database cannot be reached right now; retry after a few seconds"
        extra = [(b"retry-after", str(RETRY_AFTER_SECONDS).encode())]
    else:
        status, slug, title = 500, "internal", "Internal error"
        detail = "an unexpected error occurred; it has been logged with the request id"
        extra = []
    body = orjson.dumps(
        {
            "type": PROBLEM_BASE + slug,
            "title": title,
            "status": status,
            "detail": detail,
            "errors": [],
        }
    )
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    return status, body, headers
