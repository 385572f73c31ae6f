"""The webhook dispatcher: fans committed events out into deliveries, claims the due ones
(``FOR UPDATE SKIP LOCKED`` with a lease, so delivery is at least once and never twice
concurrently), signs them (Standard Webhooks) and sends them to SSRF-checked addresses."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import time
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import orjson
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from service.http.observability import log
from service.jobs.runtime import Job, Runtime
from service.models import Event
from service.security import ssrf
from service.store import ledger
from service.store.sharing import deliveries as store

USER_AGENT = "qcredit-webhooks/0.1"


def signing_key(secret: str) -> bytes:
    """`whsec_<base64>` is a Standard Webhooks secret (the key is the decoded bytes); any
    other secret is used as its UTF-8 bytes."""
    if secret.startswith("whsec_"):
        raw = secret.removeprefix("whsec_")
        return base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    return secret.encode()


def sign(secret: str, msg_id: str, timestamp: str, body: bytes) -> str:
    """Standard Webhooks v1: base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))."""
    mac = hmac.new(signing_key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


async def send(
    client: httpx.AsyncClient, claimed: store.Claimed, *, allow_private: bool
) -> store.Outcome:
    """One attempt. The URL is checked again (its DNS may have changed since creation) and
    the request goes to the checked address, with the original Host and TLS server name."""
    try:
        target = await ssrf.check_url(claimed.url, allow_private=allow_private)
    except ssrf.UnsafeUrl as err:
        return store.Outcome(ok=False, error=f"refused ({err.rule}): {err.message}")
    body = orjson.dumps(claimed.event)
    # The signature timestamp is transport freshness checked against the receiver's wall
    # clock (5-minute tolerance), so it is real time, not the registry's business clock.
    timestamp = str(int(time.time()))
    msg_id = claimed.event["id"]
    headers = {
        "host": target.host_header,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": sign(claimed.secret, msg_id, timestamp, body),
    }
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        request = client.build_request(
            "POST", target.pinned_url(), content=body, headers=headers, extensions=extensions
        )
        # the receiver's body is never read: a hostile one could stream forever
        response = await client.send(request, stream=True)
        await response.aclose()
    except httpx.HTTPError as err:
        return store.Outcome(ok=False, error=f"{type(err).__name__}: {err}"[:500])
    status = response.status_code
    if 200 <= status < 300:
        return store.Outcome(ok=True, status=status)
    return store.Outcome(ok=False, status=status, error=f"HTTP {status}", gone=status == 410)


@dataclass
class Dispatcher:
    """Fans events out into deliveries and sends the due ones."""

    runtime: Runtime
    policy: store.RetryPolicy = field(default_factory=store.RetryPolicy)
    batch: int = 100
    lease: timedelta = timedelta(seconds=60)
    concurrency: int = 16
    timeout: float = 10.0
    client: httpx.AsyncClient | None = None

    def _client(self) -> httpx.AsyncClient:
        if self.client is None:
            self.client = httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=self.concurrency * 2),
            )
        return self.client

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None

    async def fan_out(self) -> int:
        async with self.runtime.db.session(write=True) as session:
            queued = await store.fan_out(session, now=self.runtime.clock.now())
            await ledger.commit(session)
        return queued

    async def send_due(self) -> int:
        """Claim and send one batch; returns how many were attempted."""
        async with self.runtime.db.session(write=True) as session:
            claimed = await store.claim_due(
                session, now=self.runtime.clock.now(), limit=self.batch, lease=self.lease
            )
            await ledger.commit(session)
        if not claimed:
            return 0
        gate = asyncio.Semaphore(self.concurrency)
        outcomes = await asyncio.gather(*(self._attempt(c, gate) for c in claimed))
        # one transaction for the batch: a commit per delivery would cap throughput
        async with self.runtime.db.session(write=True) as session:
            states = await store.record_outcomes(
                session,
                list(zip(claimed, outcomes, strict=True)),
                now=self.runtime.clock.now(),
                policy=self.policy,
            )
            await ledger.commit(session)
        for c, outcome, state in zip(claimed, outcomes, states, strict=True):
            if not outcome.ok:
                log.info("webhook attempt failed", delivery=c.id, state=state, error=outcome.error)
        return len(claimed)

    async def _attempt(self, claimed: store.Claimed, gate: asyncio.Semaphore) -> store.Outcome:
        async with gate:
            return await send(
                self._client(), claimed, allow_private=self.runtime.settings.webhook_allow_private
            )

    async def run_once(self, *, max_batches: int = 50) -> int:
        """Fan out, then send until nothing is due (bounded); returns deliveries attempted."""
        await self.fan_out()
        attempted = 0
        for _ in range(max_batches):
            n = await self.send_due()
            attempted += n
            if n < self.batch:
                break
        return attempted

    async def has_work(self) -> bool:
        async with self.runtime.db.session(write=False) as session:
            return await store.has_work(session, now=self.runtime.clock.now())

    def job(self, tick: float = 0.5, wake: asyncio.Event | None = None) -> Job:
        async def run(_: Runtime) -> None:
            if await self.has_work():
                await self.run_once()

        return Job("webhooks.dispatch", tick, run, wake)


class OutboxSignal:
    """Wakes this process's dispatcher as soon as a transaction that wrote outbox events has
    committed, so deliveries do not wait for the next poll (other replicas still poll)."""

    _KEY = "qcredit_outbox_written"

    def __init__(self, wake: asyncio.Event) -> None:
        self.wake = wake
        self.loop = asyncio.get_running_loop()

    def install(self) -> None:
        event.listen(Session, "do_orm_execute", self._seen)
        event.listen(Session, "after_commit", self._committed)

    def remove(self) -> None:
        event.remove(Session, "do_orm_execute", self._seen)
        event.remove(Session, "after_commit", self._committed)

    def _seen(self, state: ORMExecuteState) -> None:
        table = getattr(state.statement, "table", None)
        if state.is_insert and getattr(table, "name", None) == Event.__tablename__:
            state.session.info[self._KEY] = True

    def _committed(self, session: Session) -> None:
        if session.info.pop(self._KEY, False):
            with contextlib.suppress(RuntimeError):  # the loop is closing
                self.loop.call_soon_threadsafe(self.wake.set)
