"""Signed webhooks delivered to a real HTTP receiver on 127.0.0.1, on SQLite and PostgreSQL:
Standard Webhooks signatures, retries, leases, two dispatchers, auto-disable, SSRF."""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook as StandardWebhook

from service.app import create_app
from service.auth import ALL_SCOPES
from service.clock import FixedClock
from service.db import Database
from service.jobs.dispatcher import Dispatcher
from service.jobs.runtime import Runtime
from service.models import WebhookDelivery
from service.settings import Settings
from service.store import ledger
from service.store.sharing import deliveries as store
from tests.api._sharing import (
    HEBEI,
    PANJIN,
    SHENYANG,
    Receiver,
    dispatcher_for,
    put_enterprise,
    receiver_fixture,
)

WHSEC = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
PLAIN_SECRET = "a-plain-secret-of-32-characters!"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from receiver_fixture()


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, **over: Any
) -> dict[str, Any]:
    r = await client.post(
        "/v1/webhooks", json={"url": url, "secret": WHSEC, **over}, headers=headers
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def deliveries(
    client: httpx.AsyncClient, headers: dict[str, str], webhook_id: int
) -> list[dict[str, Any]]:
    r = await client.get(f"/v1/webhooks/{webhook_id}/deliveries", headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def test_delivery_is_signed_the_standard_webhooks_way(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver
) -> None:
    await put_enterprise(client, national.headers, HEBEI)  # before the subscription: not sent
    hook = await subscribe(client, national.headers, receiver.url)
    assert "secret" not in hook
    plain = await subscribe(client, national.headers, receiver.url, secret=PLAIN_SECRET)
    await put_enterprise(client, national.headers, PANJIN)

    assert await dispatcher_for(app).run_once() == 4  # 2 events x 2 subscriptions
    got = receiver.delivered()
    assert len(got) == 4
    verifiers = {
        # a whsec_ secret works with any Standard Webhooks library as is
        hook["id"]: StandardWebhook(WHSEC),
        # any other secret is used as its UTF-8 bytes
        plain["id"]: StandardWebhook(PLAIN_SECRET.encode()),
    }
    feed = (await client.get("/v1/changes", params={"after": 2}, headers=national.headers)).json()
    by_id = {e["id"]: e for e in feed["events"]}
    for item in got:
        assert item.headers["content-type"] == "application/json"
        assert item.headers["webhook-signature"].startswith("v1,")
        payload = orjson.loads(item.body)
        event = by_id[item.headers["webhook-id"]]  # webhook-id is the event id
        assert payload == event
        assert payload["code"] == PANJIN
    signed_by = {h: [r for r in got if _verifies(verifier, r)] for h, verifier in verifiers.items()}
    assert [len(v) for v in signed_by.values()] == [2, 2]
    # a tampered body is rejected by the same verifier
    tampered = dict(got[0].headers)
    with pytest.raises(Exception, match="signature"):
        verifiers[hook["id"]].verify(got[0].body + b" ", tampered)

    log = await deliveries(client, national.headers, hook["id"])
    assert {d["state"] for d in log} == {"delivered"}
    assert {d["last_status"] for d in log} == {200}
    assert {d["event_id"] for d in log} == {e["id"] for e in feed["events"]}
    assert all(d["attempts"] == 1 and d["delivered_at"] for d in log)


def _verifies(verifier: StandardWebhook, item: Any) -> bool:
    try:
        verifier.verify(item.body, item.headers)
    except Exception:
        return False
    return True


async def test_retry_after_a_500_then_success(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver, clock: FixedClock
) -> None:
    hook = await subscribe(client, national.headers, receiver.url, events=["enterprise."])
    await put_enterprise(client, national.headers, PANJIN)
    receiver.statuses = [500]
    dispatcher = dispatcher_for(app)
    assert await dispatcher.run_once() == 1
    [d] = await deliveries(client, national.headers, hook["id"])
    assert (d["state"], d["attempts"], d["last_status"]) == ("pending", 1, 500)
    assert d["last_error"] == "HTTP 500"
    # first retry after ~5 s (exponential backoff): not yet due one second later
    clock.at += timedelta(seconds=1)
    assert await dispatcher.run_once() == 0
    clock.at += timedelta(seconds=10)
    assert await dispatcher.run_once() == 1
    [d] = await deliveries(client, national.headers, hook["id"])
    assert (d["state"], d["attempts"], d["last_status"]) == ("delivered", 2, 200)
    first, second = receiver.delivered()
    assert first.headers["webhook-id"] == second.headers["webhook-id"]  # same event, same id
    assert first.body == second.body
    hook_now = (await client.get(f"/v1/webhooks/{hook['id']}", headers=national.headers)).json()
    assert hook_now["consecutive_failures"] == 0


async def test_backoff_grows_exponentially() -> None:
    policy = store.RetryPolicy()
    delays = [policy.delay(n).total_seconds() for n in range(1, 12)]
    assert 4.5 <= delays[0] <= 5.5
    assert 13.5 <= delays[1] <= 16.5
    assert all(b > a for a, b in itertools.pairwise(delays[:8]))
    assert max(delays) <= 6 * 3600 * 1.1


async def test_two_dispatchers_never_double_deliver(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver, settings: Settings
) -> None:
    await subscribe(client, national.headers, receiver.url)
    for i in range(12):
        await put_enterprise(client, national.headers, PANJIN, name=f"名称 {i}")
    head = (await client.get("/v1/changes", headers=national.headers)).json()["dataset_version"]
    # two replicas: separate engines (connection pools) on the same database
    other_db = Database(settings)
    try:
        first = dispatcher_for(app, batch=3)
        second = Dispatcher(Runtime(other_db, app.state.clock, settings), batch=3, timeout=5.0)
        counts = await asyncio.gather(first.run_once(), second.run_once())
        await first.aclose()
        await second.aclose()
    finally:
        await other_db.dispose()
    ids = [r.headers["webhook-id"] for r in receiver.delivered()]
    assert len(ids) == head == sum(counts)
    assert len(set(ids)) == len(ids), "an event was delivered twice"


async def test_a_crashed_senders_lease_runs_out_and_the_row_is_retried(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver, clock: FixedClock
) -> None:
    hook = await subscribe(client, national.headers, receiver.url, events=["enterprise.created"])
    await put_enterprise(client, national.headers, PANJIN)
    dispatcher = dispatcher_for(app)
    await dispatcher.fan_out()
    async with app.state.db.session(write=True) as session:  # claimed, then the sender "dies"
        [claimed] = await store.claim_due(
            session, now=clock.now(), limit=10, lease=timedelta(seconds=60)
        )
        await ledger.commit(session)
    assert [d["state"] for d in await deliveries(client, national.headers, hook["id"])] == [
        "sending"
    ]
    assert await dispatcher.run_once() == 0  # leased: nobody else takes it
    clock.at += timedelta(seconds=61)
    assert await dispatcher.run_once() == 1
    [d] = await deliveries(client, national.headers, hook["id"])
    assert (d["state"], d["attempts"]) == ("delivered", 2)
    # the dead sender's late outcome is ignored (its claim token is stale)
    async with app.state.db.session(write=True) as session:
        state = await store.record_outcome(
            session,
            claimed,
            store.Outcome(ok=False, status=503),
            now=clock.now(),
            policy=store.RetryPolicy(),
        )
        await ledger.commit(session)
    assert state == "stale"
    assert len(receiver.delivered()) == 1


async def test_persistent_failure_disables_and_enable_resumes(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver, clock: FixedClock
) -> None:
    hook = await subscribe(client, national.headers, receiver.url, events=["enterprise."])
    receiver.statuses = [500] * 3
    policy = store.RetryPolicy(first_delay=timedelta(seconds=1), disable_after=3)
    dispatcher = dispatcher_for(app, policy=policy)
    await put_enterprise(client, national.headers, PANJIN)
    for _ in range(3):
        await dispatcher.run_once()
        clock.at += timedelta(minutes=1)
    state = (await client.get(f"/v1/webhooks/{hook['id']}", headers=national.headers)).json()
    assert state["active"] is False
    assert state["disabled_at"] is not None
    assert state["consecutive_failures"] == 3
    # while disabled nothing is sent, and new events wait
    await put_enterprise(client, national.headers, PANJIN, name="停用期间的变更")
    clock.at += timedelta(hours=1)
    assert await dispatcher.run_once() == 0
    assert len(receiver.delivered()) == 3

    r = await client.post(f"/v1/webhooks/{hook['id']}/enable", headers=national.headers)
    assert r.status_code == 200
    assert r.json()["active"] is True
    assert r.json()["consecutive_failures"] == 0
    assert await dispatcher.run_once() == 2  # the queued one, then the disabled period's
    # sent concurrently, so in no particular order (the payload's seq orders them)
    sent = sorted(orjson.loads(x.body)["type"] for x in receiver.delivered()[3:])
    assert sent == ["enterprise.created", "enterprise.updated"]


async def test_three_days_of_failure_gives_up_and_disables(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver, clock: FixedClock
) -> None:
    hook = await subscribe(client, national.headers, receiver.url, events=["enterprise."])
    receiver.statuses = [503] * 100
    await put_enterprise(client, national.headers, PANJIN)
    dispatcher = dispatcher_for(app)
    attempts = 0
    for _ in range(40):
        attempts += await dispatcher.run_once()
        clock.at += timedelta(hours=6, minutes=40)  # past any backoff step
    [d] = await deliveries(client, national.headers, hook["id"])
    assert d["state"] == "failed"
    assert d["next_attempt_at"] is None
    # about 3 days of exponential backoff, then it stopped trying
    assert 8 <= d["attempts"] == attempts <= 20
    state = (await client.get(f"/v1/webhooks/{hook['id']}", headers=national.headers)).json()
    assert state["active"] is False
    # re-enabling with retry_failed sends the given-up delivery again
    receiver.statuses = []
    r = await client.post(
        f"/v1/webhooks/{hook['id']}/enable", json={"retry_failed": True}, headers=national.headers
    )
    assert r.status_code == 200
    assert await dispatcher.run_once() == 1
    [d] = await deliveries(client, national.headers, hook["id"])
    assert d["state"] == "delivered"


async def test_410_gone_disables_at_once(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver
) -> None:
    hook = await subscribe(client, national.headers, receiver.url, events=["enterprise."])
    receiver.statuses = [410]
    await put_enterprise(client, national.headers, PANJIN)
    dispatcher = dispatcher_for(app)
    assert await dispatcher.run_once() == 1
    state = (await client.get(f"/v1/webhooks/{hook['id']}", headers=national.headers)).json()
    assert state["active"] is False
    await put_enterprise(client, national.headers, PANJIN, name="之后的变更")
    assert await dispatcher.run_once() == 0
    assert len(receiver.delivered()) == 1


async def test_filters_types_and_region(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver, make_agency: Any
) -> None:
    liaoning = await make_agency("province", "21")
    await subscribe(client, national.headers, receiver.url, events=["grade.changed"], region="2111")
    await subscribe(client, liaoning.headers, receiver.url, events=["enterprise.created"])
    for code in (PANJIN, SHENYANG, HEBEI):
        await put_enterprise(client, national.headers, code)
    await dispatcher_for(app).run_once()
    got = sorted(
        (orjson.loads(x.body)["type"], orjson.loads(x.body)["code"]) for x in receiver.delivered()
    )
    assert got == sorted(
        [
            ("grade.changed", PANJIN),
            # the province agency's webhook sees only its jurisdiction
            ("enterprise.created", PANJIN),
            ("enterprise.created", SHENYANG),
        ]
    )


async def test_crud_and_validation(
    client: httpx.AsyncClient, national: Any, make_agency: Any, receiver: Receiver
) -> None:
    hook = await subscribe(client, national.headers, receiver.url, events=["blacklist."])
    assert hook["events"] == ["blacklist."]
    assert hook["active"] is True
    listing = await client.get("/v1/webhooks", headers=national.headers)
    assert [h["id"] for h in listing.json()["items"]] == [hook["id"]]
    assert WHSEC not in listing.text

    other = await make_agency("province", "21")
    assert (
        await client.get(f"/v1/webhooks/{hook['id']}", headers=other.headers)
    ).status_code == 404
    assert (await client.get("/v1/webhooks", headers=other.headers)).json()["items"] == []

    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"secret": "short"}, "secret", "string_too_short"),
        ({"url": "ftp://127.0.0.1/x"}, "url", "scheme"),
        ({"url": "not a url"}, "url", "scheme"),
        ({"url": "http://user:pw@127.0.0.1/"}, "url", "userinfo"),
        ({"events": ["Blacklist"]}, "events.0", "event-type"),
        ({"secret": "whsec_!!not-base64!!!!"}, "secret", "whsec"),
        ({"nope": 1}, "nope", "extra_forbidden"),
    ]
    for over, field, rule in cases:
        body = {"url": receiver.url, "secret": WHSEC, **over}
        r = await client.post("/v1/webhooks", json=body, headers=national.headers)
        assert r.status_code == 422, (over, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        err = r.json()["errors"][0]
        assert (err["field"], err["rule"]) == (field, rule), over

    r = await client.post(
        "/v1/webhooks",
        json={"url": receiver.url, "secret": WHSEC, "region": "13"},
        headers=other.headers,
    )
    assert r.status_code == 403
    r = await client.post(
        "/v1/webhooks",
        json={"url": receiver.url, "secret": WHSEC, "watchlist_id": 999},
        headers=national.headers,
    )
    assert r.status_code == 404
    no_scope = await make_agency(scopes=frozenset(ALL_SCOPES - {"webhooks", "admin"}))
    r = await client.get("/v1/webhooks", headers=no_scope.headers)
    assert r.status_code == 403
    assert r.json()["rule"] == "scope"

    r = await client.delete(f"/v1/webhooks/{hook['id']}", headers=national.headers)
    assert r.status_code == 204
    assert (
        await client.get(f"/v1/webhooks/{hook['id']}", headers=national.headers)
    ).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://100.64.0.1/hook",
    ],
)
async def test_ssrf_refused_at_creation(
    settings: Settings, clock: FixedClock, make_agency: Any, url: str
) -> None:
    strict = create_app(settings.model_copy(update={"webhook_allow_private": False}), clock=clock)
    try:
        transport = httpx.ASGITransport(app=strict)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            agency = await _agency(strict)
            r = await c.post("/v1/webhooks", json={"url": url, "secret": WHSEC}, headers=agency)
    finally:
        await strict.state.db.dispose()
    assert r.status_code == 422, r.text
    [err] = r.json()["errors"]
    assert (err["field"], err["rule"]) == ("url", "ssrf")


async def _agency(app: Any) -> dict[str, str]:
    from service.auth import Level
    from service.store import agencies

    async with app.state.db.session(write=True) as session:
        _, key = await agencies.create(
            session, name="strict", level=Level.NATIONAL, region="", scopes=ALL_SCOPES
        )
        await ledger.commit(session)
    return {"Authorization": f"Bearer {key}"}


async def test_ssrf_refused_at_send_time(
    app: Any,
    client: httpx.AsyncClient,
    national: Any,
    receiver: Receiver,
    settings: Settings,
    clock: FixedClock,
) -> None:
    """A URL that was acceptable when created but points inside now (say, DNS changed) is
    checked again before every send and never called."""
    hook = await subscribe(client, national.headers, receiver.url)
    await put_enterprise(client, national.headers, PANJIN)
    strict = settings.model_copy(update={"webhook_allow_private": False})
    dispatcher = Dispatcher(Runtime(app.state.db, clock, strict))
    assert await dispatcher.run_once() == 2
    await dispatcher.aclose()
    assert receiver.delivered() == []
    log = await deliveries(client, national.headers, hook["id"])
    assert {d["state"] for d in log} == {"pending"}
    assert all(d["last_error"].startswith("refused (ssrf)") for d in log)


async def test_background_runner_in_the_app_delivers(
    settings: Settings, clock: FixedClock, receiver: Receiver
) -> None:
    """With run_background the server's lifespan starts the dispatcher itself."""
    live = create_app(settings.model_copy(update={"run_background": True}), clock=clock)
    async with live.router.lifespan_context(live):
        headers = await _agency(live)
        transport = httpx.ASGITransport(app=live)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            await subscribe(c, headers, receiver.url)
            await put_enterprise(c, headers, PANJIN)
            for _ in range(100):
                if len(receiver.delivered()) == 2:
                    break
                await asyncio.sleep(0.05)
    assert len(receiver.delivered()) == 2
    db = Database(settings)
    try:
        async with db.session(write=False) as session:
            states = set((await session.execute(select(WebhookDelivery.state))).scalars())
    finally:
        await db.dispose()
    assert states == {"delivered"}


async def test_qcredit_worker_process_delivers_and_stops_on_sigterm(
    client: httpx.AsyncClient, national: Any, receiver: Receiver, database_url: str
) -> None:
    """`qcredit worker` is the same runner as a separate process (scale-out)."""
    import os
    import signal
    import sys
    from pathlib import Path

    await subscribe(client, national.headers, receiver.url, events=["enterprise."])
    await put_enterprise(client, national.headers, PANJIN)
    env = {
        **os.environ,
        "QCREDIT_DATABASE_URL": database_url,
        "QCREDIT_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    qcredit = str(Path(sys.executable).parent / "qcredit")
    proc = await asyncio.create_subprocess_exec(
        qcredit,
        "worker",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        for _ in range(300):
            if receiver.delivered():
                break
            await asyncio.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, stderr.decode()[-2000:]
    [got] = receiver.delivered()
    assert orjson.loads(got.body)["type"] == "enterprise.created"


async def test_delivery_log_is_pruned_after_30_days(
    app: Any, client: httpx.AsyncClient, national: Any, receiver: Receiver, clock: FixedClock
) -> None:
    from service.jobs.periodic import exclusive, prune_delivery_log

    hook = await subscribe(client, national.headers, receiver.url, events=["enterprise."])
    await put_enterprise(client, national.headers, PANJIN)
    await dispatcher_for(app).run_once()
    job = exclusive("webhooks.prune_log", timedelta(days=1), prune_delivery_log)
    runtime = Runtime(app.state.db, clock, app.state.settings)
    clock.at += timedelta(days=29)
    await job.run(runtime)
    assert len(await deliveries(client, national.headers, hook["id"])) == 1
    clock.at += timedelta(days=2)
    await job.run(runtime)
    assert await deliveries(client, national.headers, hook["id"]) == []
