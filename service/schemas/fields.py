"""Shared field types: ids range-checked by their column type, text without control characters.

Every request body model inherits :class:`CheckedModel`, so every string it carries (nested
lists and dicts included) is refused with a 422 naming the field when it holds NUL or another
C0/C1 control character: PostgreSQL cannot store NUL, and XLSX cannot hold most of the others,
so such a value would fail later, as a 500, for whoever reads it. Fields meant to hold several
lines are marked :data:`MULTILINE` and may also hold tab, line feed and carriage return.

The rule is a ``pattern`` added to every string of the model's core schema, so pydantic checks
it in Rust (a 100,000-record batch pays next to nothing) and the OpenAPI schema shows it, so the
contract tells clients and fuzzers what is accepted; the error is reshaped to the rule
``control-character`` naming the character (:func:`control_problem`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Final

from annotated_types import Interval
from pydantic import BaseModel, BeforeValidator, ConfigDict, GetCoreSchemaHandler
from pydantic_core import CoreSchema

INT32_MAX: Final = 2**31 - 1
INT64_MAX: Final = 2**63 - 1

# Ids by the column they address: a value the column cannot hold is a 422, never a database
# error. Integer primary keys (agency, blacklist entry, webhook, watchlist) are 32-bit; records,
# deliveries, audit entries and feed positions are 64-bit.
Id32 = Annotated[int, Interval(ge=1, le=INT32_MAX)]
Id64 = Annotated[int, Interval(ge=1, le=INT64_MAX)]
Seq = Annotated[int, Interval(ge=0, le=INT64_MAX)]


def _iso_date(value: object) -> object:
    """Dates are ISO ``YYYY-MM-DD`` strings only: pydantic's lax mode would also take a
    number (or a numeric query string) as a Unix timestamp, which no agency means."""
    if type(value) is str:
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            raise ValueError("must be an ISO date YYYY-MM-DD")
    elif isinstance(value, int | float):  # bool is an int
        raise ValueError("must be an ISO date string YYYY-MM-DD")
    return value


def _iso_datetime(value: object) -> object:
    """ISO 8601 timestamps only (``YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]``), never a number."""
    if type(value) is str:
        if len(value) < 16 or value[4] != "-" or value[7] != "-" or value[10] not in "Tt ":
            raise ValueError("must be an ISO 8601 timestamp YYYY-MM-DDTHH:MM:SSZ")
    elif isinstance(value, int | float):
        raise ValueError("must be an ISO 8601 timestamp string")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]

# C0 controls, DEL and C1 controls; a multi-line field may hold \t \n \r.
SINGLE_LINE_PATTERN: Final = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTILINE_PATTERN: Final = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_RULE: Final = "control-character"


class _Multiline:
    """Field metadata: this text may span lines (tab, LF, CR allowed)."""

    def __repr__(self) -> str:
        return "MULTILINE"


MULTILINE: Final = _Multiline()


def control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first forbidden control character of ``value`` as ``U+XXXX``, or None."""
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def control_problem(error: dict[str, Any]) -> tuple[str, str] | None:
    """(rule, message) for a pydantic error raised by the text rule, else None."""
    ctx = error.get("ctx")
    if error.get("type") != "string_pattern_mismatch" or not isinstance(ctx, dict):
        return None
    if ctx.get("pattern") not in (SINGLE_LINE_PATTERN, MULTILINE_PATTERN):
        return None
    multiline = ctx.get("pattern") == MULTILINE_PATTERN
    value = error.get("input")
    char = control_character(value, multiline=multiline) if isinstance(value, str) else None
    kind = "tab, line breaks and printable" if multiline else "printable"
    return (
        CONTROL_RULE,
        f"contains the control character {char}; only {kind} characters are allowed",
    )


def _constrain(schema: Any, pattern: str) -> None:
    """Give every plain string of a field's core schema the text rule (validated in Rust,
    so a 100,000-record batch pays next to nothing for it); nested models keep their own."""
    if isinstance(schema, list):
        for item in schema:
            _constrain(item, pattern)
        return
    if not isinstance(schema, dict) or schema.get("type") in ("model", "definition-ref"):
        return
    if schema.get("type") == "str" and "pattern" not in schema:
        schema["pattern"] = pattern
    for key, value in schema.items():
        if key not in ("metadata", "serialization") and isinstance(value, dict | list):
            _constrain(value, pattern)


def add_text_patterns(schema: Any, pattern: str = SINGLE_LINE_PATTERN) -> None:
    """Write the text rule into every plain string of a field's JSON schema."""
    if isinstance(schema, list):
        for item in schema:
            add_text_patterns(item, pattern)
        return
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not (
        {"pattern", "enum", "const", "format"} & set(schema)
    ):
        schema["pattern"] = pattern
    for key in ("anyOf", "oneOf", "allOf", "items", "prefixItems", "additionalProperties"):
        if key in schema:
            add_text_patterns(schema[key], pattern)


def _document_text_rule(schema: dict[str, Any], model: type[BaseModel]) -> None:
    for name, field in model.model_fields.items():
        key = field.alias or name
        prop = schema.get("properties", {}).get(key)
        if prop is not None:
            multiline = any(m is MULTILINE for m in field.metadata)
            add_text_patterns(prop, MULTILINE_PATTERN if multiline else SINGLE_LINE_PATTERN)


class CheckedModel(BaseModel):
    """Base of every request body: strings carry no control characters (see module doc)."""

    model_config = ConfigDict(json_schema_extra=_document_text_rule)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        inner: Any = schema
        # a model validator wraps the model's schema in a function schema: look inside it
        while inner.get("type") in ("function-after", "function-before", "function-wrap"):
            inner = inner["schema"]
        fields = inner.get("schema", {}).get("fields", {}) if inner.get("type") == "model" else {}
        for name, field in fields.items():
            info = cls.model_fields.get(name)
            multiline = info is not None and any(m is MULTILINE for m in info.metadata)
            _constrain(field["schema"], MULTILINE_PATTERN if multiline else SINGLE_LINE_PATTERN)
        return schema
