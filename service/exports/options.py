"""The options every CSV/XLSX download takes: its language and whether a CSV starts with
a byte-order mark."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from service.exports.tables import Lang


@dataclass(frozen=True, slots=True)
class DownloadOptions:
    lang: Lang
    bom: bool


def download_options(
    request: Request,
    lang: Annotated[
        Literal["zh", "en"] | None,
        Query(
            description="Language of CSV/XLSX headers and values: `zh` (default; the portal's "
            "language cookie is honoured) or `en` (the API's field names and values)"
        ),
    ] = None,
    bom: Annotated[
        bool,
        Query(
            description="CSV only: start with a UTF-8 BOM so Excel reads the Chinese text; "
            "`false` for programs"
        ),
    ] = True,
) -> DownloadOptions:
    chosen = lang or request.cookies.get("lang")
    return DownloadOptions("en" if chosen == "en" else "zh", bom)


DownloadOptionsDep = Annotated[DownloadOptions, Depends(download_options)]
