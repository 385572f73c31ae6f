"""Liveness, readiness and Prometheus metrics, at the root (no key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from service.deps import TodayDep
from service.errors import AppError
from service.http.observability import log
from service.store import calendar

router = APIRouter(tags=["operations"])


class NotReady(AppError):
    status = 503
    slug = "not-ready"
    title = "Not ready"


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: the database answers and is migrated")
async def readyz(request: Request, today: TodayDep) -> dict[str, Any]:
    """Also reports how far the working-day calendar is known (`calendar.last_year`, from
    the official data or days loaded with `PUT /v1/calendar`); `calendar.short` is true
    when today + 60 days is beyond it — load the next year's holidays then."""
    try:
        async with request.app.state.db.engine.connect() as conn:
            await conn.execute(text("SELECT event_seq FROM ledger WHERE id = 1"))
    except Exception as err:
        raise NotReady(f"database not ready: {type(err).__name__}") from err
    async with request.app.state.db.session(write=False) as session:
        cov = await calendar.calendar_coverage(session, today)
    return {
        "status": "ready",
        "calendar": {
            "last_year": cov.last_year,
            "source": cov.source,
            "covered_through": cov.covered_through.isoformat(),
            "short": cov.short,
        },
    }


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request, today: TodayDep) -> Response:
    registry = request.app.state.metrics
    try:
        async with request.app.state.db.session(write=False) as session:
            cov = await calendar.calendar_coverage(session, today)
        registry.calendar_last_year.set(cov.last_year)
        registry.calendar_short.set(1 if cov.short else 0)
    except Exception as err:  # metrics still answer while the database is down
        log.warning("metrics.calendar_unavailable", error=type(err).__name__)
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
