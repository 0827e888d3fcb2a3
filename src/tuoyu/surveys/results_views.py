"""Pages of survey results, paper-answer import and the officers' demand view; thin.

Results and import: the survey's managers only (``manage_surveys``, own organisation;
:func:`tuoyu.surveys.selectors.survey_get_for_user`), 404 for anyone else. Demand: union
and health officers (``view_demand``) within their jurisdiction, 403 for anyone else.
Every figure comes suppressed from :mod:`tuoyu.surveys.results`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from tuoyu.core.errors import message_for
from tuoyu.facilities.exporting import export_csv
from tuoyu.surveys import demand as demand_mod
from tuoyu.surveys import importing, results
from tuoyu.surveys.importing_errors import SUR_IMPORT_NO_FILE
from tuoyu.surveys.views import survey_for_request

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Largest accepted upload, bytes (paper answers are a few thousand rows at most).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class PaperImportForm(forms.Form):
    """Upload of a paper-answer file (CSV or XLSX) with an optional dry run."""

    file = forms.FileField(label=_("答卷文件（CSV 或 XLSX）"))
    dry_run = forms.BooleanField(label=_("仅检查，不写入"), required=False)


@require_GET
@login_required
def results_page(request, pk: int):
    """The suppressed results of survey ``pk``; ages as of the survey's fixed age date
    (:func:`tuoyu.surveys.results.age_date`), never a request parameter."""
    survey = survey_for_request(request, pk)
    data = results.survey_results(survey)
    return render(request, "surveys/results_page.html", {
        "survey": survey, "results": data, "as_of": data.as_of,
        "min_cell": results.min_cell(), "marker": results.suppressed_marker(),
        "note": results.suppression_note(),
    })


def _xlsx_response(rows: list[list[object]], filename: str, sheet: str) -> FileResponse:
    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    results.write_xlsx(rows, target, sheet=sheet)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=filename, content_type=FORMATS["xlsx"])


def _csv_response(rows: list[list[object]], filename: str) -> HttpResponse:
    response = HttpResponse(b"".join(export_csv(rows)), content_type=FORMATS["csv"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def results_export(request, pk: int, fmt: str):
    """The suppressed results of survey ``pk`` as CSV (UTF-8 BOM) or XLSX; 404 other formats."""
    if fmt not in FORMATS:
        raise Http404
    survey = survey_for_request(request, pk)
    rows = results.results_rows(results.survey_results(survey))
    filename = f"survey-{survey.pk}-results.{fmt}"
    if fmt == "csv":
        response = _csv_response(rows, filename)
    else:
        response = _xlsx_response(rows, filename, sheet="结果")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def import_template(request, pk: int, fmt: str):
    """The paper-answer template of survey ``pk``: CSV header, or XLSX with a 说明 sheet."""
    if fmt not in FORMATS:
        raise Http404
    survey = survey_for_request(request, pk)
    filename = f"survey-{survey.pk}-paper-template.{fmt}"
    if fmt == "csv":
        return _csv_response(importing.template_rows(survey), filename)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    results.write_xlsx(importing.template_rows(survey), target, sheet="答卷",
                       extra_sheets={"说明": importing.template_help_rows(survey)})
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=filename, content_type=FORMATS["xlsx"])


@require_http_methods(["GET", "POST"])
@login_required
def paper_import(request, pk: int):
    """Upload paper answers of survey ``pk``; shows the row-level report (all or nothing)."""
    survey = survey_for_request(request, pk)
    form = PaperImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            form.add_error(None, message_for(SUR_IMPORT_NO_FILE))
            status = 400
        elif form.cleaned_data["file"].size > MAX_UPLOAD_BYTES:
            form.add_error("file", message_for("IMP-003", {"detail": f"> {MAX_UPLOAD_BYTES} bytes"}))
            status = 400
        else:
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()[:6]
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"upload{suffix}"
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                report = importing.paper_answers_import(
                    survey=survey, path=path, actor=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            report.file = Path(upload.name).name
            status = 200 if report.exit_status == 0 else 422
    return render(request, "surveys/import_page.html", {
        "survey": survey, "form": form, "report": report,
    }, status=status)


def _demand_user(request):
    if not demand_mod.can_view_demand(request.user):
        raise PermissionDenied


@require_GET
@login_required
def demand_page(request):
    """Aggregate demand beside supply in the officer's jurisdiction; ages as of each
    survey's fixed age date (no date parameter)."""
    _demand_user(request)
    tables = demand_mod.demand_tables(request.user)
    return render(request, "surveys/demand_page.html", {
        "tables": tables, "min_cell": results.min_cell(), "marker": results.suppressed_marker(),
        "note": results.suppression_note(),
    })


@require_GET
@login_required
def demand_export(request):
    """The demand page's tables as CSV (UTF-8 BOM), suppressed like the page."""
    _demand_user(request)
    rows = demand_mod.demand_csv_rows(demand_mod.demand_tables(request.user))
    response = _csv_response(rows, "survey-demand.csv")
    response["Cache-Control"] = "no-store"
    return response
