"""Administrative-penalty publication (行政处罚信息公示) and credit repair (信用修复).

Pure: the penalty's facts and the day come in; nothing here reads a clock or a database.

Sources (docs/legal.md, "Publication (Order 45) and human review"):
- SAMR Order 45 (2021, 《市场监督管理行政处罚信息公示规定》): a penalty is public for
  3 years; one that is only a warning or a lower-amount fine (较低数额罚款) for 3 months;
  a penalty revoked or found unlawful is withdrawn within 3 working days.
- 国市监信规〔2021〕3号 (《市场监督管理信用修复管理办法》): on the party's application,
  publication may end early once it has run 6 months — 1 year for food, drugs and special
  equipment — if the penalty's obligations were performed, the harm eliminated and no new
  heavier penalty (较重行政处罚) was received.

Reading choices: the window runs from the decision day (design.md; the registry publishes on
receipt, so the decision day is the earliest publication day); a "lower-amount fine" is one
the Administrative Penalty Law (2021) Art.51 lets a legal person be fined on the spot
(简易程序): at most 3,000 yuan. A province that sets its own amount changes
:data:`SMALL_FINE_MAX_YUAN`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from service.credit.deadlines import WorkCalendar, add_months, add_years

# 行政处罚法 (2021) Art.51: on-the-spot fines for a legal person or other organization are at
# most 3,000 yuan — our reading of Order 45's 较低数额罚款 (docs/legal.md).
SMALL_FINE_MAX_YUAN = Decimal(3000)
LONG_YEARS = 3  # Order 45: 3 years
SHORT_MONTHS = 3  # Order 45: 3 months for a warning or a lower-amount fine only
WITHDRAW_WORKING_DAYS = 3  # Order 45: withdrawn within 3 working days of a revocation
REPAIR_MONTHS = 6  # 国市监信规〔2021〕3号: publication has run at least 6 months
REPAIR_MONTHS_STRICT = 12  # ... 1 year for food, drugs and special equipment
# Catalog categories in the food, drug and special-equipment fields (the stricter repair
# period). Codes of the default catalog (migration 0002) and of the completeness migration.
STRICT_SECTORS: frozenset[str] = frozenset(
    {
        # food (食品)
        "dairy",
        "infant-formula",
        "meat",
        "food-additive",
        "edible-oil",
        "liquor",
        "alcoholic-drink",
        "bottled-water",
        "frozen-drink",
        "condiment",
        "edible-agri-product",
        "grain",
        "food-related",
        "food-packaging",
        # drugs (药品)
        "drug",
        # special equipment (特种设备)
        "special-equipment",
        "lpg-cylinder",
        "elevator",
        "boiler",
        "oil-gas-pipeline",
    }
)
_MILD_TYPES = frozenset({"warning", "fine"})


class Window(StrEnum):
    SHORT = "short"  # 3 months
    LONG = "long"  # 3 years


@dataclass(frozen=True, slots=True)
class Penalty:
    """What publication depends on. ``decided_on`` is the decision day (处罚决定日期)."""

    decided_on: date
    penalty_types: frozenset[str]
    fine_amount: Decimal | None
    heavier: bool
    sectors: frozenset[str] = frozenset()  # product categories the penalty concerns


def window(p: Penalty) -> Window:
    """Order 45: 3 months only for a warning and/or a lower-amount fine, not heavier."""
    if p.heavier or not p.penalty_types or not p.penalty_types <= _MILD_TYPES:
        return Window.LONG
    if "fine" in p.penalty_types and (p.fine_amount is None or p.fine_amount > SMALL_FINE_MAX_YUAN):
        return Window.LONG
    return Window.SHORT


def public_until(p: Penalty) -> date:
    """The first day the penalty is no longer public (the day before it still is)."""
    if window(p) is Window.SHORT:
        return add_months(p.decided_on, SHORT_MONTHS)
    return add_years(p.decided_on, LONG_YEARS)


def is_public(
    p: Penalty, today: date, *, active: bool = True, repaired_on: date | None = None
) -> bool:
    """Public on ``today``: decided, inside its window, not revoked (``active``) and not
    ended early by a credit repair granted on or before ``today``."""
    if not active or today < p.decided_on or today >= public_until(p):
        return False
    return repaired_on is None or today < repaired_on


def withdraw_by(revoked_on: date, cal: WorkCalendar) -> date:
    """Order 45: a revoked penalty leaves publication within 3 working days."""
    return cal.add_working_days(revoked_on, WITHDRAW_WORKING_DAYS)


def strict_sector(sectors: Collection[str]) -> bool:
    return any(s in STRICT_SECTORS for s in sectors)


def repair_earliest(p: Penalty) -> date:
    """国市监信规〔2021〕3号: the first day early ending may be granted."""
    months = REPAIR_MONTHS_STRICT if strict_sector(p.sectors) else REPAIR_MONTHS
    return add_months(p.decided_on, months)


@dataclass(frozen=True, slots=True)
class RepairProblem:
    field: str
    rule: str
    message: str
    expected: str | None = None


def check_repair(
    p: Penalty,
    *,
    granted_on: date,
    today: date,
    performed: bool,
    harm_eliminated: bool,
    heavier_since: Iterable[date],
) -> list[RepairProblem]:
    """Why early ending cannot be granted on ``granted_on`` (empty: it can).

    ``heavier_since`` are the decision days of the enterprise's other heavier penalties."""
    problems: list[RepairProblem] = []
    if granted_on > today:
        problems.append(RepairProblem("granted_on", "not-in-future", "cannot be in the future"))
    earliest = repair_earliest(p)
    if granted_on < earliest:
        months = REPAIR_MONTHS_STRICT if strict_sector(p.sectors) else REPAIR_MONTHS
        problems.append(
            RepairProblem(
                "granted_on",
                "repair-min-period",
                f"publication must have run {months} months (国市监信规〔2021〕3号)",
                expected=f">= {earliest.isoformat()}",
            )
        )
    if not performed:
        problems.append(
            RepairProblem("performed", "repair-obligations", "the penalty must be performed")
        )
    if not harm_eliminated:
        problems.append(
            RepairProblem("harm_eliminated", "repair-obligations", "the harm must be eliminated")
        )
    later = sorted(d for d in heavier_since if p.decided_on < d <= granted_on)
    if later:
        problems.append(
            RepairProblem(
                "granted_on",
                "repair-heavier-since",
                f"a heavier penalty was decided on {later[0].isoformat()} since this one",
            )
        )
    if granted_on >= public_until(p):
        problems.append(
            RepairProblem(
                "granted_on",
                "repair-window-over",
                "publication had already ended",
                expected=f"< {public_until(p).isoformat()}",
            )
        )
    return problems
