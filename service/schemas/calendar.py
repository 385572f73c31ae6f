"""Working-day calendar overrides (holidays and 调休 make-up days) loaded by an operator."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictBool

from service.schemas import StrictModel
from service.schemas.fields import IsoDate


class CalendarDayIn(StrictModel):
    day: IsoDate = Field(examples=["2027-10-01"])
    working: StrictBool = Field(
        description="true: a working day (e.g. a make-up Sunday); false: a holiday"
    )
    note: str = Field(default="", max_length=100, examples=["国庆节"])


class CalendarOut(BaseModel):
    items: list[CalendarDayIn] = Field(description="Every override, by day")
