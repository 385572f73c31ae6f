"""Signed webhooks (Standard Webhooks): subscriptions, their delivery log, re-enabling."""

from __future__ import annotations

import binascii
from typing import Annotated

from fastapi import APIRouter, Body, Path, Response

from service.auth import Scope
from service.deps import NowDep, PrincipalDep, SessionDep, SettingsDep, require
from service.errors import FieldError, Forbidden, NotFound, ValidationFailed, problem_responses
from service.http.pagination import CursorQuery, LimitQuery, decode_cursor_of, encode_cursor
from service.jobs.dispatcher import signing_key
from service.models import Webhook, WebhookDelivery
from service.schemas.sharing import (
    DeliveryOut,
    DeliveryPage,
    EnableIn,
    WebhookIn,
    WebhookList,
    WebhookOut,
)
from service.security import ssrf
from service.store.sharing import webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["sharing"], dependencies=[require(Scope.WEBHOOKS)])

WebhookId = Annotated[int, Path(ge=1, description="Webhook id", examples=[1])]


def webhook_out(w: Webhook) -> WebhookOut:
    assert w.id is not None
    return WebhookOut(
        id=w.id,
        url=w.url,
        events=w.events,
        region=w.region,
        watchlist_id=w.watchlist_id,
        active=w.active,
        consecutive_failures=w.consecutive_failures,
        disabled_at=w.disabled_at,
        cursor_seq=w.cursor_seq,
        created_at=w.created_at,
    )


def delivery_out(d: WebhookDelivery) -> DeliveryOut:
    assert d.id is not None
    return DeliveryOut(
        id=d.id,
        event_id=d.event_id,
        event_seq=d.event_seq,
        state=d.state,
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at if d.state in ("pending", "sending") else None,
        last_status=d.last_status,
        last_error=d.last_error,
        delivered_at=d.delivered_at,
        created_at=d.created_at,
    )


def _check_secret(secret: str) -> None:
    if not secret.startswith("whsec_"):
        return
    try:
        key = signing_key(secret)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) < 16:
        raise ValidationFailed(
            "a whsec_ secret must be base64 of at least 16 bytes",
            errors=[FieldError(field="secret", rule="whsec", message="not base64 of >= 16 bytes")],
        )


@router.post(
    "",
    status_code=201,
    summary="Subscribe a URL to change events",
    response_model=WebhookOut,
    responses=problem_responses(ValidationFailed, Forbidden, NotFound),
)
async def create_webhook(
    body: WebhookIn,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    now: NowDep,
) -> WebhookOut:
    """Deliveries carry `webhook-id` (the event id), `webhook-timestamp` and
    `webhook-signature` (`v1,<base64 HMAC-SHA256(secret, "id.timestamp.body")>`); they are
    retried with exponential backoff for 3 days. The URL must resolve to public addresses.
    The secret is never returned. `watchlist_id` narrows delivery to events about the codes
    in that watchlist (e.g. your suppliers being listed or changing grade)."""
    try:
        await ssrf.check_url(body.url, allow_private=settings.webhook_allow_private)
    except ssrf.UnsafeUrl as err:
        raise ValidationFailed(
            f"webhook URL refused: {err.message}",
            errors=[FieldError(field="url", rule=err.rule, message=err.message)],
        ) from err
    _check_secret(body.secret)
    webhook = await webhooks.create(
        session,
        principal,
        url=body.url,
        secret=body.secret,
        events=body.events,
        region=body.region,
        watchlist_id=body.watchlist_id,
        now=now,
    )
    return webhook_out(webhook)


@router.get("", summary="Your webhooks", response_model=WebhookList)
async def list_webhooks(session: SessionDep, principal: PrincipalDep) -> WebhookList:
    rows = await webhooks.list_for(session, principal.agency_id)
    return WebhookList(items=[webhook_out(w) for w in rows])


@router.get(
    "/{webhook_id}",
    summary="One webhook",
    response_model=WebhookOut,
    responses=problem_responses(NotFound),
)
async def get_webhook(
    webhook_id: WebhookId, session: SessionDep, principal: PrincipalDep
) -> WebhookOut:
    return webhook_out(await webhooks.get_owned(session, principal.agency_id, webhook_id))


@router.delete(
    "/{webhook_id}",
    status_code=204,
    summary="Unsubscribe (drops queued deliveries)",
    responses=problem_responses(NotFound),
)
async def delete_webhook(
    webhook_id: WebhookId, session: SessionDep, principal: PrincipalDep
) -> Response:
    await webhooks.remove(
        session, await webhooks.get_owned(session, principal.agency_id, webhook_id)
    )
    return Response(status_code=204)


@router.post(
    "/{webhook_id}/enable",
    summary="Re-enable a webhook disabled after persistent failures",
    response_model=WebhookOut,
    responses=problem_responses(NotFound),
)
async def enable_webhook(
    webhook_id: WebhookId,
    session: SessionDep,
    principal: PrincipalDep,
    now: NowDep,
    body: Annotated[EnableIn | None, Body()] = None,
) -> WebhookOut:
    """Queued deliveries are sent at once and events of the disabled period follow; with
    `retry_failed` the deliveries that exhausted their retries are queued again too."""
    webhook = await webhooks.get_owned(session, principal.agency_id, webhook_id)
    await webhooks.enable(session, webhook, retry_failed=bool(body and body.retry_failed), now=now)
    return webhook_out(webhook)


@router.get(
    "/{webhook_id}/deliveries",
    summary="Delivery log, newest first",
    response_model=DeliveryPage,
    responses=problem_responses(NotFound, ValidationFailed),
)
async def list_deliveries(
    webhook_id: WebhookId,
    session: SessionDep,
    principal: PrincipalDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> DeliveryPage:
    webhook = await webhooks.get_owned(session, principal.agency_id, webhook_id)
    before = decode_cursor_of(cursor, int)
    rows = await webhooks.deliveries_page(session, webhook.id or 0, before=before, limit=limit)
    more = len(rows) > limit
    rows = rows[:limit]
    return DeliveryPage(
        items=[delivery_out(d) for d in rows],
        next_cursor=encode_cursor(rows[-1].id) if more and rows else None,
    )
