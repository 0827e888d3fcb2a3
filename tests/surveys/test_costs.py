"""Cost-sharing model to the fen, break-even occupancy and scenario comparison
(acceptance 2 of issue 4). Every expected figure is worked out in the comments."""

from decimal import Decimal as D

import pytest

from tuoyu.core.errors import DomainError
from tuoyu.surveys.planning.costs import CostInputs, compare, cost_model

BASE = {
    "places": 20,
    "carers": 5, "carer_salary": "6000",          # 30000.00
    "other_staff": 3, "other_salary": "5000",     # 15000.00
    "area_m2": "160", "rent_per_m2_month": "3.35",  # 536.00
    "meals_per_child_month": "450",               # 20 × 450 = 9000.00
    "utilities_month": "1200",
    "fitout_cost": "300000", "depreciation_months": 60,  # 5000.00
    "other_month": "800",
    "employer_month": "20000",
    "union_month": "3000",
    "subsidy_per_child_month": "500",             # 20 × 500 = 10000.00
    "subsidy_per_new_place": "10000",             # 20 × 10000 / 60 = 3333.33
    "parent_fee_month": "2000",                   # 40000.00
    "price_cap_month": "1800",
}


def _result(**changes):
    return cost_model(CostInputs.from_dict({**BASE, **changes}))


def test_total_monthly_cost_is_sum_of_rounded_lines():
    # 30000 + 15000 + 536 + 9000 + 1200 + 5000 + 800
    assert _result().total_cost == D("61536.00")


def test_cost_per_place_at_full_occupancy():
    # 61536.00 / 20
    assert _result().cost_per_place == D("3076.80")


def test_one_off_new_place_subsidy_is_amortised_half_up_to_the_fen():
    # 20 × 10000 / 60 = 3333.333… → 3333.33
    assert _result().income_lines["subsidy_new_places"] == D("3333.33")


def test_rent_is_area_times_rate_rounded_half_up():
    # 123.45 m² × ¥3.33 = 411.0885 → 411.09
    assert _result(area_m2="123.45", rent_per_m2_month="3.33").cost_lines["rent"] == D("411.09")


def test_no_rent_when_the_employer_provides_the_premises():
    assert _result(premises_provided=True).cost_lines["rent"] == D("0.00")


def test_split_per_place_between_employer_union_government_and_parents():
    # employer 20000/20 = 1000; union 3000/20 = 150; government (10000 + 3333.33)/20 =
    # 666.6665 → 666.67; parent 2000; balance (76333.33 − 61536)/20 = 739.8665 → 739.87
    r = _result()
    assert (
        r.employer_per_place, r.union_per_place, r.government_per_place,
        r.parent_per_place, r.balance_per_place,
    ) == (D("1000.00"), D("150.00"), D("666.67"), D("2000.00"), D("739.87"))


def test_break_even_occupancy_to_the_hundredth():
    # F = 61536 − 9000 = 52536; I = 20000 + 3000 + 3333.33 = 26333.33;
    # u − v = (2000 + 500) − 450 = 2050; x* = 26202.67 / 2050 = 12.78179… → 12.79 children,
    # 13 whole; occupancy 12.78179… / 20 = 63.9089…% → 63.91%
    r = _result()
    assert (r.break_even_children, r.break_even_whole, r.break_even_pct) == (
        D("12.79"), 13, D("63.91"),
    )


def test_break_even_fee_at_full_occupancy_is_rounded_up_to_the_fen():
    # (61536 − 26333.33 − 10000) / 20 = 1260.1335 → 1260.14
    assert _result().break_even_fee == D("1260.14")


def test_zero_break_even_when_contributions_cover_fixed_cost():
    r = _result(employer_month="60000")
    assert (r.break_even_children, r.break_even_pct) == (D("0.00"), D("0.00"))


def test_finding_when_fee_is_above_local_price_cap():
    assert [f.code for f in _result().findings] == ["SUR-070"]


def test_no_cap_finding_when_no_cap_is_given():
    assert _result(price_cap_month=None).findings == []


def test_finding_when_income_per_child_does_not_exceed_meals():
    # u = 300 + 100 = 400 ≤ v = 450 and F > I: never breaks even
    r = _result(parent_fee_month="300", subsidy_per_child_month="100", employer_month="0")
    assert (r.break_even_pct, [f.code for f in r.findings]) == (None, ["SUR-071"])


def test_finding_when_break_even_needs_more_children_than_places():
    # employer 0: I = 3000 + 3333.33 = 6333.33; gap 46202.67 / 2050 = 22.5379… → 23 > 20
    r = _result(employer_month="0", price_cap_month=None)
    assert (r.break_even_whole, [f.code for f in r.findings]) == (23, ["SUR-072"])


def test_scenarios_side_by_side_differ_only_by_rent():
    # provided premises: F = 52000; gap 25666.67 / 2050 = 12.52032… → 12.53, 62.61 %
    rented, provided = _result(), _result(premises_provided=True)
    rows = dict(compare([("租赁", rented), ("单位提供", provided)]))
    assert (rows["total_cost"], rows["break_even_pct"]) == (
        [D("61536.00"), D("61000.00")], [D("63.91"), D("62.61")],
    )


def test_rejects_money_given_as_float():
    with pytest.raises(DomainError) as exc:
        CostInputs.from_dict({**BASE, "carer_salary": 6000.5})
    assert (exc.value.code, exc.value.field) == ("SUR-063", "carer_salary")


def test_rejects_zero_depreciation_months():
    with pytest.raises(DomainError) as exc:
        CostInputs.from_dict({**BASE, "depreciation_months": 0})
    assert exc.value.field == "depreciation_months"


def test_missing_inputs_take_plan_defaults():
    inputs = CostInputs.from_dict({"carer_salary": "6000"}, defaults={"places": 23, "carers": 5})
    assert (inputs.places, inputs.carers) == (23, 5)


def test_inputs_round_trip_through_json():
    inputs = CostInputs.from_dict(BASE)
    assert CostInputs.from_dict(inputs.as_json()) == inputs
