"""GTIN-8/12/13/14 (商品条码 / 物品编码, GB 12904 and the GS1 General Specifications).

Traceability records key products by GTIN; all four lengths are the same number space once
zero-padded to 14 digits (GS1 General Specifications), so the canonical form is GTIN-14.
stdnum.ean checks the same digit but raises without saying which digit was expected.
"""

from __future__ import annotations

from typing import Final

from service.credit.codes import CodeError, normalize

__all__ = ["gtin_check_digit", "validate_gtin"]

_LENGTHS: Final = frozenset({8, 12, 13, 14})
# GS1 mod-10: counting from the digit left of the check digit, weights alternate 3, 1, ...
# On the 14-digit form that is 3 for even 0-based positions 0..12.
_WEIGHTS: Final = (3, 1) * 6 + (3,)
_DIGITS: Final = frozenset("0123456789")


def gtin_check_digit(first13: str) -> str:
    """GS1 mod-10 check digit for the 13 digits before it (zero-padded GTIN-14 form)."""
    total = sum(int(d) * w for d, w in zip(first13, _WEIGHTS, strict=True))
    return str(-total % 10)


def validate_gtin(raw: str) -> str:
    """The canonical 14-digit GTIN, or :class:`CodeError` naming the rule that failed."""
    s = normalize(raw)
    if not s:
        raise CodeError("empty", "GTIN is empty")
    if len(s) not in _LENGTHS:
        raise CodeError("length", f"GTIN must have 8, 12, 13 or 14 digits, got {len(s)}")
    for pos, ch in enumerate(s):
        if ch not in _DIGITS:
            raise CodeError(
                "charset", f"GTIN character {ch!r} at position {pos + 1} is not a digit"
            )
    padded = s.zfill(14)
    expected = gtin_check_digit(padded[:13])
    if padded[13] != expected:
        raise CodeError(
            "gtin_check",
            f"GTIN check digit is wrong: expected {expected!r}, got {padded[13]!r}",
            expected,
        )
    return padded
