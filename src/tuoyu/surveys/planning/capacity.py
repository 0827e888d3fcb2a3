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

Phases: phase 1 is the peak month of the first ``phase_months`` months; when the peak of
the whole window needs more than ``phase_growth_pct`` % more places, a phase 2 at that
later peak month is added; otherwise the single phase is the whole window's peak. The
peak month is the first month with the most places (ties: earliest).

Mixed class (混合编班, option ``allow_mixed``): when the children aged 18–36 months fit
one mixed class (cap ``STD-CAP-MIXED``) and placing them together saves a class, the
older-toddler class and the toddlers from 18 months form one mixed class (ratio
``STD-RATIO-MIXED``, a configurable default), the younger toddlers keep a toddler class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
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
    """Places, classes, class sizes and carers of one class type."""

    class_type: str
    children: Decimal
    places: int
    classes: int
    class_sizes: tuple[int, ...]
    carers: int
    cap: int
    ratio: int


@dataclass
class Phase:
    """One phase of the plan: the month it is sized for and its classes and staff."""

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

    @property
    def class_count(self) -> int:
        """Classes of all types."""
        return sum(c.classes for c in self.classes)

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

    Returns a :class:`Phase` (see the module docstring for each rule and its source).
    """
    counts = dict(month.counts)
    plans = [_class_plan(t, counts[t], rules) for t in CLASS_TYPES]
    if allow_mixed:
        plans = _mixed(plans, month, rules) or plans
    places = sum(p.places for p in plans)
    health = 0
    if places:
        health = max(1, math.ceil(places / rules.children_per_health_worker))
    director = 1 if places and "director" in rules.roles else 0
    guard = 1 if places and "security_guard" in rules.roles else 0
    return Phase(
        number=number,
        month=month.month,
        month_index=month.index,
        classes=plans,
        places=places,
        carers=sum(p.carers for p in plans),
        health_workers=health,
        health_full_time=places >= rules.full_time_health_from,
        directors=director,
        security_guards=guard,
        building_m2=_area(places, rules.building_m2_per_place),
        outdoor_m2=_area(places, rules.outdoor_m2_per_place),
    )


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


def _places(month: ProjectionMonth) -> int:
    return sum(ceil_decimal(v) for v in month.counts.values())


def _peak(months: list[ProjectionMonth]) -> ProjectionMonth | None:
    best = None
    for m in months:
        if best is None or _places(m) > _places(best):
            best = m
    return best


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
    growth (%, of phase 1 places) above which a phase 2 is added at the later peak;
    ``allow_mixed``: consider a mixed class (see the module docstring). No phases when no
    child is to be placed in the window.
    """
    plan = CapacityPlan(allow_mixed=allow_mixed)
    overall = _peak(projection.months)
    if overall is None or _places(overall) == 0:
        return plan
    early = _peak([m for m in projection.months if m.index < max(1, phase_months)]) or overall
    threshold = Decimal(_places(early)) * (1 + Decimal(phase_growth_pct) / 100)
    if early is not overall and Decimal(_places(overall)) > threshold and _places(early) > 0:
        plan.phases.append(phase_for(early, rules, number=1, allow_mixed=allow_mixed))
        plan.phases.append(phase_for(overall, rules, number=2, allow_mixed=allow_mixed))
    else:
        plan.phases.append(phase_for(overall, rules, number=1, allow_mixed=allow_mixed))
    return plan
