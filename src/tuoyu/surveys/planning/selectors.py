"""Reads of survey planning (托位规划查询): the inputs of a projection from stored answers,
the rule-table numbers of a plan, and the whole plan of a survey with its scenarios.

The survey itself is read through :func:`tuoyu.surveys.selectors.survey_get_for_user`
(scoped to the user: managers of the employer only); the functions here take a survey the
caller may manage. Figures are suppressed when fewer than ``SURVEY_MIN_CELL`` answers
would use the facility (ADR 0055).
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
from tuoyu.surveys.models import PlanScenario, ResponseChild, Survey, SurveyResponse
from tuoyu.surveys.planning.capacity import CapacityPlan, PlanRules, capacity_plan
from tuoyu.surveys.planning.costs import CostInputs, CostResult, compare, cost_model
from tuoyu.surveys.planning.projection import (
    USING,
    Bands,
    ChildRecord,
    Projection,
    RespondentRecord,
    project_counts,
)

SCALE_PLACES = Decimal("0.0001")


def min_cell() -> int:
    """The anonymity floor: figures need at least this many answers (``SURVEY_MIN_CELL``)."""
    return int(getattr(settings, "SURVEY_MIN_CELL", 5))


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


def birth_month_counts(survey: Survey) -> tuple[dict[date, int], int, int]:
    """What a projection of ``survey`` needs, counted in the database (two queries).

    Returns (birth month → children of answers that would use the facility, answers,
    answers that would use the facility). Gives the same projection as
    :func:`respondents_of` without loading every answer.
    """
    totals = SurveyResponse.objects.filter(survey=survey).aggregate(
        answers=Count("id"), using=Count("id", filter=Q(would_use__in=USING))
    )
    rows = (
        ResponseChild.objects.filter(response__survey=survey, response__would_use__in=USING)
        .values("birth_month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["birth_month"]: r["n"] for r in rows}, totals["answers"], totals["using"]


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

    @property
    def comparison(self) -> list:
        """Side-by-side rows of the scenarios that computed (see ``costs.compare``)."""
        ok = [(s.scenario.name, s.result) for s in self.scenarios if s.result is not None]
        return compare(ok) if ok else []

    def scenario_defaults(self) -> dict:
        """Initial scenario inputs from the final phase (places, carers, other staff, m²);
        empty when the plan is suppressed or has no phase."""
        phase = self.capacity.final
        if self.suppressed or phase is None:
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
    per_month, answers, using = birth_month_counts(survey)
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
    )
    for scenario in scenarios_of(survey):
        try:
            result = cost_model(CostInputs.from_dict(scenario.inputs))
            plan.scenarios.append(ScenarioResult(scenario, result=result))
        except DomainError as exc:
            plan.scenarios.append(ScenarioResult(scenario, error=exc))
    return plan
