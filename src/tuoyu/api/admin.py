"""Read-only admin of API tokens (never the key: only its prefix and dates)."""

from django.contrib import admin

from tuoyu.api.models import ApiToken
from tuoyu.core.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """API tokens (接口令牌) by user, with prefix, name and dates; revoke with the command."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    exclude = ("key_hash",)
