"""Request and response models shared by several routers (Create / Public / Page families)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

T = TypeVar("T")

# Row ids are INTEGER (32-bit) or BIGINT columns on PostgreSQL: a larger id is a 422, never
# a driver overflow (a 500) halfway through a request.
MAX_ID = 2**31 - 1
MAX_BIG_ID = 2**63 - 1  # records, feed and history rows (BigIntId)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold U+0000 (the insert fails: a 500) while SQLite stores
        # it silently; refuse it on both, naming the field.
        if _has_nul(value):
            raise PydanticCustomError("nul-character", "text must not contain U+0000 (NUL)")
        return value


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last"
    )
    dataset_version: int | None = Field(
        default=None, description="Feed seq the data reflects (see /v1/changes)"
    )


class EnterpriseIn(StrictModel):
    name: str = Field(min_length=1, max_length=200, examples=["盘锦示例乳业有限公司"])
    region_code: str | None = Field(
        default=None,
        pattern=r"^\d{6}$",
        description="GB/T 2260 division; defaults to positions 3-8 of the code",
    )
    industry: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    legal_representative: str | None = Field(default=None, max_length=100)
    established_on: date | None = None
    products: list[str] = Field(
        default_factory=list, max_length=100, description="Catalog category codes"
    )


class ReasonOut(BaseModel):
    rule: str
    text: str
    text_en: str
    grade: str
    record_ids: list[int]


class SupervisionOut(BaseModel):
    mode: str
    mode_zh: str
    risk_level: str | None
    inspections_per_year: float | None
    key_supervised: bool
    accountability_interview: bool
    rectification_required: bool


class ClassificationOut(BaseModel):
    code: str
    grade: Literal["AA", "A", "B", "C"]
    ruleset: str
    as_of: date
    known_at: datetime | None = None
    reasons: list[ReasonOut]
    supervision: SupervisionOut


class EnterpriseOut(BaseModel):
    code: str
    org_code: str
    name: str
    region_code: str
    region_name: str | None
    industry: str | None
    address: str | None
    legal_representative: str | None
    established_on: date | None
    products: list[str]
    classification: ClassificationOut | None
    blacklisted: bool
    created_at: datetime
    updated_at: datetime


class EnterpriseSummary(BaseModel):
    code: str
    org_code: str
    name: str
    region_code: str
    grade: str | None
    products: list[str]


class CatalogItem(BaseModel):
    code: str
    name: str
    name_en: str
    risk_level: Literal["I", "II", "III"]


class CatalogItemIn(StrictModel):
    name: str = Field(min_length=1, max_length=100)
    name_en: str = Field(default="", max_length=100)
    risk_level: Literal["I", "II", "III"]


class CatalogOut(BaseModel):
    items: list[CatalogItem]


def drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}
