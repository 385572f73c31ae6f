"""The webhook delivery queue (`webhook_delivery`): fan-out, claims, outcomes.

Fan-out turns committed events into delivery rows per subscription (advancing
`webhook.cursor_seq`); senders claim due rows, call the receiver outside any transaction and
record the outcome. Claims move a row to `sending` with a lease (its `next_attempt_at`), so a
sender that dies mid-flight leaves rows that are claimed again once the lease runs out; on
PostgreSQL claims also use `FOR UPDATE SKIP LOCKED`, on SQLite the write lock serializes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Select, String, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.models import Agency, Event, WatchlistCode, Webhook, WebhookDelivery
from service.models.base import UTCDateTime
from service.store import ledger
from service.store.sharing import feed


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff for up to `window` after the event was queued, then give up."""

    first_delay: timedelta = timedelta(seconds=5)
    factor: float = 3.0
    max_delay: timedelta = timedelta(hours=6)
    window: timedelta = timedelta(days=3)
    # consecutive failed attempts (across deliveries) that disable a subscription outright
    disable_after: int = 1000

    def delay(self, attempts: int) -> timedelta:
        base = self.first_delay.total_seconds() * self.factor ** max(attempts - 1, 0)
        seconds = min(base, self.max_delay.total_seconds())
        # +-10% jitter so a receiver that comes back is not hit by every retry at once
        return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def fan_out(session: AsyncSession, *, now: datetime, batch: int = 5000) -> int:
    """Queue deliveries for events past each active subscription's cursor; returns how
    many were queued. Subscriptions being fanned out by another replica are skipped."""
    head = await feed.dataset_version(session)
    claim = (
        select(Webhook, col(Agency.region))
        .join(Agency, col(Agency.id) == col(Webhook.agency_id))
        .where(
            col(Webhook.active).is_(True),
            col(Webhook.cursor_seq) < head,
            col(Agency.revoked_at).is_(None),
        )
        .order_by(col(Webhook.id))
    )
    if _is_postgres(session):
        claim = claim.with_for_update(of=Webhook, skip_locked=True)
    queued = 0
    for webhook, agency_region in (await session.execute(claim)).all():
        upto = min(head, webhook.cursor_seq + batch)
        conditions: list[Any] = [
            col(Event.seq) > webhook.cursor_seq,
            col(Event.seq) <= upto,
            feed.TypeFilter.parse(webhook.events).condition(),
            feed.visible_to(agency_region, webhook.region),
        ]
        if webhook.watchlist_id is not None:
            conditions.append(
                col(Event.code).in_(
                    select(col(WatchlistCode.code)).where(
                        col(WatchlistCode.watchlist_id) == webhook.watchlist_id
                    )
                )
            )
        rows = select(
            literal(webhook.id, Integer),
            col(Event.seq),
            col(Event.id),
            literal("pending", String),
            literal(0, Integer),
            literal(now, UTCDateTime),
            literal(now, UTCDateTime),
        ).where(*conditions)
        result = await session.execute(
            insert(WebhookDelivery).from_select(
                [
                    "webhook_id",
                    "event_seq",
                    "event_id",
                    "state",
                    "attempts",
                    "next_attempt_at",
                    "created_at",
                ],
                rows,
            )
        )
        queued += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
        webhook.cursor_seq = upto
    await session.flush()
    return queued


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    attempts: int  # the claim token: the outcome is recorded only if it still matches
    webhook_id: int
    url: str
    secret: str
    event: dict[str, Any]


def _due_ids(now: datetime) -> Select[int | None]:
    """Deliveries of active subscriptions due now (including `sending` rows whose lease
    expired: their sender died)."""
    return (
        select(col(WebhookDelivery.id))
        .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
        .where(
            col(WebhookDelivery.state).in_(("pending", "sending")),
            col(WebhookDelivery.next_attempt_at) <= now,
            col(Webhook.active).is_(True),
        )
    )


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease: timedelta
) -> list[Claimed]:
    """Claim up to `limit` due deliveries of active subscriptions (including `sending` rows
    whose lease expired: their sender died)."""
    due = (
        _due_ids(now)
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
    )
    if _is_postgres(session):
        due = due.with_for_update(of=WebhookDelivery, skip_locked=True)
    stmt = (
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_(due.scalar_subquery()))
        .values(
            state="sending",
            next_attempt_at=now + lease,
            attempts=col(WebhookDelivery.attempts) + 1,
        )
        .returning(
            col(WebhookDelivery.id),
            col(WebhookDelivery.attempts),
            col(WebhookDelivery.webhook_id),
            col(WebhookDelivery.event_seq),
        )
        .execution_options(synchronize_session=False)
    )
    claimed = (await session.execute(stmt)).all()
    if not claimed:
        return []
    hook_ids = {c.webhook_id for c in claimed}
    seqs = {c.event_seq for c in claimed}
    hook_rows = await session.execute(select(Webhook).where(col(Webhook.id).in_(hook_ids)))
    hooks = {h.id: h for h in hook_rows.scalars()}
    event_rows = await session.execute(select(feed.EVENT_COLUMNS).where(col(Event.seq).in_(seqs)))
    events = {e["seq"]: feed.event_json(e) for e in event_rows.mappings()}
    return [
        Claimed(
            id=c.id,
            attempts=c.attempts,
            webhook_id=c.webhook_id,
            url=hooks[c.webhook_id].url,
            secret=hooks[c.webhook_id].secret,
            event=events[c.event_seq],
        )
        for c in sorted(claimed, key=lambda c: c.event_seq)
    ]


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status: int | None = None
    error: str | None = None
    gone: bool = False  # HTTP 410: the receiver says the subscription is gone


async def record_outcomes(
    session: AsyncSession,
    results: Sequence[tuple[Claimed, Outcome]],
    *,
    now: datetime,
    policy: RetryPolicy,
) -> list[str]:
    """Store the results of a batch of attempts in one transaction; returns each delivery's
    new state ("stale" when its lease had expired and another sender took the row over).
    Rows are locked in id order (deliveries, then subscriptions) so recorders never deadlock."""
    if not results:
        return []
    pg = _is_postgres(session)
    ids = sorted(c.id for c, _ in results)
    stmt = (
        select(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_(ids))
        .order_by(col(WebhookDelivery.id))
    )
    deliveries = {
        d.id: d for d in (await session.execute(stmt.with_for_update() if pg else stmt)).scalars()
    }
    hook_ids = sorted({c.webhook_id for c, _ in results})
    hstmt = select(Webhook).where(col(Webhook.id).in_(hook_ids)).order_by(col(Webhook.id))
    # failures count up per subscription: lock them; a batch of successes needs no lock
    lock_hooks = pg and any(not o.ok for _, o in results)
    hooks = {
        h.id: h
        for h in (await session.execute(hstmt.with_for_update() if lock_hooks else hstmt)).scalars()
    }
    states = []
    for claimed, outcome in results:
        delivery = deliveries.get(claimed.id)
        if delivery is None or delivery.state != "sending" or delivery.attempts != claimed.attempts:
            states.append("stale")
            continue
        states.append(
            await _apply(session, delivery, hooks[claimed.webhook_id], outcome, now, policy)
        )
    await session.flush()
    return states


async def record_outcome(
    session: AsyncSession, claimed: Claimed, outcome: Outcome, *, now: datetime, policy: RetryPolicy
) -> str:
    [state] = await record_outcomes(session, [(claimed, outcome)], now=now, policy=policy)
    return state


async def _apply(
    session: AsyncSession,
    delivery: WebhookDelivery,
    webhook: Webhook,
    outcome: Outcome,
    now: datetime,
    policy: RetryPolicy,
) -> str:
    delivery.last_status = outcome.status
    delivery.last_error = (outcome.error or "")[:500] or None
    if outcome.ok:
        delivery.state = "delivered"
        delivery.delivered_at = now
        if webhook.consecutive_failures:
            webhook.consecutive_failures = 0
        return delivery.state
    webhook.consecutive_failures += 1
    exhausted = now >= delivery.created_at + policy.window
    if exhausted:
        delivery.state = "failed"
    else:
        delivery.state = "pending"
        delivery.next_attempt_at = now + policy.delay(delivery.attempts)
    if webhook.active and (
        outcome.gone
        or webhook.consecutive_failures >= policy.disable_after
        or (exhausted and not await _succeeded_since(session, webhook.id, delivery.created_at))
    ):
        webhook.active = False
        webhook.disabled_at = now
        ledger.audit(session, "webhook.disable", f"webhook:{webhook.id}")
    return delivery.state


async def _succeeded_since(session: AsyncSession, webhook_id: int | None, since: datetime) -> bool:
    stmt = select(func.max(col(WebhookDelivery.delivered_at))).where(
        col(WebhookDelivery.webhook_id) == webhook_id
    )
    last_ok = (await session.execute(stmt)).scalar_one_or_none()
    return last_ok is not None and last_ok > since


async def has_work(session: AsyncSession, *, now: datetime) -> bool:
    """Cheap check for the dispatcher's idle loop."""
    head = await feed.dataset_version(session)
    behind = (
        select(col(Webhook.id))
        .where(col(Webhook.active).is_(True), col(Webhook.cursor_seq) < head)
        .limit(1)
    )
    if (await session.execute(behind)).first() is not None:
        return True
    due = _due_ids(now).limit(1)
    return (await session.execute(due)).first() is not None
