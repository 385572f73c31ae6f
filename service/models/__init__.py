"""All tables; importing this package registers them on the shared metadata."""

from service.models.agency import Agency, ApiKey
from service.models.announcement import Announcement, AnnouncementItem
from service.models.base import metadata, utcnow
from service.models.blacklist import BlacklistEntry, BlacklistTransition
from service.models.classification import ClassificationRow, GradeChange
from service.models.enterprise import Enterprise, Gtin
from service.models.honour import HonourEntry
from service.models.objection import Objection
from service.models.publication import PenaltyRepair
from service.models.record import CreditRecord
from service.models.reference import CalendarDay, CatalogCategory, RegistrySetting, StoredRuleSet
from service.models.review import ClassificationReview
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
from service.models.warning import EarlyWarning

__all__ = [
    "Agency",
    "Announcement",
    "AnnouncementItem",
    "ApiKey",
    "AuditCheckpoint",
    "AuditEntry",
    "BlacklistEntry",
    "BlacklistTransition",
    "CalendarDay",
    "CatalogCategory",
    "ClassificationReview",
    "ClassificationRow",
    "CreditRecord",
    "EarlyWarning",
    "Enterprise",
    "Event",
    "GradeChange",
    "Gtin",
    "HonourEntry",
    "IdempotencyKey",
    "Ledger",
    "Objection",
    "PenaltyRepair",
    "RegistrySetting",
    "StoredRuleSet",
    "Watchlist",
    "WatchlistCode",
    "Webhook",
    "WebhookDelivery",
    "metadata",
    "utcnow",
]
