"""Capacity plan against the rule table (acceptance 2 of issue 4).

National numbers (托育机构设置标准（试行） Art. 19–20): caps infant 10, toddler 15, older
20, mixed 18; children per carer 3, 5, 7 (mixed 5, configurable); one health worker per
150 children (卫生保健管理办法 Art. 12).
"""

import itertools
import math
from datetime import date
from decimal import Decimal

import pytest

from tuoyu.surveys.planning.capacity import PlanRules, capacity_plan, carers_for, phase_for
from tuoyu.surveys.planning.projection import Projection, ProjectionMonth

RULES = PlanRules(
    caps={"infant": 10, "toddler": 15, "older": 20, "mixed": 18},
    ratios={"infant": 3, "toddler": 5, "older": 7, "mixed": 5},
)


def _month(index, infant=0, toddler=0, older=0, mixed=0):
    counts = {k: Decimal(v).quantize(Decimal("0.01")) for k, v in
              (("infant", infant), ("toddler", toddler), ("older", older))}
    return ProjectionMonth(
        index=index, month=date(2027 + index // 12, index % 12 + 1, 1), counts=counts,
        raw={k: int(v) for k, v in counts.items()}, under=Decimal("0.00"),
        mixed_eligible=Decimal(mixed).quantize(Decimal("0.01")),
    )


def _projection(months):
    return Projection(
        as_of=date(2027, 1, 1), start=date(2027, 1, 1), months=months, respondents=10,
        respondents_counted=10, children_counted=10, scale=Decimal(1),
    )


def _by_type(phase):
    return {c.class_type: c for c in phase.classes}


def test_23_toddlers_need_two_classes_and_five_carers():
    # ceil(23 / 15) = 2 classes; ceil(23 / 5) = 5 carers spread 3 + 2, so classes of
    # 13 (ceil(13/5) = 3) and 10 (ceil(10/5) = 2)
    assert carers_for(23, cap=15, ratio=5) == (2, (13, 10), 5)


def test_18_toddlers_in_two_even_classes():
    # 2 classes, ceil(18/5) = 4 carers, 2 + 2 → 9 + 9
    assert carers_for(18, cap=15, ratio=5) == (2, (9, 9), 4)


def test_ten_infants_fill_one_class_with_four_carers():
    # 1 class of 10 at 1:3 → ceil(10/3) = 4
    assert carers_for(10, cap=10, ratio=3) == (1, (10,), 4)


def test_twenty_infants_need_two_full_classes_and_eight_carers():
    # 2 classes of 10 → 4 + 4
    assert carers_for(20, cap=10, ratio=3) == (2, (10, 10), 8)


@pytest.mark.parametrize(("cap", "ratio"), [(10, 3), (15, 5), (20, 7), (18, 5), (4, 6)])
def test_class_sizes_need_the_fewest_carers_possible(cap, ratio):
    for n in range(1, 3 * cap + 1):
        classes, sizes, carers = carers_for(n, cap=cap, ratio=ratio)
        best = min(
            sum(math.ceil(s / ratio) for s in split)
            for split in itertools.product(range(1, cap + 1), repeat=classes)
            if sum(split) == n
        )
        assert (sum(sizes), max(sizes) <= cap, min(sizes) >= 1, carers) == (n, True, True, best), n


def test_places_are_the_ceiling_of_fractional_demand():
    phase = phase_for(_month(0, infant="4.10"), RULES)
    assert _by_type(phase)["infant"].places == 5


def test_phase_counts_classes_carers_and_places_per_class_type():
    # infant 7 → 1 class, ceil(7/3)=3; toddler 23 → 2 classes, 5; older 21 → 2 classes,
    # ceil(21/7) = 3 carers. Places 51, carers 11.
    phase = phase_for(_month(0, infant=7, toddler=23, older=21), RULES)
    summary = [(c.class_type, c.places, c.classes, c.carers) for c in phase.classes]
    assert (summary, phase.places, phase.carers) == (
        [("infant", 7, 1, 3), ("toddler", 23, 2, 5), ("older", 21, 2, 3)], 51, 11,
    )


def test_one_part_time_health_worker_below_150_children():
    phase = phase_for(_month(0, toddler=23), RULES)
    assert (phase.health_workers, phase.health_full_time) == (1, False)


def test_two_full_time_health_workers_for_160_children():
    # ceil(160 / 150) = 2, full time from 150
    phase = phase_for(_month(0, infant=40, toddler=60, older=60), RULES)
    assert (phase.places, phase.health_workers, phase.health_full_time) == (160, 2, True)


def test_director_and_security_guard_when_required_roles_list_them():
    phase = phase_for(_month(0, toddler=1), RULES)
    assert (phase.directors, phase.security_guards, phase.other_staff) == (1, 1, 3)


def test_floor_areas_are_places_times_area_per_place():
    # 23 places × 8 m² = 184 m²; × 3 m² outdoor = 69 m²
    phase = phase_for(_month(0, toddler=23), RULES)
    assert (phase.building_m2, phase.outdoor_m2) == (Decimal("184.00"), Decimal("69.00"))


def test_single_phase_at_the_peak_month_when_growth_is_small():
    months = [_month(0, toddler=10), _month(13, toddler=11)]
    plan = capacity_plan(_projection(months), RULES, phase_months=12)
    assert [(p.number, p.month_index, p.places) for p in plan.phases] == [(1, 13, 11)]


def test_second_phase_when_later_demand_grows_more_than_threshold():
    # early peak 10 places; later 13 > 10 × 1.2 → phase 2 at month 20
    months = [_month(0, toddler=8), _month(5, toddler=10), _month(20, toddler=13)]
    plan = capacity_plan(_projection(months), RULES, phase_months=12, phase_growth_pct=Decimal(20))
    assert [(p.number, p.month_index, p.places) for p in plan.phases] == [(1, 5, 10), (2, 20, 13)]


def test_no_phase_when_nobody_is_to_be_placed():
    plan = capacity_plan(_projection([_month(0)]), RULES)
    assert plan.final is None


def test_mixed_class_joins_older_and_toddlers_from_18_months_when_it_saves_a_class():
    # toddlers 8 (of whom 3 are 18+), older 4: separately 1 + 1 classes (2); mixed option:
    # 5 toddlers under 18 months in a toddler class, 3 + 4 = 7 in one mixed class — still
    # 2 classes, so no change. With 3 toddlers all 18+: 1 mixed class of 7 instead of 2.
    kept = phase_for(_month(0, toddler=8, older=4, mixed=7), RULES, allow_mixed=True)
    mixed = phase_for(_month(0, toddler=3, older=4, mixed=7), RULES, allow_mixed=True)
    assert (
        [c.class_type for c in kept.classes if c.classes],
        [(c.class_type, c.places, c.carers) for c in mixed.classes if c.classes],
    ) == (["toddler", "older"], [("mixed", 7, 2)])
