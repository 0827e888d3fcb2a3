"""Reads of the audit trail (审计日志查询), scoped to the reader."""

from __future__ import annotations

from django.db.models import QuerySet

from tuoyu.accounts.choices import OrganizationKind
from tuoyu.accounts.permissions import VIEW_AUDIT, jurisdiction_prefixes, jurisdiction_q
from tuoyu.audit.models import AuditEvent


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """Audit events ``user`` may read, newest first, with actor and organisation loaded.

    Rule: a national reader holding ``view_audit`` (platform administrator, national
    official) sees every event, including those of the system itself (no actor). Any
    other official with ``view_audit`` sees the events made by people acting for an
    organisation whose division lies in their jurisdiction, except those made by the
    platform operator (national-level work). Everyone else sees nothing.
    """
    prefixes = jurisdiction_prefixes(user, capability=VIEW_AUDIT)
    events = AuditEvent.objects.select_related("actor", "organization__division")
    if not prefixes:
        return events.none()
    if "" in prefixes:
        return events.all()
    return events.filter(
        jurisdiction_q(user, field="organization__division__code", capability=VIEW_AUDIT)
    ).exclude(organization__kind=OrganizationKind.PLATFORM)
