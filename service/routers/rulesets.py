"""Classification rule sets as data: list, read, publish a new version, activate one.

Activation is immediate for reads — every classification computed after it (single
lookups, writes that re-grade) uses the new rule set — while the stored classes of all
enterprises (list filters, statistics, the supervision plan) are re-graded in the
background after the response, chunk by chunk (service.store.recompute.run). The answer says
so (`"regrade": "scheduled"`, 202); a crash mid-way is repaired by `qcredit recompute --all`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import orjson
from fastapi import APIRouter, BackgroundTasks, Path, Request, Response
from pydantic import ValidationError
from sqlalchemy import func, select

from service.auth import Scope
from service.db import Database
from service.deps import NowDep, PrincipalDep, SessionDep, TodayDep, require
from service.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    problem_responses,
)
from service.http.etag import json_response
from service.http.observability import log
from service.models import Enterprise
from service.schemas.classification import (
    ActivationOut,
    BodyIn,
    RuleOut,
    RuleSetDetail,
    RuleSetList,
    RuleSetOut,
)
from service.store.grading import regrade as grading
from service.store.recompute import run as recompute

router = APIRouter(prefix="/v1/rulesets", tags=["rulesets"])

MAX_RULESET_BYTES = 256 * 1024
TOML_TYPES = frozenset({"application/toml", "text/x-toml", "text/plain"})

RuleSetPath = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
        description="Rule-set id (version), e.g. `aqsiq-2012-v1`",
        examples=["aqsiq-2012-v1"],
    ),
]


def _summary(info: grading.RuleSetInfo) -> RuleSetOut:
    rs = info.ruleset
    return RuleSetOut(
        id=rs.id,
        title=rs.title,
        title_zh=rs.title_zh,
        basis=rs.basis,
        builtin=info.builtin,
        active=info.active,
        rule_count=len(rs.rules),
        published_at=info.published_at,
        published_by=info.published_by,
    )


def _detail(info: grading.RuleSetInfo) -> RuleSetDetail:
    return RuleSetDetail(
        **_summary(info).model_dump(),
        body=info.body,
        rules=[
            RuleOut(
                id=r.id,
                grade=r.grade.value,
                effect=r.effect.value,
                text=r.text_zh,
                text_en=r.text_en,
                basis=r.basis,
            )
            for r in info.ruleset.rules
        ],
    )


@router.get("", summary="List rule sets", response_model=RuleSetList)
async def list_rulesets(session: SessionDep, _: PrincipalDep, request: Request) -> Response:
    """Built-in versions first, then published ones in publication order; `active` names
    the one new grades are computed with."""
    infos = await grading.list_rulesets(session)
    active = next((i.ruleset.id for i in infos if i.active), "")
    out = RuleSetList(items=[_summary(i) for i in infos], active=active)
    return json_response(request, out.model_dump(mode="json"))


@router.get(
    "/{ruleset_id}",
    summary="One rule set with its rules and TOML text",
    response_model=RuleSetDetail,
    responses=problem_responses(NotFound),
)
async def get_ruleset(
    ruleset_id: RuleSetPath, session: SessionDep, _: PrincipalDep, request: Request
) -> Response:
    info = await grading.get_ruleset(session, ruleset_id)
    return json_response(request, _detail(info).model_dump(mode="json"))


async def _toml_text(request: Request) -> str:
    raw = await request.body()
    if len(raw) > MAX_RULESET_BYTES:
        raise PayloadTooLarge(f"a rule set is at most {MAX_RULESET_BYTES} bytes")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        try:
            return BodyIn.model_validate(orjson.loads(raw)).body
        except (orjson.JSONDecodeError, ValidationError) as err:
            raise ValidationFailed(
                'send the TOML text as the body, or JSON {"body": "<TOML text>"}',
                errors=[FieldError(field="body", rule="json", message=str(err).splitlines()[0])],
            ) from err
    if media and media not in TOML_TYPES:
        raise UnsupportedMediaType(f"send the rule set as application/toml (or JSON), not {media}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValidationFailed(
            "the rule set must be UTF-8 text",
            errors=[FieldError(field="body", rule="encoding", message=str(err))],
        ) from err


@router.post(
    "",
    summary="Publish a new rule-set version (admin)",
    status_code=201,
    response_model=RuleSetDetail,
    responses={
        200: {"model": RuleSetDetail, "description": "Same text already published"},
        **problem_responses(
            Forbidden, Conflict, ValidationFailed, PayloadTooLarge, UnsupportedMediaType
        ),
    },
    dependencies=[require(Scope.ADMIN)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/toml": {"schema": {"type": "string"}},
                "application/json": {"schema": BodyIn.model_json_schema()},
            },
        }
    },
)
async def publish_ruleset(
    request: Request, session: SessionDep, principal: PrincipalDep, now: NowDep
) -> Response:
    """The body is the TOML file (format: service/credit/rulesets/aqsiq-2012-v1.toml). It is
    validated strictly; a problem names the rule and field. Versions are immutable: the
    same id with other text is 409. Publishing does not activate."""
    body = await _toml_text(request)
    info, created = await grading.publish_ruleset(
        session, body, agency_id=principal.agency_id, now=now
    )
    return json_response(
        request, _detail(info).model_dump(mode="json"), status_code=201 if created else 200
    )


async def _regrade_all(db: Database, today: date) -> None:
    try:
        summary = await recompute.recompute(db, today=today, trigger="ruleset")
    except Exception:  # a background job has nobody to answer to; log and let ops rerun
        log.exception("re-grade after rule-set activation failed; run `qcredit recompute --all`")
        return
    log.info(
        "re-graded after rule-set activation",
        ruleset=summary.ruleset,
        enterprises=summary.enterprises,
        changed=summary.changed,
        seconds=round(summary.seconds, 2),
        superseded=summary.superseded,  # a later activation took over
    )


@router.post(
    "/{ruleset_id}/activate",
    summary="Make a rule set the active one (admin); re-grades in the background",
    status_code=202,
    response_model=ActivationOut,
    responses={
        200: {"model": ActivationOut, "description": "Already active"},
        **problem_responses(Forbidden, NotFound),
    },
    dependencies=[require(Scope.ADMIN)],
)
async def activate_ruleset(
    ruleset_id: RuleSetPath,
    session: SessionDep,
    today: TodayDep,
    request: Request,
    background: BackgroundTasks,
    response: Response,
) -> ActivationOut:
    """202: active from now on for every evaluation; stored classes are re-graded after the
    response (grade changes appear in the history with trigger `ruleset`). 200: it was
    already active, nothing to do."""
    previous, info = await grading.activate_ruleset(session, ruleset_id)
    count = int((await session.execute(select(func.count()).select_from(Enterprise))).scalar_one())
    if previous == ruleset_id:
        response.status_code = 200
        return ActivationOut(
            id=ruleset_id, active=True, previous=previous, regrade="not-needed", enterprises=0
        )
    # Runs after the session dependency has committed the activation.
    background.add_task(_regrade_all, request.app.state.db, today)
    return ActivationOut(
        id=info.ruleset.id, active=True, previous=previous, regrade="scheduled", enterprises=count
    )
