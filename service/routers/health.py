"""Liveness, readiness and Prometheus metrics, at the root (no key)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from service.errors import AppError
from service.http.observability import RETRY_AFTER_SECONDS

router = APIRouter(tags=["operations"])


class NotReady(AppError):
    status = 503
    slug = "not-ready"
    title = "Not ready"


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: the database answers and is migrated")
async def readyz(request: Request) -> dict[str, str]:
    try:
        async with request.app.state.db.engine.connect() as conn:
            await conn.execute(text("SELECT event_seq FROM ledger WHERE id = 1"))
    except Exception as err:
        raise NotReady(
            f"database not ready: {type(err).__name__}",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from err
    return {"status": "ready"}


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
