"""Pages of annual reports (年报): the list (facility users and health officers), a report
with its figures and checks, create, save/submit, and the officer's accept/return.

Views are thin: a form parses input, one selector or service does the work. GEN-001
becomes 404 and GEN-002 403; any other DomainError is shown on the page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.facilities.views import login_required
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.annual_report_checks import MONTH_LABELS, annual_report_findings
from tuoyu.supervision.annual_report_forms import (
    AnnualReportCreateForm,
    AnnualReportForm,
    AnnualReportReviewForm,
)
from tuoyu.supervision.annual_report_selectors import (
    annual_report_get_for_user,
    annual_report_overview,
    own_facility_reports,
)
from tuoyu.supervision.annual_report_workflow import EDITABLE_STATUSES, AnnualReportStatus
from tuoyu.supervision.annual_reports import (
    annual_report_accept,
    annual_report_create,
    annual_report_return,
    annual_report_save,
    annual_report_submit,
    annual_report_year_open,
)


def _report(request, pk):
    try:
        return annual_report_get_for_user(request.user, pk)
    except DomainError as exc:
        raise Http404(exc.message) from None


def _forbidden_or(exc: DomainError):
    if exc.code == GEN_FORBIDDEN:
        raise PermissionDenied(exc.message) from None


def _year(request) -> int:
    default = local_today().year - 1
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= default + 1 else default


@login_required
def annual_report_list(request):
    """Annual reports of a year (``?year=``, default last year): a health officer sees every
    filed facility in the jurisdiction with its report's status, and the late and missing
    lists; a facility's own users see their facilities, with a button to start a report
    once the year has ended (before then, the date from which it can be started)."""
    year = _year(request)
    today = local_today()
    overview = annual_report_overview(request.user, year=year, as_of=today)
    own = own_facility_reports(request.user, year=year)
    if not perms.can_list_annual_reports(request.user):
        raise PermissionDenied(_("只有托育机构的举办单位和卫生健康部门工作人员可以查看年报。"))
    return render(
        request,
        "supervision/annual_reports/list.html",
        {
            "year": year,
            "years": list(range(today.year - 1, today.year - 6, -1)),
            "overview": overview,
            "is_officer": perms.can_see_annual_report_overview(request.user),
            "own": own,
            "deadline_passed": today > overview.deadline,
            "year_open": annual_report_year_open(year, today=today),
            "opens_on": dt.date(year + 1, 1, 1),
        },
    )


@login_required
@require_POST
def annual_report_create_view(request, facility_pk):
    """Start the report of one of the user's facilities for a year, prefilled from the registry."""
    from tuoyu.facilities.selectors import facility_get_for_user

    try:
        facility = facility_get_for_user(request.user, facility_pk)
    except DomainError as exc:
        raise Http404(exc.message) from None
    form = AnnualReportCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("supervision:annual_report_list")
    try:
        report = annual_report_create(actor=request.user, facility=facility, year=form.cleaned_data["year"])
    except DomainError as exc:
        _forbidden_or(exc)
        messages.error(request, exc.message)
        return redirect(f"{reverse('supervision:annual_report_list')}?year={form.cleaned_data['year']}")
    messages.success(request, _("年报已创建，数据已按登记信息预填，请核对后报送。"))
    return redirect("supervision:annual_report_detail", report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def annual_report_detail(request, pk):
    """A report: its figures (a form while draft or returned, for the facility's own users),
    the checks with their rule codes and sources, the history, and the officer's decision form."""
    report = _report(request, pk)
    # The form, the checks and the tables all read these rows: one query each. A save
    # below returns a fresh report, prefetched again before the checks.
    prefetch_related_objects([report], "enrolment", "staff", "fees")
    can_edit = report.status in EDITABLE_STATUSES and perms.can_edit_annual_report(request.user, report)
    form = AnnualReportForm(request.POST or None, report=report) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您不能修改这份年报。"))
        if form.is_valid():
            try:
                report = annual_report_save(actor=request.user, report=report, figures=form.figures())
                if "submit" in request.POST:
                    annual_report_submit(actor=request.user, report=report)
            except DomainError as exc:
                _forbidden_or(exc)
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("年报已报送。") if "submit" in request.POST else _("草稿已保存。"))
                return redirect("supervision:annual_report_detail", report.pk)
    can_review = report.status == AnnualReportStatus.SUBMITTED and perms.can_review_annual_report(
        request.user, report
    )
    prefetch_related_objects([report], "enrolment", "staff", "fees")
    findings = annual_report_findings(report)
    return render(
        request,
        "supervision/annual_reports/detail.html",
        {
            "report": report,
            "form": form,
            "findings": findings,
            "blocking": [f for f in findings if f.is_blocking],
            "warnings": [f for f in findings if not f.is_blocking],
            "enrolment": _enrolment_table(report),
            "month_labels": [str(label) for label in MONTH_LABELS],
            "staff": list(report.staff.all()),
            "fees": list(report.fees.all()),
            "events": list(report.events.select_related("actor")),
            "review_form": AnnualReportReviewForm() if can_review else None,
        },
    )


def _enrolment_table(report) -> list[tuple[str, list]]:
    from tuoyu.facilities.choices import ClassType

    cells: dict[str, dict[int, int | None]] = {}
    for cell in report.enrolment.all():
        cells.setdefault(cell.class_type, {})[cell.month] = cell.children
    return [
        (str(ClassType(t).label), [cells.get(t, {}).get(m) for m in range(1, 13)])
        for t in ClassType.values
    ]


@login_required
@require_POST
def annual_report_review_view(request, pk):
    """A health officer accepts a submitted report or returns it for correction with a reason."""
    report = _report(request, pk)
    form = AnnualReportReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("supervision:annual_report_detail", report.pk)
    data = form.cleaned_data
    try:
        if data["decision"] == "accept":
            annual_report_accept(actor=request.user, report=report, note=data["note"])
        else:
            annual_report_return(actor=request.user, report=report, reason=data["note"])
    except DomainError as exc:
        _forbidden_or(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("年报已接收。") if data["decision"] == "accept" else _("年报已退回修改。"))
    return redirect("supervision:annual_report_detail", report.pk)
