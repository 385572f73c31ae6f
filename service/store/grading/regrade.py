"""Keeps stored classes current: re-evaluates enterprises in the writing transaction and
records every change of grade (history + change event). Also owns the rule-set registry
(built-in files + versions an admin published) and point-in-time evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.credit.classification import (
    DEFAULT_RULESET_ID,
    Classification,
    RuleSet,
    RuleSetError,
    builtin_rulesets,
    classify,
    load_ruleset,
)
from service.credit.dossier import Dossier, Fact, RecordStatus
from service.errors import Conflict, FieldError, NotFound, ValidationFailed
from service.models import (
    ClassificationRow,
    CreditRecord,
    Enterprise,
    GradeChange,
    RegistrySetting,
    StoredRuleSet,
    utcnow,
)
from service.store import ledger
from service.store.grading import dossiers

ACTIVE_RULESET_KEY = "active_ruleset"
# The last day on which a full re-grade evaluated every enterprise under the active rule
# set and wrote what differed: an unchanged class stored earlier is that day's class too.
GRADED_THROUGH_KEY = "graded_through"
MAX_RULESET_ID = 64  # ruleset.id and the ruleset columns that cite it


@lru_cache(maxsize=64)
def _parse_stored(ruleset_id: str, body: str) -> RuleSet:
    # A RuleSet is immutable and (id, body) names it exactly, so parsing once per process
    # is safe; regrade runs on every record write and must not re-parse TOML each time.
    return load_ruleset(body, source=f"ruleset {ruleset_id}")


async def all_rulesets(session: AsyncSession) -> dict[str, RuleSet]:
    sets = dict(builtin_rulesets())
    for row in (await session.execute(select(StoredRuleSet))).scalars():
        sets[row.id] = _parse_stored(row.id, row.body)
    return sets


async def active_ruleset_id(session: AsyncSession) -> str:
    setting = await session.get(RegistrySetting, ACTIVE_RULESET_KEY)
    return setting.value if setting else DEFAULT_RULESET_ID


async def mark_graded_through(session: AsyncSession, day: date) -> None:
    setting = await session.get(RegistrySetting, GRADED_THROUGH_KEY)
    if setting is None:
        session.add(RegistrySetting(key=GRADED_THROUGH_KEY, value=day.isoformat()))
    elif setting.value < day.isoformat():
        setting.value = day.isoformat()


async def ruleset_by_id(session: AsyncSession, ruleset_id: str) -> RuleSet:
    builtin = builtin_rulesets()
    if ruleset_id in builtin:
        return builtin[ruleset_id]
    row = await session.get(StoredRuleSet, ruleset_id)
    if row is None:
        raise NotFound(f"no rule set {ruleset_id!r} (see GET /v1/rulesets)")
    return _parse_stored(row.id, row.body)


async def active_ruleset(session: AsyncSession) -> RuleSet:
    return await ruleset_by_id(session, await active_ruleset_id(session))


# --- the rule-set registry ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleSetInfo:
    ruleset: RuleSet
    body: str
    builtin: bool
    active: bool
    published_at: datetime | None
    published_by: int | None


def _builtin_body(ruleset_id: str) -> str:
    path = resources.files("service.credit") / "rulesets" / f"{ruleset_id}.toml"
    return path.read_text(encoding="utf-8")


async def list_rulesets(session: AsyncSession) -> list[RuleSetInfo]:
    """Built-in rule sets first (file order), then published ones by publication time."""
    active = await active_ruleset_id(session)
    out = [
        RuleSetInfo(rs, _builtin_body(rid), True, rid == active, None, None)
        for rid, rs in builtin_rulesets().items()
    ]
    rows = await session.execute(
        select(StoredRuleSet).order_by(col(StoredRuleSet.published_at), col(StoredRuleSet.id))
    )
    for row in rows.scalars():
        out.append(
            RuleSetInfo(
                _parse_stored(row.id, row.body),
                row.body,
                False,
                row.id == active,
                row.published_at,
                row.published_by,
            )
        )
    return out


async def get_ruleset(session: AsyncSession, ruleset_id: str) -> RuleSetInfo:
    for info in await list_rulesets(session):
        if info.ruleset.id == ruleset_id:
            return info
    raise NotFound(f"no rule set {ruleset_id!r} (see GET /v1/rulesets)")


async def publish_ruleset(
    session: AsyncSession, body: str, *, agency_id: int, now: datetime
) -> tuple[RuleSetInfo, bool]:
    """Validate and store a new rule-set version; returns (info, created).

    Versions are immutable because every stored grade names the version that produced
    it: re-publishing the same text is a no-op, different text under a taken id is a
    conflict (publish it under a new id instead).
    """
    try:
        ruleset = load_ruleset(body, source="body")
    except RuleSetError as err:
        raise ValidationFailed(
            f"the rule set is not valid: {err}",
            errors=[FieldError(field="body", rule="ruleset", message=str(err))],
        ) from err
    rid = ruleset.id
    if len(rid) > MAX_RULESET_ID:
        message = f"id {rid!r} is longer than {MAX_RULESET_ID} characters"
        raise ValidationFailed(
            f"the rule set is not valid: {message}",
            errors=[FieldError(field="body", rule="ruleset", message=f"body: {message}")],
        )
    if rid in builtin_rulesets():
        raise Conflict(
            f"rule set {rid!r} is built in and cannot be replaced; publish a new id",
            rule="ruleset-exists",
        )
    existing = await session.get(StoredRuleSet, rid)
    if existing is not None:
        if existing.body != body:
            raise Conflict(
                f"rule set {rid!r} is already published with different rules; versions are "
                "immutable because stored grades cite them — publish a new id",
                rule="ruleset-exists",
            )
        return await get_ruleset(session, rid), False
    session.add(StoredRuleSet(id=rid, body=body, published_at=now, published_by=agency_id))
    await session.flush()
    ledger.emit(
        session,
        "ruleset.published",
        code=None,
        region_code=None,
        data={"id": rid, "title": ruleset.title},
    )
    ledger.audit(session, "ruleset.publish", rid)
    return await get_ruleset(session, rid), True


async def activate_ruleset(session: AsyncSession, ruleset_id: str) -> tuple[str, RuleSetInfo]:
    """Make ``ruleset_id`` the one new grades are computed with; returns the previous id.
    Re-grading the stored classes is the caller's job (see service.store.recompute.run)."""
    info = await get_ruleset(session, ruleset_id)
    previous = await active_ruleset_id(session)
    if previous == ruleset_id:
        return previous, info
    setting = await session.get(RegistrySetting, ACTIVE_RULESET_KEY)
    if setting is None:
        session.add(RegistrySetting(key=ACTIVE_RULESET_KEY, value=ruleset_id))
    else:
        setting.value = ruleset_id
    await session.flush()
    ledger.emit(
        session,
        "ruleset.activated",
        code=None,
        region_code=None,
        data={"id": ruleset_id, "previous": previous},
    )
    ledger.audit(session, "ruleset.activate", ruleset_id)
    return previous, replace(info, active=True)


# --- stored results -----------------------------------------------------------------------


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


def grade_event(
    previous: str | None, result: Classification, reasons: list[dict[str, Any]]
) -> dict[str, Any]:
    """Data of a ``grade.changed`` event (the same from every writer and the recompute)."""
    return {
        "from": previous,
        "to": result.grade.value,
        "ruleset": result.ruleset,
        "as_of": result.as_of.isoformat(),
        "reasons": reasons,
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
        data=grade_event(previous, result, reasons),
    )
    return True


async def regrade(session: AsyncSession, codes: Sequence[str], *, today: date, trigger: str) -> int:
    """Re-evaluate these enterprises now; returns how many changed grade."""
    if not codes:
        return 0
    await session.flush()
    ents = list(
        (await session.execute(select(Enterprise).where(col(Enterprise.code).in_(codes)))).scalars()
    )
    ruleset = await active_ruleset(session)
    current = {
        row.code: row
        for row in (
            await session.execute(
                select(ClassificationRow).where(col(ClassificationRow.code).in_(codes))
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


# --- point in time --------------------------------------------------------------------------


def status_known_at(
    status: RecordStatus, changed_at: datetime | None, known_at: datetime
) -> RecordStatus:
    """A record's status as the registry knew it at ``known_at``: records start active, and
    an overturn, withdrawal or correction known only later had not happened yet."""
    if status is RecordStatus.ACTIVE or changed_at is None or changed_at <= known_at:
        return status
    return RecordStatus.ACTIVE


async def _facts_known_at(session: AsyncSession, code: str, known_at: datetime) -> list[Fact]:
    rows = list(
        (
            await session.execute(
                select(CreditRecord).where(
                    col(CreditRecord.code) == code, col(CreditRecord.recorded_at) <= known_at
                )
            )
        ).scalars()
    )
    # A superseded version stopped counting when its correction was recorded; use that
    # when the status change itself carries no timestamp.
    corrected_at = {r.supersedes_id: r.recorded_at for r in rows if r.supersedes_id is not None}
    facts = []
    for row in rows:
        fact = dossiers.fact_of(row)
        changed_at = row.status_changed_at
        if changed_at is None and fact.status is RecordStatus.SUPERSEDED:
            # not in corrected_at: its correction came after known_at, so it still counted
            changed_at = corrected_at.get(fact.id, datetime.max.replace(tzinfo=known_at.tzinfo))
        status = status_known_at(fact.status, changed_at, known_at)
        facts.append(fact if status is fact.status else replace(fact, status=status))
    return facts


async def evaluate(
    session: AsyncSession,
    enterprise: Enterprise,
    as_of: date,
    *,
    known_at: datetime | None = None,
    ruleset: RuleSet | None = None,
) -> Classification:
    """Classification computed now from the dossier (for reads, `as_of` and `known_at`).

    With ``known_at`` the dossier is replayed as the registry knew it then: records
    recorded later are left out and later status changes (overturned, withdrawn,
    superseded) are undone.
    """
    [dossier] = await dossiers.load(session, [enterprise], as_of)
    if known_at is not None:
        facts = await _facts_known_at(session, enterprise.code, known_at)
        dossier = Dossier(
            code=dossier.code,
            facts=tuple(facts),
            product_risks=dossier.product_risks,
            active_listing_ids=dossier.active_listing_ids,
        )
    return classify(dossier, as_of, ruleset or await active_ruleset(session), known_at=known_at)


async def history(
    session: AsyncSession, code: str, *, before_id: int | None, limit: int
) -> list[GradeChange]:
    """Grade changes of one enterprise, newest first (limit + 1 rows to detect a next page)."""
    stmt = (
        select(GradeChange)
        .where(col(GradeChange.code) == code)
        .order_by(col(GradeChange.id).desc())
        .limit(limit + 1)
    )
    if before_id is not None:
        stmt = stmt.where(col(GradeChange.id) < before_id)
    return list((await session.execute(stmt)).scalars())
