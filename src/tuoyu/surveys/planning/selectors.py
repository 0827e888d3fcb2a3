"""Reads of survey planning (托位规划查询): the inputs of a projection from stored answers,
the rule-table numbers of a plan, and the whole plan of a survey with its scenarios.

The survey itself is read through :func:`tuoyu.surveys.selectors.survey_get_for_user`
(scoped to the user: managers of the employer only); the functions here take a survey the
caller may manage. Figures are suppressed when fewer than ``SURVEY_MIN_CELL`` answers
would use the facility, and cell by cell (ADR 0055): a projection figure built from 1 …
floor − 1 answers is hidden with the one rule of :func:`tuoyu.surveys.results.suppression_plan`;
the would-use count is shown only when it and its complement are both 0 or ≥ the floor;
the capacity plan's per-type rows only where the projection shows that type in the month
the rows are formed for, and its totals only when every row is shown and the months
driving places and rooms are shown whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q

from tuoyu.core.errors import DomainError
from tuoyu.standards.selectors import carer_ratio, class_band, class_cap, rules_in_force
from tuoyu.surveys.choices import WOULD_USE_DEMAND
from tuoyu.surveys.models import PlanScenario, ResponseChild, Survey, SurveyResponse
from tuoyu.surveys.planning.capacity import CapacityPlan, PlanRules, capacity_plan
from tuoyu.surveys.planning.costs import CostInputs, CostResult, compare, cost_model
from tuoyu.surveys.planning.projection import (
    CLASS_TYPES,
    Bands,
    ChildRecord,
    Projection,
    ProjectionMonth,
    RespondentRecord,
    project_counts,
)
from tuoyu.surveys.results import min_cell, suppression_plan

SCALE_PLACES = Decimal("0.0001")


def respondents_of(survey: Survey) -> list[RespondentRecord]:
    """Every answer of ``survey`` as :class:`RespondentRecord` (two queries, no names)."""
    children: dict[int, list[ChildRecord]] = defaultdict(list)
    rows = ResponseChild.objects.filter(response__survey=survey).values_list(
        "response_id", "birth_month", "expected"
    )
    for response_id, birth_month, expected in rows.order_by("response_id", "birth_month", "id"):
        children[response_id].append(ChildRecord(birth_month=birth_month, expected=expected))
    answers = SurveyResponse.objects.filter(survey=survey).values_list("id", "would_use")
    return [
        RespondentRecord(would_use=would_use, children=tuple(children.get(pk, ())))
        for pk, would_use in answers.order_by("id")
    ]


def birth_month_answers(survey: Survey) -> tuple[dict[date, int], dict[date, frozenset], int, int]:
    """What a projection of ``survey`` needs, counted in the database (two queries).

    Returns (birth month → children of answers that would use the facility, birth month →
    ids of the answers reporting it (for the answer count behind each projection figure),
    answers, answers that would use the facility). Gives the same projection as
    :func:`respondents_of` without loading every answer.
    """
    totals = SurveyResponse.objects.filter(survey=survey).aggregate(
        answers=Count("id"), using=Count("id", filter=Q(would_use__in=WOULD_USE_DEMAND))
    )
    per_month: dict[date, int] = defaultdict(int)
    who: dict[date, set[int]] = defaultdict(set)
    rows = ResponseChild.objects.filter(
        response__survey=survey, response__would_use__in=WOULD_USE_DEMAND
    ).values_list("birth_month", "response_id")
    for birth_month, response_id in rows.iterator(chunk_size=2000):
        per_month[birth_month] += 1
        who[birth_month].add(response_id)
    return (dict(per_month), {k: frozenset(v) for k, v in who.items()},
            totals["answers"], totals["using"])


def plan_rules(*, as_of: date, province_code: str | None = None) -> tuple[Bands, PlanRules]:
    """The bands and plan numbers in force on ``as_of`` in the province (two queries).

    Bands, caps and ratios: ``STD-BAND-*``, ``STD-CAP-*``, ``STD-RATIO-*`` (设置标准
    Art. 19–20); health staff ``STD-HEALTH-STAFF`` (卫生保健管理办法 Art. 12); roles
    ``STD-STAFF-ROLES``; areas ``STD-AREA-BUILDING``/``STD-AREA-OUTDOOR`` when set, else
    ``SURVEY_PLAN_BUILDING_M2_PER_PLACE``/``SURVEY_PLAN_OUTDOOR_M2_PER_PLACE`` (m² per
    place). Raises DomainError ``STD-001`` when a needed rule is not in force.
    """
    book = rules_in_force(as_of=as_of, province_code=province_code)
    types = ("infant", "toddler", "older", "mixed")
    bands = Bands(**{t: class_band(t, as_of=as_of, rules=book) for t in types})
    health = book.get("STD-HEALTH-STAFF")
    roles = book.find("STD-STAFF-ROLES")

    def area(code: str, setting: str) -> Decimal:
        rule = book.find(code)
        value = rule.param("min_m2_per_place") if rule is not None else None
        return Decimal(str(value if value is not None else getattr(settings, setting)))

    rules = PlanRules(
        caps={t: class_cap(t, as_of=as_of, rules=book) for t in types},
        ratios={t: carer_ratio(t, as_of=as_of, rules=book) for t in types},
        children_per_health_worker=int(health.param("children_per_health_worker", 150)),
        full_time_health_from=int(health.param("full_time_from_children", 150)),
        roles=tuple(roles.param("roles", ())) if roles is not None else (),
        building_m2_per_place=area("STD-AREA-BUILDING", "SURVEY_PLAN_BUILDING_M2_PER_PLACE"),
        outdoor_m2_per_place=area("STD-AREA-OUTDOOR", "SURVEY_PLAN_OUTDOOR_M2_PER_PLACE"),
    )
    return bands, rules


@dataclass
class ShownMonth:
    """One projection month as it may be shown: ``cells`` per class type (Decimal, or None
    when hidden), ``total`` and ``under`` likewise."""

    month: ProjectionMonth
    cells: dict[str, Decimal | None]
    total: Decimal | None
    under: Decimal | None

    @property
    def values(self) -> list[Decimal | None]:
        """The cells in :data:`CLASS_TYPES` order."""
        return [self.cells[t] for t in CLASS_TYPES]


def shown_months(projection: Projection, floor: int) -> list[ShownMonth]:
    """Apply small-number suppression to every month of ``projection`` (ADR 0055).

    Per month, the class-type cells form one breakdown whose total is the month's total:
    :func:`tuoyu.surveys.results.suppression_plan` on the answers behind each cell (base:
    the distinct answers behind the total). "Not yet placed" is shown when built from no
    answer or at least ``floor`` answers.
    """
    result = []
    for m in projection.months:
        answers = [m.answers.get(t, m.raw[t]) for t in CLASS_TYPES]
        base = m.answers.get("total", sum(answers))
        mask, total_hidden = suppression_plan(answers, base=base, floor=floor)
        if base == 0:
            mask, total_hidden = [False] * len(CLASS_TYPES), False
        under_answers = m.answers.get("under", 0)
        result.append(ShownMonth(
            month=m,
            cells={t: None if hidden else m.counts[t]
                   for t, hidden in zip(CLASS_TYPES, mask, strict=True)},
            total=None if total_hidden else m.total,
            under=m.under if under_answers == 0 or under_answers >= floor else None,
        ))
    return result


@dataclass
class ScenarioResult:
    """A stored scenario with its computed result, or the error its inputs give."""

    scenario: PlanScenario
    result: CostResult | None = None
    error: DomainError | None = None


@dataclass
class SurveyPlan:
    """Everything the plan page, its XLSX and the command show for one survey.

    ``suppressed``: fewer than ``min_cell`` answers would use the facility — then
    ``projection`` and ``capacity`` must not be shown. ``scale``: the factor applied
    (1, or staff surveyed ÷ answers when ``extrapolate``).
    """

    survey: Survey
    as_of: date
    projection: Projection
    capacity: CapacityPlan
    rules: PlanRules
    suppressed: bool
    min_cell: int
    extrapolate: bool
    scale: Decimal
    scenarios: list[ScenarioResult] = field(default_factory=list)
    months: list[ShownMonth] = field(default_factory=list)

    @property
    def using_shown(self) -> bool:
        """True when the would-use count may be shown: it and its complement (answers that
        would not use) are each 0 or at least ``min_cell`` (ADR 0055)."""
        using = self.projection.respondents_counted
        rest = self.projection.respondents - using
        return using >= self.min_cell and (rest == 0 or rest >= self.min_cell)

    def class_shown(self, plan_class) -> bool:
        """True when a class row of the capacity plan may be shown: nobody to place, or
        the projection shows its type in the month the row is formed for (the month
        driving the carers)."""
        if plan_class.places == 0:
            return True
        if plan_class.month_index is None or plan_class.class_type not in CLASS_TYPES:
            return False
        return self.months[plan_class.month_index].cells[plan_class.class_type] is not None

    def month_shown(self, index: int | None, *, cells: bool = True) -> bool:
        """True when month ``index`` of the projection shows its total and, with ``cells``,
        every class-type cell (so figures worked out from that month reveal nothing the
        projection hides)."""
        if index is None or not 0 <= index < len(self.months):
            return False
        row = self.months[index]
        return row.total is not None and (not cells or all(v is not None for v in row.values))

    def phase_shown(self, phase) -> bool:
        """True when a phase's totals (places, rooms, carers, staff, areas and the months
        driving them) may be shown: every class row is shown (they are the carers month's),
        and the projection shows what the other figures are worked out from — the total
        children of the places month (places, staff and areas follow from it) and every
        cell of the rooms month (its classes per type) — so the totals add nothing the
        projection hides (ADR 0055, 0056)."""
        if not all(self.class_shown(c) for c in phase.classes):
            return False
        if not phase.places:
            return True
        return (self.month_shown(phase.places_month_index, cells=False)
                and self.month_shown(phase.rooms_month_index))

    @property
    def comparison(self) -> list:
        """Side-by-side rows of the scenarios that computed (see ``costs.compare``)."""
        ok = [(s.scenario.name, s.result) for s in self.scenarios if s.result is not None]
        return compare(ok) if ok else []

    def scenario_defaults(self) -> dict:
        """Initial scenario inputs from the final phase (places, carers, other staff, m²);
        empty when the plan is suppressed or has no phase."""
        phase = self.capacity.final
        if self.suppressed or phase is None or not self.phase_shown(phase):
            return {}
        return {
            "places": phase.places,
            "carers": phase.carers,
            "other_staff": phase.other_staff,
            "area_m2": phase.building_m2,
        }


def extrapolation_scale(survey: Survey, answers: int) -> Decimal:
    """Staff surveyed ÷ answers (4 places, half-up), or 1 without a staff count or answers."""
    if not survey.staff_count or answers <= 0 or survey.staff_count <= answers:
        return Decimal(1)
    return (Decimal(survey.staff_count) / answers).quantize(SCALE_PLACES, rounding=ROUND_HALF_UP)


def scenarios_of(survey: Survey) -> list[PlanScenario]:
    """The scenarios of ``survey`` in display order (position, id)."""
    return list(survey.scenarios.order_by("position", "id"))


def survey_plan(survey: Survey, *, as_of: date, extrapolate: bool = False) -> SurveyPlan:
    """Build the projection, capacity plan and scenario results of ``survey`` on ``as_of``.

    The caller has checked the user may manage ``survey``. Window, youngest placed age,
    phases and the mixed-class option come from the ``SURVEY_PLAN_*`` settings; the rule
    numbers from the rule table of the employer's province on ``as_of``. Raises
    DomainError ``STD-001`` when a needed rule is not in force.
    """
    division = survey.employer.division.code if survey.employer.division_id else None
    bands, rules = plan_rules(as_of=as_of, province_code=division)
    per_month, who, answers, using = birth_month_answers(survey)
    scale = extrapolation_scale(survey, answers) if extrapolate else Decimal(1)
    projection = project_counts(
        per_month,
        respondents=answers,
        respondents_counted=using,
        as_of=as_of,
        months=settings.SURVEY_PLAN_MONTHS,
        bands=bands,
        scale=scale,
        min_age_months=settings.SURVEY_PLAN_MIN_AGE_MONTHS,
        per_month_answers=who,
    )
    capacity = capacity_plan(
        projection,
        rules,
        phase_months=settings.SURVEY_PLAN_PHASE_MONTHS,
        phase_growth_pct=Decimal(str(settings.SURVEY_PLAN_PHASE_GROWTH_PCT)),
        allow_mixed=settings.SURVEY_PLAN_ALLOW_MIXED,
    )
    floor = min_cell()
    plan = SurveyPlan(
        survey=survey,
        as_of=as_of,
        projection=projection,
        capacity=capacity,
        rules=rules,
        suppressed=projection.respondents_counted < floor,
        min_cell=floor,
        extrapolate=extrapolate,
        scale=scale,
        months=shown_months(projection, floor),
    )
    for phase in capacity.phases:
        phase.shown_classes = [c for c in phase.classes if plan.class_shown(c)]
        phase.totals_shown = plan.phase_shown(phase)
    for scenario in scenarios_of(survey):
        try:
            result = cost_model(CostInputs.from_dict(scenario.inputs))
            plan.scenarios.append(ScenarioResult(scenario, result=result))
        except DomainError as exc:
            plan.scenarios.append(ScenarioResult(scenario, error=exc))
    return plan
