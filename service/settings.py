"""One settings object, read from the environment (prefix ``QCREDIT_``), passed to create_app."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./qcredit.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QCREDIT_", env_file=".env", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: sqlite+aiosqlite:///path.db or postgresql+asyncpg://…",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True
    db_pool_size: int = 20
    # PostgreSQL: a second, asyncpg-only pool per worker for the single-statement hot reads
    # (the enterprise lookup): QCREDIT_DB_POOL_SIZE + this many connections at most.
    db_read_pool_size: int = Field(default=10, ge=1)
    # The database URLs point at PgBouncer in transaction pooling mode: no prepared-statement
    # caches, uniquely named statements (service/db.py).
    pgbouncer: bool = False
    # Bodies larger than this are refused with 413 before they are parsed.
    max_body_bytes: int = 64 * 1024 * 1024
    # Seconds a running server trusts a key it has checked: a revoked key stops working
    # within this time on every worker; 0 checks the database on every request.
    auth_cache_seconds: float = 10.0
    # Requests per minute per client IP on everything anyone may call without a key.
    public_rate_limit: int = 120
    # Proxies (comma-separated addresses or CIDRs) whose X-Forwarded-For / X-Forwarded-Proto
    # are believed. Empty (default): nobody's, the socket peer is the client.
    trusted_proxies: str = ""
    # Shared store for the public rate limit (redis://host:6379/0): N replicas, one budget.
    # Empty (default): each process counts alone, in memory.
    redis_url: str = ""
    # Prefix of the rate limit's keys in Redis (several deployments or tests on one Redis).
    redis_key_prefix: str = "qcredit"
    # A streaming replica for public reads, exports, screening and statistics; empty: all
    # reads on the primary. PostgreSQL only.
    read_database_url: str = ""
    # A replica further behind than this many seconds is bypassed (reads go to the primary).
    max_replica_lag: float = 10.0
    # Fernet key(s) that encrypt secrets at rest (webhook secrets, the generated receipt key):
    # comma-separated, the first encrypts, all decrypt (rotation). Or a file, one a line.
    # Neither: stored in plaintext, with a warning (the development default).
    secrets_key: str = ""
    secrets_key_file: str = ""
    # HMAC key for signed screening receipts; generated per database when empty.
    receipt_secret: str = ""
    # Ed25519 private key (PEM) that signs audit checkpoints; kept outside the database
    # (`qcredit audit keygen FILE`). Empty: no checkpoints are signed.
    audit_signing_key_file: str = ""
    # Minutes between signed checkpoints of the audit head (background job; 0: never).
    audit_checkpoint_minutes: int = 60
    webhook_allow_private: bool = False
    run_background: bool = True
    # Processes of the daily re-grade (PostgreSQL; spawned like `qcredit recompute
    # --workers`, each re-grading a range of codes). The steady daily run is CPU-bound in
    # Python, so a second process halves it where a core is free; 1: in the server process.
    recompute_workers: int = Field(default_factory=lambda: min(2, os.cpu_count() or 1), ge=1)
    # Automatically apply migrations when `serve` starts on the embedded SQLite default.
    auto_migrate: bool = True

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
