"""What the sync and async clients share: retry decisions, request bodies, batch results.

Nothing here performs I/O, so both clients (the sync one is generated from the async one)
use it unchanged.
"""

from __future__ import annotations

import email.utils
import itertools
import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

import httpx
from pydantic import BaseModel

from qcredit_client.models import (
    BatchOut,
    FieldError,
    PublicScreenOut,
    PublicScreenResult,
    ScreenOut,
    ScreenResult,
)

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

# server limits (design.md "Screening", POST /v1/records/batch)
AGENCY_SCREEN_LIMIT = 100_000
PUBLIC_SCREEN_LIMIT = 1_000
BATCH_LIMIT = 100_000
DEFAULT_BATCH_SIZE = 5_000

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# 409 with this rule: our own earlier attempt (same Idempotency-Key) is still running
IN_FLIGHT_RULE = "idempotency-in-flight"

Body = BaseModel | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When to try a request again.

    Retried: connection failures and timeouts, 429, 503, and 409 ``idempotency-in-flight``
    (our own first attempt still running). Writes are safe to retry because every write
    carries one ``Idempotency-Key`` for all its attempts (PUT and DELETE are idempotent
    anyway; a DELETE retried after a lost answer that then finds nothing is done, not a
    404). A ``Retry-After`` header sets the wait; without one the wait grows exponentially
    with jitter (stamina's defaults). A ``Retry-After`` longer than ``max_retry_after`` is
    not waited for: the error is raised.

    Why stamina rather than a hand-written loop: it bounds attempts *and* total time, adds
    jitter, works for sync and async code alike, logs each retry (structlog/logging) and
    lets the ``on`` hook return the server's ``Retry-After`` as the wait.
    """

    attempts: int = 5
    timeout: float = 60.0  # seconds for all attempts of one call together
    wait_initial: float = 0.2
    wait_max: float = 10.0
    max_retry_after: float = 60.0


NO_RETRY = RetryPolicy(attempts=1)


class RetryableResponse(Exception):
    """Internal: a response worth another attempt (raised inside the retry loop)."""

    def __init__(self, response: httpx.Response, wait: float | None) -> None:
        self.response = response
        self.wait = wait


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def check_retryable(response: httpx.Response, policy: RetryPolicy) -> None:
    """Raise RetryableResponse when ``response`` deserves another attempt."""
    status = response.status_code
    if status == 409:
        try:
            rule = response.json().get("rule")
        except (ValueError, AttributeError):
            rule = None
        if rule != IN_FLIGHT_RULE:
            return
    elif status not in (429, 503):
        return
    wait = retry_after(response.headers.get("retry-after"))
    if wait is not None and wait > policy.max_retry_after:
        return  # the server asks for longer than we are willing to wait: report it
    raise RetryableResponse(response, wait)


def backoff_hook(exc: Exception) -> bool | float:
    """stamina's ``on``: whether to retry, or how long to wait (the server's Retry-After)."""
    if isinstance(exc, RetryableResponse):
        return True if exc.wait is None else exc.wait
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def operation(*operations: str) -> Callable[[F], F]:
    """Mark a client method as the one implementing these spec operations ("GET /v1/me");
    tests/client/test_coverage.py checks every operation in openapi/openapi.json has one."""

    def mark(fn: F) -> F:
        fn.__qcredit_operations__ = operations  # type: ignore[attr-defined]
        return fn

    return mark


def new_idempotency_key() -> str:
    return f"qcc-{uuid.uuid4()}"


def jsonable(value: Any) -> Any:
    """A request body or parameter as JSON-ready data (models dumped without unset fields)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_unset=True, by_alias=True)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def params(**values: Any) -> dict[str, Any]:
    """Query parameters without the ones left as None (``from_`` is sent as ``from``)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, list | tuple | set | frozenset):
            value = [str(v) for v in value]  # repeated: ?kind=a&kind=b
        out[name.rstrip("_")] = value
    return out


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items, reading ``items`` lazily."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def batch_line(item: Any) -> Any:
    """A batch item as JSON data: a record with its ``code``, or a ``(code, record)`` pair
    (so typed ``*In`` models, which have no ``code``, can be uploaded as they are)."""
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        body = jsonable(item[1])
        return {"code": item[0], **body} if isinstance(body, dict) else body
    return jsonable(item)


def ndjson(items: Sequence[Any]) -> bytes:
    lines = [json.dumps(batch_line(i), ensure_ascii=False, separators=(",", ":")) for i in items]
    return ("\n".join(lines) + "\n").encode()


# --- batch upload results -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The outcome of one uploaded record, ``index`` counting from 0 over the whole upload."""

    index: int
    status: Literal["accepted", "duplicate", "rejected"]
    record_id: int | None
    source_ref: str | None = None
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != "rejected"


def item_results(out: BatchOut, records: Sequence[Any], offset: int) -> Iterator[ItemResult]:
    """Per-item results of one batch request, in request order."""
    rejected = {r.index: r for r in out.rejected}
    duplicates = set(out.duplicate_indexes)
    warnings: dict[int, list[str]] = {}
    for w in out.warnings:
        warnings.setdefault(w.index, []).append(f"{w.rule}: {w.message}")
    for i, record_id in enumerate(out.ids):
        source = batch_line(records[i]) if i < len(records) else {}
        ref = source.get("source_ref") if isinstance(source, dict) else None
        if i in rejected:
            errors = [FieldError.model_validate(e) for e in rejected[i].errors]
            yield ItemResult(offset + i, "rejected", None, ref, errors)
            continue
        status: Literal["accepted", "duplicate"] = "duplicate" if i in duplicates else "accepted"
        yield ItemResult(offset + i, status, record_id, ref, warnings=warnings.get(i, []))


# --- screening ----------------------------------------------------------------------------


# an agency's screening answer, or the public one (whose results have no grade at all)
ResultT = TypeVar("ResultT", ScreenResult, PublicScreenResult)
OutT = TypeVar("OutT", ScreenOut, PublicScreenOut)


@dataclass(frozen=True, slots=True)
class ScreenReport(Generic[ResultT, OutT]):
    """Screening of any number of codes: ``results`` in request order, and one signed
    receipt per request the codes were split into (each names its dataset version).
    ``screen`` gives ScreenResult/ScreenOut; ``screen_public`` gives PublicScreenResult/
    PublicScreenOut, which have no ``grade`` field (grades are never public)."""

    results: list[ResultT]
    responses: list[OutT]

    @property
    def listed(self) -> list[ResultT]:
        return [r for r in self.results if r.listed]

    @property
    def invalid(self) -> list[ResultT]:
        return [r for r in self.results if not r.valid]

    @property
    def dataset_versions(self) -> list[int]:
        return [r.dataset_version for r in self.responses]
