"""Public screening never reveals a grade (design.md "Screening"; grades are a supervision
reference, not a public rating), while agency screening does."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api._records import ensure_enterprise, post_record
from tests.conftest import AgencyKey


async def test_public_screening_answers_without_grade(
    client: httpx.AsyncClient, national: AgencyKey
) -> None:
    enterprise: dict[str, Any] = await ensure_enterprise(client, national.headers)
    code = enterprise["code"]
    await post_record(client, national.headers, code, "inspection", result="fail")
    agency = await client.post("/v1/screen", json={"codes": [code]}, headers=national.headers)
    assert agency.json()["results"][0]["grade"] in {"AA", "A", "B", "C"}

    public = await client.post("/public/v1/screen", json={"codes": [code, code[8:17]]})
    assert public.status_code == 200, public.text
    assert [("grade" in r) for r in public.json()["results"]] == [False, False]
    csv = await client.post("/public/v1/screen?format=csv", json={"codes": [code]})
    header = csv.text.lstrip("\ufeff").splitlines()[0]
    assert "grade" not in header.split(",")
