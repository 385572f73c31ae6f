"""Penalty publication (Order 45): the public documents and the credit-repair grant."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from service.schemas import StrictModel
from service.schemas.records import IsoDate


class PublicPenalty(BaseModel):
    """Exactly the public columns of an administrative penalty (行政处罚信息公示)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="Unified social credit code")
    name: str = Field(description="Enterprise name")
    region_code: str
    decision_number: str | None = Field(description="处罚决定书文号")
    decided_on: date = Field(description="Decision day (处罚决定日期)")
    penalty_types: list[str]
    fine_amount: float | None = Field(description="Yuan")
    legal_basis: str | None = Field(description="处罚依据")
    authority: str = Field(description="Deciding authority (处罚机关)")
    public_until: date = Field(
        description="First day it is no longer public: 3 years after the decision, 3 months "
        "for a warning or a fine of at most 3,000 yuan (Order 45)"
    )


class PublicPenaltyPage(BaseModel):
    items: list[PublicPenalty]
    next_cursor: str | None


class PublicPenaltyLookup(BaseModel):
    code: str
    items: list[PublicPenalty] = Field(description="Penalties public today, newest first")


class RepairIn(StrictModel):
    """信用修复 (国市监信规〔2021〕3号): end the penalty's publication early."""

    granted_on: IsoDate = Field(description="Day the repair is granted; publication ends then")
    reason: str = Field(min_length=1, max_length=500)
    performed: StrictBool = Field(description="The penalty decision has been performed")
    harm_eliminated: StrictBool = Field(description="Harm and bad influence eliminated")


class RepairOut(BaseModel):
    record_id: int
    code: str
    granted_on: date
    reason: str
    public_until: date = Field(description="Order 45 window end without the repair")
    earliest: date = Field(description="First day a repair could be granted")
