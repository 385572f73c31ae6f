"""Administrative penalty types and which of them are heavier (较重行政处罚).

SAMR Order 44 Art.2 names the heavier administrative penalties:
(1) a fine aggravated under the discretion benchmark (从重处罚的罚款);
(2) qualification downgrade (降低资质等级), revocation of a licence or of the business
    licence (吊销许可证件、营业执照);
(3) restricting production or business (限制开展生产经营活动), ordering suspension of
    production or business (责令停产停业), ordering closure (责令关闭), restricting
    practice (限制从业);
(4) other heavier penalties that laws, regulations or SAMR rules name.

Types of (2) and (3) are heavier by law whatever the agency flags; a fine is heavier only
when the agency says it was aggravated, and case (4) rests on the agency's ``heavier``
flag (docs/legal.md, rules ``order44-art2-heavier-type`` and ``order44-art2-heavier-by-type``).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Every penalty type the registry records (行政处罚法 Art.9 as far as SAMR imposes it).
PENALTY_TYPES: tuple[str, ...] = (
    "warning",  # 警告
    "fine",  # 罚款
    "confiscation",  # 没收违法所得、没收非法财物
    "suspension",  # 责令停产停业
    "qualification_downgrade",  # 降低资质等级
    "licence_revocation",  # 吊销许可证件
    "business_licence_revocation",  # 吊销营业执照
    "business_restriction",  # 限制开展生产经营活动
    "closure",  # 责令关闭
    "practice_restriction",  # 限制从业
)
# Art.2(2)-(3): heavier by their nature.
HEAVIER_BY_TYPE = frozenset(
    {
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
        "business_restriction",
        "suspension",
        "closure",
        "practice_restriction",
    }
)
# The types a penalty flagged heavier must include one of: Art.2(1) adds the aggravated fine.
HEAVIER_TYPES = HEAVIER_BY_TYPE | {"fine"}


def heavier_by_type(types: Iterable[object]) -> bool:
    """True when a type of Art.2(2)-(3) makes the penalty heavier whatever the flag."""
    return any(t in HEAVIER_BY_TYPE for t in types)


def is_heavier(attrs: Mapping[str, object]) -> bool:
    """A penalty's ``heavier`` flag or, for rows stored before the flag was derived, its
    types (Order 44 Art.2)."""
    if attrs.get("heavier") is True:
        return True
    types = attrs.get("penalty_types")
    return isinstance(types, list | tuple) and heavier_by_type(types)
