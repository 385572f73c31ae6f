"""Load rule sets from TOML, strictly, and find the packaged ones.

Strict because a rule set decides how a million enterprises are supervised: a typo in a
key or a predicate name must stop the load with a message naming the file, the rule and
the field — never silently drop a rule.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

from service.credit.dossier import RiskLevel
from service.credit.rules import PREDICATES
from service.credit.ruleset import (
    Condition,
    Effect,
    Grade,
    Rule,
    RuleSet,
    RuleSetError,
    SupervisionPolicy,
)

__all__ = ["AS_NEEDED", "FORMAT_VERSION", "PLACEHOLDERS", "builtin_rulesets", "load_ruleset"]

FORMAT_VERSION = 1
AS_NEEDED = "as-needed"  # TOML has no null: "inspect as needed" (AA × Ⅲ)
# What a reason text may interpolate (sample values are used to test-render at load).
PLACEHOLDERS: Mapping[str, object] = MappingProxyType(
    {
        "count": 1,
        "months": 24,
        "min_count": 1,
        "max_count": 0,
        "listing_ids": "7",
        "categories": "dairy",
    }
)

_TOP_KEYS = {"format_version", "id", "title", "title_zh", "basis", "supervision", "rule"}
_POLICY_KEYS = {
    "mode",
    "mode_zh",
    "key_supervised",
    "accountability_interview",
    "rectification_required",
    "inspections_per_year",
}
_CONDITION_KEYS = {
    "predicate",
    "window_months",
    "min_count",
    "max_count",
    "risk_levels",
    "each_product",
}
_TEXT_KEYS = {"text_zh", "text_en", "unmet_text_zh", "unmet_text_en"}
_RULE_KEYS = {"id", "grade", "effect", "basis", "any_of"} | _TEXT_KEYS | _CONDITION_KEYS
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_MAX_WINDOW_MONTHS = 1200
_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "a boolean",
    list: "an array",
    dict: "a table",
}


def _fail(where: str, message: str) -> RuleSetError:
    return RuleSetError(f"{where}: {message}")


def _check_keys(table: Mapping[str, object], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        listed = ", ".join(map(repr, unknown))
        raise _fail(where, f"unknown key(s) {listed}; allowed: {', '.join(sorted(allowed))}")


def _get(table: Mapping[str, object], key: str, typ: type, where: str, *, required: bool) -> object:
    if key not in table:
        if required:
            raise _fail(where, f"missing required key {key!r}")
        return None
    value = table[key]
    # bool is an int in Python, but a count of `true` is a mistake, not 1.
    if not isinstance(value, typ) or (isinstance(value, bool) and typ is not bool):
        raise _fail(where, f"{key!r} must be {_TYPE_NAMES.get(typ, typ.__name__)}, got {value!r}")
    return value


def _int(table: Mapping[str, object], key: str, where: str) -> int | None:
    value = _get(table, key, int, where, required=False)
    return value if isinstance(value, int) else None


def _str(table: Mapping[str, object], key: str, where: str, *, required: bool = True) -> str | None:
    value = _get(table, key, str, where, required=required)
    if not isinstance(value, str):
        return None
    if not value.strip():
        raise _fail(where, f"{key!r} must not be empty")
    return value


def _text(table: Mapping[str, object], key: str, where: str, *, required: bool) -> str | None:
    text = _str(table, key, where, required=required)
    if text is None:
        return None
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)]
    except ValueError as exc:
        raise _fail(where, f"{key!r} is not a valid text template: {exc}") from None
    for name, spec, conv in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + n + "}" for n in PLACEHOLDERS)
            raise _fail(where, f"{key!r} uses unknown placeholder {{{name}}}; allowed: {allowed}")
        if spec or conv:
            raise _fail(where, f"{key!r}: placeholder {{{name}}} takes no format spec")
    return text


def _grade(value: object, where: str, key: str) -> Grade:
    try:
        return Grade(str(value))
    except ValueError:
        allowed = ", ".join(g.value for g in Grade)
        raise _fail(where, f"{key} must be one of {allowed}, got {value!r}") from None


def _condition(table: Mapping[str, object], where: str, effect: Effect) -> Condition:
    _check_keys(table, _CONDITION_KEYS, where)
    name = _str(table, "predicate", where)
    predicate = PREDICATES.get(str(name))
    if predicate is None:
        known = ", ".join(sorted(PREDICATES))
        raise _fail(where, f"unknown predicate {name!r}; known: {known}")

    window = _int(table, "window_months", where)
    if window is not None:
        if not predicate.windowed:
            raise _fail(
                where,
                f"'window_months' does not apply to {name!r}, a state read at the evaluation date",
            )
        if not 1 <= window <= _MAX_WINDOW_MONTHS:
            raise _fail(where, f"'window_months' must be 1..{_MAX_WINDOW_MONTHS}, got {window}")

    hi = _int(table, "max_count", where)
    lo = _int(table, "min_count", where)
    if lo is None:
        # "max_count = 0" alone reads as "none at all"; otherwise one occurrence is enough.
        lo = 0 if hi is not None else 1
    if lo < 0 or (hi is not None and hi < 0):
        raise _fail(where, "'min_count' and 'max_count' must not be negative")
    if hi is not None and hi < lo:
        raise _fail(where, f"'max_count' ({hi}) is below 'min_count' ({lo})")
    if lo == 0 and hi is None:
        raise _fail(where, "'min_count = 0' without 'max_count' always holds")

    raw_levels = _get(table, "risk_levels", list, where, required=False)
    risk_levels: set[RiskLevel] = set()
    if isinstance(raw_levels, list):
        if not predicate.per_product:
            raise _fail(
                where, f"'risk_levels' does not apply to {name!r}: its records name no product"
            )
        if not raw_levels:
            raise _fail(where, "'risk_levels' must not be empty (omit it for every product)")
        for value in raw_levels:
            try:
                risk_levels.add(RiskLevel(value))
            except ValueError:
                raise _fail(
                    where, f"'risk_levels' entries are I, II or III, got {value!r}"
                ) from None

    each = _get(table, "each_product", bool, where, required=False) is True
    if each:
        if effect is not Effect.REQUIRE:
            # For a cap, "for each product" would hold vacuously for an enterprise with
            # no such product and cap it for nothing.
            raise _fail(where, "'each_product' is only allowed on requirements")
        if not risk_levels:
            raise _fail(where, "'each_product' needs 'risk_levels' to say which products")
    return Condition(predicate, window, lo, hi, frozenset(risk_levels), each)


def _rule(table: object, index: int, source: str, seen: set[str]) -> Rule:
    where = f"{source}: rule #{index + 1}"
    if not isinstance(table, dict):
        raise _fail(where, "each [[rule]] must be a table")
    rule_id = str(_str(table, "id", where))
    if not _ID_RE.match(rule_id):
        raise _fail(where, f"id {rule_id!r} may only hold letters, digits, '-', '_' and '.'")
    if rule_id in seen:
        raise _fail(where, f"duplicate rule id {rule_id!r}")
    seen.add(rule_id)
    where = f"{source}: rule {rule_id!r}"
    _check_keys(table, _RULE_KEYS, where)

    grade = _grade(_get(table, "grade", str, where, required=True), where, "'grade'")
    raw_effect = _get(table, "effect", str, where, required=True)
    try:
        effect = Effect(str(raw_effect))
    except ValueError:
        raise _fail(where, f"'effect' must be 'cap' or 'require', got {raw_effect!r}") from None
    if effect is Effect.CAP and grade is Grade.AA:
        raise _fail(where, "a cap at AA restricts nothing; use grade A, B or C")
    if effect is Effect.REQUIRE and grade is Grade.C:
        raise _fail(where, "a requirement at C can never be unmet; use grade B, A or AA")

    alternatives = _get(table, "any_of", list, where, required=False)
    if isinstance(alternatives, list):
        inline = sorted(set(table) & _CONDITION_KEYS)
        if inline:
            raise _fail(where, f"use either 'any_of' or inline {', '.join(inline)}, not both")
        if not alternatives:
            raise _fail(where, "'any_of' must not be empty")
        conditions = []
        for i, alternative in enumerate(alternatives):
            alt_where = f"{where} any_of[{i}]"
            if not isinstance(alternative, dict):
                raise _fail(alt_where, "must be a table")
            conditions.append(_condition(alternative, alt_where, effect))
    else:
        inline_table = {k: v for k, v in table.items() if k in _CONDITION_KEYS}
        conditions = [_condition(inline_table, where, effect)]

    is_requirement = effect is Effect.REQUIRE
    for key in ("unmet_text_zh", "unmet_text_en"):
        if not is_requirement and key in table:
            raise _fail(where, f"{key!r} is only for requirements (a cap has no unmet state)")
    return Rule(
        id=rule_id,
        grade=grade,
        effect=effect,
        conditions=tuple(conditions),
        text_zh=str(_text(table, "text_zh", where, required=True)),
        text_en=str(_text(table, "text_en", where, required=True)),
        unmet_text_zh=_text(table, "unmet_text_zh", where, required=is_requirement),
        unmet_text_en=_text(table, "unmet_text_en", where, required=is_requirement),
        basis=_str(table, "basis", where, required=False),
        index=index,
    )


def _inspections_per_year(value: object, where: str) -> float | None:
    if value == AS_NEEDED:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise _fail(where, f"must be a positive number or {AS_NEEDED!r}, got {value!r}")
    return float(value)


def _supervision(table: object, source: str) -> dict[Grade, SupervisionPolicy]:
    if not isinstance(table, dict):
        raise _fail(f"{source}: [supervision]", "must be a table with one sub-table per grade")
    for key in table:
        _grade(key, f"{source}: [supervision]", "a sub-table name")
    policies: dict[Grade, SupervisionPolicy] = {}
    for grade in Grade:
        where = f"{source}: [supervision.{grade.value}]"
        row = table.get(grade.value)
        if row is None:
            raise _fail(where, "missing: the supervision table needs a row for every grade")
        if not isinstance(row, dict):
            raise _fail(where, "must be a table")
        _check_keys(row, _POLICY_KEYS, where)
        cells = _get(row, "inspections_per_year", dict, where, required=True)
        assert isinstance(cells, dict)
        for key in cells:
            if key not in RiskLevel.__members__:
                raise _fail(where, f"inspections_per_year: unknown risk level {key!r}")
        per_risk: dict[RiskLevel, float | None] = {}
        for risk in RiskLevel:
            if risk.value not in cells:
                raise _fail(
                    where, f"inspections_per_year: missing cell for risk level {risk.value}"
                )
            cell_where = f"{where} inspections_per_year.{risk.value}"
            per_risk[risk] = _inspections_per_year(cells[risk.value], cell_where)
        policies[grade] = SupervisionPolicy(
            mode=str(_str(row, "mode", where)),
            mode_zh=str(_str(row, "mode_zh", where)),
            key_supervised=_get(row, "key_supervised", bool, where, required=True) is True,
            accountability_interview=(
                _get(row, "accountability_interview", bool, where, required=True) is True
            ),
            rectification_required=(
                _get(row, "rectification_required", bool, where, required=True) is True
            ),
            inspections_per_year=MappingProxyType(per_risk),
        )
    return policies


def load_ruleset(text: str, *, source: str = "<string>") -> RuleSet:
    """Parse and strictly validate a rule set from TOML text.

    Raises :class:`RuleSetError` naming ``source``, the rule and the field for invalid
    TOML, unknown keys, unknown predicates, bad grades or effects, bad windows or counts,
    unknown text placeholders, and a missing supervision row or cell.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, f"invalid TOML: {exc}") from None
    _check_keys(doc, _TOP_KEYS, source)
    version = _get(doc, "format_version", int, source, required=True)
    if version != FORMAT_VERSION:
        raise _fail(
            source, f"format_version {version!r} is not supported (expected {FORMAT_VERSION})"
        )
    ruleset_id = str(_str(doc, "id", source))
    if not _ID_RE.match(ruleset_id):
        raise _fail(source, f"id {ruleset_id!r} may only hold letters, digits, '-', '_' and '.'")
    raw_rules = _get(doc, "rule", list, source, required=True)
    if not raw_rules:
        raise _fail(source, "a rule set needs at least one [[rule]]")
    assert isinstance(raw_rules, list)
    seen: set[str] = set()
    rules = tuple(_rule(r, i, source, seen) for i, r in enumerate(raw_rules))
    if "supervision" not in doc:
        raise _fail(source, "missing required table [supervision]")
    return RuleSet(
        id=ruleset_id,
        title=str(_str(doc, "title", source)),
        title_zh=_str(doc, "title_zh", source, required=False),
        basis=_str(doc, "basis", source, required=False),
        rules=rules,
        supervision=MappingProxyType(_supervision(doc["supervision"], source)),
        origin=source,
    )


@cache
def _builtin() -> tuple[tuple[str, RuleSet], ...]:
    found = []
    folder = resources.files("service.credit") / "rulesets"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        source = f"service/credit/rulesets/{entry.name}"
        ruleset = load_ruleset(entry.read_text(encoding="utf-8"), source=source)
        if ruleset.id != entry.name.removesuffix(".toml"):
            # Results cite a rule set by id; the file name must not say otherwise.
            raise RuleSetError(f"{source}: id {ruleset.id!r} must equal the file name")
        found.append((ruleset.id, ruleset))
    return tuple(found)


def builtin_rulesets() -> dict[str, RuleSet]:
    """Every packaged rule set by id (read once; a fresh dict each call)."""
    return dict(_builtin())
