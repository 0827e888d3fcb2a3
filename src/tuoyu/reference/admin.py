"""Django admin for reference data (参考数据管理).

Divisions, industries, organisation categories and populations come from the files shipped
with the package (``tuoyu load_reference``), so they are shown read-only: an edit here
would be overwritten by the next load and would bypass the data's sources.

The working-day calendar is the exception: an administrator enters a year the
chinese-calendar library does not know on the calendar-year form, which saves through
:func:`tuoyu.reference.calendar.calendar_year_load` (validation, audit event, and the
recomputation of provisional deadlines). Its days are listed read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tuoyu.core.admin import ReadOnlyAdmin
from tuoyu.core.errors import DomainError
from tuoyu.reference.calendar import calendar_year_check, calendar_year_load, parse_date_list
from tuoyu.reference.choices import CalendarDayKind
from tuoyu.reference.models import (
    CalendarDay,
    CalendarYear,
    Division,
    Industry,
    OrganizationCategory,
    Population,
)


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    """GB/T 2260 rows: search by code or name; filter by level, status and province."""

    list_display = ("code", "name", "level", "status", "province_name", "prefecture_name",
                    "valid_from", "valid_to", "successor_codes")
    list_filter = ("level", "status", "province_name")
    search_fields = ("=code", "code", "name")
    ordering = ("code", "-valid_from")
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description=_("新代码"))
    def successor_codes(self, obj: Division) -> str:
        """The successor codes, with the year each took over when known."""
        return "; ".join(
            s["code"] + (f"[{s['year']}]" if s.get("year") else "") for s in obj.successors
        )


@admin.register(Industry)
class IndustryAdmin(ReadOnlyAdmin):
    """GB/T 4754-2017 sections and divisions."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(OrganizationCategory)
class OrganizationCategoryAdmin(ReadOnlyAdmin):
    """Credit-code prefixes (registration department + organisation category)."""

    list_display = ("code", "department_name", "name")
    list_filter = ("department_name",)
    search_fields = ("code", "name", "department_name")


@admin.register(Population)
class PopulationAdmin(ReadOnlyAdmin):
    """Resident populations by division and year."""

    list_display = ("division_code", "year", "population", "source")
    list_filter = ("year",)
    search_fields = ("division_code",)


class DateListField(forms.CharField):
    """A textarea of ISO dates and ``A..B`` ranges, cleaned to a list of dates."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def to_python(self, value):
        text = super().to_python(value) or ""
        try:
            return parse_date_list(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("无法识别的日期：%(value)s（格式 2027-02-05 或 2027-02-05..2027-02-11）"),
                params={"value": str(exc)},
            ) from exc


class CalendarYearForm(forms.ModelForm):
    """Enter a year: holidays and make-up workdays as dates or ranges."""

    holidays = DateListField(
        label=_("法定节假日"), required=False,
        help_text=_("放假的日期，逗号或换行分隔，区间写作 2027-02-05..2027-02-11。"),
    )
    workdays = DateListField(
        label=_("调休工作日"), required=False,
        help_text=_("调休上班的周六、周日。"),
    )

    class Meta:
        model = CalendarYear
        fields = ("year", "notice")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            days = CalendarDay.objects.filter(date__year=self.instance.year)
            self.fields["holidays"].initial = "\n".join(
                d.date.isoformat() for d in days if d.kind == CalendarDayKind.HOLIDAY
            )
            self.fields["workdays"].initial = "\n".join(
                d.date.isoformat() for d in days if d.kind == CalendarDayKind.WORKDAY
            )
            self.fields["year"].disabled = True

    def clean(self):
        """Run the service's checks so an error is shown on the form, not as a crash."""
        cleaned = super().clean()
        year = cleaned.get("year", self.instance.year)
        if year is not None and "holidays" in cleaned and "workdays" in cleaned:
            try:
                calendar_year_check(year, cleaned["holidays"], cleaned["workdays"])
            except DomainError as exc:
                raise forms.ValidationError(exc.message) from exc
        return cleaned


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Years whose working-day calendar was entered by hand; saved through the service."""

    form = CalendarYearForm
    list_display = ("year", "source", "notice", "loaded_at", "day_count")
    readonly_fields = ("source", "loaded_at")

    @admin.display(description=_("例外日期数"))
    def day_count(self, obj: CalendarYear) -> int:
        """How many holiday and make-up workday rows the year has."""
        return CalendarDay.objects.filter(date__year=obj.year).count()

    def save_model(self, request, obj, form, change):
        """Save through :func:`calendar_year_load` so the load is audited and deadlines recomputed."""
        saved = calendar_year_load(
            actor=request.user,
            year=form.cleaned_data.get("year", obj.year),
            holidays=form.cleaned_data["holidays"],
            workdays=form.cleaned_data["workdays"],
            notice=form.cleaned_data.get("notice", ""),
        )
        obj.pk = saved.pk
        obj.source = saved.source

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    """The holiday and make-up workday rows of hand-entered years (edit them on the year)."""

    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
