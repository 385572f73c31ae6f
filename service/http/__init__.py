"""HTTP plumbing shared by every route: problem+json handlers, ETag, Idempotency-Key, body
and rate limits, cursor pagination, NDJSON bodies, logs/metrics and the OpenAPI document."""
