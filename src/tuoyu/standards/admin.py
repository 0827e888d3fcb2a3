"""Admin for the rule table: rule versions can be configured, overrides added; all audited."""

from django.contrib import admin

from tuoyu.standards.models import Rule, RuleOverride
from tuoyu.standards.services import rule_override_delete, rule_override_save, rule_save


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """Rule versions. Not deletable: a version is ended by setting ``effective_to``."""

    list_display = (
        "code",
        "title_zh",
        "category",
        "severity",
        "certainty",
        "configurable",
        "effective_from",
        "effective_to",
    )
    list_filter = ("category", "severity", "certainty", "configurable")
    search_fields = ("code", "title_zh", "title_en", "source_document")
    ordering = ("code", "effective_from")

    def save_model(self, request, obj, form, change):
        rule_save(actor=request.user, rule=obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleOverride)
class RuleOverrideAdmin(admin.ModelAdmin):
    """Provincial overrides (地方规定) of a rule's parameters or severity."""

    list_display = (
        "rule_code",
        "province_code",
        "severity",
        "effective_from",
        "effective_to",
        "source_document",
    )
    list_filter = ("province_code",)
    search_fields = ("rule_code", "province_code", "source_document")

    def save_model(self, request, obj, form, change):
        rule_override_save(actor=request.user, override=obj)

    def delete_model(self, request, obj):
        rule_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            rule_override_delete(actor=request.user, override=obj)
