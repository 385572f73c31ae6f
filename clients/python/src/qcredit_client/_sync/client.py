"""The synchronous client (GENERATED: do not edit).

``_sync/client.py`` is generated from ``_async/client.py`` by ``make client-codegen``
(unasync): edit the async one, then regenerate.

One method per API operation, named after what it does; each is marked with the spec
operation(s) it implements (``@operation("GET /v1/me")``). Paged reads come in two forms:
``list_*`` returns one page (``cursor``/``limit``), ``iter_*`` walks every page.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from types import TracebackType
from typing import Any, Literal, Protocol, TypeVar

import httpx
import stamina
from pydantic import BaseModel

from qcredit_client import models as m
from qcredit_client._core import (
    AGENCY_SCREEN_LIMIT,
    BATCH_LIMIT,
    DEFAULT_BATCH_SIZE,
    PUBLIC_SCREEN_LIMIT,
    WRITE_METHODS,
    ItemResult,
    RetryableResponse,
    RetryPolicy,
    ScreenReport,
    backoff_hook,
    check_retryable,
    chunks,
    item_results,
    jsonable,
    ndjson,
    new_idempotency_key,
    operation,
    params,
)
from qcredit_client.errors import error_for

M = TypeVar("M", bound=BaseModel)
T_co = TypeVar("T_co", covariant=True)

USER_AGENT = "qcredit-client/0.1"

RecordIn = (
    m.InspectionIn
    | m.PenaltyIn
    | m.ComplaintIn
    | m.IncidentIn
    | m.RecallIn
    | m.CommendationIn
    | m.LicenceIn
    | m.KeyCaseIn
    | m.MonitoringIn
    | m.InjuryIn
)
RecordBody = RecordIn | Mapping[str, Any]
# a batch item: a record mapping that includes its "code", or a (code, record) pair
BatchItem = Mapping[str, Any] | tuple[str, RecordBody]
Kind = Literal[
    "inspection", "penalty", "complaint", "incident", "recall", "commendation", "licence",
    "key_case", "monitoring", "injury",
]  # fmt: skip


class _Page(Protocol[T_co]):
    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def next_cursor(self) -> str | None: ...


class _Fetch(Protocol[T_co]):
    def __call__(self, cursor: str | None, /) -> _Page[T_co]: ...


def _walk(fetch: _Fetch[T_co]) -> Iterator[T_co]:
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from page.items
        if not page.next_cursor:
            return
        cursor = page.next_cursor


class Client:
    """A client of one registry (``base_url``, e.g. ``http://registry:8000``) as one agency
    (``api_key``); use it as a context manager. Without a key only the public endpoints
    answer. ``retry`` decides when a call is
    tried again (see RetryPolicy); ``transport`` or ``http_client`` let you bring your own
    httpx transport (e.g. ``httpx.ASGITransport`` in tests) or client.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.retry = retry or RetryPolicy()
        base_headers = {"user-agent": USER_AGENT, **(headers or {})}
        if api_key:
            base_headers["authorization"] = f"Bearer {api_key}"
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            base_url=base_url, timeout=timeout, transport=transport
        )
        self._http.headers.update(base_headers)

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    # --- transport: retries, idempotency keys, errors -------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one call (retried per ``self.retry``); raise ApiError on 4xx/5xx.

        A write gets one ``Idempotency-Key`` for all its attempts, so a retry after a lost
        response replays the first outcome instead of writing twice.
        """
        sent = dict(headers or {})
        if method in WRITE_METHODS:
            sent.setdefault("Idempotency-Key", new_idempotency_key())
        policy = self.retry
        try:
            for attempt in stamina.retry_context(
                on=backoff_hook,
                attempts=policy.attempts,
                timeout=policy.timeout,
                wait_initial=policy.wait_initial,
                wait_max=policy.wait_max,
            ):
                with attempt:
                    response = self._http.request(
                        method,
                        path,
                        params=query,
                        json=json,
                        content=content,
                        headers=sent,
                    )
                    if method == "DELETE" and attempt.num > 1 and response.status_code == 404:
                        # an earlier attempt deleted it and its answer was lost: done
                        return response
                    check_retryable(response, policy)
        except RetryableResponse as exhausted:
            raise error_for(exhausted.response) from None
        if response.is_error:
            raise error_for(response)
        return response

    def _get(self, path: str, model: type[M], **query: Any) -> M:
        response = self.request("GET", path, query=params(**query))
        return model.model_validate_json(response.content)

    def _send(self, method: str, path: str, model: type[M], body: Any = None, **query: Any) -> M:
        response = self.request(
            method, path, query=params(**query), json=None if body is None else jsonable(body)
        )
        return model.model_validate_json(response.content)

    def _bytes(self, path: str, **query: Any) -> bytes:
        return (self.request("GET", path, query=params(**query))).content

    # --- agency, operations ---------------------------------------------------------------

    @operation("GET /v1/me")
    def me(self) -> m.MeOut:
        """The calling agency: name, level, region, scopes."""
        return self._get("/v1/me", m.MeOut)

    @operation("GET /healthz")
    def healthz(self) -> dict[str, str]:
        return dict((self.request("GET", "/healthz")).json())

    @operation("GET /readyz")
    def readyz(self) -> dict[str, str]:
        """Database reachable and migrated (raises UnavailableError otherwise)."""
        return dict((self.request("GET", "/readyz")).json())

    @operation("GET /metrics")
    def metrics(self) -> str:
        """Prometheus text exposition."""
        return (self.request("GET", "/metrics")).text

    # --- enterprises ----------------------------------------------------------------------

    @operation("PUT /v1/enterprises/{code}")
    def put_enterprise(
        self, code: str, enterprise: m.EnterpriseIn | Mapping[str, Any]
    ) -> m.EnterpriseOut:
        """Register or update an enterprise (created or updated: both return it)."""
        return self._send("PUT", f"/v1/enterprises/{code}", m.EnterpriseOut, enterprise)

    @operation("GET /v1/enterprises/{code}")
    def get_enterprise(self, code: str) -> m.EnterpriseOut:
        """By USCC (any spelling) or 9-character organization code."""
        return self._get(f"/v1/enterprises/{code}", m.EnterpriseOut)

    @operation("GET /v1/enterprises")
    def list_enterprises(
        self,
        *,
        region: str | None = None,
        q: str | None = None,
        grade: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.PageEnterpriseSummary:
        return self._get(
            "/v1/enterprises",
            m.PageEnterpriseSummary,
            region=region,
            q=q,
            grade=grade,
            cursor=cursor,
            limit=limit,
        )

    def iter_enterprises(
        self,
        *,
        region: str | None = None,
        q: str | None = None,
        grade: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[m.EnterpriseSummary]:
        return _walk(
            lambda c: self.list_enterprises(
                region=region, q=q, grade=grade, cursor=c, limit=page_size
            )
        )

    @operation("GET /v1/catalog")
    def get_catalog(self) -> m.CatalogOut:
        """The product risk catalog (重点监管产品目录)."""
        return self._get("/v1/catalog", m.CatalogOut)

    @operation("PUT /v1/catalog/{category}")
    def put_catalog_item(
        self, category: str, item: m.CatalogItemIn | Mapping[str, Any]
    ) -> m.CatalogItem:
        return self._send("PUT", f"/v1/catalog/{category}", m.CatalogItem, item)

    @operation("POST /v1/enterprises/{code}/gtins")
    def add_gtin(self, code: str, gtin: m.GtinIn | Mapping[str, Any]) -> m.GtinOut:
        return self._send("POST", f"/v1/enterprises/{code}/gtins", m.GtinOut, gtin)

    @operation("GET /v1/enterprises/{code}/gtins")
    def list_gtins(self, code: str) -> m.GtinPage:
        return self._get(f"/v1/enterprises/{code}/gtins", m.GtinPage)

    @operation("GET /v1/gtin/{gtin}")
    def lookup_gtin(self, gtin: str) -> m.GtinLookupOut:
        return self._get(f"/v1/gtin/{gtin}", m.GtinLookupOut)

    # --- records (the dossier) ------------------------------------------------------------

    @operation("POST /v1/enterprises/{code}/records")
    def add_record(self, code: str, record: RecordBody) -> m.RecordOut:
        """Add one record; re-sending the same ``source_ref`` returns the original."""
        return self._send("POST", f"/v1/enterprises/{code}/records", m.RecordOut, record)

    @operation("GET /v1/enterprises/{code}/records")
    def list_records(
        self,
        code: str,
        *,
        kind: Sequence[Kind] | None = None,
        from_: date | None = None,
        to: date | None = None,
        status: Sequence[str] | None = None,
        history: bool | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.RecordPage:
        return self._get(
            f"/v1/enterprises/{code}/records",
            m.RecordPage,
            kind=kind,
            from_=from_,
            to=to,
            status=status,
            history=history,
            cursor=cursor,
            limit=limit,
        )

    def iter_records(
        self,
        code: str,
        *,
        kind: Sequence[Kind] | None = None,
        from_: date | None = None,
        to: date | None = None,
        status: Sequence[str] | None = None,
        history: bool | None = None,
        page_size: int | None = None,
    ) -> Iterator[m.RecordOut]:
        return _walk(
            lambda c: self.list_records(
                code,
                kind=kind,
                from_=from_,
                to=to,
                status=status,
                history=history,
                cursor=c,
                limit=page_size,
            )
        )

    @operation("GET /v1/records/{record_id}")
    def get_record(self, record_id: int) -> m.RecordOut:
        return self._get(f"/v1/records/{record_id}", m.RecordOut)

    @operation("GET /v1/records/{record_id}/history")
    def get_record_history(self, record_id: int) -> m.HistoryOut:
        return self._get(f"/v1/records/{record_id}/history", m.HistoryOut)

    @operation("POST /v1/records/{record_id}/corrections")
    def correct_record(self, record_id: int, record: RecordBody) -> m.RecordOut:
        """A new version superseding the record (the full corrected body)."""
        return self._send("POST", f"/v1/records/{record_id}/corrections", m.RecordOut, record)

    @operation("POST /v1/records/{record_id}/status")
    def set_record_status(
        self, record_id: int, status: m.StatusIn | Mapping[str, Any]
    ) -> m.RecordOut:
        """Overturn (复议/诉讼撤销) or withdraw a record."""
        return self._send("POST", f"/v1/records/{record_id}/status", m.RecordOut, status)

    @operation("POST /v1/records/{record_id}/followups")
    def add_followup(
        self, record_id: int, followup: m.FollowupIn | Mapping[str, Any]
    ) -> m.RecordOut:
        return self._send("POST", f"/v1/records/{record_id}/followups", m.RecordOut, followup)

    @operation("POST /v1/records/{record_id}/repair")
    def repair_penalty(self, record_id: int, repair: m.RepairIn | Mapping[str, Any]) -> m.RepairOut:
        """Credit repair (信用修复) of a penalty: its publication ends early. Refused (409)
        before the minimum publication period or without the obligations performed."""
        return self._send("POST", f"/v1/records/{record_id}/repair", m.RepairOut, repair)

    @operation("POST /v1/records/batch")
    def post_batch(self, records: Sequence[BatchItem]) -> m.BatchOut:
        """One batch request (≤ 100,000 records, each a mapping with its ``code`` or a
        ``(code, record)`` pair), sent as NDJSON.
        ``upload_records`` splits any number of records into such batches."""
        if len(records) > BATCH_LIMIT:
            raise ValueError(f"a batch holds at most {BATCH_LIMIT} records; use upload_records")
        response = self.request(
            "POST",
            "/v1/records/batch",
            content=ndjson(records),
            headers={"Content-Type": "application/x-ndjson"},
        )
        return m.BatchOut.model_validate_json(response.content)

    def upload_records(
        self, records: Iterable[BatchItem], *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> Iterator[ItemResult]:
        """Upload any number of records (mappings with their ``code``, or ``(code, record)``
        pairs) from any iterable, read lazily ``batch_size`` at a time, yielding one
        ItemResult per record in input order (``index`` counts over the whole upload).
        Each batch is one NDJSON request with its own Idempotency-Key, retried as a whole;
        re-running an upload stores nothing twice (records are keyed by ``source_ref``)."""
        if not 0 < batch_size <= BATCH_LIMIT:
            raise ValueError(f"batch_size must be 1-{BATCH_LIMIT}")
        offset = 0
        for chunk in chunks(records, batch_size):
            out = self.post_batch(chunk)
            yield from item_results(out, chunk, offset)
            offset += len(chunk)

    @operation("GET /v1/enterprises/{code}/dossier")
    def get_dossier(self, code: str, *, history: bool | None = None) -> dict[str, Any]:
        """The whole dossier as JSON (enterprise, records, class, blacklist entries)."""
        response = self.request(
            "GET",
            f"/v1/enterprises/{code}/dossier",
            query=params(format="json", history=history),
        )
        return dict(response.json())

    def download_dossier(
        self, code: str, *, format: Literal["csv", "xlsx"] = "xlsx", history: bool | None = None
    ) -> bytes:
        return self._bytes(f"/v1/enterprises/{code}/dossier", format=format, history=history)

    @operation("GET /v1/inspections/overdue")
    def list_overdue_inspections(
        self, *, region: str | None = None, cursor: str | None = None, limit: int | None = None
    ) -> m.OverduePage:
        """Failed inspections whose Order 18 follow-up steps are past due."""
        return self._get(
            "/v1/inspections/overdue", m.OverduePage, region=region, cursor=cursor, limit=limit
        )

    def iter_overdue_inspections(
        self, *, region: str | None = None, page_size: int | None = None
    ) -> Iterator[m.OverdueItem]:
        return _walk(
            lambda c: self.list_overdue_inspections(region=region, cursor=c, limit=page_size)
        )

    @operation("GET /v1/calendar")
    def get_calendar(self) -> m.CalendarOut:
        return self._get("/v1/calendar", m.CalendarOut)

    @operation("PUT /v1/calendar")
    def put_calendar(self, days: Sequence[m.CalendarDayIn | Mapping[str, Any]]) -> m.CalendarOut:
        """Load official holidays and make-up working days (调休) for deadline arithmetic."""
        return self._send("PUT", "/v1/calendar", m.CalendarOut, list(days))

    # --- classification, supervision, statistics ------------------------------------------

    @operation("GET /v1/enterprises/{code}/classification")
    def get_classification(
        self, code: str, *, as_of: date | None = None, known_at: date | None = None
    ) -> m.ClassificationOut:
        """Grade AA/A/B/C with its reasons and supervision plan, optionally as of a date."""
        return self._get(
            f"/v1/enterprises/{code}/classification",
            m.ClassificationOut,
            as_of=as_of,
            known_at=known_at,
        )

    @operation("GET /v1/enterprises/{code}/classification/history")
    def list_classification_history(
        self, code: str, *, cursor: str | None = None, limit: int | None = None
    ) -> m.GradeHistoryPage:
        return self._get(
            f"/v1/enterprises/{code}/classification/history",
            m.GradeHistoryPage,
            cursor=cursor,
            limit=limit,
        )

    def iter_classification_history(
        self, code: str, *, page_size: int | None = None
    ) -> Iterator[m.GradeChangeOut]:
        return _walk(lambda c: self.list_classification_history(code, cursor=c, limit=page_size))

    @operation("POST /v1/enterprises/{code}/classification/review")
    def review_classification(
        self, code: str, review: m.ReviewIn | Mapping[str, Any]
    ) -> m.ClassificationOut:
        """Confirm the computed class, or override it until ``expires_on`` (分类结果复核)."""
        return self._send(
            "POST", f"/v1/enterprises/{code}/classification/review", m.ClassificationOut, review
        )

    @operation("GET /v1/classification/reviews")
    def list_reviews(
        self, *, region: str | None = None, cursor: str | None = None, limit: int | None = None
    ) -> m.ReviewPage:
        """Reviewed enterprises whose computed class has changed since their review."""
        return self._get(
            "/v1/classification/reviews", m.ReviewPage, region=region, cursor=cursor, limit=limit
        )

    def iter_reviews(
        self, *, region: str | None = None, page_size: int | None = None
    ) -> Iterator[m.ReviewListItem]:
        return _walk(lambda c: self.list_reviews(region=region, cursor=c, limit=page_size))

    @operation("GET /v1/rulesets")
    def list_rulesets(self) -> m.RuleSetList:
        return self._get("/v1/rulesets", m.RuleSetList)

    @operation("GET /v1/rulesets/{ruleset_id}")
    def get_ruleset(self, ruleset_id: str) -> m.RuleSetDetail:
        return self._get(f"/v1/rulesets/{ruleset_id}", m.RuleSetDetail)

    @operation("POST /v1/rulesets")
    def publish_ruleset(self, toml_text: str) -> m.RuleSetDetail:
        """Publish a classification rule set (TOML text); it is not active until activated."""
        return self._send("POST", "/v1/rulesets", m.RuleSetDetail, {"body": toml_text})

    @operation("POST /v1/rulesets/{ruleset_id}/activate")
    def activate_ruleset(self, ruleset_id: str) -> m.ActivationOut:
        return self._send("POST", f"/v1/rulesets/{ruleset_id}/activate", m.ActivationOut)

    @operation("GET /v1/supervision/plan")
    def list_supervision_plan(
        self,
        *,
        region: str | None = None,
        from_: date | None = None,
        to: date | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.PlanPage:
        """Whom to inspect next (双随机 supervision plan), most overdue first."""
        return self._get(
            "/v1/supervision/plan",
            m.PlanPage,
            region=region,
            from_=from_,
            to=to,
            cursor=cursor,
            limit=limit,
        )

    def iter_supervision_plan(
        self,
        *,
        region: str | None = None,
        from_: date | None = None,
        to: date | None = None,
        page_size: int | None = None,
    ) -> Iterator[m.PlanItem]:
        return _walk(
            lambda c: self.list_supervision_plan(
                region=region, from_=from_, to=to, cursor=c, limit=page_size
            )
        )

    @operation("GET /v1/stats/grades")
    def grade_stats(self, *, region: str | None = None, level: str | None = None) -> m.GradeStats:
        return self._get("/v1/stats/grades", m.GradeStats, region=region, level=level)

    @operation("GET /v1/stats/inspections")
    def inspection_stats(
        self,
        *,
        group_by: Literal["product", "region", "level", "month"] = "product",
        from_: date | None = None,
        to: date | None = None,
        region: str | None = None,
        level: str | None = None,
        target: float | None = None,
    ) -> m.PassRateStats:
        """Inspection pass rates by product, region, level or month."""
        return self._get(
            "/v1/stats/inspections",
            m.PassRateStats,
            group_by=group_by,
            from_=from_,
            to=to,
            region=region,
            level=level,
            target=target,
        )

    @operation("GET /v1/stats/monitoring")
    def monitoring_stats(
        self,
        *,
        program: Literal["risk", "injury"] = "risk",
        group_by: Literal["product", "region", "source", "month"] = "product",
        from_: date | None = None,
        to: date | None = None,
        region: str | None = None,
        level: Literal["province", "prefecture", "county"] | None = None,
        target: float | None = None,
    ) -> m.PassRateStats:
        """Risk-monitoring (风险监测) or product-injury (产品伤害监测) rates, apart from the
        inspection pass rate."""
        return self._get(
            "/v1/stats/monitoring",
            m.PassRateStats,
            program=program,
            group_by=group_by,
            from_=from_,
            to=to,
            region=region,
            level=level,
            target=target,
        )

    @operation("GET /v1/reports/quality")
    def quality_report(
        self,
        *,
        region: str | None = None,
        year: int | None = None,
        format: Literal["xlsx", "html"] = "xlsx",
        target: float | None = None,
    ) -> bytes:
        """The quality status report (质量状况分析) as an XLSX workbook or HTML document."""
        return self._bytes(
            "/v1/reports/quality", region=region, year=year, format=format, target=target
        )

    # --- blacklist (严重违法失信名单) ------------------------------------------------------

    @operation("POST /v1/blacklist")
    def propose_listing(self, proposal: m.ProposeIn | Mapping[str, Any]) -> m.EntryOut:
        return self._send("POST", "/v1/blacklist", m.EntryOut, proposal)

    @operation("GET /v1/blacklist/{entry_id}")
    def get_listing(self, entry_id: int) -> m.EntryOut:
        return self._get(f"/v1/blacklist/{entry_id}", m.EntryOut)

    @operation("GET /v1/blacklist")
    def list_listings(
        self,
        *,
        status: str | None = None,
        region: str | None = None,
        overdue_publication: bool | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.PageEntryOut:
        return self._get(
            "/v1/blacklist",
            m.PageEntryOut,
            status=status,
            region=region,
            overdue_publication=overdue_publication,
            cursor=cursor,
            limit=limit,
        )

    def iter_listings(
        self,
        *,
        status: str | None = None,
        region: str | None = None,
        overdue_publication: bool | None = None,
        page_size: int | None = None,
    ) -> Iterator[m.EntryOut]:
        return _walk(
            lambda c: self.list_listings(
                status=status,
                region=region,
                overdue_publication=overdue_publication,
                cursor=c,
                limit=page_size,
            )
        )

    @operation("GET /v1/blacklist/candidates")
    def list_candidates(
        self, *, region: str | None = None, cursor: str | None = None, limit: int | None = None
    ) -> m.PageCandidateOut:
        """Enterprises whose records meet a listing condition but have no entry yet."""
        return self._get(
            "/v1/blacklist/candidates",
            m.PageCandidateOut,
            region=region,
            cursor=cursor,
            limit=limit,
        )

    def iter_candidates(
        self, *, region: str | None = None, page_size: int | None = None
    ) -> Iterator[m.CandidateOut]:
        return _walk(lambda c: self.list_candidates(region=region, cursor=c, limit=page_size))

    def _transition(self, entry_id: int, name: str, body: Any) -> m.EntryOut:
        return self._send(
            "POST", f"/v1/blacklist/{entry_id}/{name}", m.EntryOut, {} if body is None else body
        )

    @operation("POST /v1/blacklist/{entry_id}/notify")
    def notify_listing(self, entry_id: int, notified_on: date) -> m.EntryOut:
        """Notice of the proposed listing; the 5-working-day defence window starts."""
        return self._transition(entry_id, "notify", m.NotifyIn(notified_on=notified_on))

    @operation("POST /v1/blacklist/{entry_id}/approve")
    def approve_listing(self, entry_id: int, approved_on: date | None = None) -> m.EntryOut:
        """Approval by the next-higher authority (Order 44 Art.22)."""
        body = None if approved_on is None else m.ApproveIn(approved_on=approved_on)
        return self._transition(entry_id, "approve", body)

    @operation("POST /v1/blacklist/{entry_id}/list")
    def list_entry(
        self,
        entry_id: int,
        decided_on: date,
        *,
        defence_waived: bool | None = None,
        restricted_until: date | None = None,
    ) -> m.EntryOut:
        """The listing decision: listed for 3 years (longer up to ``restricted_until``, Art.21),
        to be published within 20 working days."""
        body = m.ListIn(decided_on=decided_on)
        if defence_waived is not None:
            body.defence_waived = defence_waived
        if restricted_until is not None:
            body.restricted_until = restricted_until
        return self._transition(entry_id, "list", body)

    @operation("POST /v1/blacklist/{entry_id}/push")
    def push_listing(
        self, entry_id: int, pushed_on: date | None = None, received_on: date | None = None
    ) -> m.EntryOut:
        """Record the push to the enterprise's registration province (Art.14, cross-province
        listings only)."""
        body = m.PushIn(pushed_on=pushed_on, received_on=received_on)
        return self._transition(entry_id, "push", body)

    @operation("POST /v1/blacklist/{entry_id}/apply_repair")
    def apply_repair(self, entry_id: int, applied_on: date | None = None) -> m.EntryOut:
        """Record a credit-repair application (信用修复, Art.17)."""
        return self._transition(entry_id, "apply_repair", m.ApplyRepairIn(applied_on=applied_on))

    @operation("POST /v1/blacklist/{entry_id}/accept_repair")
    def accept_repair(self, entry_id: int, accepted_on: date | None = None) -> m.EntryOut:
        """Accept (受理) a credit-repair application; granting it is ``remove_listing`` with
        reason ``repaired``."""
        return self._transition(
            entry_id, "accept_repair", m.AcceptRepairIn(accepted_on=accepted_on)
        )

    @operation("POST /v1/blacklist/{entry_id}/refuse_repair")
    def refuse_repair(self, entry_id: int, refused_on: date | None = None) -> m.EntryOut:
        """Refuse a credit-repair application (not accepted, or early removal refused)."""
        return self._transition(entry_id, "refuse_repair", m.RefuseRepairIn(refused_on=refused_on))

    @operation("POST /v1/blacklist/{entry_id}/publish")
    def publish_listing(
        self, entry_id: int, published: m.PublishIn | Mapping[str, Any] | None = None
    ) -> m.EntryOut:
        return self._transition(entry_id, "publish", published)

    @operation("POST /v1/blacklist/{entry_id}/remove")
    def remove_listing(
        self,
        entry_id: int,
        removed_on: date,
        reason: Literal["repaired", "overturned", "error"],
    ) -> m.EntryOut:
        return self._transition(entry_id, "remove", {"removed_on": removed_on, "reason": reason})

    @operation("POST /v1/blacklist/{entry_id}/restore")
    def restore_listing(self, entry_id: int, restored_on: date) -> m.EntryOut:
        """Listed again after a removal obtained by fraud (the period restarts)."""
        return self._transition(entry_id, "restore", {"restored_on": restored_on})

    # --- objections (信用异议) --------------------------------------------------------------

    @operation("POST /v1/objections")
    def file_objection(self, objection: m.ObjectionIn | Mapping[str, Any]) -> m.ObjectionOut:
        """File an objection against a record or a class; due 15 working days after filing."""
        return self._send("POST", "/v1/objections", m.ObjectionOut, objection)

    @operation("GET /v1/objections/{objection_id}")
    def get_objection(self, objection_id: int) -> m.ObjectionOut:
        return self._get(f"/v1/objections/{objection_id}", m.ObjectionOut)

    @operation("GET /v1/objections")
    def list_objections(
        self,
        *,
        status: Literal["open", "upheld", "rejected"] | None = None,
        overdue: bool | None = None,
        region: str | None = None,
        code: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.ObjectionPage:
        return self._get(
            "/v1/objections",
            m.ObjectionPage,
            status=status,
            overdue=overdue,
            region=region,
            code=code,
            cursor=cursor,
            limit=limit,
        )

    def iter_objections(
        self,
        *,
        status: Literal["open", "upheld", "rejected"] | None = None,
        overdue: bool | None = None,
        region: str | None = None,
        code: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[m.ObjectionOut]:
        return _walk(
            lambda c: self.list_objections(
                status=status,
                overdue=overdue,
                region=region,
                code=code,
                cursor=c,
                limit=page_size,
            )
        )

    @operation("POST /v1/objections/{objection_id}/decide")
    def decide_objection(
        self, objection_id: int, decision: m.DecisionIn | Mapping[str, Any]
    ) -> m.ObjectionOut:
        """Upheld (the record withdrawn with ``withdraw``, or corrected) or rejected."""
        return self._send("POST", f"/v1/objections/{objection_id}/decide", m.ObjectionOut, decision)

    # --- publication: announcements, warnings, honours ------------------------------------

    @operation("POST /v1/announcements")
    def create_announcement(
        self, announcement: m.AnnouncementIn | Mapping[str, Any]
    ) -> m.AnnouncementOut:
        """Draft a sampling-result announcement (抽查结果公示); public once published."""
        return self._send("POST", "/v1/announcements", m.AnnouncementOut, announcement)

    @operation("POST /v1/announcements/{announcement_id}/publish")
    def publish_announcement(
        self, announcement_id: int, published_on: date | None = None
    ) -> m.AnnouncementOut:
        return self._send(
            "POST",
            f"/v1/announcements/{announcement_id}/publish",
            m.AnnouncementOut,
            m.AnnouncementPublishIn(published_on=published_on),
        )

    @operation("POST /v1/warnings")
    def issue_warning(self, warning: m.WarningIn | Mapping[str, Any]) -> m.PublicWarning:
        """Issue an early warning (预警) on a product category and region."""
        return self._send("POST", "/v1/warnings", m.PublicWarning, warning)

    @operation("POST /v1/warnings/{warning_id}/withdraw")
    def withdraw_warning(
        self, warning_id: int, withdrawn_on: date | None = None
    ) -> m.PublicWarning:
        return self._send(
            "POST",
            f"/v1/warnings/{warning_id}/withdraw",
            m.PublicWarning,
            m.WithdrawIn(withdrawn_on=withdrawn_on),
        )

    @operation("POST /v1/honours")
    def publish_honour(self, honour: m.HonourIn | Mapping[str, Any]) -> m.PublicHonour:
        """Put an AA enterprise with no listing in force on the honour list (守信激励)."""
        return self._send("POST", "/v1/honours", m.PublicHonour, honour)

    @operation("POST /v1/honours/{honour_id}/withdraw")
    def withdraw_honour(self, honour_id: int, withdrawn_on: date | None = None) -> m.PublicHonour:
        return self._send(
            "POST",
            f"/v1/honours/{honour_id}/withdraw",
            m.PublicHonour,
            m.HonourWithdrawIn(withdrawn_on=withdrawn_on),
        )

    # --- screening ------------------------------------------------------------------------

    @operation("POST /v1/screen")
    def screen(
        self, codes: Iterable[str], *, chunk_size: int = AGENCY_SCREEN_LIMIT
    ) -> ScreenReport[m.ScreenResult, m.ScreenOut]:
        """Screen any number of codes (split into requests of ≤ 100,000); results come in
        request order, an invalid code is reported in its own result."""
        if not 0 < chunk_size <= AGENCY_SCREEN_LIMIT:
            raise ValueError(f"chunk_size must be 1-{AGENCY_SCREEN_LIMIT}")
        responses: list[m.ScreenOut] = []
        for chunk in chunks(codes, chunk_size):
            responses.append(self._send("POST", "/v1/screen", m.ScreenOut, {"codes": chunk}))
        return ScreenReport([r for out in responses for r in out.results], responses)

    @operation("POST /public/v1/screen")
    def screen_public(
        self, codes: Iterable[str], *, chunk_size: int = PUBLIC_SCREEN_LIMIT
    ) -> ScreenReport[m.PublicScreenResult, m.PublicScreenOut]:
        """Public screening (no key; ≤ 1,000 codes per request, split automatically; no
        grades). Each request is rate-limited: 429s are waited out per ``Retry-After``."""
        if not 0 < chunk_size <= PUBLIC_SCREEN_LIMIT:
            raise ValueError(f"chunk_size must be 1-{PUBLIC_SCREEN_LIMIT}")
        responses: list[m.PublicScreenOut] = []
        for chunk in chunks(codes, chunk_size):
            out = self._send("POST", "/public/v1/screen", m.PublicScreenOut, {"codes": chunk})
            responses.append(out)
        return ScreenReport([r for out in responses for r in out.results], responses)

    @operation("GET /public/v1/screen/verify", "POST /public/v1/screen/verify")
    def verify_receipt(self, receipt: m.Receipt | Mapping[str, Any] | str) -> m.VerifyOut:
        """Check a screening receipt's signature: the receipt itself, or its ``token``."""
        if isinstance(receipt, str):
            return self._get("/public/v1/screen/verify", m.VerifyOut, receipt=receipt)
        return self._send("POST", "/public/v1/screen/verify", m.VerifyOut, receipt)

    # --- public blacklist -----------------------------------------------------------------

    @operation("GET /public/v1/blacklist")
    def search_public_blacklist(
        self,
        *,
        q: str | None = None,
        code: str | None = None,
        region: str | None = None,
        status: Literal["listed", "removed"] | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.PublicPage:
        return self._get(
            "/public/v1/blacklist",
            m.PublicPage,
            q=q,
            code=code,
            region=region,
            status=status,
            cursor=cursor,
            limit=limit,
        )

    def iter_public_blacklist(
        self,
        *,
        q: str | None = None,
        code: str | None = None,
        region: str | None = None,
        status: Literal["listed", "removed"] | None = None,
        page_size: int | None = None,
    ) -> Iterator[m.PublicEntry | m.PublicRemoval]:
        """Every public entry matching the filters (the whole public list without them); a
        removed entry is only its removal record (Order 44 Art.18)."""
        return _walk(
            lambda c: self.search_public_blacklist(
                q=q, code=code, region=region, status=status, cursor=c, limit=page_size
            )
        )

    @operation("GET /public/v1/blacklist/{code}")
    def public_lookup(self, code: str) -> m.PublicLookup:
        """Whether an enterprise is listed, with its public entries."""
        return self._get(f"/public/v1/blacklist/{code}", m.PublicLookup)

    @operation("GET /public/v1/blacklist/export")
    def export_public_blacklist(
        self, *, format: Literal["csv", "json", "xlsx"] = "csv", since: date | None = None
    ) -> bytes:
        """The public list as a file (CSV with BOM, JSON or XLSX)."""
        return self._bytes("/public/v1/blacklist/export", format=format, since=since)

    # --- public penalties, announcements, warnings, honours --------------------------------

    @operation("GET /public/v1/penalties")
    def search_public_penalties(
        self,
        *,
        q: str | None = None,
        region: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.PublicPenaltyPage:
        """Administrative penalties public today (SAMR Order 45)."""
        return self._get(
            "/public/v1/penalties",
            m.PublicPenaltyPage,
            q=q,
            region=region,
            cursor=cursor,
            limit=limit,
        )

    def iter_public_penalties(
        self, *, q: str | None = None, region: str | None = None, page_size: int | None = None
    ) -> Iterator[m.PublicPenalty]:
        return _walk(
            lambda c: self.search_public_penalties(q=q, region=region, cursor=c, limit=page_size)
        )

    @operation("GET /public/v1/penalties/{code}")
    def public_penalties(self, code: str) -> m.PublicPenaltyLookup:
        """The penalties of one enterprise public today."""
        return self._get(f"/public/v1/penalties/{code}", m.PublicPenaltyLookup)

    @operation("GET /public/v1/announcements")
    def list_public_announcements(
        self, *, code: str | None = None, cursor: str | None = None, limit: int | None = None
    ) -> m.PublicAnnouncementPage:
        """Published sampling-result announcements (those naming ``code`` with it)."""
        return self._get(
            "/public/v1/announcements",
            m.PublicAnnouncementPage,
            code=code,
            cursor=cursor,
            limit=limit,
        )

    def iter_public_announcements(
        self, *, code: str | None = None, page_size: int | None = None
    ) -> Iterator[m.PublicAnnouncement]:
        return _walk(lambda c: self.list_public_announcements(code=code, cursor=c, limit=page_size))

    @operation("GET /public/v1/announcements/{announcement_id}")
    def get_public_announcement(self, announcement_id: int) -> m.PublicAnnouncementDetail:
        """One published announcement with each inspection's final result."""
        return self._get(f"/public/v1/announcements/{announcement_id}", m.PublicAnnouncementDetail)

    @operation("GET /public/v1/warnings")
    def list_public_warnings(
        self,
        *,
        region: str | None = None,
        product: str | None = None,
        cursor: str | None = None,
        limit: int | None = None,
    ) -> m.PublicWarningPage:
        """Early warnings in force (covering ``region``, on ``product``)."""
        return self._get(
            "/public/v1/warnings",
            m.PublicWarningPage,
            region=region,
            product=product,
            cursor=cursor,
            limit=limit,
        )

    def iter_public_warnings(
        self,
        *,
        region: str | None = None,
        product: str | None = None,
        page_size: int | None = None,
    ) -> Iterator[m.PublicWarning]:
        return _walk(
            lambda c: self.list_public_warnings(
                region=region, product=product, cursor=c, limit=page_size
            )
        )

    @operation("GET /public/v1/honours")
    def list_public_honours(
        self, *, region: str | None = None, cursor: str | None = None, limit: int | None = None
    ) -> m.PublicHonourPage:
        """The honour list (守信激励名单); no class is ever public."""
        return self._get(
            "/public/v1/honours", m.PublicHonourPage, region=region, cursor=cursor, limit=limit
        )

    def iter_public_honours(
        self, *, region: str | None = None, page_size: int | None = None
    ) -> Iterator[m.PublicHonour]:
        return _walk(lambda c: self.list_public_honours(region=region, cursor=c, limit=page_size))

    # --- change feed, webhooks, watchlists ------------------------------------------------

    @operation("GET /v1/changes")
    def get_changes(
        self,
        *,
        after: int = 0,
        limit: int | None = None,
        types: Sequence[str] | None = None,
        region: str | None = None,
    ) -> m.ChangesOut:
        """One page of the change feed: events with ``seq > after``."""
        return self._get(
            "/v1/changes",
            m.ChangesOut,
            after=after,
            limit=limit,
            types=",".join(types) if types else None,
            region=region,
        )

    def iter_change_pages(
        self,
        *,
        after: int = 0,
        types: Sequence[str] | None = None,
        region: str | None = None,
        page_size: int = 1000,
        follow: bool = False,
        poll_interval: float = 5.0,
    ) -> Iterator[m.ChangesOut]:
        """Feed pages from ``after`` (the position you stored). Persist ``page.next_after``
        once you have handled a page: passing it back as ``after`` resumes exactly there,
        never missing or repeating an event. Stops when caught up unless ``follow``, which
        keeps polling every ``poll_interval`` seconds."""
        while True:
            page = self.get_changes(after=after, limit=page_size, types=types, region=region)
            progressed = page.next_after != after
            if page.events or progressed:
                yield page
            # a short page at the newest seq, or no progress at all (a writer still in
            # flight holds the feed back): nothing more to read right now
            caught_up = not progressed or (
                len(page.events) < page_size and page.next_after >= page.dataset_version
            )
            after = page.next_after
            if caught_up:
                if not follow:
                    return
                time.sleep(poll_interval)

    def iter_changes(
        self,
        *,
        after: int = 0,
        types: Sequence[str] | None = None,
        region: str | None = None,
        page_size: int = 1000,
        follow: bool = False,
        poll_interval: float = 5.0,
    ) -> Iterator[m.ChangeEvent]:
        """Events from ``after``, in seq order. Persist ``event.seq`` after handling each
        event and pass it back as ``after`` to resume (see iter_change_pages)."""
        for page in self.iter_change_pages(
            after=after,
            types=types,
            region=region,
            page_size=page_size,
            follow=follow,
            poll_interval=poll_interval,
        ):
            yield from page.events

    @operation("POST /v1/webhooks")
    def create_webhook(self, webhook: m.WebhookIn | Mapping[str, Any]) -> m.WebhookOut:
        """Subscribe a URL; verify its deliveries with ``qcredit_client.verify_webhook``."""
        return self._send("POST", "/v1/webhooks", m.WebhookOut, webhook)

    @operation("GET /v1/webhooks")
    def list_webhooks(self) -> m.WebhookList:
        return self._get("/v1/webhooks", m.WebhookList)

    @operation("GET /v1/webhooks/{webhook_id}")
    def get_webhook(self, webhook_id: int) -> m.WebhookOut:
        return self._get(f"/v1/webhooks/{webhook_id}", m.WebhookOut)

    @operation("DELETE /v1/webhooks/{webhook_id}")
    def delete_webhook(self, webhook_id: int) -> None:
        self.request("DELETE", f"/v1/webhooks/{webhook_id}")

    @operation("POST /v1/webhooks/{webhook_id}/enable")
    def enable_webhook(self, webhook_id: int, *, retry_failed: bool = False) -> m.WebhookOut:
        """Re-enable a webhook disabled after repeated failures."""
        return self._send(
            "POST",
            f"/v1/webhooks/{webhook_id}/enable",
            m.WebhookOut,
            m.EnableIn(retry_failed=retry_failed),
        )

    @operation("GET /v1/webhooks/{webhook_id}/deliveries")
    def list_deliveries(
        self, webhook_id: int, *, cursor: str | None = None, limit: int | None = None
    ) -> m.DeliveryPage:
        return self._get(
            f"/v1/webhooks/{webhook_id}/deliveries", m.DeliveryPage, cursor=cursor, limit=limit
        )

    def iter_deliveries(
        self, webhook_id: int, *, page_size: int | None = None
    ) -> Iterator[m.DeliveryOut]:
        return _walk(lambda c: self.list_deliveries(webhook_id, cursor=c, limit=page_size))

    @operation("POST /v1/watchlists")
    def create_watchlist(self, watchlist: m.WatchlistIn | Mapping[str, Any]) -> m.WatchlistWritten:
        return self._send("POST", "/v1/watchlists", m.WatchlistWritten, watchlist)

    @operation("GET /v1/watchlists")
    def list_watchlists(
        self, *, cursor: str | None = None, limit: int | None = None
    ) -> m.WatchlistList:
        return self._get("/v1/watchlists", m.WatchlistList, cursor=cursor, limit=limit)

    def iter_watchlists(self, *, page_size: int | None = None) -> Iterator[m.WatchlistOut]:
        return _walk(lambda c: self.list_watchlists(cursor=c, limit=page_size))

    @operation("GET /v1/watchlists/{watchlist_id}")
    def get_watchlist(
        self, watchlist_id: int, *, cursor: str | None = None, limit: int | None = None
    ) -> m.WatchlistDetail:
        """A watchlist with one page of its codes."""
        return self._get(
            f"/v1/watchlists/{watchlist_id}", m.WatchlistDetail, cursor=cursor, limit=limit
        )

    @operation("PUT /v1/watchlists/{watchlist_id}/codes")
    def replace_watchlist_codes(
        self, watchlist_id: int, codes: Sequence[str]
    ) -> m.WatchlistWritten:
        return self._send(
            "PUT", f"/v1/watchlists/{watchlist_id}/codes", m.WatchlistWritten, {"codes": codes}
        )

    @operation("DELETE /v1/watchlists/{watchlist_id}")
    def delete_watchlist(self, watchlist_id: int) -> None:
        self.request("DELETE", f"/v1/watchlists/{watchlist_id}")

    # --- audit ----------------------------------------------------------------------------

    @operation("GET /v1/audit/verify")
    def verify_audit(self) -> m.AuditVerifyOut:
        """Recompute the audit hash chain; ``ok`` false names the first broken link."""
        return self._get("/v1/audit/verify", m.AuditVerifyOut)

    @operation("POST /v1/audit/checkpoints")
    def sign_checkpoint(self) -> m.CheckpointOut:
        """Sign the audit head now (admin); the existing checkpoint if the head has not moved."""
        return self._send("POST", "/v1/audit/checkpoints", m.CheckpointOut)

    @operation("GET /public/v1/audit/checkpoint")
    def latest_checkpoint(self) -> m.CheckpointOut:
        """The latest signed checkpoint of the audit head (no key): keep copies of it and
        pass them to ``qcredit audit verify --checkpoint``."""
        return self._get("/public/v1/audit/checkpoint", m.CheckpointOut)

    @operation("GET /v1/audit")
    def list_audit(
        self, target: str, *, cursor: str | None = None, limit: int | None = None
    ) -> m.AuditPage:
        return self._get("/v1/audit", m.AuditPage, target=target, cursor=cursor, limit=limit)

    def iter_audit(self, target: str, *, page_size: int | None = None) -> Iterator[m.AuditEntryOut]:
        return _walk(lambda c: self.list_audit(target, cursor=c, limit=page_size))
