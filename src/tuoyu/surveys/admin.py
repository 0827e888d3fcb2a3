"""Admin site registrations of the surveys app (read-mostly; answers view-only, never next
to a personal link's label)."""

from django.contrib import admin

from tuoyu.core.admin import ReadOnlyAdmin
from tuoyu.surveys.models import Survey, SurveyInvitation, SurveyQuestion, SurveyResponse


class SurveyQuestionInline(admin.TabularInline):
    """Extra questions of a survey."""

    model = SurveyQuestion
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Surveys: list and search; lifecycle changes go through the survey pages (audited)."""

    list_display = ["title", "employer", "status", "opens_on", "closes_on"]
    list_filter = ["status"]
    search_fields = ["title", "employer__name"]
    readonly_fields = ["status", "open_token", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["employer"]
    inlines = [SurveyQuestionInline]


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    """Personal links: label and survey only. Neither the token nor whether (or when) the
    link was answered is shown, so that no answer can be tied to a label (ADR 0051)."""

    list_display = ["label", "survey", "created_at"]
    search_fields = ["label"]
    fields = ["survey", "label", "created_at"]
    readonly_fields = ["survey", "label", "created_at"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    """Answers, view only: the answer's content without its personal link or label (so a
    platform administrator never sees an answer next to a staff number), and no adding,
    changing or deleting (ADR 0051). Children (ResponseChild) are not registered."""

    list_display = ["id", "survey", "source", "submitted_at"]
    list_filter = ["source"]
    fields = [
        "survey", "source", "submitted_at", "current_care", "wanted_services", "days_per_week",
        "hours_from", "hours_to", "fee_band", "would_use", "commute_minutes", "extra_answers",
    ]
    readonly_fields = fields
