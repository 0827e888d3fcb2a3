"""Django admin for designation campaigns and applications: read-only (writes go through services)."""

from django.contrib import admin

from tuoyu.core.admin import ReadOnlyAdmin
from tuoyu.designation.models import Application, ApplicationEvent, Campaign


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    """Campaigns (评选活动) by year."""

    list_display = ("year", "name", "opens_on", "closes_on", "number_to_name")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Applications (申报) by campaign and status."""

    list_display = ("campaign", "employer", "status", "stage_deadline")
    list_filter = ("status",)
    list_select_related = ("campaign", "employer")


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    """Application history (申报流程记录), append-only."""

    list_display = ("application", "action", "from_status", "to_status", "actor", "at")
