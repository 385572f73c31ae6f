"""Structured JSON logs with request ids, and Prometheus metrics per app instance."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from typing import Any

import orjson
import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.db import database_unavailable
from service.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE

request_id_var: ContextVar[str] = ContextVar("request_id", default="")


def _add_request_id(_: Any, __: str, event: MutableMapping[str, Any]) -> Mapping[str, Any]:
    """Every line logged while serving a request names it (one ContextVar read; structlog's
    bind/merge_contextvars cost a third of the access log line)."""
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("request_id", request_id)
    return event


def configure_logging(level: str, *, json: bool) -> None:
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


class Metrics:
    def __init__(self) -> None:
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


RETRY_AFTER_SECONDS = 5


def _failure_problem(unavailable: bool) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
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


class RequestContextMiddleware:
    """Request id, access log and metrics for every HTTP request (pure ASGI: no buffering).

    It is also the error boundary: an exception nothing else handled is logged here, while
    the request id is still set (so the log line names it, with the traceback), and
    answered here, so the 500 — or the 503 with ``Retry-After`` when the database is
    unreachable — carries ``X-Request-ID`` like every other response."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = incoming or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()
        response_started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                ]
                write_lsn = scope["state"].get("write_lsn")
                if write_lsn:  # read-your-writes with a read replica (service/replica.py)
                    message["headers"].append((b"x-write-lsn", write_lsn.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            unavailable = database_unavailable(exc)
            log.error(
                "database unavailable" if unavailable else "unhandled error",
                error=type(exc).__name__,
                exc_info=exc,
            )
            if response_started:
                return  # a streamed body broke off: nothing more can be said
            status_code, body, headers = _failure_problem(unavailable)
            await send_wrapper(
                {"type": "http.response.start", "status": status_code, "headers": headers}
            )
            await send_wrapper({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            route_path = getattr(route, "path", "unmatched")
            self.metrics.requests.labels(scope["method"], route_path, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route_path).observe(elapsed)
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                ms=round(elapsed * 1000, 2),
            )
            request_id_var.reset(token)
