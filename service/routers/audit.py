"""审计 — the audit hash chain: who changed what, and proof that nobody rewrote it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from service.auth import Scope
from service.credit.codes import CodeError, try_parse
from service.deps import PrincipalDep, SessionDep, require
from service.errors import Forbidden, ValidationFailed, problem_responses
from service.http.pagination import CursorQuery, LimitQuery, decode_cursor_of, encode_cursor
from service.models import Enterprise
from service.schemas.sharing import AuditEntryOut, AuditPage, AuditVerifyOut
from service.store import audit

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get(
    "/verify",
    summary="Recompute the audit hash chain",
    response_model=AuditVerifyOut,
    response_model_exclude_none=True,
    responses=problem_responses(Forbidden),
    dependencies=[require(Scope.ADMIN)],
)
async def verify_chain(session: SessionDep) -> AuditVerifyOut:
    """`ok` is false when an entry was edited or deleted; `first_bad` is the seq of the
    first entry that is missing or does not chain (`reason` says which)."""
    return AuditVerifyOut(**(await audit.verify(session)).as_json())


@router.get(
    "",
    summary="Audit entries for a target (e.g. an enterprise code)",
    response_model=AuditPage,
    responses=problem_responses(Forbidden, ValidationFailed),
)
async def list_entries(
    session: SessionDep,
    principal: PrincipalDep,
    target: Annotated[
        str,
        Query(
            min_length=1,
            max_length=64,
            description="An enterprise code (any spelling) or an id like `webhook:3`",
            examples=["91211100000123457K"],
        ),
    ],
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> AuditPage:
    """Admin keys read any target; other agencies read the entries of enterprises in their
    jurisdiction."""
    parsed = try_parse(target)
    if not isinstance(parsed, CodeError) and parsed.uscc is not None:
        target = parsed.uscc
    if not principal.has(Scope.ADMIN):
        if isinstance(parsed, CodeError) or parsed.uscc is None:
            raise Forbidden(
                "only admin keys read audit entries of non-enterprise targets", rule="scope"
            )
        enterprise = await session.get(Enterprise, parsed.uscc)
        principal.require_region(enterprise.region_code if enterprise else parsed.region_code or "")
    after = decode_cursor_of(cursor, int)
    rows = await audit.entries_for(session, target, after=after, limit=limit)
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(
        items=[
            AuditEntryOut(
                seq=r.seq,
                at=r.at,
                agency=r.agency_id,
                action=r.action,
                target=r.target,
                request_id=r.request_id,
                body_sha256=r.body_sha256,
                prev_hash=r.prev_hash,
                hash=r.hash,
            )
            for r in rows
        ],
        next_cursor=encode_cursor(rows[-1].seq) if more and rows else None,
    )
