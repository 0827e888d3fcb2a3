"""Admin site registrations of the surveys app (read-mostly; answers are read-only)."""

from django.contrib import admin

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
class SurveyInvitationAdmin(admin.ModelAdmin):
    """Personal links (label and whether answered; the token is not shown)."""

    list_display = ["label", "survey", "created_at", "answered_at"]
    search_fields = ["label"]
    exclude = ["token"]
    readonly_fields = ["survey", "label", "created_at", "answered_at"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Answers, read-only (anonymous data; edited only through the answer link)."""

    list_display = ["id", "survey", "source", "submitted_at"]
    list_filter = ["source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
