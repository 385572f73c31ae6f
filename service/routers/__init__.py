"""HTTP routers. Each module in this package that defines ``router`` is mounted by the app,
in module-name order after the ones in FIRST. Route paths do not overlap, so order decides
only the docs and how many routes a request is matched against before its own: the
enterprise lookup, the most frequent request, comes first."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter

FIRST = ("enterprises",)


def all_routers() -> list[APIRouter]:
    routers = []
    names = sorted(info.name for info in pkgutil.iter_modules(__path__))
    for name in sorted(names, key=lambda n: (n not in FIRST, n)):
        module = importlib.import_module(f"{__name__}.{name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            routers.append(router)
    return routers
