"""Django admin for designation campaigns and applications: read-only (writes go through services)."""

from django.contrib import admin

from tuoyu.core.admin import ReadOnlyAdmin
from tuoyu.designation.models import (
    Application,
    ApplicationEvent,
    Campaign,
    Designation,
    DesignationReport,
    DesignationWithdrawal,
    Objection,
    Reassessment,
    SubsidyAllocation,
)


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


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    """Objections (异议) to published lists; resolved through the pages, not here."""

    list_display = ("entry", "status", "created_at", "resolved_at")
    list_filter = ("status",)


@admin.register(Designation)
class DesignationAdmin(ReadOnlyAdmin):
    """Named units (命名单位) by year and certificate number."""

    list_display = ("certificate_number", "employer", "year", "named_on")
    list_filter = ("year",)


@admin.register(SubsidyAllocation)
class SubsidyAllocationAdmin(ReadOnlyAdmin):
    """Subsidy allocations (补助资金分配), whole fen."""

    list_display = ("designation", "province_code", "national_fen", "provincial_match_fen")


@admin.register(DesignationReport)
class DesignationReportAdmin(ReadOnlyAdmin):
    """Yearly reports (年度报告) of named units."""

    list_display = ("designation", "year", "still_operating", "enrolled", "own_staff_children",
                    "safety_incident", "filed_at")
    list_filter = ("year",)
    list_select_related = ("designation",)


@admin.register(Reassessment)
class ReassessmentAdmin(ReadOnlyAdmin):
    """Re-assessment results (年度复核) per designation and year."""

    list_display = ("designation", "year", "flagged", "as_of")
    list_filter = ("year", "flagged")
    list_select_related = ("designation",)


@admin.register(DesignationWithdrawal)
class DesignationWithdrawalAdmin(ReadOnlyAdmin):
    """Withdrawals (撤销命名) with their public reason."""

    list_display = ("designation", "withdrawn_on", "reason")
    list_select_related = ("designation",)
