"""审计 — the audit hash chain: who changed what, and proof that nobody rewrote it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from service.auth import Scope
from service.credit.codes import CodeError, try_parse
from service.deps import NowDep, PrincipalDep, SessionDep, SettingsDep, require
from service.errors import Conflict, Forbidden, ValidationFailed, problem_responses
from service.http.pagination import CursorQuery, LimitQuery, decode_cursor_of, encode_cursor
from service.schemas.sharing import AuditEntryOut, AuditPage, AuditVerifyOut, CheckpointOut
from service.security import checkpoints
from service.store import audit

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get(
    "/verify",
    summary="Recompute the audit hash chain and check it against the signed checkpoints",
    response_model=AuditVerifyOut,
    response_model_exclude_none=True,
    responses=problem_responses(Forbidden),
    dependencies=[require(Scope.ADMIN)],
)
async def verify_chain(session: SessionDep, settings: SettingsDep) -> AuditVerifyOut:
    """`ok` is false when an entry was edited or deleted, or when the chain no longer
    agrees with a signed checkpoint (rewritten and re-hashed, or truncated); `broken` lists
    every broken link, `first_bad` is the lowest seq among them (`reason` says why)."""
    trusted = checkpoints.configured_key_id(settings.audit_signing_key_file)
    verdict = await audit.verify(session, trusted_key_id=trusted)
    return AuditVerifyOut(**verdict.as_json())


@router.post(
    "/checkpoints",
    summary="Sign a checkpoint of the audit head now",
    status_code=201,
    response_model=CheckpointOut,
    responses={
        200: {"description": "The head has not moved: the existing checkpoint"},
        **problem_responses(Forbidden, Conflict),
    },
    dependencies=[require(Scope.ADMIN)],
)
async def sign_checkpoint(
    session: SessionDep, settings: SettingsDep, now: NowDep, response: Response
) -> CheckpointOut:
    """Signs `(seq, head)` with the key in `QCREDIT_AUDIT_SIGNING_KEY_FILE`, stores it and
    publishes it as an `audit.checkpoint` change-feed event and at
    `/public/v1/audit/checkpoint`. The background job does the same periodically."""
    key = checkpoints.configured_key(settings.audit_signing_key_file)
    if key is None:
        raise Conflict(
            "no audit signing key is configured (QCREDIT_AUDIT_SIGNING_KEY_FILE)",
            rule="audit-signing-key",
        )
    cp, made = await audit.make_checkpoint(session, key, now)
    if not made:
        response.status_code = 200
    return CheckpointOut(**cp.as_json())


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
            examples=["912111000001234570"],
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
        principal.require_enterprise(parsed.uscc)
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
