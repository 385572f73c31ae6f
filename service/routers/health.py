"""Liveness, readiness and Prometheus metrics, at the root (no key)."""

from __future__ import annotations

import math
from typing import Literal

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from sqlalchemy import text

from service.db import Database
from service.deps import TodayDep
from service.errors import AppError
from service.http.observability import RETRY_AFTER_SECONDS, Metrics, log
from service.store import calendar

router = APIRouter(tags=["operations"])


class NotReady(AppError):
    status = 503
    slug = "not-ready"
    title = "Not ready"


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


class ReplicaOut(BaseModel):
    status: Literal["in_use", "lagging", "down"] = Field(
        description="in_use: replica-eligible reads go to it; lagging (more than "
        "max_lag_seconds behind) or down: they go to the primary"
    )
    lag_seconds: float | None = Field(description="replay lag at the last check; null if down")
    max_lag_seconds: float


class CalendarCoverageOut(BaseModel):
    last_year: int = Field(description="last year the working-day calendar covers")
    source: str = Field(description="official (published State Council calendar) or operator")
    covered_through: str = Field(description="last covered day, YYYY-MM-DD")
    short: bool = Field(description="today + 60 days is beyond it: load the next year")


class ReadyOut(BaseModel):
    status: Literal["ready"]
    calendar: CalendarCoverageOut
    replica: ReplicaOut | None = Field(
        None, description="only with QCREDIT_READ_DATABASE_URL; the primary alone decides readiness"
    )


async def _replica(db: Database) -> ReplicaOut | None:
    if db.replica is None:
        return None
    state = await db.replica.state()
    return ReplicaOut(
        status=state.status, lag_seconds=state.lag_seconds, max_lag_seconds=db.replica.max_lag
    )


@router.get(
    "/readyz",
    summary="Readiness: the database answers and is migrated",
    response_model=ReadyOut,
    response_model_exclude_unset=True,
)
async def readyz(request: Request, today: TodayDep) -> ReadyOut:
    """A lagging or unreachable read replica does not make the instance unready: its reads
    go to the primary. It is reported under `replica`. Also reports how far the working-day
    calendar is known (`calendar.last_year`, from the official data or days loaded with
    `PUT /v1/calendar`); `calendar.short` is true when today + 60 days is beyond it — load
    the next year's holidays then."""
    db: Database = request.app.state.db
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT event_seq FROM ledger WHERE id = 1"))
    except Exception as err:
        raise NotReady(
            f"database not ready: {type(err).__name__}",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from err
    async with db.session(write=False) as session:
        cov = await calendar.calendar_coverage(session, today)
    out = ReadyOut(
        status="ready",
        calendar=CalendarCoverageOut(
            last_year=cov.last_year,
            source=cov.source,
            covered_through=cov.covered_through.isoformat(),
            short=cov.short,
        ),
    )
    replica = await _replica(db)
    if replica is not None:
        out.replica = replica
    return out


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request, today: TodayDep) -> Response:
    registry: Metrics = request.app.state.metrics
    replica = await _replica(request.app.state.db)
    if replica is not None:
        lag = replica.lag_seconds
        registry.replica_lag.set(math.nan if lag is None else lag)
        registry.replica_in_use.set(1 if replica.status == "in_use" else 0)
    try:
        async with request.app.state.db.session(write=False) as session:
            cov = await calendar.calendar_coverage(session, today)
        registry.calendar_last_year.set(cov.last_year)
        registry.calendar_short.set(1 if cov.short else 0)
    except Exception as err:  # metrics still answer while the database is down
        log.warning("metrics.calendar_unavailable", error=type(err).__name__)
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
