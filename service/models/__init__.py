"""All tables; importing this package registers them on the shared metadata."""

from service.models.agency import Agency, ApiKey
from service.models.base import metadata, utcnow
from service.models.blacklist import BlacklistEntry, BlacklistTransition
from service.models.classification import ClassificationRow, GradeChange
from service.models.enterprise import Enterprise, Gtin
from service.models.record import CreditRecord
from service.models.reference import CalendarDay, CatalogCategory, RegistrySetting, StoredRuleSet
from service.models.sharing import (
    AuditCheckpoint,
    AuditEntry,
    Event,
    IdempotencyKey,
    Ledger,
    Watchlist,
    WatchlistCode,
    Webhook,
    WebhookDelivery,
)

__all__ = [
    "Agency",
    "ApiKey",
    "AuditCheckpoint",
    "AuditEntry",
    "BlacklistEntry",
    "BlacklistTransition",
    "CalendarDay",
    "CatalogCategory",
    "ClassificationRow",
    "CreditRecord",
    "Enterprise",
    "Event",
    "GradeChange",
    "Gtin",
    "IdempotencyKey",
    "Ledger",
    "RegistrySetting",
    "StoredRuleSet",
    "Watchlist",
    "WatchlistCode",
    "Webhook",
    "WebhookDelivery",
    "metadata",
    "utcnow",
]
