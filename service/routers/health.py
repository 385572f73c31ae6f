"""Liveness, readiness and Prometheus metrics, at the root (no key)."""

from __future__ import annotations

import math
from typing import Literal

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from sqlalchemy import text

from service.db import Database
from service.errors import AppError
from service.http.observability import Metrics

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


class ReadyOut(BaseModel):
    status: Literal["ready"]
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
async def readyz(request: Request) -> ReadyOut:
    """A lagging or unreachable read replica does not make the instance unready: its reads
    go to the primary. It is reported under `replica`."""
    db: Database = request.app.state.db
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT event_seq FROM ledger WHERE id = 1"))
    except Exception as err:
        raise NotReady(f"database not ready: {type(err).__name__}") from err
    replica = await _replica(db)
    return (
        ReadyOut(status="ready") if replica is None else ReadyOut(status="ready", replica=replica)
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    registry: Metrics = request.app.state.metrics
    replica = await _replica(request.app.state.db)
    if replica is not None:
        lag = replica.lag_seconds
        registry.replica_lag.set(math.nan if lag is None else lag)
        registry.replica_in_use.set(1 if replica.status == "in_use" else 0)
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
