"""Grades decided by people (seed 000: the provincial quality authority leads the
classification): a regulator confirms the computed class or overrides it for a time.

Pure: the review, the computed class and the day come in. Reading choices are in
docs/legal.md ("Publication (Order 45) and human review"):
- an override stays in force until ``expires_on`` (exclusive, like every end day here), or
  until the dossier computes a class *lower* than the one the reviewer saw — new adverse
  facts the reviewer did not weigh end the override at once; an improvement does not;
- an override must name a grade other than the computed one and a future expiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from service.credit.ruleset import Grade

# Lowest (strictest supervision) first: C < B < A < AA.
RANK: dict[str, int] = {"C": 0, "B": 1, "A": 2, "AA": 3}


class Action(StrEnum):
    CONFIRM = "confirm"
    OVERRIDE = "override"


@dataclass(frozen=True, slots=True)
class Review:
    action: Action
    grade: Grade  # the grade the reviewer decided (the computed one for a confirm)
    computed_grade: Grade  # what the rules computed when the reviewer looked
    reviewed_on: date
    expires_on: date | None


def lower(a: Grade | str, b: Grade | str) -> bool:
    """``a`` is a lower (worse) class than ``b``."""
    return RANK[str(a)] < RANK[str(b)]


def in_force(review: Review, computed_now: Grade | str, on: date) -> bool:
    """Whether the override decides the class on ``on`` instead of the rules."""
    if review.action is not Action.OVERRIDE or on < review.reviewed_on:
        return False
    if review.expires_on is not None and on >= review.expires_on:
        return False
    return not lower(computed_now, review.computed_grade)


def grade_in_force(review: Review | None, computed_now: Grade, on: date) -> Grade:
    if review is not None and in_force(review, computed_now, on):
        return review.grade
    return computed_now


@dataclass(frozen=True, slots=True)
class ReviewProblem:
    field: str
    rule: str
    message: str
    expected: str | None = None


def check(
    action: Action,
    grade: Grade | None,
    expires_on: date | None,
    *,
    computed: Grade,
    today: date,
) -> list[ReviewProblem]:
    problems: list[ReviewProblem] = []
    if action is Action.CONFIRM:
        if grade is not None and grade is not computed:
            problems.append(
                ReviewProblem(
                    "grade",
                    "confirm-computed",
                    "a confirmation confirms the computed grade; use override to change it",
                    expected=computed.value,
                )
            )
        return problems
    if grade is None:
        problems.append(ReviewProblem("grade", "missing", "an override needs a grade"))
    elif grade is computed:
        problems.append(
            ReviewProblem(
                "grade",
                "override-same-grade",
                f"the computed grade is already {computed.value}; use confirm",
            )
        )
    if expires_on is None:
        problems.append(ReviewProblem("expires_on", "missing", "an override needs an expiry"))
    elif expires_on <= today:
        problems.append(
            ReviewProblem(
                "expires_on", "future", "must be after today", expected=f"> {today.isoformat()}"
            )
        )
    return problems
