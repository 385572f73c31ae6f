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
from service.http import handlers
from service.http.bodylimit import BodyLimitMiddleware
from service.http.idempotency import IdempotencyMiddleware
from service.http.observability import Metrics, RequestContextMiddleware, configure_logging
from service.http.ratelimit import PublicRateLimitMiddleware
from service.jobs.runner import start_in_app, stop_in_app
from service.routers import all_routers
from service.schemas import events
from service.settings import Settings

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
    app.state.clock = clock or Clock()
    app.state.metrics = Metrics()
    app.state.principals = PrincipalCache(settings.auth_cache_seconds, app.state.clock)

    handlers.install(app)
    _document_events(app)
    for router in all_routers():
        app.include_router(router)

    app.add_middleware(IdempotencyMiddleware)  # inside the body limit: it reads the body
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(PublicRateLimitMiddleware, per_minute=settings.public_rate_limit)
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    return app
