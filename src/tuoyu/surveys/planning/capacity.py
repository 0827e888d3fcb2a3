"""Capacity plan (托位规划) from a projection and the rule table.

Pure calculation; the numbers of the rule table arrive in :class:`PlanRules` (built by
:func:`tuoyu.surveys.planning.selectors.plan_rules` from ``rule_get``/``rules_in_force``).

Per class type at a phase month (ADR 0056):

- places = ceil(expected children) (托位);
- classes = ceil(places / class cap) (班级; caps 托育机构设置标准（试行） Art. 19,
  ``STD-CAP-*``);
- carers = Σ over classes of ceil(class size / children per carer) (保育人员; ratios
  Art. 20, ``STD-RATIO-*``), with the class sizes chosen to need the fewest carers
  (:func:`carers_for`): e.g. 23 toddlers, cap 15, 1:5 → classes of 13 and 10 → 3 + 2 = 5.
- health staff (保健人员) = max(1, ceil(places / 150)), full-time required from 150
  children (托儿所幼儿园卫生保健管理办法 Art. 12, ``STD-HEALTH-STAFF``); one director
  (负责人) and one security guard (保安人员) when ``STD-STAFF-ROLES`` lists them.
- building area = places × m² per place, outdoor area = places × m² per place: from
  ``STD-AREA-BUILDING``/``STD-AREA-OUTDOOR`` when the rule table sets them, otherwise
  the settings (no national figure was verified; policy-facts §1).

Months (ADR 0056): the requirement is worked out for EVERY month of a phase's range from
that month's children per class type (:func:`phase_for`: classes, carers, health staff,
director, area), because a facility re-forms its classes as the children age. The phase
then takes:

- places = ceil(the most children present in any one month) — one cohort moving from
  band to band is counted once (5 children born in one month → 5 places, not 5 per band);
- carers = the most carers any one month needs; the per-type rows (classes, class sizes,
  carers) are those of that month (the first such month);
- classes (rooms) = the most classes any one month needs (the first such month);
- health staff, director, security guard and floor areas from the peak places.

Each figure names the month that drives it. Phase 1 covers the first ``phase_months``
months; when the whole window needs more than ``phase_growth_pct`` % more places than
phase 1, a phase 2 sized on the whole window is added; otherwise the single phase is sized
on the whole window.

Mixed class (混合编班, option ``allow_mixed``): when the children aged 18–36 months fit
one mixed class (cap ``STD-CAP-MIXED``) and placing them together saves a class, the
older-toddler class and the toddlers from 18 months form one mixed class (ratio
``STD-RATIO-MIXED``, a configurable default), the younger toddlers keep a toddler class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from tuoyu.surveys.planning.projection import CLASS_TYPES, Projection, ProjectionMonth

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class PlanRules:
    """The rule-table numbers a plan needs.

    ``caps`` and ``ratios``: class type (infant, toddler, older, mixed) → children;
    ``children_per_health_worker``/``full_time_health_from``: children; ``roles``: staff
    roles required; ``building_m2_per_place``/``outdoor_m2_per_place``: m² per place.
    """

    caps: dict[str, int]
    ratios: dict[str, int]
    children_per_health_worker: int = 150
    full_time_health_from: int = 150
    roles: tuple[str, ...] = ("director", "carer", "health_worker", "security_guard")
    building_m2_per_place: Decimal = Decimal("8")
    outdoor_m2_per_place: Decimal = Decimal("3")


@dataclass(frozen=True)
class ClassPlan:
    """Places, classes, class sizes and carers of one class type; ``month``/``month_index``:
    the month these classes are formed for (in a phase: the month needing the most
    carers), None when not known."""

    class_type: str
    children: Decimal
    places: int
    classes: int
    class_sizes: tuple[int, ...]
    carers: int
    cap: int
    ratio: int
    month: date | None = None
    month_index: int | None = None


@dataclass
class Phase:
    """One phase of the plan: its classes and staff.

    ``month``/``month_index``: the last month of the phase's range of months;
    ``first_month``: its first month. ``classes``: per class type, the classes and carers
    of the month that needs the most carers (``carers_month``). ``places``: ceil of the
    most children in one month (``places_month``); ``rooms``: the most classes in one month
    (``rooms_month``). Health staff, director, guard and areas follow ``places``. For a
    phase sized from one month (:func:`phase_for`) every driving month is that month.
    """

    number: int
    month: date
    month_index: int
    classes: list[ClassPlan]
    places: int
    carers: int
    health_workers: int
    health_full_time: bool
    directors: int
    security_guards: int
    building_m2: Decimal
    outdoor_m2: Decimal
    rooms: int = 0
    first_month: date | None = None
    places_month: date | None = None
    places_month_index: int | None = None
    carers_month: date | None = None
    carers_month_index: int | None = None
    rooms_month: date | None = None
    rooms_month_index: int | None = None
    #: Set by the plan selector after suppression (ADR 0055): the class rows that may be
    #: shown, and whether the phase totals may be shown.
    shown_classes: list[ClassPlan] = field(default_factory=list)
    totals_shown: bool = True

    @property
    def class_count(self) -> int:
        """Classes (rooms) the phase needs: the most classes of any one month."""
        return self.rooms

    @property
    def driving_months(self) -> dict[str, int | None]:
        """The month index behind each figure: ``places``, ``carers``, ``rooms``."""
        return {"places": self.places_month_index, "carers": self.carers_month_index,
                "rooms": self.rooms_month_index}

    @property
    def other_staff(self) -> int:
        """Staff other than carers: health workers, director, security guards."""
        return self.health_workers + self.directors + self.security_guards


@dataclass
class CapacityPlan:
    """The plan: one or two phases; ``final`` is the last (largest) one."""

    phases: list[Phase] = field(default_factory=list)
    allow_mixed: bool = False

    @property
    def final(self) -> Phase | None:
        """The last phase (None when nobody is to be placed in the window)."""
        return self.phases[-1] if self.phases else None


def ceil_decimal(value: Decimal) -> int:
    """Smallest whole number ≥ ``value``."""
    return int(Decimal(value).to_integral_value(rounding=ROUND_CEILING))


def carers_for(children: int, *, cap: int, ratio: int) -> tuple[int, tuple[int, ...], int]:
    """Return (classes, class sizes, carers) for ``children`` of one class type.

    Classes = ceil(children / cap). Carers = Σ ceil(size / ratio) is the fewest possible for
    that number of classes: ceil(children / ratio) while every class can hold a multiple
    of ``ratio`` children, plus one carer per class that must go above the largest such
    multiple below the cap. The carers are spread evenly over the classes and the children
    evenly within what each class's carers and the cap allow (23 toddlers, cap 15, 1:5 →
    classes of 13 and 10, 3 + 2 carers). 0 children → (0, (), 0). Raises ValueError for
    cap or ratio < 1.
    """
    if cap < 1 or ratio < 1:
        raise ValueError("class cap and ratio must be at least 1")
    if children <= 0:
        return 0, (), 0
    classes = math.ceil(children / cap)
    full = (cap // ratio) * ratio  # the most children a class holds with no idle carer capacity
    if full == 0:  # cap below the ratio: one carer per class whatever its size
        total = classes
    elif children <= classes * full:
        total = math.ceil(children / ratio)
    else:  # some classes go above ``full`` and need one more carer each
        total = classes * (full // ratio) + math.ceil((children - classes * full) / (cap - full))
    # spread the carers evenly, then the children evenly within what each class's carers
    # and the cap allow: the fewest carers, and classes as even as that permits
    per_class = [total // classes + (1 if i < total % classes else 0) for i in range(classes)]
    room = [min(cap, max(1, c) * ratio) for c in per_class]
    sizes = [0] * classes
    left = children
    while left:
        for i in range(classes):
            if left and sizes[i] < room[i]:
                sizes[i] += 1
                left -= 1
    carers = sum(math.ceil(s / ratio) for s in sizes)
    return classes, tuple(sizes), carers


def _class_plan(class_type: str, children: Decimal, rules: PlanRules) -> ClassPlan:
    places = ceil_decimal(children)
    cap, ratio = rules.caps[class_type], rules.ratios[class_type]
    classes, sizes, carers = carers_for(places, cap=cap, ratio=ratio)
    return ClassPlan(class_type, children, places, classes, sizes, carers, cap, ratio)


def phase_for(month: ProjectionMonth, rules: PlanRules, *, number: int = 1, allow_mixed: bool = False) -> Phase:
    """Size classes, staff and area for the children of one projection ``month``.

    Returns a :class:`Phase` whose every figure is driven by ``month``: per class type
    places = ceil(children), classes and carers (:func:`carers_for`); places = ceil(the
    month's total children); rooms = Σ classes; staff and areas from places (see the
    module docstring for each rule and its source).
    """
    counts = dict(month.counts)
    plans = [_class_plan(t, counts[t], rules) for t in CLASS_TYPES]
    if allow_mixed:
        plans = _mixed(plans, month, rules) or plans
    plans = [replace(p, month=month.month, month_index=month.index) for p in plans]
    phase = Phase(
        number=number,
        month=month.month,
        month_index=month.index,
        classes=plans,
        places=0,
        carers=sum(p.carers for p in plans),
        health_workers=0,
        health_full_time=False,
        directors=0,
        security_guards=0,
        building_m2=Decimal("0.00"),
        outdoor_m2=Decimal("0.00"),
        rooms=sum(p.classes for p in plans),
        first_month=month.month,
        carers_month=month.month,
        carers_month_index=month.index,
        rooms_month=month.month,
        rooms_month_index=month.index,
    )
    _staff_and_area(phase, ceil_decimal(month.total), month, rules)
    return phase


def _staff_and_area(phase: Phase, places: int, month: ProjectionMonth, rules: PlanRules) -> None:
    """Set places (driven by ``month``), health staff, director, guard and areas."""
    phase.places = places
    phase.places_month, phase.places_month_index = month.month, month.index
    phase.health_workers = max(1, math.ceil(places / rules.children_per_health_worker)) if places else 0
    phase.health_full_time = places >= rules.full_time_health_from
    phase.directors = 1 if places and "director" in rules.roles else 0
    phase.security_guards = 1 if places and "security_guard" in rules.roles else 0
    phase.building_m2 = _area(places, rules.building_m2_per_place)
    phase.outdoor_m2 = _area(places, rules.outdoor_m2_per_place)


def _mixed(plans: list[ClassPlan], month: ProjectionMonth, rules: PlanRules) -> list[ClassPlan] | None:
    infant, toddler, older = plans
    if older.places == 0 or "mixed" not in rules.caps:
        return None
    mixed_children = month.mixed_eligible
    mixed_places = ceil_decimal(mixed_children)
    young_toddlers = max(Decimal(0), toddler.children - (mixed_children - older.children))
    if mixed_places > rules.caps["mixed"]:
        return None
    young = _class_plan("toddler", young_toddlers, rules)
    mixed = _class_plan("mixed", mixed_children, rules)
    if young.classes + mixed.classes >= toddler.classes + older.classes:
        return None
    return [infant, young, mixed]


def _area(places: int, per_place: Decimal) -> Decimal:
    return (Decimal(places) * Decimal(per_place)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _first_peak(months: list, key):
    """The first item of ``months`` with the largest ``key``."""
    best = months[0]
    for m in months[1:]:
        if key(m) > key(best):
            best = m
    return best


def phase_over(
    months: list[ProjectionMonth], rules: PlanRules, *, number: int = 1, allow_mixed: bool = False
) -> Phase:
    """Size one phase so that it meets the requirement of every month of ``months``.

    Each month is sized on its own (:func:`phase_for`); the phase takes places = ceil(the
    most children in one month), carers = the most carers of one month (with that month's
    per-type rows), rooms = the most classes of one month, staff and areas from places.
    Ties go to the earliest month. ``month``/``month_index`` are the last of ``months``.
    Raises ValueError for an empty ``months``.
    """
    if not months:
        raise ValueError("a phase needs at least one month")
    needs = [phase_for(m, rules, number=number, allow_mixed=allow_mixed) for m in months]
    by_carers = _first_peak(needs, lambda n: n.carers)
    by_rooms = _first_peak(needs, lambda n: n.rooms)
    by_places = _first_peak(months, lambda m: m.total)
    last = months[-1]
    phase = replace(
        by_carers,
        month=last.month,
        month_index=last.index,
        first_month=months[0].month,
        rooms=by_rooms.rooms,
        rooms_month=by_rooms.rooms_month,
        rooms_month_index=by_rooms.rooms_month_index,
        shown_classes=[],
    )
    _staff_and_area(phase, ceil_decimal(by_places.total), by_places, rules)
    return phase


def _peak_places(months: list[ProjectionMonth]) -> int:
    return ceil_decimal(max(m.total for m in months)) if months else 0


def capacity_plan(
    projection: Projection,
    rules: PlanRules,
    *,
    phase_months: int = 12,
    phase_growth_pct: Decimal = Decimal("20"),
    allow_mixed: bool = False,
) -> CapacityPlan:
    """Return the :class:`CapacityPlan` for ``projection``.

    ``phase_months``: months of the window phase 1 is sized for; ``phase_growth_pct``:
    growth (%, of phase 1 places) above which a phase 2 sized on the whole window is
    added; ``allow_mixed``: consider a mixed class (see the module docstring). Every month
    of a phase's range is sized and the phase meets each of them (:func:`phase_over`).
    No phases when no child is to be placed in the window.
    """
    plan = CapacityPlan(allow_mixed=allow_mixed)
    overall_places = _peak_places(projection.months)
    if overall_places == 0:
        return plan
    early = [m for m in projection.months if m.index < max(1, phase_months)]
    early_places = _peak_places(early)
    threshold = Decimal(early_places) * (1 + Decimal(phase_growth_pct) / 100)
    if early_places > 0 and Decimal(overall_places) > threshold and len(early) < len(projection.months):
        plan.phases.append(phase_over(early, rules, number=1, allow_mixed=allow_mixed))
        plan.phases.append(phase_over(projection.months, rules, number=2, allow_mixed=allow_mixed))
    else:
        plan.phases.append(phase_over(projection.months, rules, number=1, allow_mixed=allow_mixed))
    return plan
