"""What every scenario gets: the loaded data set, the report, the run's knobs."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from bench import data
from bench.results import Report
from bench.server import BIN, ROOT
from bench.target import State, Target


@dataclass
class Ctx:
    state: State
    report: Report
    workdir: Path
    console: Console
    quick: bool
    seconds: int  # duration of each load-generator run
    screen_codes: int = 100_000
    ingest_records: int = 100_000
    ingest_batch: int = 10_000
    search_requests: int = 300
    profile: bool = False  # py-spy the service while it is under load

    @property
    def target(self) -> Target:
        return self.state.target

    @property
    def backend(self) -> str:
        return self.state.backend

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.state.key}"}

    @property
    def logdir(self) -> Path:
        return self.workdir / "logs"

    def sample_indexes(self, n: int, salt: str) -> list[int]:
        rng = random.Random(f"{self.state.seed}-{salt}")
        return [rng.randrange(self.state.count) for _ in range(n)]

    def codes_file(self, n: int = 10_000) -> Path:
        path = self.workdir / f"codes-{self.backend}.txt"
        codes = [data.code_of(i) for i in self.sample_indexes(min(n, self.state.count), "lookup")]
        path.write_text("\n".join(codes) + "\n")
        return path


def service_paths(base_url: str) -> set[str]:
    """ "METHOD /path" pairs the running service offers (from its OpenAPI document)."""
    doc: dict[str, Any] = httpx.get(base_url + "/openapi.json", timeout=30).json()
    return {
        f"{method.upper()} {path}" for path, ops in doc.get("paths", {}).items() for method in ops
    }


def has_cli(*args: str) -> bool:
    proc = subprocess.run(
        [str(BIN / "qcredit"), *args, "--help"], cwd=ROOT, capture_output=True, timeout=60
    )
    return proc.returncode == 0


def python() -> str:
    return sys.executable
