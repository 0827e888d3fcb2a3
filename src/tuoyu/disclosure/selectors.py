"""Public reads of the disclosure portal (信息公示查询): filed facilities and headline figures.

Only facilities whose filing status is 已备案 (filed) are public, and only the fields in
:data:`PUBLISHED_FIELDS` (nothing about staff or children). Every figure is computed by
aggregate queries (a handful per page, whatever the number of facilities).

Places per 1,000 people (千人口托位数) = places of filed facilities ÷ resident population
of the 2020 census (第七次全国人口普查公报（第三号）表3-1) × 1,000; the national target
is 4.5 by 2025 (国民经济和社会发展第十四个五年规划纲要, 主要指标).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from tuoyu.core.errors import GEN_NOT_FOUND, DomainError
from tuoyu.core.text import normalize_search
from tuoyu.disclosure.cache import ProcessMemo, process_memos_clear
from tuoyu.facilities.choices import ClassType, ProvisionModel, ServiceType
from tuoyu.facilities.models import ClassPlacement, Enrolment, Facility, FacilityService
from tuoyu.facilities.search_index import keyword_filter, place_in_keyword_index
from tuoyu.facilities.selectors import PUBLIC_STATUSES, search_words

#: Published fields of a facility (公示字段), as ORM paths; never staff or children.
PUBLISHED_FIELDS = (
    "id",
    "name",
    "address",
    "operator__name",
    "provision_model",
    "division__code",
    "division__name",
    "division__province_name",
    "division__prefecture_name",
    "places_infant",
    "places_toddler",
    "places_older",
    "places_mixed",
    "receipt_number",
    "filed_on",
)

#: Places per 1,000 people to reach by 2025 (十四五规划 主要指标: 4.5).
PLACES_PER_1000_TARGET = Decimal("4.5")
#: Census year of the population used for per-1,000 figures.
POPULATION_YEAR = 2020
#: Province-level codes from here on (71 台湾, 81 香港, 82 澳门) are outside the programme
#: and the 2020 census table of the 31 mainland provinces.
MAINLAND_CODE_END = "710000"
#: Sort orders of the search (no distance: the portal knows no location of the user).
SORTS = ("relevance", "name", "fee")

_PLACES = F("places_infant") + F("places_toddler") + F("places_older") + F("places_mixed")


def _current_enrolment_count():
    """Subquery: children currently enrolled (left_on empty) in the outer facility."""
    return Coalesce(
        Subquery(
            Enrolment.objects.filter(facility=OuterRef("pk"), left_on__isnull=True)
            .order_by()
            .values("facility")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _lowest_fee():
    """Subquery: the lowest monthly fee (¥) of any service of the outer facility, or NULL."""
    return Subquery(
        FacilityService.objects.filter(facility=OuterRef("pk"), monthly_fee__isnull=False)
        .order_by("monthly_fee")
        .values("monthly_fee")[:1]
    )


class _IdIn(Expression):
    """``<field> = ANY(%s)`` with the ids as one integer array parameter (PostgreSQL)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, ids: list[int]):
        super().__init__()
        self.column = F(field)
        self.ids = [int(i) for i in ids]

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"{sql} = ANY(%s::bigint[])", (*params, self.ids)


#: Query-string spellings of yes for ``free_places`` (the portal's checkbox sends ``on``).
TRUE_VALUES = frozenset({"1", "true", "on", "yes"})


def _free_places_only(filters: Mapping) -> bool:
    """True when ``filters`` asks for facilities with free places (:data:`TRUE_VALUES`)."""
    return str(filters.get("free_places") or "").lower() in TRUE_VALUES


def _digits(value, length: int) -> str:
    text = str(value or "").strip()[:length]
    return text if len(text) == length and text.isdigit() else ""


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number >= 0 else None


def division_prefix(filters: Mapping) -> str:
    """The most specific division-code prefix of ``filters``: county (6), city (4) or province (2).

    ``province``, ``city`` and ``county`` may be given as 6-digit codes or as prefixes;
    a county outside the given city or province is ignored (the broader prefix wins).
    Returns ``""`` for no place filter.
    """
    prefix = _digits(filters.get("province"), 2)
    city = _digits(filters.get("city"), 4)
    if city and city.startswith(prefix):
        prefix = city
    county = _digits(filters.get("county"), 6)
    if county and county.startswith(prefix):
        prefix = county
    return prefix


def public_facilities(filters: Mapping | None = None) -> QuerySet[Facility]:
    """Filed facilities matching ``filters``, with ``places``, ``enrolled``, ``free_places`` and
    ``lowest_fee`` annotated, in a stable order (the last key is always ``id``).

    ``filters`` (all optional, strings as from a query string or cleaned form data):
    ``q`` keyword, normalised like the stored ``name_search`` (NFKC, traditional →
    simplified, case and full-width spaces do not matter), matched in the name or the
    address; ``province``/``city``/``county`` division codes (see :func:`division_prefix`);
    ``provision_model`` (举办模式 value); ``service_type`` (服务形式 value); ``fee_min`` and
    ``fee_max`` in ¥ per month — some offered service (of ``service_type`` when given) costs
    within the range; ``free_places`` truthy — places minus current enrolment > 0;
    ``sort``: ``relevance`` (default: exact name, then name prefix, then other matches),
    ``name``, or ``fee`` (lowest fee first, facilities without fees last).
    Unknown values of choice filters are ignored.
    """
    filters = filters or {}
    qs = _public_base()
    key = normalize_search(filters.get("q"))
    prefix = division_prefix(filters)
    words = search_words(key)
    if prefix and not place_in_keyword_index(words, prefix):
        # The division ids first (one small indexed query), so PostgreSQL can use the
        # facility's division index instead of scanning every facility: ~3× faster at
        # 126,000 facilities (bench/portal.py). On PostgreSQL they go as one array
        # parameter (``= ANY(%s)``): a short, cacheable statement (ADR 0041). A keyword
        # search on PostgreSQL needs neither: the gram index match holds the place.
        from tuoyu.reference.models import Division

        ids = list(Division.objects.filter(code__startswith=prefix).values_list("id", flat=True))
        qs = qs.filter(_IdIn("division_id", ids)) if ids and connection.vendor == "postgresql" else (
            qs.filter(division_id__in=ids)
        )
    # Every word in the name or the address; on PostgreSQL the gram index finds the
    # candidates, in the place too (facilities.search_index, ADR 0041); same result.
    qs = keyword_filter(qs, words, prefix)
    model = filters.get("provision_model")
    if model in ProvisionModel.values:
        qs = qs.filter(provision_model=model)
    service = filters.get("service_type")
    service = service if service in ServiceType.values else ""
    fee_min, fee_max = _decimal(filters.get("fee_min")), _decimal(filters.get("fee_max"))
    if service or fee_min is not None or fee_max is not None:
        offered = FacilityService.objects.filter(facility=OuterRef("pk"))
        if service:
            offered = offered.filter(service_type=service)
        if fee_min is not None:
            offered = offered.filter(monthly_fee__gte=fee_min)
        if fee_max is not None:
            offered = offered.filter(monthly_fee__lte=fee_max)
        qs = qs.filter(Exists(offered))
    if _free_places_only(filters):
        qs = qs.filter(free_places__gt=0)
    sort = filters.get("sort") or "relevance"
    if sort == "fee":
        qs = qs.order_by(F("lowest_fee").asc(nulls_last=True), "name", "id")
    elif sort == "relevance" and key:
        rank = Case(
            When(name_search=key, then=Value(0)),
            When(name_search__startswith=key, then=Value(1)),
            When(name_search__contains=key, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        qs = qs.annotate(rank=rank).order_by("rank", "name", "id")
    else:
        qs = qs.order_by("name", "id")
    # The key of the cached pages (disclosure.cache). Lost on any further filter or clone
    # (then nothing is cached).
    qs.search_key = search_key(filters)
    return qs


def search_key(filters: Mapping | None) -> tuple:
    """Everything in ``filters`` that decides which facilities :func:`public_facilities`
    returns and in which order, normalised (the keyword as stored, the place as a code
    prefix, unknown choices dropped, the sort actually applied): two filters with the same
    key give the same rows. The key of the cached search pages (``disclosure.cache``)."""
    filters = filters or {}
    key = normalize_search(filters.get("q"))
    model = filters.get("provision_model")
    service = filters.get("service_type")
    fee_min, fee_max = _decimal(filters.get("fee_min")), _decimal(filters.get("fee_max"))
    sort = filters.get("sort") or "relevance"
    if sort != "fee":
        sort = "relevance" if sort == "relevance" and key else "name"
    return (
        "v1", key, division_prefix(filters), model if model in ProvisionModel.values else "",
        service if service in ServiceType.values else "",
        str(fee_min) if fee_min is not None else "", str(fee_max) if fee_max is not None else "",
        _free_places_only(filters), sort,
    )


def _published(qs: QuerySet[Facility]) -> QuerySet[Facility]:
    """``qs`` with the published fields, operator and division, and the annotations
    ``places``, ``enrolled``, ``free_places`` and ``lowest_fee``."""
    qs = qs.annotate(places=_PLACES, enrolled=_current_enrolment_count()).annotate(
        free_places=F("places") - F("enrolled"), lowest_fee=_lowest_fee()
    )
    return qs.select_related("operator", "division").only(
        *PUBLISHED_FIELDS, "filing_status", "version", "filed_version"
    )


_PUBLIC_BASE: list[QuerySet[Facility]] = []


def _public_base() -> QuerySet[Facility]:
    """``_published(_filed())``, built once per process: building the annotations is a
    good part of a request's ORM time; querysets are cloned by every ``filter``."""
    if not _PUBLIC_BASE:
        _PUBLIC_BASE.append(_published(_filed()))
    return _PUBLIC_BASE[0].all()


def public_facility_rows(ids: list[int]) -> list[Facility]:
    """The filed facilities with ids ``ids``, as :func:`public_facilities` returns them
    (published fields and annotations), in the order of ``ids``; ids not public are left out.

    For paging in two steps (``disclosure.paging``): a query by primary key, whatever the
    filters that selected the ids.
    """
    rows = {row.pk: row for row in _public_base().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


#: Fields of :func:`public_facility_values`, in order.
PUBLIC_ROW_FIELDS = (
    "pk", "name", "division__province_name", "division__name", "provision_model", "places",
    "free_places", "lowest_fee", "version", "filed_version",
)


def public_facility_values(ids: list[int]) -> list[tuple]:
    """What a line of search results prints of the filed facilities ``ids``, in the order of
    ``ids`` (ids not public are left out), as plain tuples — no model instances, about 1 ms
    less a page than :func:`public_facility_rows` (ADR 0041, fourth round):

    ``(pk, name, province name, county name, provision model value, places, free places
    (may be below 0), lowest monthly fee ¥ or None, has unfiled changes)``.

    Every row is on the register (filed or change submitted), so
    :attr:`Facility.has_unfiled_changes` is ``version > filed_version`` here.
    """
    rows = {
        row[0]: (*row[:-2], row[-2] > row[-1])
        for row in _public_base().filter(pk__in=ids).values_list(*PUBLIC_ROW_FIELDS)
    }
    return [rows[pk] for pk in ids if pk in rows]


def public_facility_get(pk) -> Facility:
    """The filed facility ``pk`` with published fields and annotations of :func:`public_facilities`.

    Raises DomainError GEN-001 when there is no such facility or it is not filed (a draft's
    existence is never revealed).
    """
    try:
        return public_facilities({"sort": "name"}).get(pk=int(pk))
    except (Facility.DoesNotExist, TypeError, ValueError):
        raise DomainError(GEN_NOT_FOUND) from None


@dataclass(frozen=True)
class ClassPlaces:
    """Places (托位), current enrolment and free places of one class type at a facility."""

    class_type: str
    label: str
    places: int
    enrolled: int

    @property
    def free(self) -> int:
        """Places not taken (never below zero)."""
        return max(self.places - self.enrolled, 0)


def public_places_by_class_type(facility: Facility) -> list[ClassPlaces]:
    """Places, enrolled children and free places per class type (班型) of ``facility``.

    Enrolled = current placements (no end) of children who have not left, in classes of
    that type; one aggregate query. Class types with no places and no children are left out.
    """
    rows = dict(
        ClassPlacement.objects.filter(
            facility_class__facility=facility, end__isnull=True, enrolment__left_on__isnull=True
        )
        .order_by()
        .values_list("facility_class__class_type")
        .annotate(n=Count("id"))
    )
    result = []
    for class_type in ClassType:
        places = getattr(facility, f"places_{class_type.value}")
        enrolled = rows.get(class_type.value, 0)
        if places or enrolled:
            result.append(ClassPlaces(class_type.value, str(class_type.label), places, enrolled))
    return result


def public_services(facility: Facility) -> list[FacilityService]:
    """The service forms (服务形式) and monthly fees (¥) of ``facility``, by service type."""
    return list(facility.services.order_by("service_type", "id"))


# --- Figures (统计数字) -------------------------------------------------------------------


@dataclass(frozen=True)
class AreaFigures:
    """Headline figures of one area (national, a province or a county).

    ``facilities`` filed facilities; ``places`` their places (children); ``employer_run``
    facilities whose operator is itself an employer (用人单位自办); ``population`` resident
    population of the 2020 census (None when unknown, e.g. counties).
    """

    code: str
    name: str
    facilities: int
    places: int
    employer_run: int
    population: int | None

    @property
    def per_1000(self) -> Decimal | None:
        """Places per 1,000 people, 2 decimals; None without a population."""
        if not self.population:
            return None
        return (Decimal(self.places) * 1000 / self.population).quantize(Decimal("0.01"))

    @property
    def employer_run_share(self) -> Decimal | None:
        """Share of facilities run by an employer itself, in percent (1 decimal); None if none."""
        if not self.facilities:
            return None
        return (Decimal(self.employer_run) * 100 / self.facilities).quantize(Decimal("0.1"))

    @property
    def target_share(self) -> Decimal | None:
        """Places per 1,000 as a percentage of the 4.5 target (1 decimal)."""
        value = self.per_1000
        if value is None:
            return None
        return (value * 100 / PLACES_PER_1000_TARGET).quantize(Decimal("0.1"))


def _totals(qs: QuerySet) -> dict:
    return qs.aggregate(
        n=Count("id"),
        places=Coalesce(Sum(_PLACES), 0),
        employer=Count("id", filter=Q(operator__kind="employer")),
    )


def _filed() -> QuerySet[Facility]:
    """Facilities with a filing in force: filed, or filed with a change filing pending.

    A pending change filing (``change_submitted``) keeps the facility on the register with
    its receipt (托育机构登记和备案办法（试行）Art. 10); pages mark unfiled changes.
    """
    return Facility.objects.filter(filing_status__in=PUBLIC_STATUSES)


#: Seconds a reference read (province names, populations, division lists) is kept in the
#: process. Reference data changes only by migration (ADR 0004); only codes and names are
#: kept, never database ids (tests reload the reference rows under new ids). ADR 0041.
REFERENCE_CACHE_SECONDS = 300.0
_reference = ProcessMemo(seconds=REFERENCE_CACHE_SECONDS)


def reference_cache_clear() -> None:
    """Forget the kept reference reads (after reference data changed, e.g. in tests), and
    the search form's rendered options and fields made from them (every
    :class:`~tuoyu.disclosure.cache.ProcessMemo`)."""
    process_memos_clear()


def _province_names() -> dict[str, str]:
    from tuoyu.reference.models import Division

    def compute():
        rows = Division.objects.filter(
            level="province", status="active", code__lt=MAINLAND_CODE_END
        ).values_list("code", "name")
        return {code[:2]: name for code, name in rows}

    return dict(_reference.get(("provinces",), compute))


def _populations() -> dict[str, int]:
    from tuoyu.reference.models import Population

    def compute():
        rows = Population.objects.filter(year=POPULATION_YEAR).values_list("division_code", "population")
        return dict(rows)

    return dict(_reference.get(("populations",), compute))


def national_figures() -> AreaFigures:
    """Figures for the whole country; population = sum of the provinces' 2020 census figures."""
    totals = _totals(_filed())
    populations = _populations()
    population = sum(v for k, v in populations.items() if k.endswith("0000")) or None
    return AreaFigures(
        "", "全国", totals["n"], totals["places"], totals["employer"], population
    )


def province_figures() -> list[AreaFigures]:
    """Figures of the 31 mainland province-level divisions, ordered by code.

    One grouped aggregate query over filed facilities plus two small reference reads.
    """
    grouped = {
        row["prov"]: row
        for row in _filed()
        .annotate(prov=Substr("division__code", 1, 2))
        .values("prov")
        .annotate(
            n=Count("id"),
            places=Coalesce(Sum(_PLACES), 0),
            employer=Count("id", filter=Q(operator__kind="employer")),
        )
        .order_by("prov")
    }
    populations = _populations()
    result = []
    for prefix, name in sorted(_province_names().items()):
        row = grouped.get(prefix, {"n": 0, "places": 0, "employer": 0})
        result.append(AreaFigures(
            prefix + "0000", name, row["n"], row["places"], row["employer"],
            populations.get(prefix + "0000"),
        ))
    return result


def area_figures(code: str) -> AreaFigures:
    """Figures of the province (``XX0000``), city (``XXXX00``) or county with ``code``.

    Raises DomainError GEN-001 for a code that is not an active division. Population is
    known for provinces only (2020 census communiqué No. 3).
    """
    from tuoyu.reference.models import Division

    division = Division.objects.filter(code=_digits(code, 6), status="active").first()
    if division is None:
        raise DomainError(GEN_NOT_FOUND)
    if division.level == "province":
        prefix = division.code[:2]
    elif division.level in ("prefecture", "city"):
        prefix = division.code[:4]
    else:
        prefix = division.code
    totals = _totals(_filed().filter(division__code__startswith=prefix))
    return AreaFigures(
        division.code, division.name, totals["n"], totals["places"], totals["employer"],
        _populations().get(division.code) if division.level == "province" else None,
    )


def county_figures(province_code: str) -> list[AreaFigures]:
    """Figures of each county (区县) of a province that has at least one filed facility, by code.

    One grouped aggregate query.
    """
    prefix = _digits(province_code, 2)
    rows = (
        _filed()
        .filter(division__code__startswith=prefix)
        .values("division__code", "division__name")
        .annotate(
            n=Count("id"),
            places=Coalesce(Sum(_PLACES), 0),
            employer=Count("id", filter=Q(operator__kind="employer")),
        )
        .order_by("division__code")
    )
    return [
        AreaFigures(r["division__code"], r["division__name"], r["n"], r["places"], r["employer"], None)
        for r in rows
    ]


def data_date() -> date | None:
    """The date of the data: the latest filing date of a filed facility (None when none)."""
    latest = _filed().order_by(F("filed_on").desc(nulls_last=True)).values_list("filed_on", flat=True)
    return latest.first()


def province_choices() -> list[tuple[str, str]]:
    """(6-digit code, name) of the 31 mainland province-level divisions, by code."""
    return [(prefix + "0000", name) for prefix, name in sorted(_province_names().items())]


def division_children(prefix: str, level: str) -> list[tuple[str, str]]:
    """(code, name) of active divisions of ``level`` ('prefecture' or 'county') under ``prefix``.

    Kept in the process for :data:`REFERENCE_CACHE_SECONDS` (reference data).
    """
    from tuoyu.reference.models import Division

    if not prefix:
        return []

    def compute():
        rows = Division.objects.filter(
            code__startswith=prefix, level=level, status="active"
        ).order_by("code").values_list("code", "name").distinct()
        return tuple(rows)

    return list(_reference.get(("children", prefix, level), compute))
