"""Record rules (service.credit.records) and the NDJSON splitter of the batch path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import orjson
from hypothesis import given
from hypothesis import strategies as st

from service.credit.deadlines import DEFAULT_CALENDAR
from service.credit.records import HEAVIER_TYPES, check_record
from service.http.ndjson import ParseError, RawItem, ndjson_items

TODAY = date(2026, 6, 15)
CATALOG = frozenset({"dairy"})
PENALTY_TYPES = sorted(HEAVIER_TYPES | {"warning", "confiscation"})


def rules(kind: str, occurred_on: date, **fields: object) -> set[tuple[str, str]]:
    problems = check_record(
        kind, occurred_on, fields, today=TODAY, catalog=CATALOG, cal=DEFAULT_CALENDAR
    )
    return {(p.field, p.rule) for p in problems}


@given(st.integers(min_value=-3650, max_value=3650))
def test_occurred_on_after_today_is_refused(offset: int) -> None:
    day = TODAY + timedelta(days=offset)
    got = rules("complaint", day, substantiated=False)
    assert (("occurred_on", "future-date") in got) == (offset > 0)


@given(
    st.lists(st.sampled_from(PENALTY_TYPES), min_size=1, max_size=4, unique=True),
    st.booleans(),
)
def test_heavier_needs_a_heavier_type(types: list[str], heavier: bool) -> None:
    """Order 44 Art.2: a warning or confiscation alone is never a heavier penalty."""
    fields: dict[str, object] = {"penalty_types": types, "heavier": heavier}
    if "fine" in types:
        fields["fine_amount"] = 1000
    got = rules("penalty", TODAY, **fields)
    refused = ("heavier", "order44-art2-heavier-type") in got
    assert refused == (heavier and not HEAVIER_TYPES.intersection(types))


def test_a_failure_without_items_and_a_pass_with_items() -> None:
    base = {"product_category": "dairy", "level": "county"}
    assert ("failed_items", "failed-items-required") in rules(
        "inspection", TODAY, result="fail", **base
    )
    assert ("failed_items", "failed-items-on-pass") in rules(
        "inspection", TODAY, result="pass", failed_items=["x"], **base
    )
    assert rules("inspection", TODAY, result="fail", failed_items=["x"], **base) == set()


def test_objection_deadline_is_checked_only_with_a_chain() -> None:
    base = {"product_category": "dairy", "level": "county", "result": "fail", "failed_items": ["x"]}
    notified = date(2026, 5, 20)  # + 15 days = Thu 06-04
    ok = rules(
        "inspection",
        date(2026, 5, 11),
        notified_on=notified,
        objection_filed_on=date(2026, 6, 4),
        **base,
    )
    late = rules(
        "inspection",
        date(2026, 5, 11),
        notified_on=notified,
        objection_filed_on=date(2026, 6, 5),
        **base,
    )
    assert ok == set()
    assert late == {("objection_filed_on", "order18-art35-objection-deadline")}


async def _chunks(data: bytes, cuts: list[int]) -> AsyncIterator[bytes]:
    last = 0
    for cut in sorted(set(cuts)):
        yield data[last:cut]
        last = cut
    yield data[last:]


def _collect(data: bytes, cuts: list[int]) -> list[RawItem]:
    """Drive the async generator by hand: nothing in it waits on I/O, so no event loop is
    needed (and none may be running in this thread)."""
    items = ndjson_items(_chunks(data, cuts))
    out: list[RawItem] = []
    while True:
        step = items.__anext__()
        try:
            step.send(None)
        except StopIteration as done:
            out.append(done.value)
        except StopAsyncIteration:
            return out
        else:  # pragma: no cover - the generator never suspends
            raise AssertionError("ndjson_items waited on something")


@given(
    st.lists(
        st.one_of(
            st.dictionaries(st.text(max_size=5), st.text(max_size=8), max_size=3).map(orjson.dumps),
            st.just(b""),
            st.just(b"  \r"),
            st.just(b'{"broken": '),
        ),
        max_size=12,
    ),
    st.data(),
)
def test_ndjson_items_do_not_depend_on_chunk_boundaries(
    lines: list[bytes], draw: st.DataObject
) -> None:
    data = b"\n".join(lines)
    cuts = draw.draw(st.lists(st.integers(min_value=0, max_value=len(data)), max_size=8))
    whole = _collect(data, [])
    assert [(i.index, i.line, i.value) for i in _collect(data, cuts)] == [
        (i.index, i.line, i.value) for i in whole
    ]
    expected = [(n + 1, line) for n, line in enumerate(lines) if line.strip()]
    assert [i.line for i in whole] == [n for n, _ in expected]
    assert [i.index for i in whole] == list(range(len(expected)))
    for item, (_, line) in zip(whole, expected, strict=True):
        if line == b'{"broken": ':
            assert isinstance(item.value, ParseError)
        else:
            assert item.value == orjson.loads(line)
