"""Columns of the public list download: every public field of either shape, in the order of
`service.store.blacklist.public.EXPORT_FIELDS` (a test keeps the two in step)."""

from __future__ import annotations

from service.exports.tables import Column
from service.web.i18n import CATEGORY_LABELS, REMOVAL_LABELS, STATUS_LABELS

PUBLIC_COLUMNS = (
    Column("code", "统一社会信用代码"),
    Column("name", "企业名称"),
    Column("region_code", "行政区划代码"),
    Column("category", "列入类别", labels=CATEGORY_LABELS),
    Column("reason", "列入事由"),
    Column("legal_basis", "法律依据"),
    Column("authority", "作出决定机关"),
    Column("remedy", "救济途径"),
    Column("decided_on", "列入日期", "date"),
    Column("expires_on", "届满日期", "date"),
    Column("removed_on", "移出日期", "date"),
    Column("removal_reason", "移出原因", labels=REMOVAL_LABELS),
    Column("status", "状态", labels=STATUS_LABELS),
    Column("removal_authority", "移出决定机关"),
)
