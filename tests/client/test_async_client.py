"""The async client against the real service (ASGI, SQLite and PostgreSQL): every resource
family round-trips through typed models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from qcredit_client import (
    AsyncClient,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from qcredit_client import models as m
from tests.client._data import code, inspection, penalty, proposal

T0 = date(2026, 6, 15)  # the suite's fixed clock
PENALTY_DAY = date(2026, 6, 1)


async def listed_entry(api: AsyncClient, uscc: str, ref: str) -> m.EntryOut:
    """An enterprise with a heavier penalty, listed and published today."""
    await api.put_enterprise(uscc, m.EnterpriseIn(name=f"盘锦示例{uscc[-4:]}乳业有限公司"))
    record = await api.add_record(uscc, penalty(ref, PENALTY_DAY))
    entry = await api.propose_listing(proposal(uscc, record.id))
    await api.notify_listing(entry.id, T0)
    await api.list_entry(entry.id, T0, defence_waived=True)
    return await api.publish_listing(entry.id, m.PublishIn(published_on=T0))


async def test_enterprise_records_and_classification(api: AsyncClient) -> None:
    uscc = code(1)
    created = await api.put_enterprise(
        uscc, m.EnterpriseIn(name="盘锦示例乳业有限公司", products=["dairy"])
    )
    assert isinstance(created, m.EnterpriseOut) and created.code == uscc
    by_org_code = await api.get_enterprise(f"{uscc[8:16]}-{uscc[16]}")
    assert by_org_code.code == uscc and by_org_code.blacklisted is False

    first = await api.add_record(uscc, inspection("LN-1", date(2026, 3, 2), "fail"))
    again = await api.add_record(uscc, inspection("LN-1", date(2026, 3, 2), "fail"))
    assert again.id == first.id  # same source_ref: the original, never a duplicate
    await api.add_record(
        uscc,
        m.ComplaintIn(
            kind="complaint", source_ref="12365-1", occurred_on=date(2026, 4, 1), substantiated=True
        ),
    )
    await api.add_record(uscc, inspection("LN-2", date(2026, 5, 2)))

    page = await api.list_records(uscc, limit=2)
    assert len(page.items) == 2 and page.next_cursor
    walked = [r.id async for r in api.iter_records(uscc, page_size=1)]
    assert len(walked) == 3 and len(set(walked)) == 3
    only = [r.kind async for r in api.iter_records(uscc, kind=["complaint"])]
    assert only == ["complaint"]

    grade = await api.get_classification(uscc)
    assert grade.grade in {"AA", "A", "B", "C"} and grade.reasons
    assert all(isinstance(r, m.ReasonOut) for r in grade.reasons)
    assert (await api.get_classification(uscc, as_of=date(2026, 1, 1))).grade
    history = [h async for h in api.iter_classification_history(uscc)]
    assert history

    corrected = await api.correct_record(first.id, inspection("LN-1", date(2026, 3, 2)))
    assert corrected.id != first.id
    assert [v.id for v in (await api.get_record_history(first.id)).versions][:2]
    withdrawn = await api.set_record_status(
        corrected.id, m.StatusIn(status="withdrawn", reason="录入错误")
    )
    assert withdrawn.status == "withdrawn"
    assert (await api.get_record(corrected.id)).status == "withdrawn"

    dossier = await api.get_dossier(uscc)
    assert dossier["enterprise"]["code"] == uscc
    assert (await api.download_dossier(uscc, format="xlsx"))[:2] == b"PK"
    summaries = [e.code async for e in api.iter_enterprises(page_size=1)]
    assert summaries == [uscc]


async def test_blacklist_procedure_public_side_and_exports(
    api: AsyncClient, public_api: AsyncClient
) -> None:
    uscc = code(2)
    entry = await listed_entry(api, uscc, "P-1")
    assert entry.status == "listed" and entry.expires_on == date(2029, 6, 15)
    assert (await api.get_listing(entry.id)).id == entry.id
    assert [e.id async for e in api.iter_listings(status="listed")] == [entry.id]

    lookup = await public_api.public_lookup(uscc)
    assert lookup.listed is True and lookup.entries[0].code == uscc
    found = [e.code async for e in public_api.iter_public_blacklist(q=f"盘锦示例{uscc[-4:]}")]
    assert found == [uscc]
    assert "grade" not in lookup.entries[0].model_dump()
    csv = await public_api.export_public_blacklist(format="csv")
    assert uscc.encode() in csv

    with pytest.raises(ConflictError) as illegal:
        await api.restore_listing(entry.id, T0)  # restore is for removed entries only
    assert illegal.value.status == 409 and illegal.value.rules

    removed = await api.remove_listing(entry.id, T0, "error")
    assert removed.status == "removed"
    assert (await public_api.public_lookup(uscc)).listed is False
    assert (await api.list_candidates()).items is not None


async def test_upload_records_streams_any_iterable_with_per_item_results(
    api: AsyncClient,
) -> None:
    uscc = code(3)
    await api.put_enterprise(uscc, {"name": "盘锦批量乳业有限公司", "products": ["dairy"]})
    pulled = 0

    def records() -> Iterator[Any]:
        nonlocal pulled
        for i in range(5):
            pulled += 1
            if i == 3:
                yield {**inspection("B-3", T0), "code": "91211100000000000X"}  # bad check char
            elif i == 2:  # a typed model with its code beside it
                yield uscc, m.InspectionIn.model_validate(inspection("B-2", T0))
            else:
                yield {**inspection(f"B-{i % 3}", T0), "code": uscc}  # B-0 comes twice

    results = []
    async for result in api.upload_records(records(), batch_size=2):
        if not results:
            assert pulled <= 2  # read lazily, one batch at a time
        results.append(result)
    assert [r.index for r in results] == [0, 1, 2, 3, 4]
    # B-0 twice: the second (in another request) is a duplicate of the first
    assert [r.status for r in results] == [
        "accepted",
        "accepted",
        "accepted",
        "rejected",
        "duplicate",
    ]
    assert results[4].record_id == results[1].record_id
    assert results[3].errors and results[3].errors[0].field == "code"
    assert results[3].record_id is None and results[3].source_ref == "B-3"

    rerun = [r async for r in api.upload_records(records(), batch_size=100)]
    assert [r.status for r in rerun] == [
        "duplicate",
        "duplicate",
        "duplicate",
        "rejected",
        "duplicate",
    ]
    assert [r.record_id for r in rerun] == [r.record_id for r in results]
    page = await api.list_records(uscc, limit=100)
    assert len(page.items) == 3  # B-0, B-1, B-2: nothing stored twice


async def test_screening_any_number_of_codes_in_request_order(
    api: AsyncClient, public_api: AsyncClient
) -> None:
    listed = code(4)
    await listed_entry(api, listed, "S-1")
    known = code(5)
    await api.put_enterprise(known, {"name": "盘锦无失信乳业有限公司"})
    unknown = code(6)
    codes = [unknown, listed.lower(), "not-a-code", known, f"{known[8:16]}-{known[16]}", listed]

    report = await api.screen(codes, chunk_size=4)
    assert len(report.responses) == 2  # 4 + 2 codes
    assert [r.code for r in report.results][:2] == [unknown, listed]
    assert [r.listed for r in report.results] == [False, True, False, False, False, True]
    assert [r.valid for r in report.results] == [True, True, False, True, True, True]
    assert report.results[3].known and not report.results[0].known
    assert report.results[4].code == known  # an org code resolves to the USCC
    assert [r.code for r in report.invalid] == ["not-a-code"]
    assert len(report.listed) == 2
    assert report.results[1].grade is not None  # agencies see the supervision class

    public = await public_api.screen_public(codes, chunk_size=5)
    assert len(public.responses) == 2
    assert [r.listed for r in public.results] == [r.listed for r in report.results]
    # grades are never public: the public result model has no such field at all
    assert all(isinstance(r, m.PublicScreenResult) for r in public.results)
    assert "grade" not in m.PublicScreenResult.model_fields

    receipt = public.responses[0].receipt
    assert (await public_api.verify_receipt(receipt)).authentic is True
    assert (await public_api.verify_receipt(receipt.token)).authentic is True
    forged = receipt.model_copy(update={"count": receipt.count + 1})
    assert (await public_api.verify_receipt(forged)).authentic is False

    with pytest.raises(ValueError):
        await public_api.screen_public(codes, chunk_size=1001)


async def test_change_feed_iterates_and_resumes_from_a_stored_position(api: AsyncClient) -> None:
    for n in range(7, 12):
        await api.put_enterprise(code(n), {"name": f"盘锦变更{n}有限公司"})
    everything = [e async for e in api.iter_changes(after=0, page_size=2)]
    seqs = [e.seq for e in everything]
    assert len(seqs) >= 5 and seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert all(isinstance(e, m.ChangeEvent) for e in everything)

    stored = everything[2].seq  # a consumer persisted this after handling the 3rd event
    resumed = [e.seq async for e in api.iter_changes(after=stored, page_size=2)]
    assert resumed == seqs[3:]

    pages = [p async for p in api.iter_change_pages(after=0, page_size=2)]
    assert [e.seq for p in pages for e in p.events] == seqs
    assert pages[0].next_after == pages[0].events[-1].seq  # resume point of each page
    assert [p.next_after for p in pages][-1] == seqs[-1]

    await api.put_enterprise(code(12), {"name": "盘锦后来有限公司"})
    later = [e async for e in api.iter_changes(after=seqs[-1])]
    assert later and {e.code for e in later} == {code(12)}
    only = [e.type async for e in api.iter_changes(after=0, types=["blacklist."])]
    assert only == []


async def test_sharing_resources_round_trip(api: AsyncClient) -> None:
    hook = await api.create_webhook(
        m.WebhookIn(url="http://127.0.0.1:9/hook", secret="x" * 32, events=["blacklist."])
    )
    assert isinstance(hook, m.WebhookOut) and hook.active
    assert [h.id for h in (await api.list_webhooks()).items] == [hook.id]
    assert (await api.get_webhook(hook.id)).events == ["blacklist."]
    assert [d async for d in api.iter_deliveries(hook.id)] == []
    assert (await api.enable_webhook(hook.id)).active
    await api.delete_webhook(hook.id)
    with pytest.raises(NotFoundError):
        await api.get_webhook(hook.id)

    await api.put_enterprise(code(13), {"name": "盘锦名单乳业有限公司"})
    written = await api.create_watchlist({"name": "供应商", "codes": [code(13)]})
    watch_id = written.id
    assert [w.id async for w in api.iter_watchlists()] == [watch_id]
    assert (await api.get_watchlist(watch_id)).codes == [code(13)]
    await api.replace_watchlist_codes(watch_id, [code(13), code(14)])
    await api.delete_watchlist(watch_id)
    with pytest.raises(NotFoundError):
        await api.get_watchlist(watch_id)

    verified = await api.verify_audit()
    assert verified.ok is True and verified.length > 0
    trail = [a async for a in api.iter_audit(code(13))]
    assert trail and all(isinstance(a, m.AuditEntryOut) for a in trail)


async def test_reference_data_statistics_and_operations(api: AsyncClient) -> None:
    me = await api.me()
    assert me.level == "national" and "admin" in me.scopes
    assert (await api.healthz())["status"] == "ok"
    assert await api.readyz()
    assert "qcredit" in await api.metrics() or "http_" in await api.metrics()

    catalog = await api.get_catalog()
    assert any(i.code == "dairy" for i in catalog.items)
    item = await api.put_catalog_item("test-toys", {"name": "测试玩具", "risk_level": "II"})
    assert item.risk_level == "II"
    day = m.CalendarDayIn(day=date(2027, 10, 8), working=True, note="调休")
    assert any(d.day == date(2027, 10, 8) for d in (await api.put_calendar([day])).items)
    assert (await api.get_calendar()).items

    rulesets = await api.list_rulesets()
    assert (await api.get_ruleset(rulesets.active)).id == rulesets.active

    uscc = code(15)
    await api.put_enterprise(uscc, {"name": "盘锦统计乳业有限公司", "products": ["dairy"]})
    await api.add_record(uscc, inspection("ST-1", date(2026, 3, 2), "fail"))
    stats = await api.inspection_stats(group_by="product", target=0.96)
    assert stats.groups and isinstance(stats.groups[0], m.PassRateRow)
    assert isinstance(await api.grade_stats(), m.GradeStats)
    assert [p.code async for p in api.iter_supervision_plan(to=date(2027, 6, 15))]
    assert isinstance(await api.list_overdue_inspections(), m.OverduePage)
    report = await api.quality_report(region="21", year=2026, format="html")
    assert b"<html" in report.lower()

    gtin = await api.add_gtin(uscc, {"gtin": "6901234567892"})
    assert gtin.gtin == "06901234567892"
    assert [g.gtin for g in (await api.list_gtins(uscc)).items] == ["06901234567892"]
    assert (await api.lookup_gtin("6901234567892")).code == uscc


async def test_errors_are_typed_problems(api: AsyncClient) -> None:
    good = code(16)
    with pytest.raises(ValidationError) as bad:
        await api.get_enterprise(good[:-1] + ("0" if good[-1] != "0" else "1"))
    assert bad.value.status == 422
    assert bad.value.errors[0].expected == good[-1]  # names the right check character
    with pytest.raises(NotFoundError) as missing:
        await api.get_enterprise(good)
    assert missing.value.status == 404 and missing.value.problem["status"] == 404


async def test_following_the_feed_waits_for_new_events(api: AsyncClient) -> None:
    await api.put_enterprise(code(21), {"name": "盘锦先有乳业有限公司"})
    start = max([e.seq async for e in api.iter_changes(after=0)])
    feed = api.iter_changes(after=start, follow=True, poll_interval=0.05)
    waiting = asyncio.ensure_future(anext(feed))
    await asyncio.sleep(0.3)
    assert not waiting.done()  # caught up: polling, not returning
    await api.put_enterprise(code(22), {"name": "盘锦后有乳业有限公司"})
    event = await asyncio.wait_for(waiting, timeout=10)
    assert event.code == code(22) and event.seq > start
    await feed.aclose()


async def test_credit_repair_steps(api: AsyncClient) -> None:
    entry = await listed_entry(api, code(23), "CR-1")
    applied = await api.apply_repair(entry.id, T0)
    assert applied.repair_applied_on == T0 and applied.repair_accept_by
    accepted = await api.accept_repair(entry.id, T0)
    assert accepted.repair_accepted_on == T0 and accepted.repair_decide_by
    refused = await api.refuse_repair(entry.id, T0)
    assert refused.repair_refused_on == T0 and refused.status == "listed"
