"""Enterprise identity codes: USCC (统一社会信用代码, GB 32100-2015) and organization code
(组织机构代码, GB 11714).

Pure functions, no I/O. The bulk screening path calls :func:`try_parse` about 100,000 times
per request, so the valid path uses precomputed per-position tables, no regex and no
exceptions; the slow work (finding the offending position, wording the message) happens only
once a code is already known to be wrong.

python-stdnum's ``stdnum.cn.uscc`` is the reference the tests cross-check against; it is not
called here because it cannot say *which* rule failed, does not check the embedded GB 11714
check character, rejects the letter registration-authority codes (e.g. ``N`` 农业, ``Y`` 其他)
and looks characters up with ``str.index`` on every call.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from typing import Any, Final, Literal

__all__ = [
    "ORG_ALPHABET",
    "USCC_ALPHABET",
    "CodeError",
    "ParsedCode",
    "is_valid",
    "make_uscc",
    "normalize",
    "org_check_char",
    "parse_code",
    "region_of",
    "try_parse",
    "uscc_check_char",
    "validate_uscc",
]

# GB 32100-2015: 31 characters; I O S V Z are left out as easily misread (1 0 5 U 2).
USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015: the weight of position i is 3^(i-1) mod 31.
_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714: body characters are 0-9 and A-Z valued 0..35; weight of position i is 2^(9-i) mod 11.
ORG_ALPHABET: Final = string.digits + string.ascii_uppercase
_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHECK_ALPHABET: Final = "0123456789X"

_USCC_VALUE: Final = {c: i for i, c in enumerate(USCC_ALPHABET)}
_ORG_VALUE: Final = {c: i for i, c in enumerate(ORG_ALPHABET)}

# Indexed by (weighted sum mod 31): 31 - r, where a result of 31 is written "0".
_USCC_CHECK: Final = tuple(USCC_ALPHABET[(31 - r) % 31] for r in range(31))
# Indexed by (weighted sum mod 11): 11 - r; 10 is written "X" and 11 is written "0".
_ORG_CHECK: Final = tuple(_ORG_CHECK_ALPHABET[(11 - r) % 11] for r in range(11))


def _allowed_chars(pos: int) -> str:
    """Characters GB 32100 allows at 0-based USCC position ``pos``."""
    # Positions 3-8 are a GB/T 2260 division code, which is numeric.
    return string.digits if 2 <= pos <= 7 else USCC_ALPHABET


_ORG_TABLES: Final = tuple({c: v * w for c, v in _ORG_VALUE.items()} for w in _ORG_WEIGHTS)
_ORG_SHIFT: Final = 16
_USCC_MASK: Final = (1 << _ORG_SHIFT) - 1


def _uscc_table(pos: int) -> dict[str, int]:
    """Allowed character -> weighted value at 0-based USCC position ``pos``.

    Mapping to value x weight makes the weighted sum a single C-level map over the string,
    and a KeyError doubles as the charset check. Positions 9-16 also carry the GB 11714 term
    shifted left by _ORG_SHIFT, so one pass yields both sums (the USCC sum stays below
    17 x 30 x 30 < 2**16). The check character (position 18) is not weighted.
    """
    if pos == 17:
        return dict.fromkeys(USCC_ALPHABET, 0)
    org = _ORG_TABLES[pos - 8] if 8 <= pos <= 15 else None
    weight = _USCC_WEIGHTS[pos]
    return {
        c: _USCC_VALUE[c] * weight + (org[c] << _ORG_SHIFT if org else 0)
        for c in _allowed_chars(pos)
    }


_USCC_TABLES: Final = tuple(_uscc_table(pos) for pos in range(18))
_BARE_ORG_TABLES: Final = (*_ORG_TABLES, dict.fromkeys(_ORG_CHECK_ALPHABET, 0))
_getitem: Final = dict.__getitem__

# NFKC already turns the full-width forms ("－", "　") into ASCII; what is left are the dashes
# that have no compatibility decomposition, plus invisible characters pasted from documents.
_DELETE: Final = str.maketrans("", "", "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u200b\ufeff")
# str.upper() would also fold e.g. "ı" to "I" and turn a foreign letter into a valid one.
_ASCII_UPPER: Final = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


class CodeError(ValueError):
    """A code that is not a valid identity code, with the rule it broke.

    ``expected`` carries the right check character for ``org_check``/``uscc_check`` (and
    ``gtin_check``) so a clerk can see whether it is a typo in the check character.
    """

    rule: str
    message: str
    expected: str | None
    got: str | None  # the character found where `expected` belongs (or the bad character)
    position: int | None  # 1-based position of that character
    corrected: str | None  # the code with `expected` put in (check-character errors)

    def __init__(
        self,
        rule: str,
        message: str,
        expected: str | None = None,
        *,
        got: str | None = None,
        position: int | None = None,
        corrected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.expected = expected
        self.got = got
        self.position = position
        self.corrected = corrected

    def __reduce__(self) -> tuple[Any, ...]:
        # The default reduce replays only ``args`` (the message); keep the rule across
        # process boundaries (e.g. a multiprocessing bulk import).
        return (
            _rebuild,
            (self.rule, self.message, self.expected, self.got, self.position, self.corrected),
        )

    def __repr__(self) -> str:
        return f"CodeError({self.rule!r}, {self.message!r}, expected={self.expected!r})"


def _rebuild(
    rule: str,
    message: str,
    expected: str | None,
    got: str | None,
    position: int | None,
    corrected: str | None,
) -> CodeError:
    return CodeError(rule, message, expected, got=got, position=position, corrected=corrected)


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """A valid code split into its parts (USCC layout per GB 32100-2015)."""

    kind: Literal["uscc", "org"]
    uscc: str | None
    org_code: str
    region_code: str | None

    @property
    def org_code_display(self) -> str:
        """The GB 11714 written form ``XXXXXXXX-C``."""
        return f"{self.org_code[:8]}-{self.org_code[8]}"


def normalize(raw: str) -> str:
    """Canonical spelling of a code as typed or pasted: NFKC, no whitespace or dashes, ASCII
    letters upper-cased. Other characters are kept so validation can name them."""
    s = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    s = "".join(s.split())
    if "-" in s or not s.isascii():
        s = s.translate(_DELETE)
    return s.upper() if s.isascii() else s.translate(_ASCII_UPPER)


def _charset_error(s: str, kind: str, allowed: list[str], hints: list[str]) -> CodeError:
    for pos, ch in enumerate(s):
        if ch not in allowed[pos]:
            return CodeError(
                "charset",
                f"{kind} character {ch!r} at position {pos + 1} is not allowed: {hints[pos]}",
                got=ch,
                position=pos + 1,
            )
    raise AssertionError("charset error reported for a code with no bad character")


_USCC_HINTS: Final = [
    "positions 3-8 must be digits (GB/T 2260 division code)"
    if 2 <= i <= 7
    else "GB 32100 uses 0-9 and A-Z without I, O, S, V, Z"
    for i in range(18)
]
_USCC_ALLOWED: Final = [_allowed_chars(i) for i in range(18)]
_ORG_HINTS: Final = ["GB 11714 body characters are 0-9 and A-Z"] * 8 + [
    "a GB 11714 check character is 0-9 or X"
]
_ORG_ALLOWED: Final = [ORG_ALPHABET] * 8 + [_ORG_CHECK_ALPHABET]


def _check_uscc(s: str) -> ParsedCode | CodeError:
    """Validate an already normalized 18-character string (GB 32100-2015, GB 11714)."""
    try:
        total = sum(map(_getitem, _USCC_TABLES, s))
    except KeyError:
        return _charset_error(s, "USCC", _USCC_ALLOWED, _USCC_HINTS)
    org_expected = _ORG_CHECK[(total >> _ORG_SHIFT) % 11]
    if s[16] != org_expected:
        return CodeError(
            "org_check",
            f"embedded organization code check character (position 17) is wrong: "
            f"expected {org_expected!r}, got {s[16]!r}",
            org_expected,
            got=s[16],
            position=17,
            # the body is more often mistyped than the check, so this is only a suggestion
            corrected=_with_check(s[:16] + org_expected),
        )
    expected = _USCC_CHECK[(total & _USCC_MASK) % 31]
    if s[17] != expected:
        return CodeError(
            "uscc_check",
            f"USCC check character is wrong: expected {expected!r}, got {s[17]!r}",
            expected,
            got=s[17],
            position=18,
            corrected=s[:17] + expected,
        )
    return ParsedCode("uscc", s, s[8:17], s[2:8])


def _check_org(s: str) -> ParsedCode | CodeError:
    """Validate an already normalized 9-character organization code (GB 11714)."""
    try:
        total = sum(map(_getitem, _BARE_ORG_TABLES, s))
    except KeyError:
        return _charset_error(s, "organization code", _ORG_ALLOWED, _ORG_HINTS)
    expected = _ORG_CHECK[total % 11]
    if s[8] != expected:
        return CodeError(
            "org_check",
            f"organization code check character is wrong: expected {expected!r}, got {s[8]!r}",
            expected,
            got=s[8],
            position=9,
            corrected=f"{s[:8]}-{expected}",
        )
    return ParsedCode("org", None, s, None)


def _with_check(first17: str) -> str:
    return first17 + _USCC_CHECK[(sum(map(_getitem, _USCC_TABLES, first17)) & _USCC_MASK) % 31]


def _empty() -> CodeError:
    return CodeError("empty", "code is empty")


def try_parse(raw: str) -> ParsedCode | CodeError:
    """Like :func:`parse_code` but returns the error instead of raising it (bulk screening)."""
    s = normalize(raw)
    n = len(s)
    if n == 18:
        return _check_uscc(s)
    if n == 9:
        return _check_org(s)
    if n == 0:
        return _empty()
    return CodeError(
        "length",
        f"code must be 18 characters (USCC) or 9 characters (organization code), got {n}",
        got=str(n),
    )


def parse_code(raw: str) -> ParsedCode:
    """Parse an 18-character USCC or a 9-character organization code (hyphen optional)."""
    result = try_parse(raw)
    if isinstance(result, CodeError):
        raise result
    return result


def validate_uscc(raw: str) -> str:
    """The canonical 18-character USCC; an organization code here is a ``length`` error."""
    s = normalize(raw)
    if not s:
        raise _empty()
    if len(s) != 18:
        raise CodeError("length", f"USCC must be 18 characters, got {len(s)}")
    result = _check_uscc(s)
    if isinstance(result, CodeError):
        raise result
    return s


def is_valid(raw: str) -> bool:
    """True for a valid USCC or organization code, in any spelling :func:`normalize` accepts."""
    return not isinstance(try_parse(raw), CodeError)


def _require(s: str, length: int, allowed: list[str], hints: list[str], what: str) -> None:
    if len(s) != length:
        raise CodeError("length", f"{what} must be {length} characters, got {len(s)}")
    if any(ch not in ok for ch, ok in zip(s, allowed, strict=False)):
        raise _charset_error(s, what, allowed, hints)


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character (position 18) for the first 17 characters."""
    _require(first17, 17, _USCC_ALLOWED, _USCC_HINTS, "USCC without check character")
    return _USCC_CHECK[(sum(map(_getitem, _USCC_TABLES, first17)) & _USCC_MASK) % 31]


def org_check_char(body8: str) -> str:
    """GB 11714 check character for an 8-character organization code body."""
    _require(body8, 8, _ORG_ALLOWED, _ORG_HINTS, "organization code body")
    return _ORG_CHECK[sum(map(_getitem, _ORG_TABLES, body8)) % 11]


def make_uscc(
    org_body: str, region: str = "210100", registration: str = "9", category: str = "1"
) -> str:
    """A valid USCC around an 8-character organization code body (demo and benchmark data).

    ``registration`` is the GB 32100 registration-authority code (9 = market regulation) and
    ``category`` the entity category (1 = enterprise). The body must avoid I O S V Z, which a
    USCC cannot carry even though a bare GB 11714 code may.
    """
    if len(registration) != 1 or len(category) != 1 or len(region) != 6 or len(org_body) != 8:
        raise CodeError(
            "length",
            "make_uscc needs a 1-character registration and category, a 6-digit region and "
            "an 8-character organization code body",
        )
    first17 = f"{registration}{category}{region}{org_body}{org_check_char(org_body)}"
    return first17 + uscc_check_char(first17)


def region_of(uscc: str) -> str:
    """The GB/T 2260 division of a canonical USCC: positions 3-8 (GB 32100-2015 §4)."""
    return uscc[2:8]
