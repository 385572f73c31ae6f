"""Objections to credit information (信用异议)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, StrictBool

from service.schemas import StrictModel
from service.schemas.fields import Id64
from service.schemas.records import IsoDate


class ObjectionIn(StrictModel):
    code: str = Field(description="The enterprise objecting (USCC or organization code)")
    target: Literal["record", "grade"]
    record_id: Id64 | None = Field(default=None, description="target record: which one")
    filed_on: IsoDate | None = Field(
        default=None, description="Received by the agency; defaults to today"
    )
    reason: str = Field(min_length=1, max_length=1000)


class DecisionIn(StrictModel):
    outcome: Literal["upheld", "rejected"]
    decided_on: IsoDate | None = Field(default=None, description="Defaults to today")
    reason: str = Field(min_length=1, max_length=1000)
    withdraw: StrictBool = Field(
        default=False,
        description="upheld: withdraw the record now (else correct it first through "
        "POST /v1/records/{id}/corrections)",
    )


class ObjectionOut(BaseModel):
    id: int
    code: str
    target: Literal["record", "grade"]
    record_id: int | None
    agency: str = Field(description="The receiving agency")
    filed_on: date
    reason: str
    due_on: date = Field(description="Decision due: 15 working days after filing")
    status: Literal["open", "upheld", "rejected"]
    overdue: bool = Field(description="Open after its due day")
    decided_on: date | None
    decision_reason: str | None


class ObjectionPage(BaseModel):
    items: list[ObjectionOut]
    next_cursor: str | None
