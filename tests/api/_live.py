"""A real server process for tests that must kill one: `uvicorn` on a free loopback port
running ``make_app`` below (the service plus a test-only route that can be made to hang)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI

from service.app import create_app

ROOT = Path(__file__).resolve().parents[2]
HANG_ENV = "QCREDIT_TEST_HANG_FILE"


def hang_router(marker: str | None) -> APIRouter:
    """POST /v1/_test/work: with a marker file, touch it and hang (until killed)."""
    router = APIRouter()

    @router.post("/v1/_test/work", status_code=201)
    async def work(body: dict[str, Any]) -> dict[str, Any]:
        if marker:
            import asyncio

            os.close(os.open(marker, os.O_CREAT | os.O_WRONLY))  # tell the test we are in
            await asyncio.sleep(3600)
        return {"done": body}

    return router


def make_app() -> FastAPI:
    app = create_app()
    app.include_router(hang_router(os.environ.get(HANG_ENV)))
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "tests.api._live:make_app", "--factory"),
                *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "QCREDIT_RUN_BACKGROUND": "false", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text()[-3000:]
                    raise RuntimeError(f"server did not start:\n{tail}") from None
                time.sleep(0.1)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
