"""公开审计检查点 — the latest signed checkpoint of the audit chain, for anyone to keep.

Other agencies (and the public) save these documents; `qcredit audit verify --checkpoint
FILE` later proves the chain was not rewritten or truncated before them. No key needed;
under the public rate limit like the rest of `/public/v1`.
"""

from __future__ import annotations

from fastapi import APIRouter

from service.deps import SessionDep
from service.errors import NotFound, RateLimited, problem_responses
from service.schemas.sharing import CheckpointOut
from service.store import audit

router = APIRouter(prefix="/public/v1/audit", tags=["public"])


@router.get(
    "/checkpoint",
    summary="The latest signed checkpoint of the audit hash chain",
    response_model=CheckpointOut,
    responses=problem_responses(NotFound, RateLimited),
)
async def latest_checkpoint(session: SessionDep) -> CheckpointOut:
    """`seq`, `head` and an Ed25519 signature by the registry's key (`key_id`); verify it
    against the public key you were given out of band, not only the one it carries."""
    cp = await audit.latest_checkpoint(session)
    if cp is None:
        raise NotFound("no audit checkpoint has been signed yet")
    return CheckpointOut(**cp.as_json())
