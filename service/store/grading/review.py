"""Reviews of computed classes (分类结果复核): confirm, or override for a time.

``classification`` keeps what the rules compute; a review is stored beside it and applied
when the class is read (lookups, ``GET .../classification``, screening, supervision plans),
so expiry and lapse on a lower computed class need no job (design.md: expiry is evaluated
at read time). The rule is :mod:`service.credit.review`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.credit import review as rules
from service.credit.classification import Classification
from service.credit.ruleset import Grade, RuleSet
from service.errors import FieldError, ValidationFailed
from service.models import Agency, ClassificationReview, ClassificationRow, Enterprise, GradeChange
from service.store import ledger
from service.store.grading import regrade as grading


def review_of(row: ClassificationReview) -> rules.Review:
    return rules.Review(
        action=rules.Action(row.action),
        grade=Grade(row.grade),
        computed_grade=Grade(row.computed_grade),
        reviewed_on=row.reviewed_on,
        expires_on=row.expires_on,
    )


async def latest(session: AsyncSession, code: str) -> tuple[ClassificationReview, str] | None:
    """The enterprise's latest review and the reviewing agency's name."""
    stmt = (
        select(ClassificationReview, col(Agency.name))
        .join(Agency, col(Agency.id) == col(ClassificationReview.agency_id))
        .where(col(ClassificationReview.code) == code, col(ClassificationReview.latest))
    )
    found = (await session.execute(stmt)).first()
    return (found[0], found[1]) if found else None


def review_json(row: ClassificationReview, agency: str, *, in_force: bool) -> dict[str, Any]:
    return {
        "action": row.action,
        "grade": row.grade,
        "computed_grade": row.computed_grade,
        "reason": row.reason,
        "agency": agency,
        "reviewed_on": row.reviewed_on.isoformat(),
        "expires_on": row.expires_on.isoformat() if row.expires_on else None,
        "in_force": in_force,
    }


def apply(
    result: Classification,
    found: tuple[ClassificationReview, str] | None,
    ruleset: RuleSet,
) -> tuple[Classification, dict[str, Any] | None]:
    """The class in force on ``result.as_of`` and the review to show with it (none before
    the review was made)."""
    if found is None or found[0].reviewed_on > result.as_of:
        return result, None
    row, agency = found
    r = review_of(row)
    active = rules.in_force(r, result.grade, result.as_of)
    out = result
    if active:
        plan = ruleset.supervision_for(r.grade, result.supervision.risk_level)
        out = replace(result, grade=r.grade, supervision=plan)
    return out, review_json(row, agency, in_force=active)


def _invalid(problems: list[rules.ReviewProblem]) -> ValidationFailed:
    return ValidationFailed(
        "; ".join(p.message for p in problems),
        errors=[
            FieldError(field=p.field, rule=p.rule, message=p.message, expected=p.expected)
            for p in problems
        ],
    )


async def post(
    session: AsyncSession,
    principal: Principal,
    enterprise: Enterprise,
    *,
    action: rules.Action,
    grade: Grade | None,
    reason: str,
    expires_on: date | None,
    today: date,
) -> tuple[Classification, dict[str, Any]]:
    """Store a review made today; returns the class in force and the review document.

    Written with an audit entry, a ``grade.reviewed`` event and — when it changes the
    class in force — a grade-history row naming the agency and the reason."""
    principal.require_region(enterprise.region_code)
    ruleset = await grading.active_ruleset(session)
    computed = await grading.evaluate(session, enterprise, today, ruleset=ruleset)
    problems = rules.check(action, grade, expires_on, computed=computed.grade, today=today)
    if problems:
        raise _invalid(problems)
    before, _ = apply(computed, await latest(session, enterprise.code), ruleset)
    decided = grade if action is rules.Action.OVERRIDE and grade is not None else computed.grade
    plan = ruleset.supervision_for(decided, computed.supervision.risk_level)
    await session.execute(
        update(ClassificationReview)
        .where(col(ClassificationReview.code) == enterprise.code, col(ClassificationReview.latest))
        .values(latest=False)
    )
    row = ClassificationReview(
        code=enterprise.code,
        action=action.value,
        grade=decided.value,
        computed_grade=computed.grade.value,
        reason=reason,
        agency_id=principal.agency_id,
        reviewed_on=today,
        expires_on=expires_on if action is rules.Action.OVERRIDE else None,
        inspections_per_year=plan.inspections_per_year,
    )
    session.add(row)
    await session.flush()
    agency = await session.get(Agency, principal.agency_id)
    after, doc = apply(computed, (row, agency.name if agency else ""), ruleset)
    assert doc is not None  # reviewed today, so shown today
    if after.grade is not before.grade:
        session.add(
            GradeChange(
                code=enterprise.code,
                from_grade=before.grade.value,
                to_grade=after.grade.value,
                as_of=today,
                ruleset=computed.ruleset,
                trigger="review",
                reasons=grading.reasons_json(computed),
                agency_id=principal.agency_id,
                reason=reason,
            )
        )
    ledger.emit(
        session,
        "grade.reviewed",
        code=enterprise.code,
        region_code=enterprise.region_code,
        data={**doc, "from": before.grade.value, "to": after.grade.value},
    )
    ledger.audit(session, f"classification.{action.value}", f"enterprise/{enterprise.code}")
    return after, doc


# --- SQL: the class in force, for screening and supervision plans ------------------------


def _rank(column: Any) -> Any:
    return case(rules.RANK, value=column, else_=-1)


def in_force_sql(computed: Any, today: date) -> Any:
    """SQL condition on a row joined with its latest review (``ClassificationReview``):
    the override decides the class on ``today`` (:func:`service.credit.review.in_force`)."""
    r = ClassificationReview
    return and_(
        col(r.action) == rules.Action.OVERRIDE.value,
        col(r.reviewed_on) <= today,
        or_(col(r.expires_on).is_(None), col(r.expires_on) > today),
        _rank(computed) >= _rank(col(r.computed_grade)),
    )


def latest_join() -> Any:
    """ON clause joining an enterprise's latest review (left outer)."""
    return and_(
        col(ClassificationReview.code) == col(ClassificationRow.code),
        col(ClassificationReview.latest),
    )


def grade_in_force_sql(today: date) -> Any:
    return case(
        (in_force_sql(col(ClassificationRow.grade), today), col(ClassificationReview.grade)),
        else_=col(ClassificationRow.grade),
    )


async def changed_since_review(
    session: AsyncSession, *, region: str | None, after: str | None, limit: int, today: date
) -> list[dict[str, Any]]:
    """Enterprises whose stored computed class differs from the one their latest review
    saw, by code (``limit + 1`` rows)."""
    r = ClassificationReview
    stmt = (
        select(
            col(Enterprise.code),
            col(Enterprise.name),
            col(Enterprise.region_code),
            col(ClassificationRow.grade),
            r,
            col(Agency.name),
        )
        .join(ClassificationRow, col(ClassificationRow.code) == col(Enterprise.code))
        .join(r, latest_join())
        .join(Agency, col(Agency.id) == col(r.agency_id))
        .where(col(ClassificationRow.grade) != col(r.computed_grade))
        .order_by(col(Enterprise.code))
        .limit(limit + 1)
    )
    if region:
        stmt = stmt.where(col(Enterprise.region_code).startswith(region))
    if after:
        stmt = stmt.where(col(Enterprise.code) > after)
    out = []
    for code, name, region_code, computed, row, agency in await session.execute(stmt):
        active = rules.in_force(review_of(row), computed, today)
        out.append(
            {
                "code": code,
                "name": name,
                "region_code": region_code,
                "computed_grade": computed,
                "review": review_json(row, agency, in_force=active),
            }
        )
    return out


async def agency_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    stmt = select(col(Agency.id), col(Agency.name)).where(col(Agency.id).in_(ids))
    return {i: n for i, n in await session.execute(stmt) if i is not None}
