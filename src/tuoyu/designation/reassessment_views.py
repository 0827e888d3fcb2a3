"""Pages of the yearly re-assessment (年度复核): employers file yearly reports, national
union officers see flagged units and withdraw designations (撤销命名).

Thin: parse a form, call one selector or service of :mod:`tuoyu.designation.reassessment`,
render. GEN-001 becomes 404; DES-074/075 become 403; other DomainErrors are shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_NOT_FOUND, DomainError
from tuoyu.designation import permissions as perms
from tuoyu.designation import reassessment as svc
from tuoyu.designation.choices import EnrolmentShareSource
from tuoyu.designation.errors import DES_REPORT_FORBIDDEN, DES_WITHDRAW_FORBIDDEN
from tuoyu.designation.reassessment_forms import ReportForm, WithdrawForm
from tuoyu.designation.reassessment_workflow import designation_status
from tuoyu.facilities.workflow import FilingStatus


def _raise_http(exc: DomainError) -> None:
    if exc.code == GEN_NOT_FOUND:
        raise Http404(exc.message) from None
    if exc.code in (DES_REPORT_FORBIDDEN, DES_WITHDRAW_FORBIDDEN):
        raise PermissionDenied(exc.message) from None


def _show(request, exc: DomainError, form=None) -> None:
    _raise_http(exc)
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)


def _year(request, default: int) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2022 <= int(value) <= local_today().year else default


@login_required
@require_http_methods(["GET", "POST"])
def reassessment_list(request):
    """National officers: designations with the ``year`` re-assessment, flagged first; run the
    rules again (POST ``action=run``). ``?year=`` (default last year), ``?flagged=1``."""
    if not perms.can_review_designations(request.user):
        raise PermissionDenied
    today = local_today()
    year = _year(request, max(2022, today.year - 1))
    if request.method == "POST":
        posted = request.POST.get("year", "")
        year = int(posted) if posted.isdigit() else year
        try:
            rows = svc.reassess_year(actor=request.user, year=year)
            flagged = sum(1 for r in rows if r.flagged)
            messages.success(request, _("已复核 %(n)d 家命名单位，%(f)d 家不再符合条件。")
                             % {"n": len(rows), "f": flagged})
        except DomainError as exc:
            _show(request, exc)
        return redirect(f"{request.path}?year={year}")
    flagged_only = request.GET.get("flagged") == "1"
    return render(request, "designation/reassessment/list.html", {
        "year": year, "years": list(range(today.year, 2021, -1)),
        "rows": svc.designations_for_review(request.user, year=year, flagged_only=flagged_only),
        "flagged_only": flagged_only, "deadline": svc.report_deadline(year)})


@login_required
@require_http_methods(["GET", "POST"])
def designation_review(request, pk):
    """National officers: one named unit's reports and findings; withdraw it with a reason."""
    try:
        designation = svc.designation_get_for_review(request.user, pk)
    except DomainError as exc:
        _raise_http(exc)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.designation_withdraw(actor=request.user, designation=designation,
                                     reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _show(request, exc, form)
        else:
            messages.success(request, _("已撤销命名。"))
            return redirect("designation:designation_review", pk=pk)
    return render(request, "designation/reassessment/review.html", {
        "designation": designation, "status": designation_status(designation),
        "reports": designation.reports.order_by("-year"),
        "reassessments": designation.reassessments.order_by("-year"), "form": form},
        status=400 if request.method == "POST" else 200)


@login_required
def my_designations(request):
    """Employer administrators: their named units and the yearly reports due or filed."""
    designations = list(svc.designations_of_user_employers(request.user))
    today = local_today()
    rows = []
    for d in designations:
        filed = {r.year: r for r in d.reports.all()}
        rows.append({"designation": d, "status": designation_status(d),
                     "years": [{"year": y, "report": filed.get(y),
                                "deadline": svc.report_deadline(y)}
                               for y in svc.report_years(d, today)]})
    return render(request, "designation/reassessment/mine.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def report_file(request, pk, year):
    """Employer administrators: file the ``year`` yearly report of designation ``pk``,
    starting from the registry's figures; shows the report once filed."""
    try:
        designation = svc.designation_get_for_employer(request.user, pk)
    except DomainError as exc:
        _raise_http(exc)
    if year not in svc.report_years(designation):
        raise Http404
    report = designation.reports.filter(year=year).first()
    prefill = svc.report_prefill(designation, year=year)
    form = None
    if report is None:
        form = ReportForm(request.POST or None, initial=prefill)
        if request.method == "POST" and form.is_valid():
            try:
                svc.report_file(actor=request.user, designation=designation, year=year,
                                **form.cleaned_data)
            except DomainError as exc:
                _show(request, exc, form)
            else:
                messages.success(request, _("年度报告已报送。"))
                return redirect("designation:report", pk=pk, year=year)
    return render(request, "designation/reassessment/report.html", {
        "designation": designation, "year": year, "report": report, "form": form,
        "prefill": prefill, "deadline": svc.report_deadline(year),
        "filing_label": FilingStatus(prefill["filing_status"]).label if prefill["filing_status"] else "",
        "source_label": EnrolmentShareSource(prefill["enrolment_source"]).label,
        "status": designation_status(designation)})
