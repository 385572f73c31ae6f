"""Helpers for the sharing tests: enterprises through the API, a real HTTP receiver on
127.0.0.1, and a dispatcher bound to a test app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from service.credit.codes import make_uscc
from service.jobs.dispatcher import Dispatcher
from service.jobs.runtime import Runtime
from tests.api._records import ensure_enterprise

# one enterprise helper for every API test module
put_enterprise = ensure_enterprise

PANJIN = make_uscc("00012345", region="211100")  # Liaoning, Panjin
SHENYANG = make_uscc("00022222", region="210100")  # Liaoning, Shenyang
HEBEI = make_uscc("10000001", region="130100")


async def read_feed(
    client: httpx.AsyncClient, headers: dict[str, str], after: int = 0, **params: Any
) -> list[dict[str, Any]]:
    """Everything after `after`, following next_after."""
    events: list[dict[str, Any]] = []
    while True:
        r = await client.get(
            "/v1/changes", params={"after": after, "limit": 1000, **params}, headers=headers
        )
        assert r.status_code == 200, r.text
        page = r.json()
        events += page["events"]
        if page["next_after"] == after:
            return events
        after = page["next_after"]


def dispatcher_for(app: Any, **kwargs: Any) -> Dispatcher:
    return Dispatcher(
        Runtime(app.state.db, app.state.clock, app.state.settings), timeout=5.0, **kwargs
    )


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server in a thread. `statuses` are answered in turn (then 200)."""

    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def delivered(self) -> list[Received]:
        with self.lock:
            return list(self.received)


def start_receiver() -> Receiver:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with receiver.lock:
                receiver.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver


def receiver_fixture() -> Iterator[Receiver]:
    receiver = start_receiver()
    yield receiver
    assert receiver.server is not None
    receiver.server.shutdown()
    receiver.server.server_close()
