"""`Idempotency-Key` for every POST under /v1 — one pure ASGI middleware, so each route
(present or future) gets it without doing anything.

Keys are scoped per agency (resolved from the bearer key). The first request with a key
stores it `in_flight` (committed at once, so concurrent duplicates see it), runs, and stores
the final status, headers and body; a repeat with the same method, path and body gets the
stored response with `Idempotent-Replayed: true`. The same key with another request is a 422
(`idempotency-key-reuse`); a repeat while the first still runs is a 409
(`idempotency-in-flight`). 5xx responses are not stored, so the client may retry. Keys are
honoured for 24 hours; the background runner prunes older ones.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import PrincipalCache, bearer_token
from service.clock import Clock
from service.db import Database
from service.errors import (
    PROBLEM_MEDIA_TYPE,
    AppError,
    Conflict,
    FieldError,
    Unauthorized,
    ValidationFailed,
)
from service.models import IdempotencyKey

TTL = timedelta(hours=24)
# An in-flight key older than this belongs to a request whose server died before storing the
# outcome; it may be taken over (no request runs this long: the body limit and DB timeouts
# bound it).
IN_FLIGHT_LEASE = timedelta(minutes=10)
MAX_KEY_LENGTH = 200
# not replayed: recomputed for the replay or added by outer middleware
_SKIP_HEADERS = frozenset({"content-length", "date", "server", "x-request-id"})


@dataclass(frozen=True, slots=True)
class _Stored:
    status: int
    headers: dict[str, str]
    body: bytes


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith("/v1/")
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get("idempotency-key")
        if key is None:
            await self.app(scope, receive, send)
            return
        if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
            await _send_problem(
                send,
                ValidationFailed(
                    "Idempotency-Key must be 1-200 printable ASCII characters",
                    errors=[
                        FieldError(
                            field="Idempotency-Key",
                            rule="idempotency-key",
                            message="1-200 printable ASCII characters",
                        )
                    ],
                ),
            )
            return
        state = scope["app"].state
        db: Database = state.db
        clock: Clock = state.clock
        agency_id = await _agency_of(state, headers.get("authorization"))
        if agency_id is None:  # the route answers 401 itself
            await self.app(scope, receive, send)
            return

        body = await _read_body(receive)
        target = scope["path"] + (
            "?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
        )
        request_hash = hashlib.sha256(f"POST {target}\n".encode() + body).hexdigest()

        outcome = await _begin(db, agency_id, key, request_hash, clock.now())
        if isinstance(outcome, AppError):
            await _send_problem(send, outcome)
            return
        if isinstance(outcome, _Stored):
            await _replay(send, outcome)
            return
        await self._run(scope, receive, send, body, db, agency_id, key)

    async def _run(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        body: bytes,
        db: Database,
        agency_id: int,
        key: str,
    ) -> None:
        replayed = False

        async def replay_receive() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        status = 500
        response_headers: dict[str, str] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    lname = name.decode("latin-1").lower()
                    if lname not in _SKIP_HEADERS:
                        response_headers[lname] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capture)
        except BaseException:
            await asyncio.shield(_forget(db, agency_id, key))
            raise
        if status >= 500:
            await asyncio.shield(_forget(db, agency_id, key))
        else:
            await asyncio.shield(
                _finish(db, agency_id, key, _Stored(status, response_headers, b"".join(chunks)))
            )


async def _agency_of(state: Any, authorization: str | None) -> int | None:
    """The caller's agency, through the same key check and cache as the routes."""
    try:
        token = bearer_token(authorization)
        principals: PrincipalCache = state.principals
        principal = await principals.principal(state.db, token)
    except Unauthorized:
        return None
    return principal.agency_id


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            return b"".join(chunks)


async def _begin(
    db: Database, agency_id: int, key: str, request_hash: str, now: datetime
) -> _Stored | AppError | None:
    """None: this request owns the key and runs. Otherwise what to answer instead."""
    for _ in range(2):  # a concurrent first insert of the same key makes us look again
        async with db.session(write=True) as session:
            row = await session.get(
                IdempotencyKey, (agency_id, key), with_for_update=not db.is_sqlite
            )
            if row is not None and not _expired(row, now):
                if row.request_hash != request_hash:
                    return ValidationFailed(
                        "this Idempotency-Key was used with a different request; "
                        "use a new key for a new request",
                        rule="idempotency-key-reuse",
                    )
                if row.state != "done":
                    return Conflict(
                        "a request with this Idempotency-Key is still being processed",
                        rule="idempotency-in-flight",
                        headers={"Retry-After": "1"},
                    )
                return _Stored(
                    row.response_status or 200,
                    dict(row.response_headers),
                    row.response_body or b"",
                )
            if row is not None:
                await session.delete(row)
                await session.flush()
            session.add(
                IdempotencyKey(
                    agency_id=agency_id, key=key, request_hash=request_hash, created_at=now
                )
            )
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
                continue
            return None
    return Conflict(
        "a request with this Idempotency-Key is still being processed",
        rule="idempotency-in-flight",
        headers={"Retry-After": "1"},
    )


def _expired(row: IdempotencyKey, now: datetime) -> bool:
    if row.created_at <= now - TTL:
        return True
    return row.state != "done" and row.created_at <= now - IN_FLIGHT_LEASE


async def _finish(db: Database, agency_id: int, key: str, stored: _Stored) -> None:
    async with db.session(write=True) as session:
        row = await session.get(IdempotencyKey, (agency_id, key))
        if row is None:
            return
        row.state = "done"
        row.response_status = stored.status
        row.response_headers = stored.headers
        row.response_body = stored.body
        await session.commit()


async def _forget(db: Database, agency_id: int, key: str) -> None:
    async with db.session(write=True) as session:
        await session.execute(
            delete(IdempotencyKey).where(
                col(IdempotencyKey.agency_id) == agency_id,
                col(IdempotencyKey.key) == key,
                col(IdempotencyKey.state) == "in_flight",
            )
        )
        await session.commit()


async def _replay(send: Send, stored: _Stored) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers.items()]
    headers.append((b"content-length", str(len(stored.body)).encode()))
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body})


async def _send_problem(send: Send, err: AppError) -> None:
    body = orjson.dumps(err.problem().model_dump(exclude_none=True))
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in err.headers.items()]
    await send({"type": "http.response.start", "status": err.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
