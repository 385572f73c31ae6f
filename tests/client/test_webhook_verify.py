"""verify_webhook accepts what the registry's dispatcher and any Standard Webhooks signer
send, and refuses tampered, stale or unsigned deliveries."""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from standardwebhooks import Webhook as StandardWebhook

from qcredit_client import AsyncClient, WebhookVerificationError, verify_webhook
from tests.api._sharing import Receiver, dispatcher_for, receiver_fixture
from tests.client._data import code

WHSEC = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
PLAIN = "a-plain-secret-of-32-characters!"
BODY = json.dumps({"id": "evt-1", "type": "enterprise.created", "data": {}}).encode()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from receiver_fixture()


def signed(secret: str = WHSEC, body: bytes = BODY, at: int | None = None) -> dict[str, str]:
    """Headers as the reference Standard Webhooks implementation signs them."""
    at = int(time.time()) if at is None else at
    signature = StandardWebhook(secret).sign(
        "msg_1", datetime.fromtimestamp(at, UTC), body.decode()
    )
    return {"webhook-id": "msg_1", "webhook-timestamp": str(at), "webhook-signature": signature}


def test_accepts_a_reference_signature_and_returns_the_event() -> None:
    assert verify_webhook(WHSEC, signed(), BODY)["id"] == "evt-1"
    # header names are case-insensitive; a rotated key may add more signatures
    headers = {k.title(): v for k, v in signed().items()}
    headers["Webhook-Signature"] = "v1,bm90LXRoaXMtb25l " + headers["Webhook-Signature"]
    assert verify_webhook(WHSEC, headers, BODY.decode())["type"] == "enterprise.created"


@pytest.mark.parametrize(
    ("headers", "body", "secret"),
    [
        (signed(), BODY.replace(b"evt-1", b"evt-2"), WHSEC),  # body changed
        (signed(), BODY, "whsec_" + base64.b64encode(b"another-key-of-32-bytes-length!!").decode()),
        ({**signed(), "webhook-id": "msg_2"}, BODY, WHSEC),  # id is signed too
        ({**signed(), "webhook-signature": "v2,abc"}, BODY, WHSEC),
        ({k: v for k, v in signed().items() if k != "webhook-signature"}, BODY, WHSEC),
        ({**signed(), "webhook-timestamp": "soon"}, BODY, WHSEC),
    ],
)
def test_refuses_what_was_not_signed_with_the_secret(
    headers: dict[str, str], body: bytes, secret: str
) -> None:
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, headers, body)


def test_timestamp_tolerance_boundaries() -> None:
    at = 1_800_000_000
    headers = signed(at=at)
    assert verify_webhook(WHSEC, headers, BODY, now=at + 300)  # the last second accepted
    assert verify_webhook(WHSEC, headers, BODY, now=at - 300)  # clock skew either way
    with pytest.raises(WebhookVerificationError):
        verify_webhook(WHSEC, headers, BODY, now=at + 301)  # a replay after 5 minutes
    assert verify_webhook(WHSEC, headers, BODY, now=at + 3000, tolerance=3600)


async def test_verifies_real_deliveries_from_the_registry(
    app: Any, api: AsyncClient, receiver: Receiver
) -> None:
    whsec = await api.create_webhook({"url": receiver.url, "secret": WHSEC})
    plain = await api.create_webhook({"url": receiver.url, "secret": PLAIN})
    await api.put_enterprise(code(201), {"name": "盘锦推送乳业有限公司"})
    assert await dispatcher_for(app).run_once() >= 2

    got = receiver.delivered()
    assert len(got) >= 2
    secrets = {whsec.id: WHSEC, plain.id: PLAIN}
    for hook_id in secrets:  # the registry's own record of each delivery
        assert [d.event_id async for d in api.iter_deliveries(hook_id)]
    events = []
    for delivery in got:
        matches = []
        for secret in secrets.values():
            with contextlib.suppress(WebhookVerificationError):
                matches.append(verify_webhook(secret, delivery.headers, delivery.body))
        assert len(matches) == 1  # signed with exactly one subscription's secret
        events.append(matches[0])
    assert {e["code"] for e in events} == {code(201)}
