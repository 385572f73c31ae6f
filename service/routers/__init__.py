"""HTTP routers. Each module in this package that defines ``router`` is mounted by the app,
in module-name order after the ones in FIRST. Route paths do not overlap, so order decides
only the docs and how many routes a request is matched against before its own: the
enterprise lookup, the most frequent request, comes first."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from fastapi import APIRouter

from service.http.direct import DirectRoute

FIRST = ("enterprises",)


def _modules() -> list[ModuleType]:
    names = sorted(info.name for info in pkgutil.iter_modules(__path__))
    ordered = sorted(names, key=lambda n: (n not in FIRST, n))
    return [importlib.import_module(f"{__name__}.{name}") for name in ordered]


def all_routers() -> list[APIRouter]:
    routers = (getattr(module, "router", None) for module in _modules())
    return [router for router in routers if isinstance(router, APIRouter)]


def direct_routes() -> list[DirectRoute]:
    """The hot routes the edge answers without FastAPI's per-request machinery
    (service/http/direct.py): each module's ``DIRECT``."""
    return [route for module in _modules() for route in getattr(module, "DIRECT", ())]
