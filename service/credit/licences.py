"""Licence and certification types (许可/认证) and which of them are certifications.

The AA class (AQSIQ 2012, rule ``AA-commendation-or-certification`` of ``aqsiq-2012-v1``)
rewards an enterprise that goes beyond what it must hold to produce at all: a commendation
or a valid *certification* of its products or quality system. A production licence
(生产许可证) is the legal precondition of producing and says nothing above the minimum, so
it never counts there; it still counts when revoked (``C-licence-revoked``).

Pure: no I/O.
"""

from __future__ import annotations

# Every licence_type the registry records, with its Chinese name.
LICENCE_TYPES: dict[str, str] = {
    "production_licence": "工业产品生产许可证",
    "food_production_licence": "食品生产许可证",
    "special_equipment_licence": "特种设备生产许可证",
    "ccc": "强制性产品认证（CCC）",
    "iso9001": "质量管理体系认证（ISO 9001 / GB/T 19001）",
    "product_certification": "自愿性产品认证",
    "food_safety_system": "食品安全管理体系认证（HACCP / ISO 22000）",
    "other": "其他许可或证书",
}
# The certifications (认证) among them; ``other`` is neither: a type the registry cannot
# tell (records stored as free text before the enumeration) never lifts a grade.
CERTIFICATION_TYPES = frozenset({"ccc", "iso9001", "product_certification", "food_safety_system"})


def is_certification(licence_type: object) -> bool:
    return licence_type in CERTIFICATION_TYPES
