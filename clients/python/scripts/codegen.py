"""Regenerate what is derived in this package (run by `make client-codegen`):

- ``models.py`` from the service's committed contract ``openapi/openapi.json``
  (datamodel-code-generator), so the client's types are the spec's types;
- ``_sync/client.py`` from ``_async/client.py`` (unasync), so both clients have the same
  operations and behaviour and only one is written by hand.

``--check`` regenerates the sync client in memory and fails when the committed one differs
(the test suite runs it).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

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
    models = str(PACKAGE / "models.py")
    ruff("check", "-q", "--fix", "--select=I,F401", models)
    ruff("format", "-q", models)
    return 0


if __name__ == "__main__":
    sys.exit(main())
