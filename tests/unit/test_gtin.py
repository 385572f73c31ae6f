"""GTIN-8/12/13/14 with the GS1 mod-10 check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from service.credit.codes import CodeError
from service.credit.gtin import gtin_check_digit, validate_gtin


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("96385074", "00000096385074"),  # GTIN-8 (EAN-8)
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("6901028075862", "06901028075862"),  # GTIN-13, GS1 China prefix 690
        ("4006381333931", "04006381333931"),  # GTIN-13
        ("10012345678902", "10012345678902"),  # GTIN-14 (outer case)
        (" 690-1028-07586 2 ", "06901028075862"),
        ("６９０１０２８０７５８６２", "06901028075862"),
    ],
)
def test_valid(raw: str, canonical: str) -> None:
    assert validate_gtin(raw) == canonical


def rule_of(raw: str) -> CodeError:
    with pytest.raises(CodeError) as info:
        validate_gtin(raw)
    return info.value


def test_wrong_check_digit_names_the_expected_one() -> None:
    err = rule_of("6901028075863")
    assert (err.rule, err.expected) == ("gtin_check", "2")
    assert err.message == "GTIN check digit is wrong: expected '2', got '3'"


@pytest.mark.parametrize("raw", ["", "  ", "-"])
def test_empty(raw: str) -> None:
    assert rule_of(raw).rule == "empty"


@pytest.mark.parametrize("raw", ["1234567", "123456789", "12345678901", "123456789012345"])
def test_bad_lengths(raw: str) -> None:
    err = rule_of(raw)
    assert err.rule == "length"
    assert err.message == f"GTIN must have 8, 12, 13 or 14 digits, got {len(raw)}"
    assert err.expected is None


def test_charset() -> None:
    err = rule_of("690102807586A")
    assert err.rule == "charset"
    assert err.message == "GTIN character 'A' at position 13 is not a digit"


@given(digits=st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_check_digit_agrees_with_stdnum(digits: str) -> None:
    assert gtin_check_digit(digits) == ean.calc_check_digit(digits)


@given(
    length=st.sampled_from([8, 12, 13, 14]),
    data=st.data(),
)
def test_expected_digit_repairs_and_any_single_digit_change_is_caught(
    length: int, data: st.DataObject
) -> None:
    body = data.draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    check = data.draw(st.sampled_from("0123456789"))
    try:
        canonical = validate_gtin(body + check)
    except CodeError as err:
        assert err.rule == "gtin_check"
        assert err.expected is not None
        canonical = validate_gtin(body + err.expected)
    assert canonical == (body + canonical[-1]).zfill(14)
    pos = data.draw(st.integers(0, length - 1))
    digit = data.draw(st.sampled_from("0123456789").filter(lambda d: d != canonical[-length:][pos]))
    code = canonical[-length:]
    with pytest.raises(CodeError):
        validate_gtin(code[:pos] + digit + code[pos + 1 :])
