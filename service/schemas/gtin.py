"""Product barcodes (商品条码 / 物品编码) registered to enterprises."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from service.schemas import StrictModel


class GtinIn(StrictModel):
    gtin: str = Field(
        min_length=1,
        max_length=32,
        description="GTIN-8, -12, -13 or -14; spaces and hyphens are ignored",
        examples=["6901234567892"],
    )
    product_name: str | None = Field(default=None, max_length=200, examples=["纯牛奶 250ml"])
    product_category: str | None = Field(
        default=None, max_length=32, description="Catalog category code", examples=["dairy"]
    )


class GtinOut(BaseModel):
    gtin: str = Field(description="Canonical 14-digit form (shorter GTINs zero-padded)")
    code: str
    product_name: str | None
    product_category: str | None
    registered_at: datetime


class GtinPage(BaseModel):
    items: list[GtinOut]


class ProducerOut(BaseModel):
    code: str
    name: str
    region_code: str
    region_name: str | None
    grade: str | None = Field(description="Current supervision class AA/A/B/C")
    ruleset: str | None
    blacklisted: bool


class GtinLookupOut(GtinOut):
    producer: ProducerOut
