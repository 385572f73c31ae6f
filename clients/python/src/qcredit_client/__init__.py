"""Python client for the quality-credit and blacklist registry (企业质量信用档案与失信黑名单服务).

``Client`` (sync) and ``AsyncClient`` have the same methods; models are generated from the
service's OpenAPI contract (``qcredit_client.models``).
"""

from qcredit_client import models
from qcredit_client._async.client import AsyncClient
from qcredit_client._core import (
    AGENCY_SCREEN_LIMIT,
    NO_RETRY,
    PUBLIC_SCREEN_LIMIT,
    ItemResult,
    RetryPolicy,
    ScreenReport,
)
from qcredit_client._sync.client import Client
from qcredit_client.errors import (
    ApiError,
    AuthError,
    ConflictError,
    NotFoundError,
    QcreditError,
    RateLimitedError,
    UnavailableError,
    ValidationError,
)
from qcredit_client.webhooks import WebhookVerificationError, verify_webhook

__all__ = [
    "AGENCY_SCREEN_LIMIT",
    "NO_RETRY",
    "PUBLIC_SCREEN_LIMIT",
    "ApiError",
    "AsyncClient",
    "AuthError",
    "Client",
    "ConflictError",
    "ItemResult",
    "NotFoundError",
    "QcreditError",
    "RateLimitedError",
    "RetryPolicy",
    "ScreenReport",
    "UnavailableError",
    "ValidationError",
    "WebhookVerificationError",
    "models",
    "verify_webhook",
]
