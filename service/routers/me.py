"""Who is calling: the agency behind the key (the regulator pages use it after sign-in)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from service.deps import PrincipalDep
from service.errors import Unauthorized, problem_responses

router = APIRouter(prefix="/v1", tags=["agencies"])


class MeOut(BaseModel):
    id: int
    name: str
    level: str = Field(description="national | province | prefecture | county")
    region: str = Field(description="Division-code prefix of the jurisdiction; empty = national")
    scopes: list[str]


@router.get(
    "/me",
    summary="The calling agency and its jurisdiction",
    response_model=MeOut,
    responses=problem_responses(Unauthorized),
)
async def me(principal: PrincipalDep) -> MeOut:
    """Never shows the key; a revoked or unknown key is a 401 problem."""
    return MeOut(
        id=principal.agency_id,
        name=principal.name,
        level=principal.level.value,
        region=principal.region,
        scopes=sorted(principal.scopes),
    )
