"""`python -m service.http.openapi` prints the app's OpenAPI document (the committed contract)."""

from __future__ import annotations

import json
from typing import Any

from service.app import create_app
from service.settings import Settings


def schema() -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", log_level="ERROR"))
    return app.openapi()


def render() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render(), end="")
