"""Request and response models shared by several routers (Create / Public / Page families)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from service.schemas.fields import CheckedModel, IsoDate

T = TypeVar("T")


class StrictModel(CheckedModel):
    """Request bodies: unknown fields are an error, not silently dropped; strings carry no
    control characters (:mod:`service.schemas.fields`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
    established_on: IsoDate | None = None
    products: list[str] = Field(
        default_factory=list, max_length=100, description="Catalog category codes"
    )


class ReasonOut(BaseModel):
    rule: str
    text: str
    text_en: str
    grade: str
    record_ids: list[int]
    disputed_record_ids: list[int] = Field(
        default_factory=list,
        description="Of `record_ids`, those under an open objection (信用异议)",
    )


class SupervisionOut(BaseModel):
    mode: str
    mode_zh: str
    risk_level: str | None
    inspections_per_year: float | None
    key_supervised: bool
    accountability_interview: bool
    rectification_required: bool


class ReviewOut(BaseModel):
    """A regulator's review of the computed class (分类结果复核)."""

    action: Literal["confirm", "override"]
    grade: Literal["AA", "A", "B", "C"] = Field(description="The grade the reviewer decided")
    computed_grade: Literal["AA", "A", "B", "C"] = Field(
        description="What the rules computed when the reviewer looked"
    )
    reason: str
    agency: str = Field(description="The reviewing agency")
    reviewed_on: date
    expires_on: date | None = Field(description="An override ends on this day")
    in_force: bool = Field(
        description="The override decides the class now (false once expired, or once the "
        "dossier computes a lower class than the reviewer saw)"
    )


class ClassificationOut(BaseModel):
    code: str
    grade: Literal["AA", "A", "B", "C"] = Field(description="The class in force")
    ruleset: str
    as_of: date
    known_at: datetime | None = None
    reasons: list[ReasonOut]
    supervision: SupervisionOut = Field(description="The plan of the class in force")
    computed_grade: Literal["AA", "A", "B", "C"] | None = Field(
        default=None, description="What the rules compute (differs from `grade` under an override)"
    )
    review: ReviewOut | None = Field(default=None, description="The latest review, if any")


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
