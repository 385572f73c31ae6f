"""Bulk ingestion of dossier records (POST /v1/records/batch, ``qcredit import``).

Set-based, chunk by chunk: validate every item with one pydantic TypeAdapter (a union
tagged by ``kind``), look up the chunk's enterprises and existing source_refs with one
query each, then insert the new rows with one multi-row ``INSERT ... ON CONFLICT DO
NOTHING``. Classes are re-graded once per batch for the codes touched.

A chunk's insert runs while the caller reads and validates the next one (the database and
this process work at the same time): :meth:`Ingest.add` returns once the chunk's rows are
ready and its write has started; every other step waits for that write first.

Idempotency: an item whose (agency, source_ref) exists with the same body is a duplicate and
answers with the original id, so a client may retry a whole batch after a timeout. The same
source_ref with another body is rejected as a conflict, never stored twice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from service.auth import Principal
from service.credit import followup
from service.credit.codes import CodeError, ParsedCode, region_of, try_parse
from service.credit.deadlines import WorkCalendar
from service.credit.records import Problem, check_record
from service.db import driver_of
from service.errors import FieldError
from service.http.ndjson import ParseError, RawItem
from service.models import CreditRecord, Enterprise
from service.schemas.records import RECORD_ADAPTER, BatchOut, BatchWarning, RejectedItem
from service.store import calendar, ledger, phases
from service.store.grading import bulk as regrade_bulk
from service.store.records import rows as rr

MAX_ITEMS = 100_000
CHUNK = 5_000
CODES_PER_QUERY = 5_000
# Validating a chunk is pure CPU; yielding to the event loop this often lets the previous
# chunk's insert move on to its next round trip meanwhile.
_YIELD_EVERY = 250


@dataclass(slots=True)
class _Valid:
    """A structurally valid item with the per-item work that needs no database done, so
    that it overlaps the previous chunk's insert; its problems are reported later, in the
    order the checks have always run (enterprise and jurisdiction first)."""

    item: RawItem
    code: str  # normalized; "org:<org code>" until resolved to a USCC
    record: Any
    data: dict[str, Any]
    problems: list[Problem]
    digest: str | None  # None for org codes: hashed once the USCC is known


@dataclass(slots=True)
class _Ready:
    index: int
    row: dict[str, Any]
    level: str | None
    line: int | None


@dataclass
class Ingest:
    """One batch, fed in chunks with :meth:`add`, closed with :meth:`finish`."""

    session: AsyncSession
    principal: Principal
    today: date
    now: datetime
    received: int = 0
    accepted: int = 0
    ids: dict[int, int] = field(default_factory=dict)
    duplicate_indexes: list[int] = field(default_factory=list)
    rejected: dict[int, RejectedItem] = field(default_factory=dict)
    warnings: list[BatchWarning] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)
    _catalog: frozenset[str] = frozenset()
    _cal: WorkCalendar | None = None
    _regions: dict[str, str | None] = field(default_factory=dict)  # code -> region, None unknown
    _org_codes: dict[str, str | None] = field(default_factory=dict)  # org code -> USCC
    _seen: dict[str, tuple[str, int]] = field(default_factory=dict)  # source_ref -> (hash, index)
    _same_as: dict[int, int] = field(default_factory=dict)  # index -> earlier identical index
    _codes: dict[str, ParsedCode | CodeError] = field(default_factory=dict)  # as sent -> parsed
    # (index, id, code, category, level, sampled on) of inspections stored by this batch
    _inspections: list[tuple[int, int, str, str, str, date]] = field(default_factory=list)
    _writing: asyncio.Future[None] | None = None  # the previous chunk's insert
    _existing: list[_Ready] = field(default_factory=list)  # not inserted: stored already
    _expect_new: bool = True  # PostgreSQL: COPY straight into the table until a row exists

    async def start(self) -> Ingest:
        self._catalog = await rr.catalog_codes(self.session)
        self._cal = await calendar.work_calendar(self.session)
        return self

    def _reject(self, item: RawItem, errors: list[FieldError], source_ref: Any = None) -> None:
        self.rejected[item.index] = RejectedItem(
            index=item.index,
            line=item.line,
            source_ref=source_ref if isinstance(source_ref, str) else None,
            errors=[e.model_dump(exclude_none=True) for e in errors],
        )

    async def add(self, items: Sequence[RawItem]) -> None:
        """Validate one chunk (any size; callers send about :data:`CHUNK`) and start
        storing it."""
        self.received += len(items)
        parsed = []
        for start in range(0, len(items), _YIELD_EVERY):
            await asyncio.sleep(0)
            with phases.span("validation"):
                for item in items[start : start + _YIELD_EVERY]:
                    valid = self._parse(item)
                    if valid is not None:
                        parsed.append(valid)
        await self.drain()
        if self.session.get_bind().dialect.name == "postgresql":
            # The lookups below send thousands of keys. A generic plan of a reused prepared
            # statement sees them as parameters: no hashed IN-list, no real estimates, and a
            # filter that compares each row with every key. Plan each query for its values.
            await self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        with phases.span("enterprise lookup"):
            await self._resolve_codes({v.code for v in parsed})
        with phases.span("validation"):
            ready = self._check(parsed)
        if ready:
            self._writing = asyncio.ensure_future(self._insert(ready))

    def _check(self, parsed: list[_Valid]) -> list[_Ready]:
        """Enterprise and jurisdiction first, then the record rules."""
        candidates = []
        for v in parsed:
            item, code, record = v.item, v.code, v.record
            region = self._regions.get(code)
            if region is None:
                msg = f"no enterprise {code}; register it with PUT /v1/enterprises/{code}"
                self._reject(
                    item,
                    [FieldError(field="code", rule="unknown-enterprise", message=msg)],
                    record.source_ref,
                )
                continue
            region = region_of(self._uscc(code))  # the code's division, as every write
            if not self.principal.covers(region):
                msg = (
                    f"agency jurisdiction '{self.principal.region}' does not cover region {region}"
                )
                self._reject(
                    item,
                    [FieldError(field="code", rule="jurisdiction", message=msg)],
                    record.source_ref,
                )
                continue
            candidates.append((v, region))
        return self._prepare(candidates)

    async def drain(self) -> None:
        """Wait for the chunk being stored; its errors surface here."""
        writing, self._writing = self._writing, None
        if writing is not None:
            with phases.span("waiting for insert"):
                await writing

    async def abandon(self) -> None:
        """The batch failed: let the write in flight end before the session rolls back
        (its own outcome no longer matters)."""
        with contextlib.suppress(Exception):
            await self.drain()

    def _parse(self, item: RawItem) -> _Valid | None:
        value = item.value
        if isinstance(value, ParseError):
            self._reject(
                item, [FieldError(field="item", rule="json_invalid", message=value.message)]
            )
            return None
        if not isinstance(value, dict):
            msg = f"each item is a JSON object, got {type(value).__name__}"
            self._reject(item, [FieldError(field="item", rule="object_type", message=msg)])
            return None
        body = dict(value)
        raw_code = body.pop("code", None)
        errors: list[FieldError] = []
        code = None
        if not isinstance(raw_code, str):
            rule = "missing" if raw_code is None else "string_type"
            errors.append(FieldError(field="code", rule=rule, message="code (a USCC) is required"))
        else:
            parsed_code = self._codes.get(raw_code)
            if parsed_code is None:  # batches name the same enterprises again and again
                parsed_code = self._codes[raw_code] = try_parse(raw_code)
            if isinstance(parsed_code, CodeError):
                errors.append(
                    FieldError(
                        field="code",
                        rule=parsed_code.rule,
                        message=parsed_code.message,
                        expected=parsed_code.expected,
                    )
                )
            else:
                code = parsed_code.uscc or "org:" + parsed_code.org_code
        try:
            record = RECORD_ADAPTER.validate_python(body)
        except ValidationError as err:
            errors.extend(rr.validation_errors(err))
            record = None
        if errors or record is None or code is None:
            self._reject(item, errors, body.get("source_ref"))
            return None
        assert self._cal is not None
        data, fields = rr.split_fields(record)
        problems = check_record(
            record.kind,
            record.occurred_on,
            fields,
            today=self.today,
            catalog=self._catalog,
            cal=self._cal,
        )
        digest = None if code.startswith("org:") else _hash(code, record, data)
        return _Valid(item, code, record, data, problems, digest)

    async def _resolve_codes(self, codes: set[str]) -> None:
        """Region of every enterprise named in the chunk (org codes resolved to USCCs)."""
        orgs = {c[4:] for c in codes if c.startswith("org:")} - self._org_codes.keys()
        if orgs:
            known = await self._enterprise_map(Enterprise.org_code, Enterprise.code, orgs)
            for org in orgs:
                self._org_codes[org] = known.get(org)
        for code in list(codes):
            if code.startswith("org:"):
                uscc = self._org_codes.get(code[4:])
                codes.discard(code)
                if uscc is not None:
                    codes.add(uscc)
        missing = codes - self._regions.keys()
        if missing:
            known = await self._enterprise_map(Enterprise.code, Enterprise.region_code, missing)
            for code in missing:
                self._regions[code] = known.get(code)
        for org, uscc in self._org_codes.items():
            self._regions["org:" + org] = self._regions.get(uscc) if uscc else None

    async def _enterprise_map(self, key: Any, value: Any, keys: set[str]) -> dict[str, Any]:
        """``key`` → ``value`` of the enterprises whose ``key`` is among ``keys``."""
        found = await self.session.execute(select(col(key), col(value)).where(col(key).in_(keys)))
        return dict(found.all())

    def _uscc(self, code: str) -> str:
        return self._org_codes.get(code[4:]) or code if code.startswith("org:") else code

    def _prepare(self, candidates: list[tuple[_Valid, str]]) -> list[_Ready]:
        """Fold repeats within the batch, apply the record rules; return the rows to
        insert. Stored duplicates and conflicts are found by the insert itself."""
        ready: list[_Ready] = []
        for v, region in candidates:
            item, record, data = v.item, v.record, v.data
            code = self._uscc(v.code)
            kind = record.kind
            digest = v.digest or _hash(code, record, data)
            earlier = self._seen.get(record.source_ref)
            if earlier is not None:
                if earlier[0] == digest:
                    self._same_as[item.index] = earlier[1]
                else:
                    msg = f"item {earlier[1]} of this batch uses this source_ref with another body"
                    self._reject(
                        item,
                        [FieldError(field="source_ref", rule="source-ref-conflict", message=msg)],
                        record.source_ref,
                    )
                continue
            self._seen[record.source_ref] = (digest, item.index)
            if v.problems:
                self._reject(item, rr.problem_errors(v.problems), record.source_ref)
                continue
            row = rr.row_values(
                code=code,
                region_code=region,
                agency_id=self.principal.agency_id,
                kind=kind,
                source_ref=record.source_ref,
                occurred_on=record.occurred_on,
                data=data,
                digest=digest,
                now=self.now,
            )
            ready.append(
                _Ready(
                    item.index, row, data.get("level") if kind == "inspection" else None, item.line
                )
            )
        return ready

    async def _insert(self, ready: list[_Ready]) -> None:
        """One multi-row ``INSERT ... ON CONFLICT DO NOTHING``; the rows it skipped exist
        already (stored earlier, or by a concurrent request) and are settled after."""
        if not ready:
            return
        rows = [r.row for r in ready]
        with phases.span("insert (overlaps validation)"):
            inserted = await self._store(rows)
        # Settled once for the whole batch in finish(): one query, not one per chunk.
        self._existing.extend(r for r in ready if r.row["source_ref"] not in inserted)
        with phases.span("events (queue)"):
            self._emit_created(ready, inserted)
            ledger.encode_pending(self.session)
        self._inspections.extend(
            (
                r.index,
                self.ids[r.index],
                r.row["code"],
                r.row["product_category"],
                r.level,
                r.row["occurred_on"],
            )
            for r in ready
            if r.level and r.row["source_ref"] in inserted
        )

    async def _store(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        if self.session.get_bind().dialect.name != "postgresql":
            return await rr.insert_rows(self.session, rows)
        if self._expect_new:
            inserted = await rr.copy_new_rows(self.session, rows)
            if inserted is not None:
                return inserted
            # Some rows exist: likely a retried batch, whose later chunks exist too.
            self._expect_new = False
        return await rr.copy_rows(self.session, rows)

    def _emit_created(self, ready: list[_Ready], inserted: dict[str, int]) -> None:
        for r in ready:
            record_id = inserted.get(r.row["source_ref"])
            if record_id is None:
                continue
            row = r.row
            self.ids[r.index] = record_id
            self.accepted += 1
            self.codes.add(row["code"])
            ledger.emit(
                self.session,
                "record.created",
                code=row["code"],
                region_code=row["region_code"],
                data={
                    "id": record_id,
                    "kind": row["kind"],
                    "source_ref": row["source_ref"],
                    "version": 1,
                    "occurred_on": row["occurred_on"].isoformat(),
                    "status": "active",
                },
            )

    async def _settle_existing(self, rows: list[_Ready]) -> None:
        """Same body as the stored original: a duplicate answered with its id; another body:
        a conflict naming the fields that differ. The hashes of every such item come in one
        query; the stored bodies only for the conflicts."""
        refs = [r.row["source_ref"] for r in rows]
        agency = self.principal.agency_id
        if self.session.get_bind().dialect.name == "postgresql":
            pg = await driver_of(self.session)
            found = await pg.fetch(
                "SELECT source_ref, id, body_hash FROM credit_record "
                "WHERE agency_id = $1 AND version = 1 AND source_ref = ANY($2::text[])",
                agency,
                refs,
            )
        else:
            # one JSON parameter: SQLite caps bind parameters far below a batch's size
            found = (
                await self.session.execute(
                    text(
                        "SELECT source_ref, id, body_hash FROM credit_record "
                        "WHERE agency_id = :a AND version = 1 "
                        "AND source_ref IN (SELECT value FROM json_each(:refs))"
                    ),
                    {"a": agency, "refs": orjson.dumps(refs).decode()},
                )
            ).all()
        hashes = {ref: (record_id, digest) for ref, record_id, digest in found}
        conflicts = []
        for r in rows:
            record_id, digest = hashes[r.row["source_ref"]]
            if digest == r.row["body_hash"]:
                self.ids[r.index] = record_id
                self.duplicate_indexes.append(r.index)
            else:
                conflicts.append(r)
        if conflicts:
            await self._conflicts(conflicts, [hashes[r.row["source_ref"]][0] for r in conflicts])

    async def _conflicts(self, rows: list[_Ready], ids: list[int]) -> None:
        stored: dict[str, Any] = {}
        for start in range(0, len(ids), CODES_PER_QUERY):
            result = await self.session.execute(
                select(
                    col(CreditRecord.id),
                    col(CreditRecord.source_ref),
                    col(CreditRecord.code),
                    col(CreditRecord.kind),
                    col(CreditRecord.occurred_on),
                    col(CreditRecord.data),
                ).where(col(CreditRecord.id).in_(ids[start : start + CODES_PER_QUERY]))
            )
            stored.update((row.source_ref, row) for row in result)
        for r in rows:
            existing = stored[r.row["source_ref"]]
            sent = {**r.row["data"], "code": r.row["code"], "kind": r.row["kind"]}
            sent |= {
                "source_ref": r.row["source_ref"],
                "occurred_on": r.row["occurred_on"].isoformat(),
            }
            errors = rr.conflict_errors(rr.canonical_body(existing), sent, existing.id)
            self._reject(RawItem(r.index, None, r.line), errors, r.row["source_ref"])

    async def settle(self) -> None:
        """Answer the items that were not inserted because their (agency, source_ref)
        exists: a duplicate or a conflict. One query for all of them, so call it once per
        transaction, before the commit."""
        await self.drain()
        existing, self._existing = self._existing, []
        if existing:
            with phases.span("duplicates"):
                await self._settle_existing(existing)

    async def sampling_warnings(self) -> None:
        """Order 18 Art.8 duplicate-sampling warnings for the inspections this batch stored,
        against every current inspection of the same producer and product (stored before or
        in this batch). Once per batch: a query per chunk would re-read the same rows."""
        await self.drain()
        pending, self._inspections = self._inspections, []
        if not pending:
            return
        others_of = await self._sampling_others(pending)
        for index, own, code, category, level, on in pending:
            others = others_of(own, code, category)
            hits = followup.duplicate_sampling((category, level, on), others) if others else []
            if hits:
                w = rr.sampling_warning(own, hits)
                self.warnings.append(BatchWarning(index=index, **w.model_dump()))
        self.warnings.sort(key=lambda w: w.index)

    async def _sampling_others(
        self, pending: list[tuple[int, int, str, str, str, date]]
    ) -> Callable[[int, str, str], list[tuple[int, str, str, date]]]:
        """For a pending inspection (id, code, category): the (id, category, level, sampled
        on) of the current inspections that may make it a duplicate, read in one query."""
        if self.session.get_bind().dialect.name == "postgresql":
            # Only candidates travel: the same producer and category within ±186 days of a
            # pending inspection (add_months never moves more than 31 days a month, so the
            # window is a superset; followup.duplicate_sampling decides).
            pg = await driver_of(self.session)
            rows = await pg.fetch(
                "SELECT n.id, o.id, o.product_category, o.data->>'level', o.occurred_on "
                "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::date[]) "
                "AS n(id, code, category, on_) "
                "JOIN credit_record o ON o.code = n.code AND o.kind = 'inspection' "
                "AND o.occurred_on BETWEEN n.on_ - 186 AND n.on_ + 186 "
                "AND o.status = 'active' AND o.product_category = n.category AND o.id <> n.id",
                [p[1] for p in pending],
                [p[2] for p in pending],
                [p[3] for p in pending],
                [p[5] for p in pending],
            )
            by_own: dict[int, list[tuple[int, str, str, date]]] = {}
            for own, other, category, level, on in rows:
                by_own.setdefault(own, []).append((other, category, str(level), on))
            return lambda own, code, category: by_own.get(own, [])
        # SQLite: every current inspection of the producers, in one query with one JSON
        # parameter (bind parameters are capped far below a batch); a join like
        # PostgreSQL's costs SQLite a JSON parse of each candidate's body, 3x slower
        codes = orjson.dumps(sorted({p[2] for p in pending})).decode()
        result = await self.session.execute(
            select(
                col(CreditRecord.id),
                col(CreditRecord.code),
                col(CreditRecord.product_category),
                col(CreditRecord.data)["level"].as_string(),
                col(CreditRecord.occurred_on),
            ).where(
                col(CreditRecord.code).in_(text("SELECT value FROM json_each(:codes)")),
                col(CreditRecord.kind) == "inspection",
                col(CreditRecord.status) == "active",
            ),
            {"codes": codes},
        )
        by_key: dict[tuple[str, str], list[tuple[int, str, str, date]]] = {}
        for rid, code, category, level, on in result:
            by_key.setdefault((code, category), []).append((rid, category, str(level), on))
        return lambda own, code, category: [
            o for o in by_key.get((code, category), ()) if o[0] != own
        ]

    async def regrade(self, codes: Iterable[str]) -> None:
        """Set-based: one read per chunk of codes, only changed classes written."""
        await self.drain()
        await regrade_bulk.regrade(
            self.session, codes, today=self.today, now=self.now, trigger="record"
        )

    async def finish(self, *, regrade: bool = True, audit: bool = True) -> BatchOut:
        """Settle in-batch repeats, re-grade, audit once, and say exactly what was kept."""
        await self.settle()
        for index, earlier in sorted(self._same_as.items()):
            if earlier in self.ids:
                self.ids[index] = self.ids[earlier]
                self.duplicate_indexes.append(index)
            else:
                first = self.rejected[earlier]
                self.rejected[index] = first.model_copy(update={"index": index, "line": None})
        self._same_as.clear()
        with phases.span("art8 check"):
            await self.sampling_warnings()
        if regrade:
            with phases.span("regrade"):
                await self.regrade(self.codes)
        if audit and self.accepted:
            ledger.audit(self.session, "record.batch", "batch")
        return self.outcome()

    def outcome(self) -> BatchOut:
        return BatchOut(
            received=self.received,
            accepted=self.accepted,
            duplicates=len(self.duplicate_indexes),
            rejected=[self.rejected[i] for i in sorted(self.rejected)],
            ids=[self.ids.get(i) for i in range(self.received)],
            duplicate_indexes=sorted(self.duplicate_indexes),
            warnings=self.warnings,
        )


def _hash(code: str, record: Any, data: dict[str, Any]) -> str:
    return rr.body_hash(code, record.kind, record.source_ref, record.occurred_on.isoformat(), data)
