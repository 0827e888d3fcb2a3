"""Read-only admin for the audit trail."""

from django.contrib import admin

from tuoyu.audit.models import AuditEvent, DataAccessEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows can be looked at, never changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "role", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")


@admin.register(DataAccessEvent)
class DataAccessEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "object_type", "object_id", "purpose")
