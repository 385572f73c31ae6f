"""Retries and idempotency keys, at the transport level (httpx.MockTransport): which
answers are retried, how long the client waits, and that every attempt of one write
carries the same Idempotency-Key. The end-to-end replay against the service is in
test_idempotent_replay.py."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from qcredit_client import (
    AsyncClient,
    Client,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    RetryPolicy,
    UnavailableError,
)
from qcredit_client._core import retry_after

FAST = RetryPolicy(attempts=4, timeout=20.0, wait_initial=0.01, wait_max=0.05)
ME = {"id": 1, "name": "测试", "level": "national", "region": "", "scopes": ["admin"]}
PROBLEM = {"type": "about:blank", "title": "t", "status": 0, "detail": "d", "errors": []}


def scripted(
    *answers: httpx.Response | Exception,
) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering in turn (the last answer repeats), recording each request."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers[min(len(seen), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handle), seen


def problem(status: int, headers: dict[str, str] | None = None, **extra: str) -> httpx.Response:
    return httpx.Response(status, json={**PROBLEM, "status": status, **extra}, headers=headers)


def sync_client(transport: httpx.MockTransport, retry: RetryPolicy = FAST) -> Client:
    return Client("http://registry", "key", transport=transport, retry=retry)


def test_429_waits_the_retry_after_then_succeeds() -> None:
    transport, seen = scripted(problem(429, {"Retry-After": "1"}), httpx.Response(200, json=ME))
    with sync_client(transport) as client:
        started = time.monotonic()
        assert client.me().name == "测试"
        waited = time.monotonic() - started
    assert len(seen) == 2
    assert waited >= 1.0  # the server's Retry-After, not the 10 ms back-off


async def test_async_client_retries_the_same_way() -> None:
    transport, seen = scripted(problem(503, {"Retry-After": "0"}), httpx.Response(200, json=ME))
    async with AsyncClient("http://registry", "key", transport=transport, retry=FAST) as client:
        assert (await client.me()).level == "national"
    assert len(seen) == 2


def test_503_until_attempts_run_out_raises_the_problem() -> None:
    transport, seen = scripted(problem(503))
    with sync_client(transport) as client, pytest.raises(UnavailableError) as err:
        client.me()
    assert len(seen) == FAST.attempts and err.value.status == 503


def test_a_retry_after_beyond_the_limit_is_reported_at_once() -> None:
    transport, seen = scripted(problem(429, {"Retry-After": "3600"}))
    with sync_client(transport) as client, pytest.raises(RateLimitedError):
        client.me()
    assert len(seen) == 1


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("eof")],
)
def test_connection_failures_are_retried(failure: Exception) -> None:
    transport, seen = scripted(failure, httpx.Response(200, json=ME))
    with sync_client(transport) as client:
        assert client.me().id == 1
    assert len(seen) == 2


def test_no_retry_policy_fails_fast() -> None:
    transport, seen = scripted(httpx.ConnectError("refused"))
    with (
        sync_client(transport, RetryPolicy(attempts=1)) as client,
        pytest.raises(httpx.ConnectError),
    ):
        client.me()
    assert len(seen) == 1


def test_every_attempt_of_a_write_carries_one_idempotency_key() -> None:
    entry = {"id": 7}
    transport, seen = scripted(
        httpx.ReadTimeout("response lost"),
        problem(409, {"Retry-After": "0"}, rule="idempotency-in-flight"),
        httpx.Response(201, json=entry),
    )
    with sync_client(transport) as client:
        client.request("POST", "/v1/blacklist", json={})
        client.request("POST", "/v1/blacklist", json={})
    keys = [r.headers.get("idempotency-key") for r in seen]
    assert len(seen) == 4
    assert keys[0] and keys[0] == keys[1] == keys[2]  # one call, three attempts
    assert keys[3] and keys[3] != keys[0]  # the next call is a new request


def test_reads_carry_no_idempotency_key_and_other_conflicts_are_not_retried() -> None:
    transport, seen = scripted(problem(409, rule="order44-art13-defence-window"))
    with sync_client(transport) as client, pytest.raises(ConflictError) as err:
        client.request("POST", "/v1/blacklist/1/list", json={})
    assert len(seen) == 1 and err.value.rule == "order44-art13-defence-window"
    transport, seen = scripted(httpx.Response(200, json=ME))
    with sync_client(transport) as client:
        client.me()
    assert "idempotency-key" not in seen[0].headers


def test_a_delete_whose_answer_was_lost_is_done_when_the_retry_finds_nothing() -> None:
    transport, seen = scripted(httpx.ReadTimeout("answer lost"), problem(404))
    with sync_client(transport) as client:
        client.delete_webhook(3)
    assert len(seen) == 2
    transport, seen = scripted(problem(404))  # without a lost answer a 404 is an error
    with sync_client(transport) as client, pytest.raises(NotFoundError):
        client.delete_webhook(3)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("5") == 5.0
    assert retry_after(None) is None and retry_after("not a date") is None
    in_30s = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    wait = retry_after(in_30s)
    assert wait is not None and 28 <= wait <= 31  # HTTP dates have 1-second resolution
    assert retry_after(format_datetime(datetime.now(UTC) - timedelta(seconds=30), usegmt=True)) == 0
