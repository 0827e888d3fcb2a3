"""Download of the facility export (机构数据导出) as CSV or XLSX; thin over ``exporting``."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tuoyu.accounts.permissions import can_export_facilities
from tuoyu.facilities import exporting

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
@login_required
def facility_export(request, fmt: str):
    """Send the facilities the user may see, with classes and staff, as ``fmt`` (csv or xlsx).

    Query parameters (the list page's filters): ``status`` (repeatable or comma-separated
    filing statuses), ``county`` (division-code prefix), ``q`` (name search). CSV is
    streamed row by row (UTF-8 with BOM); XLSX is built in a temporary file (spilled to
    disk) and then streamed. 404 for another format; anonymous users are sent to log in;
    403 for users without the ``export_facilities`` capability (experts, inspectors).
    """
    if fmt not in FORMATS:
        raise Http404
    if not can_export_facilities(request.user):
        raise PermissionDenied
    statuses = [s for value in request.GET.getlist("status") for s in value.split(",")]
    queryset = exporting.facilities_for_export(
        request.user,
        status=statuses,
        county=request.GET.get("county", ""),
        q=request.GET.get("q", ""),
    )
    rows = exporting.export_rows(queryset, user=request.user)
    filename = f"facilities-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exporting.export_csv(rows), content_type=FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
        exporting.export_xlsx(rows, target)
        target.seek(0)
        response = FileResponse(
            target, as_attachment=True, filename=filename, content_type=FORMATS["xlsx"]
        )
    response["Cache-Control"] = "no-store"
    return response
