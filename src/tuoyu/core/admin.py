"""Admin building blocks shared by the domain apps."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows records and never adds, changes or deletes them.

    Used where every write must go through a service (workflow checks and the audit trail)
    or where rows are reloaded from shipped data and an edit would be overwritten.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
