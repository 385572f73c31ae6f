"""Enterprises, keyed by the unified social credit code, and their registered barcodes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from service.models.base import JSONType, UTCDateTime, utcnow


class Enterprise(SQLModel, table=True):
    __tablename__ = "enterprise"
    __table_args__ = (Index("ix_enterprise_region_grade", "region_code", "grade"),)

    code: str = Field(primary_key=True, max_length=18)
    org_code: str = Field(max_length=9, unique=True)
    name: str = Field(max_length=200)
    # name folded for search (NFKC, no spaces, company-form suffixes stripped)
    name_key: str = Field(max_length=200, index=True)
    region_code: str = Field(max_length=6)
    industry: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    legal_representative: str | None = Field(default=None, max_length=100)
    established_on: date | None = None
    products: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    # current grade, kept in step with the classification table for list filters
    grade: str | None = Field(default=None, max_length=2)
    created_by: int | None = Field(default=None, foreign_key="agency.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # bumped on every change of the enterprise or anything derived from it (ETag)
    version: int = Field(default=1)


class Gtin(SQLModel, table=True):
    """A product barcode (物品编码) registered to its producer, for traceability."""

    __tablename__ = "gtin"

    gtin: str = Field(primary_key=True, max_length=14)
    code: str = Field(foreign_key="enterprise.code", index=True, max_length=18)
    product_name: str | None = Field(default=None, max_length=200)
    product_category: str | None = Field(default=None, max_length=32)
    registered_by: int | None = Field(default=None, foreign_key="agency.id")
    registered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
