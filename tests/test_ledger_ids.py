"""Event ids are canonical random UUIDs (version 4, RFC 4122 variant), as uuid.uuid4 made."""

from __future__ import annotations

import uuid

from service.store.ledger import _uuid4


def test_event_ids_are_canonical_random_uuids() -> None:
    ids = [_uuid4() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for value in ids:
        parsed = uuid.UUID(value)
        assert (str(parsed), parsed.version, parsed.variant) == (value, 4, uuid.RFC_4122)
