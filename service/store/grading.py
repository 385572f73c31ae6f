"""Keeps stored classes current: re-evaluates enterprises in the writing transaction and
records every change of grade (history + change event)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.credit.classification import (
    DEFAULT_RULESET_ID,
    Classification,
    RuleSet,
    builtin_rulesets,
    classify,
    load_ruleset,
)
from service.errors import NotFound
from service.models import (
    ClassificationRow,
    Enterprise,
    GradeChange,
    RegistrySetting,
    StoredRuleSet,
    utcnow,
)
from service.store import dossiers, ledger

ACTIVE_RULESET_KEY = "active_ruleset"


async def all_rulesets(session: AsyncSession) -> dict[str, RuleSet]:
    sets = dict(builtin_rulesets())
    for row in (await session.execute(select(StoredRuleSet))).scalars():
        sets[row.id] = load_ruleset(row.body, source=f"ruleset {row.id}")
    return sets


async def active_ruleset_id(session: AsyncSession) -> str:
    setting = await session.get(RegistrySetting, ACTIVE_RULESET_KEY)
    return setting.value if setting else DEFAULT_RULESET_ID


async def active_ruleset(session: AsyncSession) -> RuleSet:
    ruleset_id = await active_ruleset_id(session)
    builtin = builtin_rulesets()
    if ruleset_id in builtin:
        return builtin[ruleset_id]
    row = await session.get(StoredRuleSet, ruleset_id)
    if row is None:
        raise NotFound(f"active rule set {ruleset_id} is missing")
    return load_ruleset(row.body, source=f"ruleset {row.id}")


def reasons_json(result: Classification) -> list[dict[str, Any]]:
    return [
        {
            "rule": r.rule,
            "grade": r.grade.value,
            "text": r.text_zh,
            "text_en": r.text_en,
            "record_ids": list(r.record_ids),
        }
        for r in result.reasons
    ]


def supervision_json(result: Classification) -> dict[str, Any]:
    s = result.supervision
    return {
        "mode": s.mode,
        "mode_zh": s.mode_zh,
        "risk_level": s.risk_level.value if s.risk_level else None,
        "inspections_per_year": s.inspections_per_year,
        "key_supervised": s.key_supervised,
        "accountability_interview": s.accountability_interview,
        "rectification_required": s.rectification_required,
    }


async def store_result(
    session: AsyncSession,
    enterprise: Enterprise,
    current: ClassificationRow | None,
    result: Classification,
    *,
    trigger: str,
) -> bool:
    """Upsert the current class; on a change of grade add history and an event.
    Returns True when the grade changed."""
    reasons = reasons_json(result)
    supervision = supervision_json(result)
    if current is None:
        current = ClassificationRow(
            code=enterprise.code,
            grade=result.grade.value,
            ruleset=result.ruleset,
            as_of=result.as_of,
            reasons=reasons,
            supervision=supervision,
        )
        session.add(current)
        previous = None
    else:
        previous = current.grade
        current.grade = result.grade.value
        current.ruleset = result.ruleset
        current.as_of = result.as_of
        current.reasons = reasons
        current.supervision = supervision
        current.computed_at = utcnow()
    if previous == result.grade.value:
        return False
    enterprise.grade = result.grade.value
    session.add(
        GradeChange(
            code=enterprise.code,
            from_grade=previous,
            to_grade=result.grade.value,
            as_of=result.as_of,
            ruleset=result.ruleset,
            trigger=trigger,
            reasons=reasons,
        )
    )
    ledger.emit(
        session,
        "grade.changed",
        code=enterprise.code,
        region_code=enterprise.region_code,
        data={
            "from": previous,
            "to": result.grade.value,
            "ruleset": result.ruleset,
            "as_of": result.as_of.isoformat(),
            "reasons": reasons,
        },
    )
    return True


async def regrade(session: AsyncSession, codes: Sequence[str], *, today: date, trigger: str) -> int:
    """Re-evaluate these enterprises now; returns how many changed grade."""
    if not codes:
        return 0
    await session.flush()
    ents = list(
        (await session.execute(select(Enterprise).where(Enterprise.code.in_(codes)))).scalars()  # type: ignore[attr-defined]
    )
    ruleset = await active_ruleset(session)
    current = {
        row.code: row
        for row in (
            await session.execute(
                select(ClassificationRow).where(ClassificationRow.code.in_(codes))  # type: ignore[attr-defined]
            )
        ).scalars()
    }
    changed = 0
    for enterprise, dossier in zip(ents, await dossiers.load(session, ents, today), strict=True):
        result = classify(dossier, today, ruleset)
        changed += await store_result(
            session, enterprise, current.get(enterprise.code), result, trigger=trigger
        )
    await session.flush()
    return changed


async def evaluate(
    session: AsyncSession,
    enterprise: Enterprise,
    as_of: date,
    *,
    known_at: Any = None,
    ruleset: RuleSet | None = None,
) -> Classification:
    """Classification computed now from the dossier (for reads, `as_of` and `known_at`)."""
    [dossier] = await dossiers.load(session, [enterprise], as_of)
    return classify(dossier, as_of, ruleset or await active_ruleset(session), known_at=known_at)
