"""Forms of the annual-report pages (parse input only; rules live in :mod:`.annual_reports`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuoyu.facilities.choices import ClassType, ServiceType, StaffRole
from tuoyu.standards.selectors import CLASS_TYPES
from tuoyu.supervision.annual_report_checks import (
    MONTH_LABELS,
    MONTHS,
    ROLES,
    SERVICE_TYPES,
    staff_figure_label,
)

_STAFF_COLUMNS = (
    ("count", gettext_lazy("人数")),
    ("trained", gettext_lazy("培训合格人数")),
    ("health_certificate_valid", gettext_lazy("健康证有效人数")),
)


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "cell"}),
    )


def _money_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=14, decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class AnnualReportForm(forms.Form):
    """Every figure of an annual report, initialised from ``report``; blanks allowed (a
    draft may be incomplete; submission checks completeness).

    Field names: ``e_<class_type>_<month>`` (enrolment), ``s_<role>_<column>`` (staff),
    ``f_<service_type>`` (fees, ¥ per month), and the report's own fields.
    """

    incidents_count = forms.IntegerField(label=gettext_lazy("安全事故（件）"), required=False, min_value=0)
    incidents_summary = forms.CharField(
        label=gettext_lazy("事故简要情况"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("每起事故的日期、经过和处理，简要填写；没有事故不填。"),
    )
    income = _money_field(gettext_lazy("收入（元）"))
    spending = _money_field(gettext_lazy("支出（元）"))
    complaints_count = forms.IntegerField(
        label=gettext_lazy("收到投诉（件）"), required=False, min_value=0,
        help_text=gettext_lazy("已按平台受理的投诉预填，可补充机构直接收到的投诉。"),
    )

    def __init__(self, *args, report, **kwargs):
        initial = {
            "incidents_count": report.incidents_count,
            "incidents_summary": report.incidents_summary,
            "income": report.income,
            "spending": report.spending,
            "complaints_count": report.complaints_count,
        }
        for cell in report.enrolment.all():
            initial[f"e_{cell.class_type}_{cell.month}"] = cell.children
        for row in report.staff.all():
            for column, _label in _STAFF_COLUMNS:
                initial[f"s_{row.role}_{column}"] = getattr(row, column)
        for fee in report.fees.all():
            initial[f"f_{fee.service_type}"] = fee.monthly_fee
        super().__init__(*args, initial=initial, **kwargs)
        for class_type in CLASS_TYPES:
            for month in MONTHS:
                self.fields[f"e_{class_type}_{month}"] = _count_field(
                    _("%(klass)s，%(month)s") % {"klass": ClassType(class_type).label, "month": MONTH_LABELS[month - 1]}
                )
        for role in ROLES:
            for column, label in _STAFF_COLUMNS:
                self.fields[f"s_{role}_{column}"] = _count_field(staff_figure_label(role, str(label)))
        for service_type in SERVICE_TYPES:
            self.fields[f"f_{service_type}"] = _money_field(
                _("%(service)s月收费（元）") % {"service": ServiceType(service_type).label}
            )

    def enrolment_rows(self) -> list[tuple[str, list]]:
        """``[(class type label, [12 bound fields])]`` for the enrolment table."""
        return [
            (str(ClassType(t).label), [self[f"e_{t}_{m}"] for m in MONTHS]) for t in CLASS_TYPES
        ]

    def staff_rows(self) -> list[tuple[str, list]]:
        """``[(role label, [count, trained, certificate fields])]`` for the staff table."""
        return [
            (str(StaffRole(r).label), [self[f"s_{r}_{c}"] for c, _label in _STAFF_COLUMNS]) for r in ROLES
        ]

    def month_labels(self) -> list[str]:
        """Headers of the enrolment table's month columns."""
        return [str(label) for label in MONTH_LABELS]

    def staff_columns(self) -> list[str]:
        """Headers of the staff table's number columns."""
        return [str(label) for _column, label in _STAFF_COLUMNS]

    def fee_fields(self) -> list:
        """The fee fields, one per service form."""
        return [self[f"f_{t}"] for t in SERVICE_TYPES]

    def figures(self) -> dict:
        """The cleaned figures in the shape :func:`~tuoyu.supervision.annual_reports.annual_report_save` takes."""
        data = self.cleaned_data
        return {
            "enrolment": {(t, m): data.get(f"e_{t}_{m}") for t in CLASS_TYPES for m in MONTHS},
            "staff": {r: {c: data.get(f"s_{r}_{c}") for c, _label in _STAFF_COLUMNS} for r in ROLES},
            "fees": {t: data.get(f"f_{t}") for t in SERVICE_TYPES},
            "incidents_count": data.get("incidents_count"),
            "incidents_summary": data.get("incidents_summary", ""),
            "income": data.get("income"),
            "spending": data.get("spending"),
            "complaints_count": data.get("complaints_count"),
        }


class AnnualReportCreateForm(forms.Form):
    """The year of a new report. Parsed only: which years may be reported is the service's
    rule (:func:`~tuoyu.supervision.annual_reports.annual_report_year_open`, SUP-052), so
    the form sets no bounds of its own and the user sees one message."""

    year = forms.IntegerField(label=gettext_lazy("年度"))


class AnnualReportReviewForm(forms.Form):
    """A health officer's decision on a submitted report: accept, or return with a reason."""

    decision = forms.ChoiceField(
        label=gettext_lazy("审核结果"),
        choices=[("accept", gettext_lazy("接收")), ("return", gettext_lazy("退回修改"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("审核意见"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("退回修改时必须填写理由。"),
    )
