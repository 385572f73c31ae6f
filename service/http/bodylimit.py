"""Request body size limit, enforced on the declared length and on the streamed bytes."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import PayloadTooLarge
from service.http.handlers import send_problem


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is None and b"transfer-encoding" not in headers:
            # no body (a GET): nothing to count, and no wrappers on the hot read path
            await self.app(scope, receive, send)
            return
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        problem = PayloadTooLarge(
            f"request body exceeds the limit of {self.max_bytes} bytes (QCREDIT_MAX_BODY_BYTES)",
            rule="max-body-bytes",
        ).problem()
        await send_problem(send, problem)


class _TooLarge(HTTPException):
    """An HTTPException so FastAPI's body parsing re-raises it instead of wrapping it in a 400;
    the problem handler renders it."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            413,
            f"request body exceeds the limit of {max_bytes} bytes (QCREDIT_MAX_BODY_BYTES)",
        )
