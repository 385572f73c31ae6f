"""The client's methods for penalty publication and repair, announcements, warnings, honours,
class reviews, objections and monitoring statistics (issue 16), against the real service
(ASGI, SQLite and PostgreSQL): typed models in and out, public reads without a key."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from qcredit_client import AsyncClient, ConflictError, NotFoundError
from qcredit_client import models as m
from service.clock import FixedClock
from tests.api._blacklist import set_day
from tests.client._data import code, inspection

T0 = date(2026, 6, 15)  # the suite's fixed clock: Monday


def public_penalty(ref: str, decided_on: date) -> dict[str, Any]:
    return {
        "kind": "penalty",
        "source_ref": ref,
        "occurred_on": decided_on.isoformat(),
        "decided_on": decided_on.isoformat(),
        "decision_number": f"盘市监罚〔2026〕{ref}号",
        "legal_basis": "《中华人民共和国产品质量法》第四十九条",
        "penalty_types": ["confiscation"],
    }


async def test_penalty_publication_and_credit_repair(
    api: AsyncClient, public_api: AsyncClient
) -> None:
    uscc = code(401)
    await api.put_enterprise(
        uscc, m.EnterpriseIn(name="盘锦公示纺织有限公司", products=["textile"])
    )
    record = await api.add_record(uscc, public_penalty("R1", date(2025, 12, 15)))
    number = "盘市监罚〔2026〕R1号"

    lookup = await public_api.public_penalties(uscc)
    assert isinstance(lookup, m.PublicPenaltyLookup) and lookup.code == uscc
    assert [p.decision_number for p in lookup.items] == [number]
    found = [p async for p in public_api.iter_public_penalties(q="盘锦公示", page_size=1)]
    assert [(p.code, p.public_until) for p in found] == [(uscc, date(2028, 12, 15))]
    assert "grade" not in found[0].model_dump()

    repair = m.RepairIn(
        granted_on=date(2026, 6, 14), reason="已履行", performed=True, harm_eliminated=True
    )
    with pytest.raises(ConflictError) as early:  # the day before the 6-month minimum
        await api.repair_penalty(record.id, repair)
    assert "repair-min-period" in early.value.rules
    repaired = await api.repair_penalty(record.id, {**repair.model_dump(), "granted_on": T0})
    assert isinstance(repaired, m.RepairOut)
    assert (repaired.record_id, repaired.earliest) == (record.id, T0)
    assert (await public_api.public_penalties(uscc)).items == []
    assert [p async for p in public_api.iter_public_penalties()] == []


async def test_announcements_warnings_and_honours(
    api: AsyncClient, public_api: AsyncClient, clock: FixedClock
) -> None:
    a, b = code(402), code(403)
    await api.put_enterprise(a, m.EnterpriseIn(name="盘锦公告乳业有限公司", products=["dairy"]))
    await api.put_enterprise(b, m.EnterpriseIn(name="盘锦复检乳业有限公司", products=["dairy"]))
    ok = await api.add_record(a, inspection("AN1", date(2026, 5, 10)))
    failed = await api.add_record(b, inspection("AN2", date(2026, 5, 11), "fail"))

    draft = await api.create_announcement(
        m.AnnouncementIn(
            title="2026年第2批乳制品省级监督抽查结果",
            announced_on=date(2026, 6, 10),
            product_category="dairy",
            level="provincial",
            record_ids=[ok.id, failed.id],
        )
    )
    assert (draft.published_on, draft.count, draft.failed) == (None, 2, 1)
    with pytest.raises(NotFoundError):  # a draft is not public
        await public_api.get_public_announcement(draft.id)
    published = await api.publish_announcement(draft.id, T0)
    assert published.published_on == T0
    assert [x.id async for x in public_api.iter_public_announcements()] == [draft.id]
    assert [x.id async for x in public_api.iter_public_announcements(code=b)] == [draft.id]
    assert (await public_api.list_public_announcements(code=code(404))).items == []
    detail = await public_api.get_public_announcement(draft.id)
    assert sorted((r.code, r.final_result) for r in detail.results) == sorted(
        [(a, "pass"), (b, "fail")]
    )

    warning = await api.issue_warning(
        m.WarningIn(
            product_category="toy",
            region_code="2111",
            severity="high",
            title="儿童玩具小零件窒息风险警示",
            advice="选购带有年龄警示标识的玩具,三岁以下儿童避免接触小零件。",
            expires_on=date(2026, 7, 1),
        )
    )
    assert isinstance(warning, m.PublicWarning) and warning.issued_on == T0
    assert [w.id async for w in public_api.iter_public_warnings(region="211104")] == [warning.id]
    assert (await public_api.list_public_warnings(product="dairy")).items == []
    set_day(clock, date(2026, 6, 30))  # the last day in force
    assert [w.id async for w in public_api.iter_public_warnings()] == [warning.id]
    set_day(clock, T0)
    withdrawn = await api.withdraw_warning(warning.id)
    assert withdrawn.id == warning.id
    assert [w async for w in public_api.iter_public_warnings()] == []

    body = m.HonourIn(code=a, reason="质量信用优秀,推荐参评省长质量奖")
    with pytest.raises(ConflictError) as not_aa:
        await api.publish_honour(body)
    assert not_aa.value.rule == "honour-requires-aa"
    await api.review_classification(
        a,
        m.ReviewIn(
            action="override", grade="AA", reason="质量奖获奖企业", expires_on=date(2027, 6, 15)
        ),
    )
    honour = await api.publish_honour(body)
    assert (honour.code, honour.name, honour.published_on) == (a, "盘锦公告乳业有限公司", T0)
    honours = [h async for h in public_api.iter_public_honours(page_size=1)]
    assert [h.id for h in honours] == [honour.id] and "grade" not in honours[0].model_dump()
    assert (await public_api.list_public_honours(region="2101")).items == []
    await api.withdraw_honour(honour.id, T0)
    assert [h async for h in public_api.iter_public_honours()] == []


async def test_class_review_and_reviews_due(api: AsyncClient) -> None:
    lenient, strict = code(405), code(406)
    for uscc in (lenient, strict):
        await api.put_enterprise(
            uscc, m.EnterpriseIn(name=f"盘锦复核{uscc[-4:]}乳业有限公司", products=["dairy"])
        )
    out = await api.review_classification(
        strict,
        {"action": "override", "grade": "C", "reason": "风险较高", "expires_on": "2027-01-01"},
    )
    assert isinstance(out, m.ClassificationOut) and out.grade == "C"
    assert [r async for r in api.iter_reviews()] == []
    await api.add_record(strict, inspection("RV1", date(2026, 5, 1)))  # computed class moves
    due = [r async for r in api.iter_reviews(region="2111", page_size=1)]
    assert [(r.code, r.computed_grade) for r in due] == [(strict, "A")]
    assert (await api.list_reviews(region="2101")).items == []
    confirmed = await api.review_classification(
        strict, m.ReviewIn(action="confirm", reason="复核确认")
    )
    assert confirmed.grade == "A"
    assert [r async for r in api.iter_reviews()] == []


async def test_objection_filed_listed_and_decided(api: AsyncClient, clock: FixedClock) -> None:
    uscc = code(407)
    await api.put_enterprise(uscc, m.EnterpriseIn(name="盘锦异议乳业有限公司", products=["dairy"]))
    record = await api.add_record(uscc, inspection("OB1", date(2026, 5, 10), "fail"))
    filed = await api.file_objection(
        m.ObjectionIn(code=uscc, target="record", record_id=record.id, reason="检验方法错误")
    )
    # filed Monday 06-15; 06-19 is Dragon Boat Festival: 15 working days end 07-07
    assert (filed.status, filed.filed_on, filed.due_on) == ("open", T0, date(2026, 7, 7))
    assert (await api.get_objection(filed.id)).record_id == record.id
    with pytest.raises(ConflictError) as twice:
        await api.file_objection(
            {"code": uscc, "target": "record", "record_id": record.id, "reason": "x"}
        )
    assert twice.value.rule == "objection-open"
    assert [o.id async for o in api.iter_objections(status="open", code=uscc)] == [filed.id]
    set_day(clock, date(2026, 7, 7))  # the due day: still in time
    assert (await api.list_objections(overdue=True)).items == []
    set_day(clock, date(2026, 7, 8))
    assert [o.id async for o in api.iter_objections(overdue=True, page_size=1)] == [filed.id]

    decided = await api.decide_objection(
        filed.id, m.DecisionIn(outcome="rejected", reason="检验程序合法")
    )
    assert (decided.status, decided.decided_on, decided.overdue) == (
        "rejected",
        date(2026, 7, 8),
        False,
    )
    assert [o.id async for o in api.iter_objections(status="rejected")] == [filed.id]
    assert (await api.list_objections(status="open")).items == []


def sample(ref: str, on: date, *, hazard: bool, source: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "monitoring",
        "source_ref": ref,
        "occurred_on": on.isoformat(),
        "product_category": "toy",
        "sample_source": source,
        "hazard_found": hazard,
        "severity": "high" if hazard else "none",
    }
    if hazard:
        body["hazard"] = "小零件易脱落"
    return body


async def test_monitoring_stats(api: AsyncClient) -> None:
    a, b = code(408), code(409, region="210100")
    for uscc in (a, b):
        await api.put_enterprise(
            uscc, m.EnterpriseIn(name=f"盘锦监测{uscc[-4:]}玩具有限公司", products=["toy"])
        )
    await api.add_record(a, sample("M1", date(2026, 5, 1), hazard=False, source="production"))
    await api.add_record(a, sample("M2", date(2026, 5, 2), hazard=True, source="ecommerce"))
    await api.add_record(
        b,
        m.MonitoringIn.model_validate(
            sample("M3", date(2026, 5, 3), hazard=False, source="market")
        ),
    )
    await api.add_record(
        a,
        {
            "kind": "injury",
            "source_ref": "INJ1",
            "occurred_on": "2026-05-10",
            "product_category": "toy",
            "hazard_found": True,
            "hazard": "窒息",
            "severity": "high",
        },
    )
    risk = await api.monitoring_stats(target=0.9)
    assert isinstance(risk, m.PassRateStats)
    assert (risk.total.inspections, risk.total.failed, risk.total.below_target) == (3, 1, True)
    by_region = await api.monitoring_stats(group_by="region", level="prefecture")
    assert {g.key: g.rate for g in by_region.groups} == {"2101": 1.0, "2111": 0.5}
    assert (
        await api.monitoring_stats(from_=date(2026, 5, 2), to=date(2026, 5, 2))
    ).total.inspections == 1
    injury = await api.monitoring_stats(program="injury")
    assert (injury.total.inspections, injury.total.failed) == (1, 1)
    kinds = [r.kind async for r in api.iter_records(a, kind=["monitoring", "injury"])]
    assert sorted(kinds) == ["injury", "monitoring", "monitoring"]
