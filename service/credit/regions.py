"""GB/T 2260 administrative division codes (行政区划代码), as carried in USCC positions 3-8.

Names come from the table bundled with python-stdnum (``stdnum/cn/loc.dat``, read through
``stdnum.numdb`` the same way ``stdnum.cn.ric`` does). That table records renames and
abolitions as ``[start-end]name`` variants; a USCC keeps the division it was issued under,
so an abolished code still resolves to its last name.
"""

from __future__ import annotations

import functools
from typing import Literal

__all__ = ["contains", "known_regions", "region_level", "region_name", "region_prefix"]

RegionLevel = Literal["province", "prefecture", "county"]

# Grouping rows of GB/T 2260 (e.g. 210101 市辖区) are not divisions anyone is registered in,
# so demo data should not pick them.
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政单位", "自治区直辖县级行政单位"})


def _latest(variants: str) -> tuple[str, bool]:
    """The newest name in a ``[1983-2013]东陵区,[2014-]浑南区`` list and whether it is current."""
    name, current = "", False
    for variant in variants.split(","):
        if variant.startswith("[") and "]" in variant:
            span, name = variant[1:].split("]", 1)
            current = span.endswith("-") or "-" not in span
        else:
            name, current = variant, True
    return name, current


@functools.cache
def _divisions() -> dict[str, tuple[str, bool]]:
    """code6 -> (name, still in use), loaded once per process."""
    from stdnum import numdb

    table: dict[str, tuple[str, bool]] = {}
    # numdb documents ``prefixes`` as [length, low, high, props, children]; loc.dat has a
    # 2-digit province row with 4-digit children, never ranges wider than one code.
    for _, low, _high, props, children in numdb.get("cn/loc").prefixes:
        if "province" in props:
            table[low + "0000"] = (props["province"], True)
        for _, sub, _sub_high, sub_props, _ in children:
            if "county" in sub_props:
                table[low + sub] = _latest(sub_props["county"])
    return table


def _is_code6(code6: str) -> bool:
    return len(code6) == 6 and code6.isascii() and code6.isdigit()


def region_name(code6: str) -> str | None:
    """Name of a province, prefecture or county code, or None when the table lacks it."""
    entry = _divisions().get(code6) if _is_code6(code6) else None
    return entry[0] if entry else None


def region_level(code6: str) -> RegionLevel:
    """Level implied by the code's shape (GB/T 2260: two digits per level)."""
    if not _is_code6(code6):
        raise ValueError(f"division code must be 6 digits, got {code6!r}")
    if code6.endswith("0000"):
        return "province"
    if code6.endswith("00"):
        return "prefecture"
    return "county"


def region_prefix(code6: str) -> str:
    """Shortest prefix shared by a division and everything under it: 210000 -> 21."""
    return code6[: {"province": 2, "prefecture": 4, "county": 6}[region_level(code6)]]


def scope_prefix(prefix: str) -> str:
    """A jurisdiction scope in its short form: a full 6-digit code means "that division and
    everything under it" (``210000`` -> ``21``, ``211100`` -> ``2111``)."""
    return region_prefix(prefix) if _is_code6(prefix) else prefix


_as_prefix = scope_prefix


def contains(prefix: str, code6: str) -> bool:
    """Whether ``code6`` lies within the scope ``prefix`` ("" is the whole country)."""
    return code6.startswith(_as_prefix(prefix))


def known_regions(prefix: str = "") -> list[tuple[str, str]]:
    """(code, name) of the divisions in use under ``prefix``, sorted by code."""
    scope = _as_prefix(prefix)
    return sorted(
        (code, name)
        for code, (name, current) in _divisions().items()
        if current and name not in _PLACEHOLDERS and code.startswith(scope)
    )
