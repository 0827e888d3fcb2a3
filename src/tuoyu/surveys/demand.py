"""Aggregate demand beside supply for officers (辖区托育需求与供给), by county and by industry.

For union and health officers (``view_demand``) within their jurisdiction: the
employer's division code must start with one of the officer's prefixes. Demand comes
from each employer's most recent non-draft survey **with at least the floor of answers**
(latest close date, then highest id; ADR 0053 §10) — an employer that surveys twice is
not counted twice, and a new survey without answers does not hide the last usable one;
supply is the places of filed facilities (备案在册: the public
statuses of :data:`tuoyu.facilities.selectors.PUBLIC_STATUSES`) in the same jurisdiction.

Demand figures per county or industry section (GB/T 4754 门类):

- ``answers``: answers received; ``would_use``: of them, answers that would use an
  on-site or nearby facility (单位内、单位附近、均可);
- ``under3``: children under 36 months of the respondents who would use a facility, aged
  on each survey's fixed age date :func:`tuoyu.surveys.results.age_date` (age bands of
  :mod:`tuoyu.surveys.results`, birth month's last day); there is no date parameter;
- ``expected``: expected births of those respondents.

Every demand figure is a cell of a column and passes through the one suppression rule of
:func:`tuoyu.surveys.results.build_breakdown` (built from fewer answers than the floor
→ hidden; secondary suppression within the column). The would-use column is also
protected against its complement: where answers − would use (those who would not use)
is 1 … floor − 1, that would-use figure is hidden (row or total). Supply (public data) is not
suppressed. Nothing per answer is ever returned.

Supply by industry (docs/adr/0053-survey-result-suppression.md): a facility's places
count for the section of its operator when the operator is an employer, otherwise for
the section of its first sponsoring employer; places of facilities with neither are in
the row "no employer" (社会办).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts.permissions import VIEW_DEMAND, has_capability, jurisdiction_q
from tuoyu.surveys.choices import WOULD_USE_DEMAND
from tuoyu.surveys.results import (
    UNDER_THREE_BANDS,
    Cell,
    age_band_of,
    age_date,
    build_breakdown,
    min_cell,
)

NO_EMPLOYER = ""
FIGURES = ("answers", "would_use", "under3", "expected")


def can_view_demand(user) -> bool:
    """True when ``user`` may open the demand page (``view_demand`` with a jurisdiction)."""
    from tuoyu.accounts.permissions import jurisdiction_prefixes

    return has_capability(user, VIEW_DEMAND) and bool(
        jurisdiction_prefixes(user, capability=VIEW_DEMAND)
    )


@dataclass
class DemandRow:
    """One county or industry section: demand cells (suppressed) and supply places."""

    code: str
    name: object
    cells: dict[str, Cell] = field(default_factory=dict)
    places: int = 0
    facilities: int = 0


@dataclass
class DemandTable:
    """Rows of one grouping (``"county"`` or ``"industry"``) plus the column totals.

    ``totals`` maps each figure to its total (None when suppressed); ``places`` the total
    supply.
    """

    key: str
    title: object
    rows: list[DemandRow]
    totals: dict[str, int | None]
    places: int
    facilities: int


def _latest_surveys(user):
    """Ids of each in-jurisdiction employer's survey that counts for demand.

    Per employer: the non-draft survey with at least :func:`min_cell` answers and the
    latest close date (ties: the highest id). Surveys with fewer answers are skipped, so
    a newly opened survey does not replace a usable one.
    """
    from tuoyu.surveys.models import Survey

    scoped = (
        Survey.objects.filter(
            jurisdiction_q(user, "employer__division__code", capability=VIEW_DEMAND)
        )
        .exclude(status="draft")
        .annotate(n=Count("responses"))
        .filter(n__gte=min_cell())
        .order_by("employer_id", "-closes_on", "-id")
        .values_list("employer_id", "id")
    )
    chosen: dict[int, int] = {}
    for employer_id, survey_id in scoped:
        chosen.setdefault(employer_id, survey_id)
    return list(chosen.values())


def _sections() -> dict[str, tuple[str, str]]:
    """Industry code → (section code, section name), following each code's parent chain."""
    from tuoyu.reference.models import Industry

    rows = {code: (parent, name) for code, parent, name in
            Industry.objects.values_list("code", "parent_id", "name")}
    result: dict[str, tuple[str, str]] = {}
    for code in rows:
        node = code
        for _step in range(6):
            parent = rows[node][0]
            if not parent or parent not in rows:
                break
            node = parent
        result[code] = (node, rows[node][1])
    return result


def _demand_counts(survey_ids, area: str) -> dict[str, dict[str, tuple[int, int]]]:
    """Per area value: ``{figure: (count, answers behind it)}``; ``area`` is a lookup from
    SurveyResponse (e.g. ``survey__employer__division__code``). Children are aged on their
    survey's :func:`tuoyu.surveys.results.age_date`."""
    from tuoyu.surveys.models import ResponseChild, Survey, SurveyResponse

    result: dict[str, dict[str, tuple[int, int]]] = {}
    for row in (
        SurveyResponse.objects.filter(survey_id__in=survey_ids)
        .values(area=F(area))
        .annotate(n=Count("id"), use=Count("id", filter=Q(would_use__in=WOULD_USE_DEMAND)))
        .order_by()
    ):
        result[row["area"] or NO_EMPLOYER] = {
            "answers": (row["n"], row["n"]),
            "would_use": (row["use"], row["use"]),
            "under3": (0, 0),
            "expected": (0, 0),
        }
    dates = {s.pk: age_date(s) for s in Survey.objects.filter(pk__in=survey_ids).only("closes_on")}
    children: dict[str, dict[str, list]] = {}
    for survey_id, response_id, birth_month, expected, area_value in (
        ResponseChild.objects.filter(
            response__survey_id__in=survey_ids, response__would_use__in=WOULD_USE_DEMAND
        )
        .values_list("response__survey_id", "response_id", "birth_month", "expected",
                     f"response__{area}")
        .iterator(chunk_size=2000)
    ):
        band = age_band_of(birth_month, expected=expected, as_of=dates[survey_id])
        figure = "expected" if band == "expected" else "under3" if band in UNDER_THREE_BANDS else None
        if figure is None:
            continue
        entry = children.setdefault(area_value or NO_EMPLOYER, {"under3": [0, set()],
                                                                "expected": [0, set()]})
        entry[figure][0] += 1
        entry[figure][1].add(response_id)
    for code, figures in children.items():
        entry = result.setdefault(code, {f: (0, 0) for f in FIGURES})
        for figure, (n, answers) in figures.items():
            entry[figure] = (n, len(answers))
    return result


def _suppressed_rows(counts: dict[str, dict[str, tuple[int, int]]], names: dict[str, object],
                     supply: dict[str, tuple[int, int]]) -> tuple[list[DemandRow], dict]:
    codes = sorted(set(counts) | set(supply), key=lambda c: (c == NO_EMPLOYER, c))
    rows = [DemandRow(code, names.get(code, code)) for code in codes]
    totals: dict[str, int | None] = {}
    floor = min_cell()
    answers = [counts.get(code, {}).get("answers", (0, 0))[0] for code in codes]
    using = [counts.get(code, {}).get("would_use", (0, 0))[0] for code in codes]
    for figure in FIGURES:
        cells = [(code, "", *counts.get(code, {}).get(figure, (0, 0))) for code in codes]
        # Each answer belongs to one employer, so one area: the answers behind the cells add up.
        base = sum(a for *_rest, a in cells)
        forced, total_shown = None, True
        if figure == "would_use":
            # Complement rule: answers − would use = those who would not use.
            forced = [0 < n - u < floor for n, u in zip(answers, using, strict=True)]
            total_shown = not 0 < sum(answers) - sum(using) < floor
        breakdown = build_breakdown(
            figure, figure, cells, base=base, total=sum(c for _k, _l, c, _a in cells),
            with_share=False, forced=forced, total_shown=total_shown,
        )
        for row, cell in zip(rows, breakdown.cells, strict=True):
            row.cells[figure] = cell
        totals[figure] = breakdown.total
    for row in rows:
        row.places, row.facilities = supply.get(row.code, (0, 0))
    return rows, totals


def _filed_in(user):
    from tuoyu.facilities.models import Facility
    from tuoyu.facilities.selectors import PUBLIC_STATUSES

    return Facility.objects.filter(filing_status__in=PUBLIC_STATUSES).filter(
        jurisdiction_q(user, "division__code", capability=VIEW_DEMAND)
    )


_PLACES = F("places_infant") + F("places_toddler") + F("places_older") + F("places_mixed")


def demand_tables(user) -> list[DemandTable]:
    """Demand beside supply in ``user``'s jurisdiction, by county and by industry section.

    Children are aged on each survey's fixed age date. Returns two :class:`DemandTable`
    (``county``, ``industry``), empty rows when there is nothing. The caller checks
    :func:`can_view_demand`; for a user without ``view_demand`` every scope is empty.
    """
    from tuoyu.reference.models import Division

    survey_ids = _latest_surveys(user)
    facilities = _filed_in(user)
    # By county.
    county_counts = _demand_counts(survey_ids, "survey__employer__division__code")
    county_supply = {
        row["division__code"]: (row["places"] or 0, row["n"])
        for row in facilities.values("division__code")
        .annotate(places=Sum(_PLACES), n=Count("id"))
        .order_by()
    }
    codes = set(county_counts) | set(county_supply)
    names = dict(
        Division.objects.filter(code__in=codes, status="active").values_list("code", "name")
    )
    rows, totals = _suppressed_rows(county_counts, names, county_supply)
    tables = [DemandTable("county", _("按区县"), rows, totals,
                          sum(r.places for r in rows), sum(r.facilities for r in rows))]
    # By industry section.
    sections = _sections()
    raw = _demand_counts(survey_ids, "survey__employer__industry_id")
    industry_counts: dict[str, dict[str, tuple[int, int]]] = {}
    section_names: dict[str, object] = {NO_EMPLOYER: _("无用人单位（社会办）")}
    for code, figures in raw.items():
        section, name = sections.get(code, (NO_EMPLOYER, "")) if code else (NO_EMPLOYER, "")
        if section:
            section_names[section] = f"{section} {name}"
        entry = industry_counts.setdefault(section, {f: (0, 0) for f in FIGURES})
        for f, (n, a) in figures.items():
            entry[f] = (entry[f][0] + n, entry[f][1] + a)
    industry_supply: dict[str, tuple[int, int]] = {}
    for section, places in _supply_sections(facilities, sections, section_names):
        p, n = industry_supply.get(section, (0, 0))
        industry_supply[section] = (p + places, n + 1)
    rows, totals = _suppressed_rows(industry_counts, section_names, industry_supply)
    tables.append(DemandTable("industry", _("按行业门类"), rows, totals,
                              sum(r.places for r in rows), sum(r.facilities for r in rows)))
    return tables


def _supply_sections(facilities, sections, names):
    """Yield ``(section, places)`` per filed facility (operator's or first sponsor's industry)."""
    from tuoyu.facilities.models import Facility

    rows = list(
        facilities.annotate(places=_PLACES).values_list(
            "id", "places", "operator__kind", "operator__industry_id"
        )
    )
    sponsor_industry: dict[int, str] = {}
    for fid, industry in (
        Facility.sponsors.through.objects.filter(
            facility_id__in=[r[0] for r in rows], organization__kind="employer",
            organization__industry__isnull=False,
        )
        .order_by("id")
        .values_list("facility_id", "organization__industry_id")
    ):
        sponsor_industry.setdefault(fid, industry)
    for fid, places, kind, industry in rows:
        code = industry if kind == "employer" and industry else sponsor_industry.get(fid)
        section, name = sections.get(code, (NO_EMPLOYER, "")) if code else (NO_EMPLOYER, "")
        if section:
            names.setdefault(section, f"{section} {name}")
        yield section, places or 0


def demand_csv_rows(tables: list[DemandTable]) -> list[list[object]]:
    """The demand tables as CSV rows: grouping, code, name, the four figures (or ``<5``),
    filed facilities and places. Only suppressed aggregates."""
    rows: list[list[object]] = [[
        gettext("分组"), gettext("代码"), gettext("名称"), gettext("答卷数"), gettext("愿意使用"), gettext("三岁以下子女"),
        gettext("预产"), gettext("备案机构数"), gettext("备案托位数"),
    ]]
    for table in tables:
        for row in table.rows:
            rows.append([str(table.title), row.code, str(row.name),
                         *[row.cells[f].count_text if row.cells[f].suppressed else row.cells[f].count
                           for f in FIGURES],
                         row.facilities, row.places])
        rows.append([str(table.title), "", gettext("合计"),
                     *[t if (t := table.totals[f]) is not None else _marker() for f in FIGURES],
                     table.facilities, table.places])
    from tuoyu.surveys.results import suppression_note

    rows.append([gettext("说明"), "", suppression_note(), "", "", "", "", "", ""])
    return rows


def _marker() -> str:
    from tuoyu.surveys.results import suppressed_marker

    return suppressed_marker()
