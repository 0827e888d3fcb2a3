"""Read-only admin for the audit trail."""

from django.contrib import admin

from tuoyu.audit.models import AuditEvent, DataAccessEvent
from tuoyu.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "role", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")


@admin.register(DataAccessEvent)
class DataAccessEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "object_type", "object_id", "purpose")
