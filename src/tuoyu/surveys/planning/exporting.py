"""XLSX of a survey plan (托位规划导出): projection, capacity plan and scenarios.

The same figures as the plan page, from the same :class:`~tuoyu.surveys.planning.selectors.SurveyPlan`
(so the file never holds more than the page). When the plan is suppressed (fewer than
``SURVEY_MIN_CELL`` answers would use the facility) the projection and capacity sheets
hold only that notice. Text cells are neutralised against formula injection
(:func:`tuoyu.facilities.exporting.neutralize`); numbers are typed cells.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tuoyu.core.errors import message_for
from tuoyu.facilities.exporting import neutralize
from tuoyu.surveys.planning.errors import SUR_PLAN_SUPPRESSED
from tuoyu.surveys.planning.labels import (
    CLASS_TYPE_LABELS,
    COMPARISON_LABELS,
    COST_LINE_LABELS,
    INCOME_LINE_LABELS,
)
from tuoyu.surveys.planning.projection import CLASS_TYPES


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        return value
    return neutralize(str(value))


def projection_rows(plan) -> list[list[Any]]:
    """Header and one row per month: month, counts per class type, total, not yet placed."""
    if plan.suppressed:
        return [[message_for(SUR_PLAN_SUPPRESSED, {"min_cell": plan.min_cell})]]
    header = [_("月份")] + [str(CLASS_TYPE_LABELS[t]) for t in CLASS_TYPES] + [_("合计"), _("未满收托月龄")]
    rows: list[list[Any]] = [header]
    for m in plan.projection.months:
        rows.append(
            [m.month.strftime("%Y-%m")] + [m.counts[t] for t in CLASS_TYPES] + [m.total, m.under]
        )
    return rows


def capacity_rows(plan) -> list[list[Any]]:
    """One block per phase: its month, then per class type places, classes, sizes and carers,
    then staff and areas."""
    if plan.suppressed:
        return [[message_for(SUR_PLAN_SUPPRESSED, {"min_cell": plan.min_cell})]]
    rows: list[list[Any]] = []
    if not plan.capacity.phases:
        return [[_("测算期内无需安排托位。")]]
    for phase in plan.capacity.phases:
        rows.append([_("第{n}期").format(n=phase.number), phase.month.strftime("%Y-%m")])
        rows.append([_("班型"), _("预计幼儿"), _("托位"), _("班级数"), _("各班人数"), _("保育人员")])
        for c in phase.classes:
            rows.append([
                str(CLASS_TYPE_LABELS[c.class_type]), c.children, c.places, c.classes,
                " / ".join(str(s) for s in c.class_sizes), c.carers,
            ])
        rows.append([_("托位合计"), phase.places])
        rows.append([_("保育人员合计"), phase.carers])
        rows.append([_("保健人员"), phase.health_workers, _("专职") if phase.health_full_time else _("专职或兼职")])
        rows.append([_("负责人"), phase.directors])
        rows.append([_("保安人员"), phase.security_guards])
        rows.append([_("建筑面积（平方米）"), phase.building_m2])
        rows.append([_("户外活动面积（平方米）"), phase.outdoor_m2])
        rows.append([])
    return rows


def scenario_rows(plan) -> list[list[Any]]:
    """Scenarios side by side: header of names, the comparison rows, then cost and income
    lines, then findings."""
    ok = [s for s in plan.scenarios if s.result is not None]
    if not ok:
        return [[_("尚无测算方案。")]]
    rows: list[list[Any]] = [[_("项目")] + [s.scenario.name for s in ok]]
    for key, label in COST_LINE_LABELS.items():
        rows.append([str(label)] + [s.result.cost_lines[key] for s in ok])
    for key, label in INCOME_LINE_LABELS.items():
        rows.append([str(label)] + [s.result.income_lines[key] for s in ok])
    for key, values in plan.comparison:
        rows.append([str(COMPARISON_LABELS[key])] + list(values))
    rows.append([_("提示")] + ["; ".join(f"{f.code} {f.message}" for f in s.result.findings) for s in ok])
    return rows


def plan_xlsx(plan, target: IO[bytes]) -> None:
    """Write the plan as an XLSX workbook to the binary file ``target`` (three sheets)."""
    wb = Workbook(write_only=True)
    for title, rows in (
        (_("需求预测"), projection_rows(plan)),
        (_("托位规划"), capacity_rows(plan)),
        (_("成本测算"), scenario_rows(plan)),
    ):
        ws = wb.create_sheet(title=title[:31])
        for row in rows:
            ws.append([_cell(v) for v in row])
    wb.save(target)
