"""Pages of the public disclosure portal (信息公示). Anonymous, GET only, no JavaScript needed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tuoyu.core.errors import DomainError
from tuoyu.disclosure import opendata, selectors, tilemap
from tuoyu.disclosure.forms import PortalSearchForm
from tuoyu.disclosure.paging import PublicFacilityPaginator
from tuoyu.disclosure.throttling import throttled
from tuoyu.facilities.choices import ProvisionModel
from tuoyu.facilities.selectors import page_number

#: Results per page of the search.
PAGE_SIZE = 20


def _querystring(request) -> str:
    """The request's query string without ``page`` (for page and download links)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def home(request):
    """Home page: national figures, the province tile map with its table, how to complain."""
    provinces = selectors.province_figures()
    return render(request, "disclosure/home.html", {
        "summary": selectors.national_figures(),
        "provinces": [(area, tilemap.display_name(area)) for area in provinces],
        "tiles": tilemap.tiles(provinces),
        "legend": tilemap.legend(),
        "map_width": tilemap.WIDTH,
        "map_height": tilemap.HEIGHT,
        "tile_size": tilemap.TILE,
        "target": selectors.PLACES_PER_1000_TARGET,
        "data_date": selectors.data_date(),
    })


@require_GET
@throttled("search")
def search(request):
    """Facility search: all filters in the query string, result count, 20 a page, stable order."""
    form = PortalSearchForm(request.GET or None)
    queryset = selectors.public_facilities(form.filters())
    page = PublicFacilityPaginator(queryset, PAGE_SIZE).get_page(page_number(request.GET.get("page", 1)))
    return render(request, "disclosure/search.html", {
        "form": form, "page": page, "facilities": _result_rows(page.object_list),
        "count": page.paginator.count, "querystring": _querystring(request),
    })


@dataclass(frozen=True)
class ResultRow:
    """One line of the search results, ready to print (no lookups left for the template)."""

    pk: int
    url: str
    name: str
    place: str
    provision_model: str
    places: int
    free_places: int
    lowest_fee: Decimal | None
    has_unfiled_changes: bool


def _result_rows(facilities) -> list[ResultRow]:
    """The page's facilities as :class:`ResultRow`: one ``reverse`` and one label table per
    page instead of one per row (ADR 0041). Free places below zero print as 0."""
    url = reverse("disclosure:facility", args=[0])
    head = url[: url.rindex("/0/") + 1]
    labels = {value: str(label) for value, label in ProvisionModel.choices}
    return [
        ResultRow(
            pk=f.pk, url=f"{head}{f.pk}/", name=f.name,
            place=f"{f.division.province_name} {f.division.name}",
            provision_model=labels.get(f.provision_model, f.provision_model),
            places=f.places, free_places=max(f.free_places, 0), lowest_fee=f.lowest_fee,
            has_unfiled_changes=f.has_unfiled_changes,
        )
        for f in facilities
    ]


@require_GET
def facility(request, pk):
    """A filed facility's published fields: no staff, no children (404 for anything not filed)."""
    try:
        item = selectors.public_facility_get(pk)
    except DomainError:
        raise Http404 from None
    return render(request, "disclosure/facility.html", {
        "facility": item,
        "services": selectors.public_services(item),
        "places": selectors.public_places_by_class_type(item),
        "sponsors": list(item.sponsors.order_by("name").values_list("name", flat=True)),
    })


def _area_or_404(code):
    try:
        return selectors.area_figures(code)
    except DomainError:
        raise Http404 from None


@require_GET
def province(request, code):
    """A province's figures and the figures of its counties that have filed facilities."""
    area = _area_or_404(code)
    if not area.code.endswith("0000"):
        raise Http404
    return render(request, "disclosure/province.html", {
        "area": area, "english_name": tilemap.english_name(area.code),
        "counties": selectors.county_figures(area.code), "target": selectors.PLACES_PER_1000_TARGET,
    })


@require_GET
def county(request, code):
    """A county's figures with a link to its facilities in the search."""
    area = _area_or_404(code)
    if area.code.endswith("00"):
        raise Http404
    return render(request, "disclosure/county.html", {
        "area": area, "province_code": area.code[:2] + "0000",
    })


@require_GET
def open_data(request):
    """Open data: download links (full register or the current filters), dictionary, date of the data."""
    return render(request, "disclosure/open_data.html", {
        "fields": opendata.FIELDS, "data_date": selectors.data_date(),
        "querystring": _querystring(request),
        "count": selectors.public_facilities(PortalSearchForm(request.GET or None).filters()).count(),
    })


@require_GET
@throttled("open_data")
def open_data_export(request, fmt):
    """The register (filtered like the search) as ``csv`` (UTF-8 with BOM), ``xlsx`` or ``json``."""
    queryset = selectors.public_facilities(PortalSearchForm(request.GET or None).filters())
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"tuoyu-register-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            opendata.csv_chunks(queryset), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "json":
        response = StreamingHttpResponse(
            opendata.json_chunks(queryset, data_date=selectors.data_date()),
            content_type="application/json; charset=utf-8",
        )
        response["Link"] = f'<{reverse("disclosure:open_data_schema")}>; rel="describedby"'
    elif fmt == "xlsx":
        from io import BytesIO

        return FileResponse(
            BytesIO(opendata.xlsx_bytes(queryset)), as_attachment=True, filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def open_data_schema(request):
    """The JSON Schema of the JSON export."""
    url = request.build_absolute_uri(reverse("disclosure:open_data_schema"))
    return JsonResponse(
        opendata.json_schema(url), json_dumps_params={"ensure_ascii": False, "indent": 2},
        content_type="application/schema+json; charset=utf-8",
    )


def legacy_public_list(request):
    """Old public register URL: permanent redirect to the portal search, query string kept."""
    target = reverse("disclosure:search")
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target, permanent=True)


def legacy_public_detail(request, pk):
    """Old public facility URL: permanent redirect to the portal's facility page."""
    return redirect("disclosure:facility", pk=pk, permanent=True)


def health(request):
    """Health check: a minimal response without database work (also the baseline of bench/portal.py)."""
    return HttpResponse("ok", content_type="text/plain")
