"""Django admin of complaints: read-mostly views for platform staff (changes go through services)."""

from django.contrib import admin

from tuoyu.complaints.models import Complaint, ComplaintStatusChange, Notification


class StatusChangeInline(admin.TabularInline):
    """The complaint's history, read only."""

    model = ComplaintStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Complaints, read only: transitions are services, so they are audited."""

    list_display = ["tracking_code", "category", "status", "office", "division", "urgent", "created_at"]
    list_filter = ["status", "category", "office", "urgent"]
    search_fields = ["tracking_code"]
    inlines = [StatusChangeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Officers' notifications, read only."""

    list_display = ["recipient", "complaint", "kind", "created_at", "read_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False
