"""The OpenAPI contract stays the source of truth for the client: every operation has a
client method (sync and async) or a documented reason to be left out, every schema has an
up-to-date model, and the sync client is the one generated from the async one."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from qcredit_client import AsyncClient, Client
from qcredit_client import models as m
from qcredit_client.operations import LEFT_OUT, implemented

ROOT = Path(__file__).resolve().parents[2]
SPEC = json.loads((ROOT / "openapi" / "openapi.json").read_text())
HOW = (
    "add a method marked @operation(...) to clients/python/src/qcredit_client/_async/"
    "client.py and run `make client-codegen`, or list the operation in "
    "qcredit_client.operations.LEFT_OUT with the reason"
)


def spec_operations(spec: dict[str, Any] = SPEC) -> dict[str, str]:
    """``"METHOD /path"`` -> operationId for every operation in the spec."""
    return {
        f"{method.upper()} {path}": op.get("operationId", "?")
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in {"get", "put", "post", "delete", "patch"}
    }


def coverage_problems(client_class: type, spec: dict[str, Any] = SPEC) -> list[str]:
    ops = spec_operations(spec)
    have = implemented(client_class)
    name = client_class.__name__
    problems = [
        f"{name} lacks {op} (operationId {ops[op]}): {HOW}"
        for op in sorted(set(ops) - set(have) - set(LEFT_OUT))
    ]
    problems += [
        f"{name}.{have[op]} implements {op}, which the spec no longer has"
        for op in sorted(set(have) - set(ops))
    ]
    return problems


def test_every_operation_of_the_spec_has_a_client_method() -> None:
    problems = coverage_problems(AsyncClient) + coverage_problems(Client)
    assert not problems, "\n".join(problems)
    assert not set(LEFT_OUT) & set(implemented(AsyncClient)), "left out yet implemented"
    assert all(reason.strip() for reason in LEFT_OUT.values())
    assert not set(LEFT_OUT) - set(spec_operations()), "LEFT_OUT names unknown operations"


def test_a_new_operation_fails_coverage_naming_its_operation_id() -> None:
    spec = json.loads(json.dumps(SPEC))
    spec["paths"]["/v1/checkpoints"] = {"post": {"operationId": "create_checkpoint_post"}}
    problems = set(coverage_problems(Client, spec)) - set(coverage_problems(Client))
    assert len(problems) == 1
    assert "POST /v1/checkpoints (operationId create_checkpoint_post)" in problems.pop()


def test_sync_and_async_clients_offer_the_same_methods() -> None:
    def public(cls: type) -> set[str]:
        return {n for n in vars(cls) if not n.startswith("_")} - {"aclose", "close"}

    assert public(AsyncClient) == public(Client)


def model_name(schema: str) -> str:
    """datamodel-code-generator's class name for a component schema (Page_X_ -> PageX,
    Event_blacklist_listed -> EventBlacklistListed)."""
    return "".join(part[:1].upper() + part[1:] for part in schema.split("_"))


def test_every_schema_has_a_current_model() -> None:
    stale: list[str] = []
    for name, schema in SPEC["components"]["schemas"].items():
        model: Any = getattr(m, model_name(name), None)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            stale.append(f"{name}: no model")
            continue
        fields = {f.alias or n for n, f in model.model_fields.items()}
        if fields != set(schema.get("properties", {})):
            stale.append(f"{name}: fields {sorted(fields ^ set(schema['properties']))} differ")
    assert not stale, (
        "qcredit_client.models is older than openapi/openapi.json "
        f"(run `make client-codegen`): {stale}"
    )


def test_committed_sync_client_is_generated_from_the_async_one() -> None:
    script = ROOT / "clients" / "python" / "scripts" / "codegen.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_client_depends_on_the_contract_not_on_the_service() -> None:
    imported: set[str] = set()
    for path in (ROOT / "clients" / "python").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    assert "service" not in imported and "tests" not in imported
