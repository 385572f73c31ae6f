"""Background work under several workers: every webhook delivery leaves exactly once.

Two service workers run their background loops against one database; a receiver on
127.0.0.1 counts deliveries per ``webhook-id``. Enterprise updates make the events."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx

from bench import data
from bench.context import Ctx, service_paths
from bench.results import Row
from bench.server import running

EVENTS = 200
QUIET_S = 8.0
LIMIT_S = 90.0


class Receiver:
    """Minimal HTTP/1.1 sink: answers 204 to anything and records the webhook-id header."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()
        self.last = time.monotonic()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = {}
                for line in head.decode("latin-1").split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                await reader.readexactly(int(headers.get("content-length", "0")))
                self.ids[headers.get("webhook-id", "?")] += 1
                self.last = time.monotonic()
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        if self.server:
            self.server.close()
            await self.server.wait_closed()


def no_duplicates(ctx: Ctx) -> None:
    name = "background: webhooks, 2 workers"
    with running(
        "service",
        ctx.target.url,
        workers=2,
        logdir=ctx.logdir,
        background=True,
        extra_env={"QCREDIT_WEBHOOK_ALLOW_PRIVATE": "true"},
    ) as server:
        if "POST /v1/webhooks" not in service_paths(server.base_url):
            ctx.report.add(
                Row(
                    name, ctx.backend, "duplicates", None, note="not measured: no POST /v1/webhooks"
                )
            )
            return
        delivered, events, duplicates, waited = asyncio.run(_exercise(ctx, server.base_url))
    ctx.report.add(
        Row(
            name,
            ctx.backend,
            "duplicate deliveries",
            float(duplicates),
            target="0",
            met=duplicates == 0 and delivered >= events,
            command="qcredit serve --workers 2 (background on); PUT /v1/enterprises x"
            f"{EVENTS}; a 127.0.0.1 receiver counts webhook-id",
            note=f"{events} events → {delivered} distinct deliveries received in {waited:.0f}s",
            higher_is_better=False,
        )
    )


async def _exercise(ctx: Ctx, base_url: str) -> tuple[int, int, int, float]:
    receiver = Receiver()
    await receiver.start()
    try:
        async with httpx.AsyncClient(base_url=base_url, headers=ctx.headers, timeout=60) as client:
            resp = await client.post(
                "/v1/webhooks",
                json={
                    "url": f"http://127.0.0.1:{receiver.port}/hook",
                    "secret": "bench-secret-0123456789",
                },
            )
            if resp.status_code not in (200, 201):
                raise RuntimeError(f"webhook registration -> {resp.status_code}: {resp.text[:300]}")
            started = time.monotonic()
            for index in ctx.sample_indexes(EVENTS, "webhook"):
                ent = data.enterprise(index, ctx.state.seed)
                resp = await client.put(
                    f"/v1/enterprises/{ent.code}",
                    json={"name": ent.name + "(更名)", "products": ent.products},
                )
                if resp.status_code >= 300:
                    raise RuntimeError(f"PUT enterprise -> {resp.status_code}: {resp.text[:300]}")
        events = EVENTS
        while time.monotonic() - started < LIMIT_S:
            await asyncio.sleep(1)
            if len(receiver.ids) >= events and time.monotonic() - receiver.last > QUIET_S:
                break
        duplicates = sum(n - 1 for n in receiver.ids.values())
        return len(receiver.ids), events, duplicates, time.monotonic() - started
    finally:
        await receiver.stop()
