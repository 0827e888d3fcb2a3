"""XLSX of a survey plan (托位规划导出): projection, capacity plan and scenarios.

The same figures as the plan page, from the same :class:`~tuoyu.surveys.planning.selectors.SurveyPlan`
(so the file never holds more than the page). When the plan is suppressed (fewer than
``SURVEY_MIN_CELL`` answers would use the facility) the projection and capacity sheets
hold only that notice. Written by :func:`tuoyu.surveys.results.write_xlsx`: text cells are
neutralised against formula injection; numbers are typed cells.
"""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _

from tuoyu.core.errors import message_for
from tuoyu.surveys.planning.errors import SUR_PLAN_SUPPRESSED
from tuoyu.surveys.planning.labels import (
    CLASS_TYPE_LABELS,
    COMPARISON_LABELS,
    COST_LINE_LABELS,
    INCOME_LINE_LABELS,
)
from tuoyu.surveys.planning.projection import CLASS_TYPES
from tuoyu.surveys.results import suppressed_marker, suppression_note, write_xlsx


def projection_rows(plan) -> list[list[Any]]:
    """Header and one row per month: month, counts per class type, total, not yet placed."""
    if plan.suppressed:
        return [[message_for(SUR_PLAN_SUPPRESSED, {"min_cell": plan.min_cell})]]
    header = [_("月份")] + [str(CLASS_TYPE_LABELS[t]) for t in CLASS_TYPES] + [_("合计"), _("未满收托月龄")]
    rows: list[list[Any]] = [header]
    for row in plan.months:
        rows.append(
            [row.month.month.strftime("%Y-%m")]
            + [_shown(v) for v in row.values] + [_shown(row.total), _shown(row.under)]
        )
    rows.append([suppression_note()])
    return rows


def _shown(value):
    return suppressed_marker() if value is None else value


def _ym(value) -> str:
    return value.strftime("%Y-%m") if value else ""


def capacity_rows(plan) -> list[list[Any]]:
    """One block per phase: its range of months; per class type the classes of the month
    needing the most carers (month, children, places, classes, sizes, carers); then places,
    classes, carers, staff and areas, each with the month that drives it (ADR 0056)."""
    if plan.suppressed:
        return [[message_for(SUR_PLAN_SUPPRESSED, {"min_cell": plan.min_cell})]]
    rows: list[list[Any]] = []
    if not plan.capacity.phases:
        return [[_("测算期内无需安排托位。")]]
    for phase in plan.capacity.phases:
        rows.append([_("第{n}期").format(n=phase.number), _ym(phase.first_month), _ym(phase.month)])
        rows.append([_("班型"), _("月份"), _("预计幼儿"), _("托位"), _("班级数"), _("各班人数"),
                     _("保育人员")])
        for c in phase.classes:
            label = str(CLASS_TYPE_LABELS.get(c.class_type, c.class_type))
            if c not in phase.shown_classes:
                rows.append([label, suppressed_marker()])
                continue
            rows.append([
                label, _ym(c.month), c.children, c.places,
                c.classes, " / ".join(str(s) for s in c.class_sizes), c.carers,
            ])
        if not phase.totals_shown:
            rows.append([_("部分班型的需求由过少的答卷得出，为保护答题人，不显示该期的托位、人员和面积合计。")])
            rows.append([])
            continue
        places_month = _ym(phase.places_month)
        rows.append([_("项目"), _("数量"), _("依据月份"), _("说明")])
        rows.append([_("托位合计"), phase.places, places_month, _("在托幼儿最多的月份")])
        rows.append([_("班级合计"), phase.class_count, _ym(phase.rooms_month), _("班级最多的月份")])
        rows.append([_("保育人员合计"), phase.carers, _ym(phase.carers_month), _("所需保育人员最多的月份")])
        rows.append([_("保健人员"), phase.health_workers, places_month,
                     _("专职") if phase.health_full_time else _("专职或兼职")])
        rows.append([_("负责人"), phase.directors, places_month])
        rows.append([_("保安人员"), phase.security_guards, places_month])
        rows.append([_("建筑面积（平方米）"), phase.building_m2, places_month])
        rows.append([_("户外活动面积（平方米）"), phase.outdoor_m2, places_month])
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
    """Write the plan as an XLSX workbook to the binary file ``target`` (three sheets), with
    the results' writer :func:`tuoyu.surveys.results.write_xlsx` (text neutralised, Decimals
    as 2-decimal numbers when exact)."""
    write_xlsx(
        projection_rows(plan), target, sheet=_("需求预测")[:31],
        extra_sheets={_("托位规划")[:31]: capacity_rows(plan), _("成本测算")[:31]: scenario_rows(plan)},
    )
