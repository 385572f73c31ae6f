"""Run the benchmark: generate (or reuse) the data set, run every scenario on PostgreSQL and
SQLite beside its floor, print the table, save JSON under the work directory.

    .venv/bin/python -m bench.run --quick                 # 20k enterprises, a few minutes
    .venv/bin/python -m bench.run -n 1000000 --backends postgres --seconds 20
    .venv/bin/python -m bench.run --reuse                 # skip generation, use the last data set

Only 127.0.0.1 is ever contacted; every load loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from bench import scenario_background, scenario_bulk, scenario_lookup
from bench.context import Ctx, service_paths
from bench.generate import generate
from bench.load import LoadResult
from bench.results import Report, Row, machine
from bench.server import running
from bench.target import DEFAULT_PG, DEFAULT_WORKDIR, Backend, State, target_for

ALL = ("recompute", "lookup", "pgbench", "scaling", "screening", "search", "ingest", "background")
# multi-process checks take a minute each; --quick leaves them out unless asked for
QUICK_SKIP = ("scaling", "background")
SQLITE_SCENARIOS = ("recompute", "lookup", "screening", "ingest")


def guarded(ctx: Ctx, name: str, fn: Callable[[], object]) -> None:
    """A failing scenario becomes a row saying so; the others still run."""
    started = time.perf_counter()
    ctx.console.print(f"[bold]{ctx.backend}[/bold] {name} …")
    first_row, load_before = len(ctx.report.rows), os.getloadavg()[0]
    try:
        fn()
    except Exception as err:  # the report must still come out
        ctx.console.print(f"[red]{name} failed:[/red] {err}")
        (ctx.logdir / f"error-{ctx.backend}-{name}.txt").write_text(traceback.format_exc())
        ctx.report.add(
            Row(name, ctx.backend, "", None, note=f"failed: {type(err).__name__}: {str(err)[:200]}")
        )
    # the machine is shared: say how busy it was while this scenario ran
    load = f"load avg {load_before:.1f}→{os.getloadavg()[0]:.1f}"
    for row in ctx.report.rows[first_row:]:
        row.note = f"{row.note}; {load}" if row.note else load
    ctx.console.print(f"  done in {time.perf_counter() - started:.0f}s ({load})")


def run_backend(ctx: Ctx, scenarios: tuple[str, ...]) -> None:
    ctx.logdir.mkdir(parents=True, exist_ok=True)
    one: dict[str, LoadResult] = {}

    def do_lookup() -> None:
        one.update(scenario_lookup.lookup(ctx))

    # first: after a load with records inserted directly it writes every class (cold)
    if "recompute" in scenarios:
        guarded(ctx, "recompute", lambda: scenario_bulk.recompute(ctx))
    if "lookup" in scenarios:
        guarded(ctx, "lookup", do_lookup)
    if "pgbench" in scenarios and ctx.backend == "postgres":
        rps = one["service"].rps if "service" in one else None
        guarded(ctx, "pgbench", lambda: scenario_lookup.pgbench_lookup(ctx, rps))
    if "scaling" in scenarios and one:
        guarded(ctx, "scaling", lambda: scenario_lookup.scaling(ctx, one))
    bulk = [s for s in ("screening", "ingest", "search") if s in scenarios]
    if bulk:
        with running("service", ctx.target.url, workers=1, logdir=ctx.logdir) as server:
            paths = service_paths(server.base_url)
            steps = {
                "screening": lambda: scenario_bulk.screening(ctx, server, paths),
                "search": lambda: scenario_bulk.name_search(ctx, server, paths),
                "ingest": lambda: scenario_bulk.ingest(ctx, server, paths),
            }
            done = []
            for name in ("screening", "search", "ingest"):
                if name in bulk:
                    guarded(ctx, name, steps[name])
                    done.append(name)
                    # peak RSS is monotonic: read after each step to see which one raised it
                    scenario_bulk.rss(ctx, server, "+".join(done))
    if "background" in scenarios:
        guarded(ctx, "background", lambda: scenario_background.no_duplicates(ctx))


def main(argv: list[str] | None = None) -> Report:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20k enterprises, short runs")
    parser.add_argument("-n", "--enterprises", type=int, default=None)
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--scenarios", default=",".join(ALL))
    parser.add_argument("--seconds", type=int, default=None, help="each load run")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="use the data set already loaded")
    parser.add_argument("--profile", action="store_true", help="py-spy the service under load")
    parser.add_argument(
        "--load-records",
        choices=["direct", "api"],
        default="direct",
        help="how the generator loads the ~5 records per enterprise: COPY/executemany "
        "(fast) or POST /v1/records/batch in-process (the project path; slow at 1M)",
    )
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args(argv)
    count = args.enterprises or (20_000 if args.quick else 1_000_000)
    seconds = args.seconds or (6 if args.quick else 20)
    scenarios = tuple(s for s in args.scenarios.split(",") if s)
    if args.quick and args.scenarios == parser.get_default("scenarios"):
        scenarios = tuple(s for s in scenarios if s not in QUICK_SKIP)
    console = Console(stderr=True, width=150)
    report = Report(meta={"size": f"{count}", "seconds": seconds, "quick": args.quick, **machine()})
    started = time.perf_counter()
    for backend_name in args.backends.split(","):
        backend: Backend = "sqlite" if backend_name == "sqlite" else "postgres"
        target = target_for(backend, args.workdir, args.pg)
        if args.reuse:
            state = State.load(args.workdir, backend)
        else:
            state = asyncio.run(
                generate(
                    target,
                    count,
                    args.seed,
                    workdir=args.workdir,
                    console=console,
                    records=args.load_records,
                )
            )
        report.meta["size"] = f"{state.count}"
        report.meta[f"data_{backend}"] = {
            "enterprises": state.count,
            "records": state.records,
            "listed": state.listed,
            "records_path": state.records_path,
            "load_timings_s": state.timings,
        }
        ctx = Ctx(
            state=state,
            report=report,
            workdir=args.workdir,
            console=console,
            quick=args.quick,
            seconds=seconds,
            ingest_records=5_000 if args.quick else 100_000,
            # the full run sends the 100,000 records as one request (the endpoint's maximum)
            ingest_batch=5_000 if args.quick else 100_000,
            search_requests=100 if args.quick else 300,
            profile=args.profile,
        )
        chosen = (
            scenarios
            if backend == "postgres"
            else tuple(s for s in scenarios if s in SQLITE_SCENARIOS)
        )
        run_backend(ctx, chosen)
    report.meta["wall_s"] = round(time.perf_counter() - started, 1)
    report.print(console)
    path = report.save(args.workdir / "results")
    path.with_suffix(".md").write_text(report.markdown() + "\n")
    console.print(f"results: {path}  ({report.meta['wall_s']} s)")
    return report


if __name__ == "__main__":
    main()
