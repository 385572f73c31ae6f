"""One row per measured figure: service, floor, ratio, target; printed as a table, saved as JSON
and rendered as the Markdown table pasted into BENCHMARKS.md."""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

COLUMNS = ("scenario", "backend", "metric", "service", "floor", "ratio", "target", "met")


@dataclass
class Row:
    scenario: str
    backend: str
    metric: str  # what the numbers are, with the unit: "RPS", "p99 ms", "s", "records/s"
    service: float | None  # None: not measured (the note says why)
    floor: float | None = None
    floor_name: str = ""
    target: str = ""
    met: bool | None = None  # None: no target, or not measured
    command: str = ""
    note: str = ""
    higher_is_better: bool = True

    @property
    def ratio(self) -> float | None:
        """service/floor for throughput, floor/service for times: 1.0 = as fast as the floor."""
        if self.service in (None, 0) or self.floor in (None, 0):
            return None
        assert self.service is not None and self.floor is not None
        return self.service / self.floor if self.higher_is_better else self.floor / self.service


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def to_json(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "rows": [asdict(r) | {"ratio": r.ratio} for r in self.rows],
        }

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = directory / f"bench-{self.meta.get('size', 'run')}-{stamp}.json"
        path.write_text(json.dumps(self.to_json(), indent=1, default=str))
        return path

    def table(self) -> Table:
        table = Table(title=f"qcredit benchmark {self.meta.get('size', '')}")
        for col in COLUMNS:
            table.add_column(
                col, justify="right" if col in ("service", "floor", "ratio") else "left"
            )
        for r in self.rows:
            table.add_row(*cells(r))
        return table

    def print(self, console: Console) -> None:
        console.print(self.table())

    def markdown(self) -> str:
        head = "| scenario | backend | metric | service | floor | ratio | target | met |"
        lines = [head, "|" + "---|" * len(COLUMNS)]
        for r in self.rows:
            lines.append("| " + " | ".join(cells(r)) + " |")
        return "\n".join(lines)


def rss_row(backend: str, phase: str, mem: dict[int, tuple[float, float]]) -> Row:
    """Peak resident memory of the server's workers (``Server.rss_mb``: pid → now, peak)."""
    peak = max(hwm for _, hwm in mem.values())
    return Row(
        f"RSS per worker (after {phase})",
        backend,
        "MB peak",
        peak,
        target="≤ 300 MB",
        met=peak <= 300,
        command="VmHWM of each uvicorn worker from /proc",
        note=", ".join(f"pid {p}: {r:.0f} now / {h:.0f} peak" for p, (r, h) in mem.items()),
        higher_is_better=False,
    )


def fmt(value: float | None) -> str:
    if value is None:
        return "n/m"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def cells(r: Row) -> tuple[str, ...]:
    # "n/m": not measured (the note says why); "—": this row has no floor
    floor = (
        "—" if r.floor is None else fmt(r.floor) + (f" ({r.floor_name})" if r.floor_name else "")
    )
    ratio = f"{r.ratio:.0%}" if r.ratio is not None else "—"
    met = {True: "yes", False: "NO", None: "—"}[r.met]
    return (r.scenario, r.backend, r.metric, fmt(r.service), floor, ratio, r.target, met)


def machine() -> dict[str, Any]:
    import os

    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_avg_at_start": os.getloadavg(),
    }
