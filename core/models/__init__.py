"""ORM models, one file per table; import from here."""

from core.models.account import Account
from core.models.api_token import ApiToken
from core.models.audit_log import AuditLog
from core.models.base import (
    AccountHealth,
    Base,
    DeliveryRoute,
    DeliveryStatus,
    EventType,
    Occasion,
    Platform,
    PostingStatus,
    Role,
    SuggestionStatus,
)
from core.models.interest import Interest
from core.models.membership import Membership
from core.models.person import Person
from core.models.post import Post
from core.models.post_analysis import PostAnalysis
from core.models.suggestion import Suggestion
from core.models.user import User
from core.models.webhook_delivery import WebhookDelivery
from core.models.webhook_endpoint import WebhookEndpoint
from core.models.workspace import Workspace

__all__ = [
    "Account",
    "AccountHealth",
    "ApiToken",
    "AuditLog",
    "Base",
    "DeliveryRoute",
    "DeliveryStatus",
    "EventType",
    "Occasion",
    "Interest",
    "Membership",
    "Person",
    "Platform",
    "Post",
    "PostingStatus",
    "PostAnalysis",
    "Role",
    "Suggestion",
    "SuggestionStatus",
    "User",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Workspace",
]
