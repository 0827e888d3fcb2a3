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


def test_single_phase_when_growth_is_small():
    # phase 1 (months 0–11): 10 places; whole window: 11 ≤ 10 × 1.2 → one phase over the
    # whole window (last month 13), 11 places driven by month 13
    months = [_month(0, toddler=10), _month(13, toddler=11)]
    plan = capacity_plan(_projection(months), RULES, phase_months=12)
    assert [(p.number, p.month_index, p.places, p.places_month_index) for p in plan.phases] == [
        (1, 13, 11, 13),
    ]


def test_second_phase_when_later_demand_grows_more_than_threshold():
    # phase 1 (months 0–11) peaks at 10 places in month 5; the window peaks at 13 in
    # month 20, and 13 > 10 × 1.2 → phase 2 over the whole window
    months = [_month(0, toddler=8), _month(5, toddler=10), _month(20, toddler=13)]
    plan = capacity_plan(_projection(months), RULES, phase_months=12, phase_growth_pct=Decimal(20))
    assert [(p.number, p.month_index, p.places) for p in plan.phases] == [(1, 5, 10), (2, 20, 13)]


def test_phases_by_growth_when_new_births_join_a_cohort():
    # A cohort of 5 (infants in month 0, toddlers from month 12) and 5 births that are
    # infants from month 18. Phase 1 (months 0–11): 5 places; infants ceil(5/3) = 2
    # carers; 1 class. Whole window: month 18 has 5 infants + 5 toddlers = 10 places
    # (10 > 5 × 1.2 → phase 2); carers 2 + ceil(5/5) = 3 (month 24: 2 + ceil(5/7) = 3, a
    # tie, the first month wins); 2 classes.
    months = [_month(0, infant=5), _month(12, toddler=5), _month(18, infant=5, toddler=5),
              _month(24, infant=5, older=5)]
    plan = capacity_plan(_projection(months), RULES, phase_months=12)
    assert [(p.number, p.places, p.carers, p.class_count, p.carers_month_index)
            for p in plan.phases] == [(1, 5, 2, 1, 0), (2, 10, 3, 2, 18)]


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


def test_carers_cover_the_month_needing_the_most_even_when_it_is_not_the_peak_total():
    # The tester's case. Month 0 (2027-01): 20 toddlers — 2 classes, ceil(20/5) = 4
    # carers. Month 8 (2027-09): 9 infants (1 class, ceil(9/3) = 3 carers) and 9 older
    # toddlers (1 class, ceil(9/7) = 2 carers) = 5 carers. The plan has 5 carers, with the
    # classes of 2027-09 as its rows.
    months = [_month(0, toddler=20), _month(8, infant=9, older=9)]
    phase = capacity_plan(_projection(months), RULES, phase_months=12).final
    older = _by_type(phase)["older"]
    assert (phase.carers, phase.carers_month, older.children, older.carers, older.month) == (
        5, date(2027, 9, 1), Decimal("9.00"), 2, date(2027, 9, 1),
    )


def test_places_are_the_most_children_present_in_one_month():
    # same months: 20 children in 2027-01, 18 in 2027-09 → 20 places driven by 2027-01;
    # 20 × 8 m² = 160 m²
    months = [_month(0, toddler=20), _month(8, infant=9, older=9)]
    phase = capacity_plan(_projection(months), RULES, phase_months=12).final
    assert (phase.places, phase.places_month, phase.building_m2) == (
        20, date(2027, 1, 1), Decimal("160.00"),
    )


def test_one_cohort_moving_through_the_bands_is_counted_once():
    # 5 children born in one month: 5 infants (months 0–11), 5 toddlers (12–23), 5 older
    # (24–35). At most 5 are present in any month → 5 places, not 5 + 5 + 5 = 15. Carers:
    # infants ceil(5/3) = 2, toddlers ceil(5/5) = 1, older ceil(5/7) = 1 → 2 (month 0);
    # one class every month → 1 class.
    months = [_month(i, infant=5 if i < 12 else 0, toddler=5 if 12 <= i < 24 else 0,
                     older=5 if i >= 24 else 0) for i in range(36)]
    phase = capacity_plan(_projection(months), RULES, phase_months=12).final
    assert (phase.places, phase.carers, phase.class_count, phase.carers_month_index) == (5, 2, 1, 0)


def test_classes_are_the_most_of_any_month_even_when_another_month_needs_more_carers():
    # month 0: 10 infants → 1 class, ceil(10/3) = 4 carers; month 1: one child of each
    # type → 3 classes, 3 carers. Rooms 3 (month 1), carers 4 (month 0).
    months = [_month(0, infant=10), _month(1, infant=1, toddler=1, older=1)]
    phase = capacity_plan(_projection(months), RULES, phase_months=12).final
    assert (phase.class_count, phase.rooms_month_index, phase.carers, phase.carers_month_index) == (
        3, 1, 4, 0,
    )


def test_health_staff_follow_the_peak_places():
    # month 0: 40 + 60 + 60 = 160 children → ceil(160 / 150) = 2, full time; month 5: 10
    months = [_month(0, infant=40, toddler=60, older=60), _month(5, toddler=10)]
    phase = capacity_plan(_projection(months), RULES, phase_months=12).final
    assert (phase.places, phase.health_workers, phase.health_full_time) == (160, 2, True)


def test_month_places_are_the_ceiling_of_its_total_children():
    # 2.40 infants + 2.50 toddlers = 4.90 children → 5 places (the rows: 3 + 3)
    phase = phase_for(_month(0, infant="2.40", toddler="2.50"), RULES)
    assert (phase.places, [c.places for c in phase.classes]) == (5, [3, 3, 0])


def test_plan_meets_every_month_of_the_forecast():
    months = [_month(i, infant=(i * 7) % 11, toddler=(i * 5) % 17, older=(i * 3) % 13)
              for i in range(24)]
    phase = capacity_plan(_projection(months), RULES, phase_months=24).final
    needs = [phase_for(m, RULES) for m in months]
    assert (phase.carers, phase.class_count, phase.places) == (
        max(n.carers for n in needs), max(n.class_count for n in needs), max(n.places for n in needs),
    )
