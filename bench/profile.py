"""Sampling profiles of a server under load (py-spy, no restart, no code change) and a short
text summary of where the time goes: inclusive time per project function, self time per
function anywhere.

    .venv/bin/python -m bench.run --reuse --scenarios lookup --profile
    .venv/bin/python -m bench.profile /tmp/qcredit-bench/profiles/lookup-postgres-service.txt
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")


def available() -> bool:
    return Path(PY_SPY).exists()


@contextmanager
def recording(pids: list[int], out: Path, seconds: int) -> Iterator[None]:
    """py-spy records every pid for ``seconds`` while the body runs the load."""
    out.parent.mkdir(parents=True, exist_ok=True)
    procs = [
        subprocess.Popen(
            [
                *(PY_SPY, "record", "--pid", str(pid), "--duration", str(seconds)),
                *("--rate", "200", "--format", "raw", "--nonblocking", "-o", f"{out}.{pid}"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in pids
    ]
    try:
        yield
    finally:
        for proc in procs:
            try:
                proc.wait(timeout=seconds + 30)
            except subprocess.TimeoutExpired:
                proc.terminate()
        with out.open("w") as sink:
            for pid in pids:
                part = Path(f"{out}.{pid}")
                if part.exists():
                    sink.write(part.read_text())
                    part.unlink()


def summarize(raw: Path, top: int = 25, prefix: str = "service/") -> str:
    """Collapsed stacks ("a;b;c count" per line) to two rankings."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = stack.split(";")
        own[_short(frames[-1])] += count
        for frame in {_short(f) for f in frames if prefix in f}:
            inclusive[frame] += count
    if not total:
        return "no samples"
    lines = [f"{total} samples", f"-- inclusive, frames under {prefix} --"]
    lines += [f"{100 * n / total:5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    lines.append("-- self (where the CPU is) --")
    lines += [f"{100 * n / total:5.1f}%  {name}" for name, n in own.most_common(top)]
    return "\n".join(lines)


def _short(frame: str) -> str:
    """'func (path/to/file.py:12)' -> 'func (file.py)' keeping the package for our code."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    parts = path.split("/")
    keep = "/".join(parts[-3:]) if "service" in parts or "bench" in parts else parts[-1]
    return f"{name} ({keep})"


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1]), prefix=sys.argv[2] if len(sys.argv) > 2 else "service/"))
