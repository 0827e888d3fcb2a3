"""Admin pages of the supervision app: read-only, since plans, lists and draws change only
through the services (an edit here would bypass the audit trail and the draw's record)."""

from django.contrib import admin

from tuoyu.core.admin import ReadOnlyAdmin
from tuoyu.supervision.models import (
    AnnualReport,
    AnnualReportReminder,
    Draw,
    DrawList,
    Inspection,
    InspectionPlan,
    RectificationEscalation,
    RectificationOrder,
)


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    """Inspection plans (抽查计划), read-only."""

    list_display = ("title", "year", "organization", "scope_prefix", "ratio", "count")
    list_filter = ("year",)


@admin.register(DrawList)
class DrawListAdmin(ReadOnlyAdmin):
    """Frozen lists (抽查名录), read-only."""

    list_display = ("plan", "entities_sha256", "inspectors_sha256", "published_at")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    """Draws (抽取结果), read-only."""

    list_display = ("plan", "seed", "drawn_at", "algorithm", "superseded_at")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    """Inspections (检查), read-only."""

    list_display = ("facility", "visit_date", "origin", "status", "findings_count", "published_on")
    list_filter = ("status", "origin")


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyAdmin):
    """Rectification orders (整改通知), read-only."""

    list_display = ("facility", "issued_on", "deadline", "status", "ladder_step")
    list_filter = ("status", "ladder_step")


@admin.register(RectificationEscalation)
class RectificationEscalationAdmin(ReadOnlyAdmin):
    """Compliance-ladder steps (逾期处理记录), read-only."""

    list_display = ("order", "step", "taken_on", "deadline_missed")


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    """Annual reports (年报), read-only."""

    list_display = ("facility", "year", "status", "deadline", "first_submitted_on", "late")
    list_filter = ("year", "status", "late")


@admin.register(AnnualReportReminder)
class AnnualReportReminderAdmin(ReadOnlyAdmin):
    """Annual-report reminders (催报提醒), read-only."""

    list_display = ("facility", "year", "sent_on", "deadline", "recipients")
    list_filter = ("year",)
