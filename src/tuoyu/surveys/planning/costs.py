"""Cost-sharing model (成本分担测算) of a planned facility, one scenario at a time.

Pure calculation with ``Decimal`` yuan (ADR 0057). All amounts are per month unless the
name says otherwise.

Cost (运营成本):

- carers × carer salary, other staff × other salary (monthly, incl. social insurance);
- rent = area (m²) × rent per m² per month, or 0 when the employer provides the
  premises (``premises_provided``);
- meals per enrolled child; utilities; other;
- fit-out depreciation = fit-out cost ÷ depreciation months (straight line).

Income (收入):

- employer contribution and union funds (fixed ¥ per month);
- government operating subsidy per enrolled child per month (运营补贴);
- government one-off subsidy per new place (建设补贴), amortised over the depreciation
  months: places × subsidy ÷ depreciation months;
- the parent fee per enrolled child per month (家长保育费).

Every line item is rounded half-up to the fen (:func:`tuoyu.core.money.to_money`); the
totals are sums of the rounded lines, so a table of them adds up. Per-place figures are
the full-occupancy totals ÷ places, rounded half-up to the fen.

Break-even occupancy (收支平衡入托率). With F the fixed monthly cost (every cost line but
meals), v the meals per child, I the fixed monthly income (employer + union + amortised
one-off subsidy) and u the income per enrolled child (fee + operating subsidy), income at
x enrolled children is I + u·x and cost is F + v·x. The break-even enrolment is
x* = max(0, (F − I) ÷ (u − v)) when u > v; the break-even occupancy is x* ÷ places. Both
are rounded UP (to 0.01 child and 0.01 %), so at the figure shown income covers cost;
``break_even_whole`` is the whole number of children ⌈x*⌉. When u ≤ v and F > I no
occupancy breaks even (finding ``SUR-071``); x* above the places gives ``SUR-072``.
The break-even fee is the parent fee that balances at full occupancy, rounded up to the
fen.

The parent fee is checked against the local 普惠 price cap when one is given (caps are
set locally; finding ``SUR-070``). Source of the cap check: 2024 全国爱心托育用人单位
criteria (price ≤ the local 普惠 price standard), policy-facts §5.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tuoyu.core.errors import DomainError
from tuoyu.core.money import to_money
from tuoyu.surveys.planning.errors import (
    SUR_BREAK_EVEN_ABOVE_CAPACITY,
    SUR_BREAK_EVEN_NEVER,
    SUR_FEE_ABOVE_CAP,
    SUR_NO_PLACES,
    SUR_PLAN_INPUT,
)

ZERO = Decimal("0.00")
HUNDREDTH = Decimal("0.01")

#: Inputs that are money (¥); all must be ≥ 0.
MONEY_FIELDS = (
    "carer_salary",
    "other_salary",
    "rent_per_m2_month",
    "meals_per_child_month",
    "utilities_month",
    "fitout_cost",
    "other_month",
    "employer_month",
    "union_month",
    "subsidy_per_child_month",
    "subsidy_per_new_place",
    "parent_fee_month",
)
#: Inputs that are whole numbers ≥ 0 (``depreciation_months`` ≥ 1).
INT_FIELDS = ("places", "carers", "other_staff", "depreciation_months")


@dataclass(frozen=True)
class CostInputs:
    """The inputs of one scenario (``PlanScenario.inputs``).

    Counts: ``places`` (托位), ``carers`` and ``other_staff`` (persons),
    ``depreciation_months`` (months, ≥ 1). ``area_m2``: building area, m². Money in ¥:
    salaries per person per month incl. social insurance, ``rent_per_m2_month`` (¥ per m²
    per month), ``meals_per_child_month``, ``utilities_month``, ``other_month``,
    ``fitout_cost`` (one-off), ``employer_month``, ``union_month``,
    ``subsidy_per_child_month``, ``subsidy_per_new_place`` (one-off per place),
    ``parent_fee_month``, ``price_cap_month`` (None = no local cap known).
    """

    places: int
    carers: int = 0
    carer_salary: Decimal = ZERO
    other_staff: int = 0
    other_salary: Decimal = ZERO
    area_m2: Decimal = ZERO
    premises_provided: bool = False
    rent_per_m2_month: Decimal = ZERO
    meals_per_child_month: Decimal = ZERO
    utilities_month: Decimal = ZERO
    fitout_cost: Decimal = ZERO
    depreciation_months: int = 60
    other_month: Decimal = ZERO
    employer_month: Decimal = ZERO
    union_month: Decimal = ZERO
    subsidy_per_child_month: Decimal = ZERO
    subsidy_per_new_place: Decimal = ZERO
    parent_fee_month: Decimal = ZERO
    price_cap_month: Decimal | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, defaults: dict[str, Any] | None = None) -> CostInputs:
        """Build inputs from JSON-like ``data`` (strings or ints; no floats for money).

        Missing keys take ``defaults`` (e.g. places, carers and area from the capacity
        plan), then the dataclass defaults. Raises DomainError ``SUR-063`` naming the
        first invalid field.
        """
        merged = {**(defaults or {}), **{k: v for k, v in (data or {}).items() if v not in (None, "")}}
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in merged:
                continue
            raw = merged[f.name]
            values[f.name] = _parse(f.name, raw)
        if "places" not in values:
            raise DomainError(SUR_PLAN_INPUT, {"field": "places", "detail": _("必填")}, field="places")
        return cls(**values)

    def as_json(self) -> dict[str, Any]:
        """The inputs as JSON-safe values (money and area as strings)."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            out[key] = str(value) if isinstance(value, Decimal) else value
        return out


def _parse(name: str, raw: Any) -> Any:
    def bad(detail) -> DomainError:
        return DomainError(SUR_PLAN_INPUT, {"field": name, "detail": detail}, field=name)

    if name == "premises_provided":
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("1", "true", "yes", "on"):
            return True
        if str(raw).lower() in ("0", "false", "no", "off"):
            return False
        raise bad(_("应为是或否"))
    if name in INT_FIELDS:
        if isinstance(raw, (bool, float)):
            raise bad(_("应为整数"))
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise bad(_("应为整数")) from None
        low = 1 if name == "depreciation_months" else 0
        if value < low or value > 1_000_000:
            raise bad(_("应在{low}至1000000之间").format(low=low))
        return value
    if name == "area_m2":
        if isinstance(raw, float):
            raise bad(_("应为数字"))
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise bad(_("应为数字")) from None
        if not value.is_finite() or value < 0:
            raise bad(_("不能为负数"))
        return value.quantize(HUNDREDTH)
    try:
        value = to_money(raw)
    except ValueError:
        raise bad(_("应为金额")) from None
    if value < 0:
        raise bad(_("不能为负数"))
    return value


@dataclass
class Finding:
    """A remark on a scenario: a stable ``code`` and its message ``params``."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the active language."""
        from tuoyu.core.errors import message_for

        return message_for(self.code, self.params)


@dataclass
class CostResult:
    """The outcome of one scenario (¥ per month unless named otherwise).

    ``cost_lines``/``income_lines``: item → ¥ at full occupancy; ``fixed_cost``,
    ``variable_cost_per_child``, ``fixed_income``, ``income_per_child``; ``total_cost``,
    ``total_income``, ``balance`` at full occupancy; ``cost_per_place`` and the split per
    place (``employer_per_place``, ``union_per_place``, ``government_per_place``,
    ``parent_per_place``, ``balance_per_place``); break-even (``break_even_children``,
    ``break_even_whole``, ``break_even_pct`` — None when never reached) and
    ``break_even_fee``; ``findings``.
    """

    inputs: CostInputs
    cost_lines: dict[str, Decimal]
    income_lines: dict[str, Decimal]
    fixed_cost: Decimal
    variable_cost_per_child: Decimal
    fixed_income: Decimal
    income_per_child: Decimal
    total_cost: Decimal
    total_income: Decimal
    balance: Decimal
    cost_per_place: Decimal | None
    employer_per_place: Decimal | None
    union_per_place: Decimal | None
    government_per_place: Decimal | None
    parent_per_place: Decimal
    balance_per_place: Decimal | None
    break_even_children: Decimal | None
    break_even_whole: int | None
    break_even_pct: Decimal | None
    break_even_fee: Decimal | None
    findings: list[Finding]


def _up(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_CEILING)


def cost_model(inputs: CostInputs) -> CostResult:
    """Compute the monthly cost, the split and break-even of one scenario.

    Takes :class:`CostInputs`; returns :class:`CostResult` (see the module docstring for
    every definition). Never raises for valid inputs: unreachable break-even, a fee above
    the cap and zero places are reported as findings (``SUR-070`` … ``SUR-073``).
    """
    i = inputs
    places = i.places
    months = i.depreciation_months
    rent = ZERO if i.premises_provided else to_money(i.area_m2 * i.rent_per_m2_month)
    cost_lines = {
        "carers": to_money(i.carers * i.carer_salary),
        "other_staff": to_money(i.other_staff * i.other_salary),
        "rent": rent,
        "meals": to_money(places * i.meals_per_child_month),
        "utilities": to_money(i.utilities_month),
        "depreciation": to_money(i.fitout_cost / months),
        "other": to_money(i.other_month),
    }
    new_place_month = to_money(places * i.subsidy_per_new_place / months)
    income_lines = {
        "employer": to_money(i.employer_month),
        "union": to_money(i.union_month),
        "subsidy_operating": to_money(places * i.subsidy_per_child_month),
        "subsidy_new_places": new_place_month,
        "parent_fees": to_money(places * i.parent_fee_month),
    }
    variable_cost = to_money(i.meals_per_child_month)
    fixed_cost = sum((v for k, v in cost_lines.items() if k != "meals"), ZERO)
    fixed_income = income_lines["employer"] + income_lines["union"] + new_place_month
    per_child = to_money(i.parent_fee_month + i.subsidy_per_child_month)
    total_cost = sum(cost_lines.values(), ZERO)
    total_income = sum(income_lines.values(), ZERO)
    findings: list[Finding] = []

    def per_place(amount: Decimal) -> Decimal | None:
        return to_money(amount / places) if places else None

    be_children = be_pct = be_fee = None
    be_whole = None
    if places == 0:
        findings.append(Finding(SUR_NO_PLACES))
    else:
        gap = fixed_cost - fixed_income
        margin = per_child - variable_cost
        if gap <= 0:
            be_exact = Decimal(0)
        elif margin > 0:
            be_exact = gap / margin
        else:
            be_exact = None
            findings.append(Finding(SUR_BREAK_EVEN_NEVER, {"income": per_child, "cost": variable_cost}))
        if be_exact is not None:
            be_children = _up(be_exact)
            be_whole = int(be_exact.to_integral_value(rounding=ROUND_CEILING))
            be_pct = _up(be_exact * 100 / places)
            if be_exact > places:
                findings.append(
                    Finding(
                        SUR_BREAK_EVEN_ABOVE_CAPACITY,
                        {"children": be_children, "pct": be_pct, "places": places},
                    )
                )
        fee_needed = (total_cost - fixed_income - income_lines["subsidy_operating"]) / places
        be_fee = max(ZERO, _up(fee_needed))
    if i.price_cap_month is not None and i.parent_fee_month > i.price_cap_month:
        findings.append(Finding(SUR_FEE_ABOVE_CAP, {"fee": i.parent_fee_month, "cap": i.price_cap_month}))
    government = income_lines["subsidy_operating"] + new_place_month
    return CostResult(
        inputs=i,
        cost_lines=cost_lines,
        income_lines=income_lines,
        fixed_cost=fixed_cost,
        variable_cost_per_child=variable_cost,
        fixed_income=fixed_income,
        income_per_child=per_child,
        total_cost=total_cost,
        total_income=total_income,
        balance=total_income - total_cost,
        cost_per_place=per_place(total_cost),
        employer_per_place=per_place(income_lines["employer"]),
        union_per_place=per_place(income_lines["union"]),
        government_per_place=per_place(government),
        parent_per_place=to_money(i.parent_fee_month),
        balance_per_place=per_place(total_income - total_cost),
        break_even_children=be_children,
        break_even_whole=be_whole,
        break_even_pct=be_pct,
        break_even_fee=be_fee,
        findings=findings,
    )


#: Rows of the side-by-side comparison: (attribute of CostResult, kind).
COMPARISON_ROWS = (
    ("total_cost", "money"),
    ("cost_per_place", "money"),
    ("employer_per_place", "money"),
    ("union_per_place", "money"),
    ("government_per_place", "money"),
    ("parent_per_place", "money"),
    ("balance_per_place", "money"),
    ("balance", "money"),
    ("break_even_whole", "count"),
    ("break_even_pct", "percent"),
    ("break_even_fee", "money"),
)


def compare(results: list[tuple[str, CostResult]]) -> list[tuple[str, list[Any]]]:
    """Side-by-side table of scenarios: one row per :data:`COMPARISON_ROWS` entry.

    ``results``: (scenario name, result) in display order. Returns
    ``[(row key, [value per scenario, …]), …]``; a value is None where not defined.
    """
    return [(key, [getattr(r, key) for _, r in results]) for key, _ in COMPARISON_ROWS]
