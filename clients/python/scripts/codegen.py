"""Regenerate what is derived in this package (run by `make client-codegen`):

- ``models.py`` from the service's committed contract ``openapi/openapi.json``
  (datamodel-code-generator), so the client's types are the spec's types;
- ``_sync/client.py`` from ``_async/client.py`` (unasync), so both clients have the same
  operations and behaviour and only one is written by hand.

``--check`` regenerates the sync client in memory and fails when the committed one differs
(the test suite runs it).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
PACKAGE = HERE / "src" / "qcredit_client"
SPEC = HERE.parent.parent / "openapi" / "openapi.json"

MODELS_OPTIONS = [
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
    "--target-python-version=3.11",
    "--use-standard-collections",
    "--use-union-operator",
    "--enum-field-as-literal=all",
    "--use-annotated",
    "--collapse-root-models",
    "--use-type-alias",
    "--use-field-description",
    "--disable-timestamp",
    "--use-double-quotes",
    "--formatters=ruff-format",
    "--custom-file-header=# Generated from openapi/openapi.json by clients/python/scripts/"
    "codegen.py (datamodel-code-generator): do not edit.",
]

UNASYNC_RULES = {
    "AsyncClient": "Client",
    "AsyncBaseTransport": "BaseTransport",
    "AsyncIterator": "Iterator",
    "AsyncIterable": "Iterable",
    "aclose": "close",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "asyncio": "time",
    "_async": "_sync",
}


def ruff(*args: str) -> None:
    config = f"--config={HERE.parent.parent / 'pyproject.toml'}"
    subprocess.run([sys.executable, "-m", "ruff", *args, config], check=True)


def sync_source() -> str:
    """unasync's output, formatted and import-sorted as the committed file is."""
    import unasync

    rule = unasync.Rule("/_async/", "/_sync/", additional_replacements=UNASYNC_RULES)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "_async" / "client.py"
        src.parent.mkdir()
        text = (PACKAGE / "_async" / "client.py").read_text()
        src.write_text(text.replace('"""The asynchronous client.', SYNC_HEADER, 1))
        unasync.unasync_files([str(src)], rules=[rule])
        out = Path(tmp) / "_sync" / "client.py"
        # unasync leaves `for x in y: yield x` where `yield from` now reads better
        ruff("check", "-q", "--fix", "--unsafe-fixes", "--select=I,F401,UP028", str(out))
        ruff("format", "-q", str(out))
        return out.read_text()


SYNC_HEADER = '"""The synchronous client (GENERATED: do not edit).'


def request_schemas(spec: dict[str, Any]) -> set[str]:
    """Names of the component schemas a request body can contain (followed through $ref)."""
    schemas = spec["components"]["schemas"]
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    walk(schemas.get(name))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for operations in spec["paths"].values():
        for op in operations.values():
            walk(op.get("requestBody"))
    return found


FORBID = re.compile(
    r'(class (\w+)\(BaseModel\):\n(?:    """.*?"""\n\n)?    model_config = ConfigDict\(\n'
    r'        extra=)"forbid"',
    re.DOTALL,
)


def tolerate_new_fields(source: str, inputs: set[str]) -> str:
    """Response models ignore fields they do not know (a newer server may add some); only
    request models keep the server's `extra="forbid"`, so a misspelt field fails here."""
    return FORBID.sub(
        lambda m: m.group(0) if m.group(2) in inputs else m.group(1) + '"ignore"', source
    )


def main() -> int:
    check = "--check" in sys.argv
    sync_path = PACKAGE / "_sync" / "client.py"
    source = sync_source()
    if check:
        if sync_path.read_text() != source:
            print(f"{sync_path} is stale: run `make client-codegen`", file=sys.stderr)
            return 1
        return 0
    sync_path.parent.mkdir(exist_ok=True)
    sync_path.write_text(source)
    (sync_path.parent / "__init__.py").touch()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            f"--input={SPEC}",
            f"--output={PACKAGE / 'models.py'}",
            *MODELS_OPTIONS,
        ],
        check=True,
    )
    models = PACKAGE / "models.py"
    inputs = request_schemas(json.loads(SPEC.read_text()))
    models.write_text(tolerate_new_fields(models.read_text(), inputs))
    ruff("check", "-q", "--fix", "--select=I,F401", str(models))
    ruff("format", "-q", str(models))
    return 0


if __name__ == "__main__":
    sys.exit(main())
