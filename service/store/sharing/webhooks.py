"""Webhook subscriptions: create, list, delete, re-enable, read the delivery log. The
delivery queue itself is service/store/sharing/deliveries.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.errors import FieldError, NotFound, ValidationFailed
from service.models import Webhook, WebhookDelivery
from service.store import ledger
from service.store.sharing import feed, watchlists


def _invalid(field: str, rule: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[FieldError(field=field, rule=rule, message=message)])


async def create(
    session: AsyncSession,
    principal: Principal,
    *,
    url: str,
    secret: str,
    events: Sequence[str],
    region: str | None,
    watchlist_id: int | None,
    now: datetime,
) -> Webhook:
    """The URL must already have passed the SSRF check. Delivery starts with the events
    committed after this call."""
    bad = feed.invalid_type_patterns(events)
    if bad:
        raise _invalid(
            f"events.{bad[0]}", "event-type", f"'{events[bad[0]]}' is not an event type or prefix"
        )
    if region is not None:
        principal.require_region(region)
    if watchlist_id is not None:
        await watchlists.get_owned(session, principal.agency_id, watchlist_id)
    webhook = Webhook(
        agency_id=principal.agency_id,
        url=url,
        secret=secret,
        events=list(dict.fromkeys(events)),
        region=region,
        watchlist_id=watchlist_id,
        cursor_seq=await feed.dataset_version(session),
        created_at=now,
    )
    session.add(webhook)
    await session.flush()
    ledger.audit(session, "webhook.create", f"webhook:{webhook.id}")
    return webhook


async def get_owned(session: AsyncSession, agency_id: int, webhook_id: int) -> Webhook:
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None or webhook.agency_id != agency_id:
        raise NotFound(f"no webhook {webhook_id}")
    return webhook


async def list_for(session: AsyncSession, agency_id: int) -> list[Webhook]:
    stmt = select(Webhook).where(col(Webhook.agency_id) == agency_id).order_by(col(Webhook.id))
    return list((await session.execute(stmt)).scalars())


async def remove(session: AsyncSession, webhook: Webhook) -> None:
    await session.execute(
        delete(WebhookDelivery).where(col(WebhookDelivery.webhook_id) == webhook.id)
    )
    await session.delete(webhook)
    await session.flush()
    ledger.audit(session, "webhook.delete", f"webhook:{webhook.id}")


async def enable(
    session: AsyncSession, webhook: Webhook, *, retry_failed: bool, now: datetime
) -> None:
    """Re-enable: queued deliveries go out at once; fan-out resumes where it stopped, so no
    event of the disabled period is lost."""
    # deliveries before the subscription: the order the dispatcher locks them in
    states = ["pending", "failed"] if retry_failed else ["pending"]
    await session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.webhook_id) == webhook.id,
            col(WebhookDelivery.state).in_(states),
        )
        # a re-queued delivery gets a fresh retry window (created_at) and attempt count
        .values(state="pending", next_attempt_at=now, created_at=now, attempts=0)
    )
    webhook.active = True
    webhook.consecutive_failures = 0
    webhook.disabled_at = None
    await session.flush()
    ledger.audit(session, "webhook.enable", f"webhook:{webhook.id}")


async def deliveries_page(
    session: AsyncSession, webhook_id: int, *, before: int | None, limit: int
) -> list[WebhookDelivery]:
    """Newest first."""
    stmt = (
        select(WebhookDelivery)
        .where(col(WebhookDelivery.webhook_id) == webhook_id)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit + 1)
    )
    if before is not None:
        stmt = stmt.where(col(WebhookDelivery.id) < before)
    return list((await session.execute(stmt)).scalars())
