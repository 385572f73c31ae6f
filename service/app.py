"""Application factory: settings in, a configured FastAPI app out (no module-level state)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from service.auth import PrincipalCache
from service.clock import Clock
from service.db import Database
from service.http import handlers, spec
from service.http.bodylimit import BodyLimitMiddleware
from service.http.direct import DirectRoutes
from service.http.edge import EdgeMiddleware
from service.http.idempotency import IdempotencyMiddleware
from service.http.observability import Metrics, configure_logging, log
from service.http.proxies import TrustedProxyMiddleware, parse_trusted
from service.http.ratelimit import PublicRateLimitMiddleware
from service.jobs.runner import start_in_app, stop_in_app
from service.replica import ReplicaFallbackMiddleware
from service.routers import all_routers, direct_routes
from service.schemas import events
from service.settings import Settings
from service.store import calendar

DESCRIPTION = """
企业质量信用档案与失信黑名单服务 — the enterprise quality-credit and blacklist registry.

* `/v1` — agency API, `Authorization: Bearer <key>` (keys from `qcredit agency create`).
* `/public/v1` — public blacklist queries and screening, no key, rate-limited.
* Errors are `application/problem+json` (RFC 9457) with per-field `errors`.
"""


def _document_events(app: FastAPI) -> None:
    """Add the change feed's event data shapes to the generated spec."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            events.add_to_openapi(generate())
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, json=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner = await start_in_app(app)  # webhooks + maintenance if run_background
        await report_calendar(app)
        # What start-up allocated (modules, routes, schemas) lives as long as the process:
        # moved out of the collector's generations, it is not re-scanned by every full
        # collection, which showed as the lookup's tail latency.
        gc.freeze()
        yield
        await stop_in_app(runner)
        await app.state.db.dispose()

    app = FastAPI(
        title="Quality Credit Registry",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # served by service.routers.docs from installed assets, never a CDN
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = Database(settings)
    if not app.state.db.secrets.enabled:
        log.warning(
            "secrets at rest are stored unencrypted: set QCREDIT_SECRETS_KEY or "
            "QCREDIT_SECRETS_KEY_FILE (qcredit secrets keygen), then run qcredit secrets rotate"
        )
    app.state.clock = clock or Clock()
    app.state.metrics = Metrics()
    app.state.principals = PrincipalCache(settings.auth_cache_seconds, app.state.clock)

    handlers.install(app)
    _document_events(app)
    for router in all_routers():
        app.include_router(router)
    spec.install(app)

    app.add_middleware(ReplicaFallbackMiddleware, replica=app.state.db.replica)  # innermost
    app.add_middleware(IdempotencyMiddleware)  # inside the body limit: it reads the body
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        PublicRateLimitMiddleware,
        per_minute=settings.public_rate_limit,
        redis_url=settings.redis_url,
        key_prefix=settings.redis_key_prefix,
    )
    # request id, access log, metrics, hardening headers, the refusals due before any
    # route (so a refused request is not sized or read) and the hot routes, in one layer
    app.add_middleware(
        EdgeMiddleware,
        metrics=app.state.metrics,
        direct=DirectRoutes.build(app, direct_routes()),
    )
    trusted = parse_trusted(settings.trusted_proxies)
    if trusted:  # outermost: the rate limit and the logs see the real client
        app.add_middleware(TrustedProxyMiddleware, trusted=trusted)
    return app


async def report_calendar(app: FastAPI) -> None:
    """Start-up: say how far the working-day calendar is known, and warn when today + 60
    days is beyond it (deadlines there count weekends only until the year is loaded)."""
    try:
        async with app.state.db.session(write=False) as session:
            cov = await calendar.calendar_coverage(session, app.state.clock.today())
    except Exception as err:  # not migrated yet: /readyz reports that
        log.warning("calendar.coverage_unknown", error=type(err).__name__)
        return
    fields = {
        "last_year": cov.last_year,
        "source": cov.source,
        "covered_through": cov.covered_through.isoformat(),
    }
    log.info("calendar.coverage", **fields)
    if cov.short:
        log.warning(
            "calendar.coverage_short",
            detail="today + 60 days is past the last year the working-day calendar covers; "
            "load the next year's holidays and make-up days with PUT /v1/calendar",
            **fields,
        )
