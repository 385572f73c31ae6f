"""The quality report's figures as plain data: what the gathering fills in and the
renderers (narrative, XLSX, HTML, charts) read. Imports nothing else of the report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

GRADE_KEYS = ("AA", "A", "B", "C", "unclassified")


@dataclass(slots=True)
class RateRow:
    key: str
    label: str
    inspections: int
    passed: int
    failed: int
    rate: float | None
    previous_rate: float | None
    previous_inspections: int
    below_target: bool | None

    @property
    def change_pp(self) -> float | None:
        """Change against the previous year in percentage points."""
        if self.rate is None or self.previous_rate is None:
            return None
        return round((self.rate - self.previous_rate) * 100, 2)


@dataclass(slots=True)
class GradeRow:
    key: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(slots=True)
class Movement:
    code: str
    name: str
    region_code: str
    event: str  # listed | removed | restored
    on: date
    category: str
    detail: str  # reason for a listing, removal reason for a removal
    authority: str


@dataclass(slots=True)
class QualityReport:
    region: str | None
    region_label: str
    year: int
    target: float
    generated_on: date
    total: RateRow
    groups: dict[str, list[RateRow]]  # product / region / level / month
    grades: list[GradeRow]
    grade_level: str
    movements: list[Movement]
    in_force_at_end: int
    narrative_zh: list[str] = field(default_factory=list)
    narrative_en: list[str] = field(default_factory=list)

    @property
    def grade_total(self) -> dict[str, int]:
        out = Counter[str]()
        for row in self.grades:
            out.update(row.counts)
        return {k: out.get(k, 0) for k in GRADE_KEYS}

    def movement_counts(self) -> dict[str, int]:
        counts = Counter(m.event for m in self.movements)
        counts.update(f"removed:{m.detail}" for m in self.movements if m.event == "removed")
        return dict(counts)
