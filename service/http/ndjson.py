"""NDJSON (one JSON value per line) read as a stream: only the current line is buffered, so a
100,000-record body or file never sits in memory whole."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(slots=True)
class RawItem:
    index: int
    value: Any  # a parsed JSON value, or a ParseError
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ParseError:
    message: str


def _parse_line(line: bytes) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as err:
        return ParseError(f"line is not JSON: {err}")


async def ndjson_items(chunks: AsyncIterable[bytes], *, start: int = 0) -> AsyncIterator[RawItem]:
    """Items of an NDJSON stream, one per non-blank line, whatever the chunk boundaries.
    Only the current line is buffered."""
    pending = bytearray()
    index, line_no = start, 0
    async for chunk in chunks:
        pos = 0
        while (nl := chunk.find(b"\n", pos)) != -1:
            pending += chunk[pos:nl]
            pos = nl + 1
            line_no += 1
            if pending.strip():
                yield RawItem(index, _parse_line(bytes(pending)), line_no)
                index += 1
            pending.clear()
        pending += chunk[pos:]
    if pending.strip():
        yield RawItem(index, _parse_line(bytes(pending)), line_no + 1)
