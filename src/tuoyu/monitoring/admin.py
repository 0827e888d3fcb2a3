"""Admin page of the monitoring app: read-only, since alerts change only through the job
and the acknowledgement service (an edit here would bypass the audit trail)."""

from django.contrib import admin

from tuoyu.core.admin import ReadOnlyAdmin
from tuoyu.monitoring.models import Alert


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    """Alerts (预警), read-only."""

    list_display = ("rule_code", "facility", "subject_key", "status", "raised_on", "last_seen_on", "resolved_on")
    list_filter = ("rule_code", "status")
    search_fields = ("facility__name", "subject_key")
    raw_id_fields = ("facility", "acknowledged_by")

