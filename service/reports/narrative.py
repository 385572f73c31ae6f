"""The report's short generated narrative (zh-CN and English), from its figures only."""

from __future__ import annotations

from service.reports.figures import QualityReport, RateRow

# How many categories the narrative names as the largest declines.
TOP_DECLINES = 3
REMOVAL_ZH = {
    "repaired": "信用修复",
    "overturned": "处罚撤销",
    "error": "错误更正",
    "expired": "期满",
}


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def declines(rows: list[RateRow], limit: int) -> list[RateRow]:
    """Rows that fell against the previous year, largest fall first."""
    fallen = [r for r in rows if r.change_pp is not None and r.change_pp < 0]
    return sorted(fallen, key=lambda r: (r.change_pp or 0.0, r.key))[:limit]


def below(rows: list[RateRow]) -> list[RateRow]:
    return sorted((r for r in rows if r.below_target), key=lambda r: (r.rate or 0.0, r.key))


def narrate(report: QualityReport) -> tuple[list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    t = report.total
    place, year, target = report.region_label, report.year, _pct(report.target)
    if not t.inspections:
        zh.append(f"{year}年{place}没有监督抽查结果。")
        en.append(f"No sampling results for {place} in {year}.")
    else:
        met_zh = "未达到" if t.below_target else "达到"
        met_en = "below" if t.below_target else "meeting"
        zh.append(
            f"{year}年{place}共监督抽查 {t.inspections} 批次,合格 {t.passed} 批次,"
            f"合格率 {_pct(t.rate)},{met_zh}目标 {target}。"
        )
        en.append(
            f"In {year}, {t.inspections} batches were sampled in {place}; {t.passed} passed, "
            f"a pass rate of {_pct(t.rate)}, {met_en} the {target} target."
        )
        if t.change_pp is not None:
            direction_zh = "上升" if t.change_pp >= 0 else "下降"
            direction_en = "up" if t.change_pp >= 0 else "down"
            zh.append(
                f"与上年({_pct(t.previous_rate)})相比{direction_zh} "
                f"{abs(t.change_pp):.1f} 个百分点。"
            )
            en.append(
                f"That is {direction_en} {abs(t.change_pp):.1f} points on the previous year "
                f"({_pct(t.previous_rate)})."
            )
    products = report.groups.get("product", [])
    fallen = declines(products, TOP_DECLINES)
    if fallen:
        zh.append(
            "合格率降幅最大的产品类别:"
            + "、".join(
                f"{r.label}({_pct(r.previous_rate)}→{_pct(r.rate)},{r.change_pp:+.1f} 个百分点)"
                for r in fallen
            )
            + "。"
        )
        en.append(
            "Largest declines: "
            + "; ".join(
                f"{r.key or r.label} ({_pct(r.previous_rate)} → {_pct(r.rate)}, "
                f"{r.change_pp:+.1f} pp)"
                for r in fallen
            )
            + "."
        )
    low = below(products)
    if low:
        zh.append(
            f"低于目标 {target} 的产品类别({len(low)} 个):"
            + "、".join(f"{r.label} {_pct(r.rate)}" for r in low)
            + "。"
        )
        en.append(
            f"Categories below the {target} target ({len(low)}): "
            + "; ".join(f"{r.key or r.label} {_pct(r.rate)}" for r in low)
            + "."
        )
    elif products:
        zh.append(f"所有产品类别均达到目标 {target}。")
        en.append(f"Every product category met the {target} target.")
    low_regions = below(report.groups.get("region", []))
    if low_regions:
        listed_zh = "、".join(f"{r.label} {_pct(r.rate)}" for r in low_regions)
        zh.append(f"低于目标的地区:{listed_zh}。")
        en.append(
            "Regions below target: "
            + "; ".join(f"{r.key} {_pct(r.rate)}" for r in low_regions)
            + "."
        )
    counts = report.movement_counts()
    removed = {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("removed:")}
    removed_zh = "、".join(f"{REMOVAL_ZH.get(k, k)} {v} 家" for k, v in sorted(removed.items()))
    zh.append(
        f"严重违法失信名单:年内列入 {counts.get('listed', 0)} 家,移出 {counts.get('removed', 0)} 家"
        + (f"({removed_zh})" if removed_zh else "")
        + f",年末在列 {report.in_force_at_end} 家。"
    )
    en.append(
        f"Blacklist: {counts.get('listed', 0)} listed and {counts.get('removed', 0)} removed "
        f"during the year; {report.in_force_at_end} in force at year end."
    )
    grades = report.grade_total
    classified = sum(v for k, v in grades.items() if k != "unclassified")
    if classified:
        share = grades["C"] / classified
        zh.append(f"当前 C 级(加严监管)企业 {grades['C']} 家,占已分类企业的 {_pct(share)}。")
        en.append(
            f"{grades['C']} enterprises are currently class C (stricter supervision), "
            f"{_pct(share)} of those classified."
        )
    return zh, en
