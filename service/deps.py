"""Request dependencies: the transaction, the caller, the clock, validated path codes."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import Principal, PrincipalCache, Scope, bearer_token
from service.clock import Clock
from service.credit.codes import CodeError, ParsedCode, parse_code
from service.db import Database
from service.errors import FieldError, InvalidCode, ValidationFailed
from service.http.observability import Metrics
from service.replica import ON_REPLICA, format_lsn, parse_lsn
from service.settings import Settings
from service.store import ledger

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Plain `def` dependencies run in the thread pool; these do no blocking work, so async.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def write_context(request: Request) -> ledger.WriteContext:
    """Who writes and why, for this request's audit entries; shared by the session and the
    caller dependencies so neither depends on the other's order."""
    ctx: ledger.WriteContext | None = getattr(request.state, "write_context", None)
    if ctx is None:
        ctx = ledger.WriteContext(request_id=getattr(request.state, "request_id", ""))
        request.state.write_context = ctx
    return ctx


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


# Reads that may be served by a read replica (service/replica.py): public reads, exports,
# screening and statistics. Route templates; prefixes end with "/".
_REPLICA_PREFIXES = ("/public/v1/", "/v1/stats/", "/v1/reports/")
_REPLICA_ROUTES = frozenset({"/", "/blacklist", "/blacklist/{code}", "/stats", "/screen"})
_EXPORT_ROUTES = frozenset({"/v1/enterprises/{code}/dossier"})  # only as csv/xlsx
MIN_LSN_HEADER = "X-Min-LSN"


def replica_eligible(request: Request) -> bool:
    route = getattr(request.scope.get("route"), "path", "")
    if route in _REPLICA_ROUTES or route.startswith(_REPLICA_PREFIXES):
        return True
    return route in _EXPORT_ROUTES and request.query_params.get("format") in ("csv", "xlsx")


def _min_lsn(request: Request) -> int | None:
    raw = request.headers.get(MIN_LSN_HEADER)
    if raw is None:
        return None
    lsn = parse_lsn(raw)
    if lsn is None:
        message = "a WAL position as sent in X-Write-LSN, e.g. 0/16B3748"
        raise ValidationFailed(
            f"{MIN_LSN_HEADER}: {message}",
            errors=[FieldError(field=MIN_LSN_HEADER, rule="lsn", message=message)],
        )
    return lsn


async def read_session(request: Request) -> AsyncSession:
    """A read session for replica-eligible work: on the replica when it is in use and has
    replayed the position the client presents (``X-Min-LSN``), else on the primary."""
    db = get_db(request)
    if db.replica is None:  # one database: nothing to route, nothing to count
        return db.session(write=False)
    session, on_replica = await db.replica_session(_min_lsn(request))
    if on_replica:
        setattr(request.state, ON_REPLICA, True)  # service.replica.ReplicaFallbackMiddleware
    metrics: Metrics = request.app.state.metrics
    metrics.routed_reads.labels("replica" if on_replica else "primary").inc()
    return session


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the route returns, rolled back on error.

    Runs with scope="function" so the commit happens before the response is sent: a client
    never sees success for a write that did not commit. With a read replica, replica-eligible
    reads run there, and a write's response carries ``X-Write-LSN`` (read-your-writes).
    """
    write = request.method not in _READ_METHODS
    db = get_db(request)
    if not write and db.replica is not None and replica_eligible(request):
        session = await read_session(request)
    else:
        session = db.session(write=write)
    ctx = write_context(request)
    # FastAPI has already read (and cached) a JSON body before dependencies run.
    ctx.body_sha256 = hashlib.sha256(getattr(request, "_body", b"")).hexdigest()
    ledger.set_context(session, ctx)
    try:
        yield session
        if write:
            await ledger.commit(session)
            if db.replica is not None:
                lsn = await db.wal_position()
                if lsn is not None:
                    request.state.write_lsn = format_lsn(lsn)
    except BaseException:
        ledger.discard(session)
        await session.rollback()
        raise
    finally:
        await session.close()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]


async def get_today(clock: ClockDep) -> date:
    return clock.today()


async def get_now(clock: ClockDep) -> datetime:
    return clock.now()


TodayDep = Annotated[date, Depends(get_today)]
NowDep = Annotated[datetime, Depends(get_now)]


AuthorizationHeader = Annotated[
    str | None,
    Header(description="`Bearer <key>`, a key made by `qcredit agency create`"),
]


async def authenticated(request: Request, authorization: str | None) -> Principal:
    principals: PrincipalCache = request.app.state.principals
    principal = await principals.principal(get_db(request), bearer_token(authorization))
    write_context(request).agency_id = principal.agency_id
    return principal


async def get_principal(request: Request, authorization: AuthorizationHeader = None) -> Principal:
    return await authenticated(request, authorization)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(scope: Scope) -> Any:
    """Dependency that admits only keys holding `scope` (or admin)."""

    async def _check(principal: PrincipalDep) -> Principal:
        principal.require(scope)
        return principal

    setattr(_check, "answers_forbidden", True)  # noqa: B010 - read by service.http.spec
    return Depends(_check)


RegionQuery = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{1,6}$",
        description="Division-code prefix, e.g. `21` or `2111`; default: your whole "
        "jurisdiction (a national key: everything); outside it: 403 `jurisdiction`",
        examples=["2111"],
    ),
]


async def region_scope(principal: PrincipalDep, region: RegionQuery = None) -> str | None:
    """The one enforcement point of the regional reads (README "Read policy"): statistics,
    reports, work queues and the change feed cover the caller's jurisdiction."""
    return principal.read_scope(region)


setattr(region_scope, "answers_forbidden", True)  # noqa: B010 - read by service.http.spec
# A route that takes this is a regional read; every other /v1 read is national.
RegionScopeDep = Annotated[str | None, Depends(region_scope)]


def require_national(scope: Scope) -> Any:
    """Dependency for writes of nation-wide reference data: `scope` and a national key."""

    async def _check(principal: PrincipalDep) -> Principal:
        principal.require(scope)
        principal.require_national()
        return principal

    setattr(_check, "answers_forbidden", True)  # noqa: B010 - read by service.http.spec
    return Depends(_check)


def parse_code_or_422(raw: str, field: str = "code") -> ParsedCode:
    try:
        return parse_code(raw)
    except CodeError as err:
        raise InvalidCode(
            f"'{raw}' is not a valid code: {err.message}",
            errors=[
                FieldError(field=field, rule=err.rule, message=err.message, expected=err.expected)
            ],
        ) from err


CodePath = Annotated[
    str,
    Path(
        description="Unified social credit code (any case, spaces/hyphens allowed) "
        "or 9-character organization code",
        examples=["91210100000123457K"],
    ),
]


async def valid_code(code: CodePath) -> ParsedCode:
    return parse_code_or_422(code, "code")


CodeDep = Annotated[ParsedCode, Depends(valid_code)]
