"""Every table model, imported once so the metadata (and Alembic) sees the whole schema."""

from gi_registry.audits.models import Audit
from gi_registry.auth.account_requests import AccountRequest
from gi_registry.auth.models import User
from gi_registry.core.versioning import DataVersion
from gi_registry.documents.models import Document
from gi_registry.geo.models import AdminArea, AreaPlace, BoundaryVersion, ProductionArea
from gi_registry.history.models import ChangeLog
from gi_registry.indications.models import Indication, IndicationCounty, OfficialTotal, Protection
from gi_registry.labels.mark_models import Announcement, MarkApplication, SiteCheck
from gi_registry.labels.models import Renewal
from gi_registry.layers.models import LayerFeature, LayerState
from gi_registry.producers.models import Producer, ProducerLink
from gi_registry.reminders.models import Contact, OutboxMessage
from gi_registry.reports.models import MisuseReport
from gi_registry.sources.models import Citation
from gi_registry.standards.models import Standard, StandardIndication

__all__ = [
    "AccountRequest",
    "AdminArea",
    "Announcement",
    "Audit",
    "AreaPlace",
    "BoundaryVersion",
    "ChangeLog",
    "DataVersion",
    "Citation",
    "Contact",
    "Document",
    "Indication",
    "IndicationCounty",
    "LayerFeature",
    "LayerState",
    "MarkApplication",
    "MisuseReport",
    "OfficialTotal",
    "OutboxMessage",
    "ProductionArea",
    "Producer",
    "ProducerLink",
    "Protection",
    "Renewal",
    "SiteCheck",
    "Standard",
    "StandardIndication",
    "User",
]
