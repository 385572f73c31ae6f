"""USCC (GB 32100-2015) and organization code (GB 11714) parsing."""

from __future__ import annotations

import pickle
import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from service.credit.codes import (
    ORG_ALPHABET,
    USCC_ALPHABET,
    CodeError,
    ParsedCode,
    is_valid,
    make_uscc,
    normalize,
    org_check_char,
    parse_code,
    try_parse,
    uscc_check_char,
    validate_uscc,
)
from service.credit.regions import known_regions

WORKED = "91210100000123457K"

# --- strategies -----------------------------------------------------------------------------

regions = st.sampled_from([code for code, _ in known_regions()])
uscc_chars = st.sampled_from(USCC_ALPHABET)
org_bodies_in_uscc = st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8)
org_bodies = st.text(alphabet=ORG_ALPHABET, min_size=8, max_size=8)


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    return make_uscc(
        draw(org_bodies_in_uscc),
        region=draw(regions),
        registration=draw(uscc_chars),
        category=draw(uscc_chars),
    )


@st.composite
def valid_org_codes(draw: st.DrawFn) -> str:
    body = draw(org_bodies)
    return body + org_check_char(body)


def to_full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


@st.composite
def spelled(draw: st.DrawFn, code: str) -> str:
    """The same code as a person might type or paste it."""
    out = []
    for ch in code:
        if draw(st.booleans()):
            ch = ch.lower()
        out.append(ch + draw(st.sampled_from(["", "", " ", "-", "－", "　", "‐", "‑", "–", "—"])))
    s = "".join(out)
    if draw(st.booleans()):
        s = to_full_width(s)
    return draw(st.sampled_from(["", " ", "\t"])) + s + draw(st.sampled_from(["", " ", "\n"]))


# --- worked example and happy paths ---------------------------------------------------------


def test_worked_example() -> None:
    parsed = parse_code(WORKED)
    assert parsed == ParsedCode(
        kind="uscc", uscc=WORKED, org_code="000123457", region_code="210100"
    )
    assert parsed.org_code_display == "00012345-7"
    assert validate_uscc(WORKED) == WORKED
    assert is_valid(WORKED)
    assert make_uscc("00012345") == WORKED
    assert uscc_check_char(WORKED[:17]) == "K"
    assert org_check_char("00012345") == "7"


def test_stdnum_doc_example_is_valid() -> None:
    # python-stdnum's own example; its embedded org code 60003734-1 checks out too.
    assert parse_code("91110000600037341L").org_code_display == "60003734-1"


@pytest.mark.parametrize("raw", ["00012345-7", "000123457", "00012345－7", " 00012345 - 7 "])
def test_org_code_with_and_without_hyphen(raw: str) -> None:
    parsed = parse_code(raw)
    assert parsed == ParsedCode(kind="org", uscc=None, org_code="000123457", region_code=None)
    assert parsed.org_code_display == "00012345-7"


def test_full_width_input() -> None:
    assert parse_code("９１２１０１０００００１２３４５７Ｋ").uscc == WORKED
    assert parse_code("０００００００６－Ｘ").org_code == "00000006X"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91210100000123457k", WORKED),
        ("9121 0100 0001 2345 7K", WORKED),
        ("９１２１０１０００００１２３４５７ｋ", WORKED),
        ("9121－0100　0001—2345–7‐K", WORKED),
        ("\ufeff" + WORKED + "\u200b", WORKED),
        ("9121010000012345.7K", "9121010000012345.7K"),
        ("9121_0100", "9121_0100"),
        ("ı", "ı"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_check_characters_x_and_zero() -> None:
    # GB 11714: 10 is written X and 11 is written 0; GB 32100: 31 is written 0.
    assert org_check_char("00000006") == "X"
    assert org_check_char("00000000") == "0"
    assert parse_code("00000006-X").org_code == "00000006X"
    assert parse_code("912101000000000940").uscc == "912101000000000940"


def test_letter_registration_authority_is_accepted() -> None:
    # GB 32100 registration-authority codes include letters (e.g. N 农业, Y 其他), which
    # stdnum's uscc module rejects.
    code = make_uscc("MA0ABCDE", region="211100", registration="N", category="2")
    assert parse_code(code).region_code == "211100"


# --- error rules, in order ------------------------------------------------------------------


def error_of(raw: str) -> CodeError:
    result = try_parse(raw)
    assert isinstance(result, CodeError)
    with pytest.raises(CodeError) as info:
        parse_code(raw)
    assert (info.value.rule, info.value.message, info.value.expected) == (
        result.rule,
        result.message,
        result.expected,
    )
    assert not is_valid(raw)
    return result


@pytest.mark.parametrize("raw", ["", "   ", " - － ", "\u3000"])
def test_empty(raw: str) -> None:
    err = error_of(raw)
    assert (err.rule, err.message, err.expected) == ("empty", "code is empty", None)


@pytest.mark.parametrize(("raw", "n"), [("123", 3), (WORKED + "1", 19), ("00012345", 8)])
def test_length(raw: str, n: int) -> None:
    err = error_of(raw)
    assert err.rule == "length"
    assert err.message == (
        f"code must be 18 characters (USCC) or 9 characters (organization code), got {n}"
    )
    assert err.expected is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "9121010000012345IK",
            "USCC character 'I' at position 17 is not allowed: "
            "GB 32100 uses 0-9 and A-Z without I, O, S, V, Z",
        ),
        (
            "9121O100000123457K",
            "USCC character 'O' at position 5 is not allowed: "
            "positions 3-8 must be digits (GB/T 2260 division code)",
        ),
        (
            "91210100000123457.",
            "USCC character '.' at position 18 is not allowed: "
            "GB 32100 uses 0-9 and A-Z without I, O, S, V, Z",
        ),
        (
            "0001_345-7",
            "organization code character '_' at position 5 is not allowed: "
            "GB 11714 body characters are 0-9 and A-Z",
        ),
        (
            "00012345-Y",
            "organization code character 'Y' at position 9 is not allowed: "
            "a GB 11714 check character is 0-9 or X",
        ),
    ],
)
def test_charset(raw: str, message: str) -> None:
    err = error_of(raw)
    assert (err.rule, err.message, err.expected) == ("charset", message, None)


def test_charset_reports_first_offending_character_before_check_errors() -> None:
    # Both check characters are also wrong here; charset wins and names position 9.
    err = error_of("91210100Z00123450A")
    assert err.rule == "charset"
    assert "'Z' at position 9" in err.message


def test_org_check_in_uscc() -> None:
    err = error_of("91210100000123458K")
    assert err.rule == "org_check"
    assert err.expected == "7"
    assert err.message == (
        "embedded organization code check character (position 17) is wrong: expected '7', got '8'"
    )


def test_org_check_in_bare_org_code() -> None:
    err = error_of("00012345-8")
    assert (err.rule, err.expected) == ("org_check", "7")
    assert err.message == "organization code check character is wrong: expected '7', got '8'"


def test_uscc_check() -> None:
    err = error_of("91210100000123457J")
    assert (err.rule, err.expected) == ("uscc_check", "K")
    assert err.message == "USCC check character is wrong: expected 'K', got 'J'"
    assert str(err) == err.message


def test_validate_uscc_rejects_org_code_as_length() -> None:
    with pytest.raises(CodeError) as info:
        validate_uscc("00012345-7")
    assert info.value.rule == "length"
    assert info.value.message == "USCC must be 18 characters, got 9"
    with pytest.raises(CodeError, match="empty"):
        validate_uscc(" ")
    with pytest.raises(CodeError) as info:
        validate_uscc("91210100000123457J")
    assert info.value.expected == "K"


def test_code_error_is_a_value_error_and_pickles() -> None:
    err = CodeError("uscc_check", "msg", "K")
    assert isinstance(err, ValueError)
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.rule, clone.message, clone.expected) == ("uscc_check", "msg", "K")


def test_builders_reject_bad_input() -> None:
    with pytest.raises(CodeError) as info:
        make_uscc("0001234")
    assert info.value.rule == "length"
    with pytest.raises(CodeError) as info:
        make_uscc("0001234I")  # I is a valid GB 11714 character but not a USCC one
    assert info.value.rule == "charset"
    with pytest.raises(CodeError) as info:
        uscc_check_char("9121010000012345")
    assert info.value.rule == "length"
    with pytest.raises(CodeError) as info:
        org_check_char("0001234*")
    assert info.value.rule == "charset"


# --- properties -----------------------------------------------------------------------------


@given(code=valid_usccs(), data=st.data())
def test_valid_uscc_round_trips_in_any_spelling(code: str, data: st.DataObject) -> None:
    raw = data.draw(spelled(code))
    parsed = parse_code(raw)
    assert normalize(raw) == code
    assert parsed.uscc == code
    assert parsed.kind == "uscc"
    assert parsed.region_code == code[2:8]
    assert parsed.org_code == code[8:17]
    assert parse_code(parsed.org_code_display).org_code == parsed.org_code
    assert validate_uscc(raw) == code


@given(code=valid_org_codes(), data=st.data())
def test_valid_org_code_round_trips_in_any_spelling(code: str, data: st.DataObject) -> None:
    raw = data.draw(spelled(code))
    parsed = parse_code(raw)
    assert (parsed.kind, parsed.org_code, parsed.uscc) == ("org", code, None)
    assert parse_code(parsed.org_code_display) == parsed


@given(code=valid_usccs(), pos=st.integers(0, 17), replacement=uscc_chars)
@example(code=WORKED, pos=8, replacement="B")  # B - 0 = 11 fools GB 11714, not GB 32100
def test_any_single_substitution_in_a_uscc_is_rejected(
    code: str, pos: int, replacement: str
) -> None:
    if code[pos] == replacement:
        return
    changed = code[:pos] + replacement + code[pos + 1 :]
    result = try_parse(changed)
    assert isinstance(result, CodeError)
    assert result.rule in {"charset", "org_check", "uscc_check"}
    if pos == 17:
        assert (result.rule, result.expected) == ("uscc_check", code[17])


def test_every_single_substitution_of_the_worked_example_is_rejected() -> None:
    for pos in range(18):
        for ch in USCC_ALPHABET.replace(WORKED[pos], ""):
            assert not is_valid(WORKED[:pos] + ch + WORKED[pos + 1 :]), (pos, ch)


@given(code=valid_org_codes(), pos=st.integers(0, 8), replacement=st.sampled_from(ORG_ALPHABET))
def test_single_substitution_in_an_org_code(code: str, pos: int, replacement: str) -> None:
    if code[pos] == replacement:
        return
    changed = code[:pos] + replacement + code[pos + 1 :]
    delta = ORG_ALPHABET.index(replacement) - ORG_ALPHABET.index(code[pos])
    if pos < 8 and delta % 11 == 0:
        # GB 11714's mod-11 sum cannot see a body change by a multiple of 11 (0 <-> B, 1 <-> C,
        # A <-> L ...); a USCC still catches it through its own mod-31 check.
        assert is_valid(changed)
    else:
        assert not is_valid(changed)


@given(code=valid_org_codes(), pos=st.integers(0, 8), replacement=st.sampled_from("0123456789"))
def test_digit_substitution_in_an_org_code_is_rejected(
    code: str, pos: int, replacement: str
) -> None:
    if code[pos] == replacement or not code[pos].isdigit():
        return
    assert not is_valid(code[:pos] + replacement + code[pos + 1 :])


def test_known_gb11714_blind_spot() -> None:
    assert is_valid("B0012345-7")
    assert not is_valid(make_uscc("00012345")[:8] + "B0012345" + "7K")


@given(
    head=st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2),
    region=regions,
    rest=st.text(alphabet=USCC_ALPHABET, min_size=10, max_size=10),
)
def test_expected_characters_repair_any_uscc(head: str, region: str, rest: str) -> None:
    code = head + region + rest
    for _ in range(2):
        result = try_parse(code)
        if not isinstance(result, CodeError):
            break
        assert result.expected is not None
        assert result.rule in {"org_check", "uscc_check"}
        pos = 16 if result.rule == "org_check" else 17
        code = code[:pos] + result.expected + code[pos + 1 :]
    assert is_valid(code)


@given(body=org_bodies, check=st.sampled_from("0123456789X"))
def test_expected_character_repairs_any_org_code(body: str, check: str) -> None:
    result = try_parse(body + check)
    if isinstance(result, CodeError):
        assert result.rule == "org_check"
        assert result.expected is not None
        assert is_valid(body + result.expected)


@given(
    first17=st.text(alphabet=string.digits, min_size=8, max_size=8).flatmap(
        lambda head: st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9).map(
            lambda tail: head + tail
        )
    )
)
def test_uscc_check_char_agrees_with_stdnum(first17: str) -> None:
    assert uscc_check_char(first17) == stdnum_uscc.calc_check_digit(first17)


@given(code=valid_usccs())
def test_stdnum_accepts_our_codes(code: str) -> None:
    if code[:2].isdigit():  # stdnum only knows numeric registration/category codes
        assert stdnum_uscc.is_valid(code)


@given(raw=st.text(max_size=24))
def test_try_parse_never_raises(raw: str) -> None:
    result = try_parse(raw)
    if isinstance(result, CodeError):
        assert result.rule in {"empty", "length", "charset", "org_check", "uscc_check"}
        assert (result.expected is not None) == (result.rule in {"org_check", "uscc_check"})
    else:
        assert normalize(raw) == (result.uscc or result.org_code)


@given(valid_usccs(), st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"))
def test_a_mistyped_uscc_check_character_names_the_right_code(code: str, wrong: str) -> None:
    if wrong == code[17]:
        return
    err = error_of(code[:17] + wrong)
    assert (err.rule, err.expected, err.got, err.position) == ("uscc_check", code[17], wrong, 18)
    assert err.corrected == code


@given(valid_org_codes(), st.sampled_from("0123456789X"))
def test_a_mistyped_org_check_character_names_the_right_code(code: str, wrong: str) -> None:
    body = code.replace("-", "")
    if wrong == body[8]:
        return
    err = error_of(body[:8] + wrong)
    assert err.corrected is not None and parse_code(err.corrected).org_code == body
    assert pickle.loads(pickle.dumps(err)).corrected == err.corrected
