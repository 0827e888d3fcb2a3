"""Pages of the public disclosure portal (信息公示). Anonymous, GET only, no JavaScript needed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from tuoyu.complaints.selectors import substantiated_public
from tuoyu.core.errors import DomainError
from tuoyu.disclosure import cache as search_cache
from tuoyu.disclosure import opendata, selectors, tilemap
from tuoyu.disclosure.cache import ProcessMemo
from tuoyu.disclosure.forms import PortalSearchForm
from tuoyu.disclosure.paging import PublicFacilityValuesPaginator, cached_page
from tuoyu.disclosure.throttling import throttled
from tuoyu.facilities.choices import ProvisionModel
from tuoyu.facilities.selectors import page_number
from tuoyu.supervision.selectors import public_results_context

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
    number = page_number(request.GET.get("page", 1))
    # The register version of the place in the query as sent (disclosure.cache), read
    # before anything else.
    raw_place = selectors.division_prefix(request.GET)
    version = search_cache.register_version(raw_place)
    # A visitor without an account gets the whole page kept under the version, the
    # language and the path, with their own CSRF token put in (ADR 0041, third round) —
    # before the form is even built (fourth round).
    shared = search_cache.page_shareable(request)
    if shared:
        html_key = search_cache.html_key(version, get_language(), request.get_full_path())
        html = search_cache.html_get(html_key, request)
        if html is not None:
            return HttpResponse(html)
    form = PortalSearchForm(request.GET or None)
    filters = form.filters()
    # The page's printed rows and their table (in this language) are kept under the
    # register version of the searched place: they depend only on facilities, services,
    # enrolments and divisions, whose writes replace the version. A miss loads the page as
    # before and keeps it. The checked filters normally search the province of the query
    # as sent; when they do not, that version is read and the whole page is not kept.
    search = selectors.search_key(filters)
    same_place = search[2][:2] == raw_place[:2]
    if not same_place:
        version = search_cache.register_version(search[2])
    key = search_cache.page_key(version, search, PAGE_SIZE, number, kind=f"page:{get_language()}")
    hit = search_cache.page_get(key)
    if hit is not None:
        count, (raw, table) = hit
        page = cached_page(raw, number, PAGE_SIZE, count)
        facilities = _result_rows(raw)
    else:
        queryset = selectors.public_facilities(filters)
        paginator = PublicFacilityValuesPaginator(queryset, PAGE_SIZE)
        paginator.cache_pages = False  # this page keeps its rows instead of the ids
        page = paginator.get_page(number)
        raw = _raw_rows(page.object_list)
        facilities = _result_rows(raw)
        table = render_to_string("disclosure/_results_table.html", {"facilities": facilities})
        if page.number == number:
            search_cache.page_set(key, page.paginator.count, (raw, table))
    response = render(request, "disclosure/search.html", {
        "form": form, "form_fields": _form_fields(form), "page": page,
        "facilities": facilities, "results_table": mark_safe(table),  # noqa: S308 - rendered above
        "count": page.paginator.count, "querystring": _querystring(request),
    })
    if shared and same_place and page.number == number:
        search_cache.html_set(html_key, response.content.decode())
    return response


#: Rendered search-form fields by (language, field, submitted value, and the values its
#: choices depend on), kept in the process for
#: :data:`~tuoyu.disclosure.selectors.REFERENCE_CACHE_SECONDS` (the choices are reference
#: data, ADR 0041); at most :data:`FORM_MEMO_SIZE` fields, least recently used dropped.
FORM_MEMO_SIZE = 5000
_form_memo = ProcessMemo(size=FORM_MEMO_SIZE, seconds=selectors.REFERENCE_CACHE_SECONDS)
#: Fields whose choices depend on other fields: the cities on the province, the counties
#: on the province and the city (``PortalSearchForm.__init__``).
_CHOICES_DEPEND_ON = {"city": ("province",), "county": ("province", "city")}


def _form_fields(form: PortalSearchForm) -> str:
    """The HTML of the search form's fields, as ``disclosure/_search_fields.html`` renders it.

    Without errors, a field's HTML depends only on the language, its submitted value and,
    for the city and county, the values their choices come from; so each field's HTML is
    kept, and a new search renders only the fields whose values are new — mostly the
    keyword (ADR 0041, fourth round; a province's ~200 county options were 10–15 ms of a
    request under load before they were kept). A form with errors is rendered each time.
    """
    if form.is_bound and form.errors:
        return render_to_string("disclosure/_search_fields.html", {"form": form})
    language = get_language()
    values = {name: str(form[name].value()) for name in form.fields}
    parts = []
    for name in form.fields:
        key = (language, name, values[name], *(values[other] for other in _CHOICES_DEPEND_ON.get(name, ())))
        parts.append(_form_memo.get(key, partial(render_to_string, "facilities/_field.html", {"field": form[name]})))
    # The whole template ends with a line break after the loop.
    return mark_safe("".join(parts) + "\n")  # noqa: S308 - each part is a rendered template


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


def _raw_rows(values) -> list[tuple]:
    """The page's rows of :func:`~tuoyu.disclosure.selectors.public_facility_values` as
    plain values to print (picklable, the same in every language): ``(pk, name, place,
    provision model value, places, free places ≥ 0, lowest fee ¥ or None, has unfiled
    changes)``."""
    return [
        (pk, name, f"{province} {county}", model, places, max(free, 0), fee, unfiled)
        for pk, name, province, county, model, places, free, fee, unfiled in values
    ]


def _result_rows(raw: list[tuple]) -> list[ResultRow]:
    """:func:`_raw_rows` values as :class:`ResultRow`: one ``reverse`` and one label table
    per page instead of one per row (ADR 0041). Free places below zero print as 0."""
    url = reverse("disclosure:facility", args=[0])
    head = url[: url.rindex("/0/") + 1]
    labels = {value: str(label) for value, label in ProvisionModel.choices}
    return [
        ResultRow(
            pk=pk, url=f"{head}{pk}/", name=name, place=place,
            provision_model=labels.get(model, model), places=places, free_places=free,
            lowest_fee=fee, has_unfiled_changes=unfiled,
        )
        for pk, name, place, model, places, free, fee, unfiled in raw
    ]


@require_GET
def facility(request, pk):
    """A filed facility's published fields: no staff, no children (404 for anything not filed)."""
    try:
        item = selectors.public_facility_get(pk)
    except DomainError:
        raise Http404 from None
    today = timezone.localdate()  # one day for the inspection results and the complaints
    return render(request, "disclosure/facility.html", {
        "facility": item,
        "services": selectors.public_services(item),
        "places": selectors.public_places_by_class_type(item),
        "sponsors": list(item.sponsors.order_by("name").values_list("name", flat=True)),
        **public_results_context(item, today),
        "substantiated_complaints": substantiated_public(item, today),
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


#: Query-string keys of the place filter, the only filter of the inspection results.
PLACE_KEYS = ("province", "city", "county")


@require_GET
def open_data(request):
    """Open data: for each dataset, download links (everything or the current filters), its
    dictionary and the date of the data. The register takes every search filter, the
    inspection results the place filter only."""
    form = PortalSearchForm(request.GET or None)
    filters = form.filters()
    # Conditions that failed their check are left out of the count and the downloads, as
    # on the search page; the page says which (by the field's label).
    ignored = [str(form.fields[name].label) for name in form.errors if name in form.fields]
    place = request.GET.copy()
    for key in list(place):
        if key not in PLACE_KEYS:
            del place[key]
    inspections = opendata.INSPECTIONS
    return render(request, "disclosure/open_data.html", {
        "fields": opendata.FIELDS, "data_date": selectors.data_date(), "ignored": ignored,
        "querystring": _querystring(request),
        "count": selectors.public_facilities(filters).count(),
        "inspection_fields": inspections.fields, "inspection_data_date": inspections.data_date(),
        "inspection_querystring": place.urlencode(),
        "inspection_count": inspections.rows(filters).count(),
    })


#: The URL names of each dataset's JSON Schema.
_SCHEMA_URLS = {"register": "disclosure:open_data_schema", "inspections": "disclosure:open_data_inspections_schema"}


@require_GET
@throttled("open_data")
def open_data_export(request, fmt, dataset="register"):
    """Dataset ``dataset`` (``register`` filtered like the search, ``inspections`` by place)
    as ``csv`` (UTF-8 with BOM), ``xlsx`` or ``json``."""
    data = opendata.DATASETS[dataset]
    queryset = data.rows(PortalSearchForm(request.GET or None).filters())
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"tuoyu-{data.slug}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            opendata.csv_chunks(data, queryset), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "json":
        response = StreamingHttpResponse(
            opendata.json_chunks(data, queryset, data_date=data.data_date()),
            content_type="application/json; charset=utf-8",
        )
        response["Link"] = f'<{reverse(_SCHEMA_URLS[dataset])}>; rel="describedby"'
    elif fmt == "xlsx":
        from io import BytesIO

        return FileResponse(
            BytesIO(opendata.xlsx_bytes(data, queryset)), as_attachment=True, filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def open_data_schema(request, dataset="register"):
    """The JSON Schema of dataset ``dataset``'s JSON export."""
    url = request.build_absolute_uri(reverse(_SCHEMA_URLS[dataset]))
    return JsonResponse(
        opendata.json_schema(opendata.DATASETS[dataset], url),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
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
