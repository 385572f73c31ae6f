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
    """Items of an NDJSON stream, one per non-blank line, whatever the chunk boundaries."""
    async for batch in ndjson_batches(chunks, start=start):
        for item in batch:
            yield item


async def ndjson_batches(
    chunks: AsyncIterable[bytes], *, start: int = 0
) -> AsyncIterator[list[RawItem]]:
    """:func:`ndjson_items` a received chunk at a time: one generator step per chunk
    instead of per line (a 100,000-line body). Only the chunk's lines and the current
    partial line are buffered."""
    pending = bytearray()
    index, line_no = start, 0
    async for chunk in chunks:
        lines = chunk.split(b"\n")
        if len(lines) == 1:
            pending += chunk
            continue
        pending += lines[0]
        lines[0] = bytes(pending)
        pending = bytearray(lines.pop())
        out = []
        for line in lines:
            line_no += 1
            if line.strip():
                out.append(RawItem(index, _parse_line(line), line_no))
                index += 1
        if out:
            yield out
    if pending.strip():
        yield [RawItem(index, _parse_line(bytes(pending)), line_no + 1)]
