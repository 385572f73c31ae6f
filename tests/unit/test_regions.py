"""GB/T 2260 division names, levels and scopes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.credit.regions import (
    contains,
    known_regions,
    region_level,
    region_name,
    region_prefix,
    scope_prefix,
)


@pytest.mark.parametrize(
    ("code", "name", "level", "prefix"),
    [
        ("210000", "辽宁省", "province", "21"),
        ("211100", "盘锦市", "prefecture", "2111"),
        ("130000", "河北省", "province", "13"),
        ("210100", "沈阳市", "prefecture", "2101"),
        ("211102", "双台子区", "county", "211102"),  # renamed from 盘山区 in 1986
    ],
)
def test_known_divisions(code: str, name: str, level: str, prefix: str) -> None:
    assert region_name(code) == name
    assert region_level(code) == level
    assert region_prefix(code) == prefix


def test_abolished_code_keeps_its_last_name() -> None:
    # 崇文区 merged into 东城区 in 2010; USCCs issued before keep 110103.
    assert region_name("110103") == "崇文区"
    assert ("110103", "崇文区") not in known_regions("11")


@pytest.mark.parametrize("code", ["999999", "219900", "000000"])
def test_unknown_well_formed_code_has_no_name(code: str) -> None:
    assert region_name(code) is None


@pytest.mark.parametrize("code", ["", "21", "2100000", "21000A", "２１００００"])
def test_malformed_code(code: str) -> None:
    assert region_name(code) is None
    with pytest.raises(ValueError):
        region_level(code)


@given(code=st.text(alphabet="0123456789", min_size=6, max_size=6))
def test_never_raises_for_well_formed_code(code: str) -> None:
    name = region_name(code)
    assert name is None or name
    assert code.startswith(region_prefix(code))
    assert contains(region_prefix(code), code)


def test_contains() -> None:
    assert contains("", "211100")
    assert contains("21", "211100")
    assert contains("2111", "211122")
    assert contains("210000", "211100")  # a full code as scope means that division
    assert contains("211100", "211122")
    assert not contains("21", "131100")
    assert not contains("2111", "210100")
    assert not contains("211102", "211103")


def test_known_regions() -> None:
    everything = known_regions()
    assert everything == sorted(everything)
    assert ("210000", "辽宁省") in everything
    assert ("130000", "河北省") in everything
    assert len({code[:2] for code, _ in everything}) == 34
    assert all(name not in {"市辖区", "县"} for _, name in everything)
    assert known_regions("2111") == [
        ("211100", "盘锦市"),
        ("211102", "双台子区"),
        ("211103", "兴隆台区"),
        ("211104", "大洼区"),
        ("211122", "盘山县"),
    ]
    assert known_regions("211100") == known_regions("2111")
    assert all(contains("21", code) for code, _ in known_regions("21"))
    assert known_regions("99") == []


@given(
    st.from_regex(r"[1-6][0-9]", fullmatch=True),
    st.from_regex(r"0[1-9]|[1-9][0-9]", fullmatch=True),
    st.from_regex(r"0[1-9]|[1-9][0-9]", fullmatch=True),
)
def test_full_division_code_scope_covers_its_subdivisions(p: str, f: str, c: str) -> None:
    """A jurisdiction given as a division's full code (``210000``, ``211100``) covers what
    its short prefix covers: every county under it, and nothing outside."""
    county = p + f + c
    assert scope_prefix(p + "0000") == p and scope_prefix(p + f + "00") == p + f
    assert scope_prefix(county) == county
    assert contains(p + "0000", county) and contains(p + f + "00", county)
    other = ("7" if p[0] != "7" else "8") + p[1] + f + c
    assert not contains(p + "0000", other) and not contains(p + f + "00", other)
