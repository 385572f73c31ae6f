"""Reference data: product catalog, working-day calendar, rule sets, registry settings."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from service.models.base import UTCDateTime, utcnow


class CatalogCategory(SQLModel, table=True):
    """重点监管产品目录 — a product category and its risk level (I high … III general)."""

    __tablename__ = "catalog_category"

    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=100)
    name_en: str = Field(default="", max_length=100)
    risk_level: str = Field(max_length=3)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CalendarDay(SQLModel, table=True):
    """Operator-loaded working-day overrides (holidays, 调休 make-up days) beyond the package."""

    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    working: bool
    note: str = Field(default="", max_length=100)


class StoredRuleSet(SQLModel, table=True):
    """Classification rule sets published by an admin (built-in ones ship as files)."""

    __tablename__ = "ruleset"

    id: str = Field(primary_key=True, max_length=64)
    body: str
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_by: int | None = Field(default=None, foreign_key="agency.id")


class RegistrySetting(SQLModel, table=True):
    __tablename__ = "registry_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str
