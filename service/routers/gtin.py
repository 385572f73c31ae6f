"""GTIN traceability (物品编码): register a producer's barcodes; look a barcode up to find
who makes it and how that producer is classed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from service.auth import Scope
from service.credit.codes import CodeError
from service.credit.gtin import validate_gtin
from service.credit.regions import region_name
from service.deps import CodeDep, NowDep, PrincipalDep, SessionDep, TodayDep, require
from service.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidCode,
    NotFound,
    ValidationFailed,
    problem_responses,
)
from service.http.etag import json_response
from service.models import Gtin
from service.schemas.gtin import GtinIn, GtinLookupOut, GtinOut, GtinPage, ProducerOut
from service.store import enterprises, gtins
from service.store.grading import dossiers
from service.store.grading import regrade as grading
from service.store.records import rows as rr

router = APIRouter(tags=["gtin"])


def _gtin_or_422(raw: str, field: str) -> str:
    try:
        return validate_gtin(raw)
    except CodeError as err:
        raise ValidationFailed(
            f"'{raw}' is not a valid GTIN: {err.message}",
            errors=[
                FieldError(field=field, rule=err.rule, message=err.message, expected=err.expected)
            ],
            rule=err.rule,
        ) from err


def _out(row: Gtin) -> GtinOut:
    return GtinOut(
        gtin=row.gtin,
        code=row.code,
        product_name=row.product_name,
        product_category=row.product_category,
        registered_at=row.registered_at,
    )


@router.post(
    "/v1/enterprises/{code}/gtins",
    summary="Register a product barcode to its producer",
    status_code=201,
    response_model=GtinOut,
    responses={
        200: {"model": GtinOut, "description": "Already registered to this enterprise"},
        **problem_responses(InvalidCode, Forbidden, NotFound, Conflict, ValidationFailed),
    },
    dependencies=[require(Scope.ENTERPRISES_WRITE)],
)
async def post_gtin(
    code: CodeDep,
    body: GtinIn,
    session: SessionDep,
    principal: PrincipalDep,
    now: NowDep,
    response: Response,
) -> GtinOut:
    """The check digit is verified (GS1 mod 10; a wrong one names the expected digit). A
    barcode already registered to another enterprise is a 409."""
    gtin = _gtin_or_422(body.gtin, "gtin")
    enterprise = await enterprises.get(session, code)
    principal.require_region(enterprise.region_code)
    if body.product_category is not None and body.product_category not in await rr.catalog_codes(
        session
    ):
        raise ValidationFailed(
            f"'{body.product_category}' is not in the product catalog",
            errors=[
                FieldError(field="product_category", rule="catalog", message="unknown category")
            ],
        )
    row, created = await gtins.register(
        session,
        enterprise,
        gtin,
        product_name=body.product_name,
        product_category=body.product_category,
        agency_id=principal.agency_id,
        now=now,
    )
    response.status_code = 201 if created else 200
    return _out(row)


@router.get(
    "/v1/enterprises/{code}/gtins",
    summary="An enterprise's registered barcodes",
    response_model=GtinPage,
    responses=problem_responses(InvalidCode, NotFound),
)
async def list_gtins(code: CodeDep, session: SessionDep, _: PrincipalDep) -> GtinPage:
    enterprise = await enterprises.get(session, code)
    return GtinPage(items=[_out(r) for r in await gtins.for_enterprise(session, enterprise.code)])


@router.get(
    "/v1/gtin/{gtin}",
    summary="Who makes this product, and how is the producer classed",
    response_model=GtinLookupOut,
    responses=problem_responses(NotFound, ValidationFailed),
)
async def get_gtin(
    gtin: Annotated[
        str, Path(description="GTIN-8/12/13/14", examples=["6901234567892"], max_length=32)
    ],
    session: SessionDep,
    _: PrincipalDep,
    today: TodayDep,
    request: Request,
) -> Response:
    """The class is evaluated as of today, so an ageing penalty or an expired listing
    already shows."""
    row, enterprise = await gtins.lookup(session, _gtin_or_422(gtin, "gtin"))
    result = await grading.evaluate(session, enterprise, today)
    listed = await dossiers.listings_in_force(session, [enterprise.code], today)
    out = GtinLookupOut(
        **_out(row).model_dump(),
        producer=ProducerOut(
            code=enterprise.code,
            name=enterprise.name,
            region_code=enterprise.region_code,
            region_name=region_name(enterprise.region_code),
            grade=result.grade.value,
            ruleset=result.ruleset,
            blacklisted=bool(listed.get(enterprise.code)),
        ),
    )
    return json_response(request, out.model_dump(mode="json"))
