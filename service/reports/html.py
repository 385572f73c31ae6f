"""The report as one self-contained HTML document: inline CSS, charts as SVG data URIs,
no external asset (it must open offline, attached to an e-mail or archived)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from service.reports import charts
from service.reports.figures import GRADE_KEYS, QualityReport, RateRow
from service.reports.narrative import REMOVAL_ZH
from service.web.svg import pct

SECTION_TITLES = {
    "product": ("二、按产品类别", "产品类别"),
    "region": ("三、按地区", "地区"),
    "level": ("四、按抽查层级", "抽查层级"),
    "month": ("五、按月份", "月份"),
}
EVENTS_ZH = {"listed": "列入", "removed": "移出", "restored": "恢复列入"}


@dataclass(slots=True)
class Section:
    id: str
    title: str
    key_header: str
    chart: str  # data URI
    alt: str
    rows: list[RateRow] | None


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("service.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["pct"] = pct
    return env


def sections(report: QualityReport) -> list[Section]:
    out = []
    for key in ("product", "region", "level", "month"):
        title, header = SECTION_TITLES[key]
        rows = report.groups[key]
        if key == "month":
            svg = charts.month_line(rows, target=report.target, title=title)
            alt = f"{report.period_zh}各月合格率折线图，与上年同月及目标 {pct(report.target)} 对比"
        else:
            svg = charts.rate_bars(rows, target=report.target, title=title)
            alt = f"{header}合格率条形图，虚线为目标 {pct(report.target)}"
        out.append(Section(key, title, header, charts.data_uri(svg), alt, rows))
    out.append(
        Section(
            "grades",
            "六、分类等级",
            "地区",
            charts.data_uri(charts.grade_bars(report.grades, title="分类等级分布")),
            "各地区 AA/A/B/C 分类企业数堆叠条形图",
            None,
        )
    )
    return out


def render(report: QualityReport) -> str:
    """CPU-bound (matplotlib): call it off the event loop."""
    return (
        _environment()
        .get_template("quality.html")
        .render(
            r=report,
            sections=sections(report),
            grade_keys=GRADE_KEYS,
            counts=report.movement_counts(),
            events=EVENTS_ZH,
            removal=REMOVAL_ZH,
        )
    )
