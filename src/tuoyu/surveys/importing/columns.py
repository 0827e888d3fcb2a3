"""The paper-answer template's columns (纸质答卷导入模板的列): see docs/survey-import-format.md."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation

from tuoyu.facilities.importing.columns import header_key


@dataclass(frozen=True)
class Column:
    """One template column: ``key`` (English header), ``zh`` (Chinese header), required?"""

    key: str
    zh: str
    required: bool = False
    aliases: tuple[str, ...] = ()


#: The template's columns in order (docs/survey-import-format.md).
COLUMNS: tuple[Column, ...] = (
    Column("paper_ref", "问卷编号", True, ("编号", "paper_ref", "ref")),
    Column("answered_on", "填写日期", False, ("answer_date", "date")),
    Column("consent", "已同意", False, ("同意", "consent")),
    Column("children", "子女出生月份", False, ("出生月份", "birth_months")),
    Column("expected", "预产月份", False, ("due_months", "expected_births")),
    Column("current_care", "目前照料方式", False, ("照料方式",)),
    Column("wanted_services", "需要的托育服务", False, ("托育服务", "服务类型")),
    Column("days_per_week", "每周天数", False, ("days",)),
    Column("hours", "每日时段", False, ("时段", "时间段")),
    Column("fee_band", "可承受月费", False, ("月费", "fee")),
    Column("would_use", "是否愿意使用", False, ("愿意使用",)),
    Column("commute_minutes", "单程通勤分钟", False, ("通勤时间", "commute", "通勤分钟")),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
_EXTRA_HEADER = re.compile(r"^(?:附加问题|q|extra)(\d{1,3})$")


def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for c in COLUMNS:
        for text in (c.key, c.zh, *c.aliases):
            lookup[header_key(text)] = c.key
    return lookup


_HEADERS = _header_lookup()


def map_headers(headers: list[object], positions: set[int]) -> tuple[dict[int, str], list[str]]:
    """Map header cells to keys: template columns, or ``extra<N>`` for ``附加问题N`` when the
    survey has question N (``positions``). Returns ({cell index: key}, [ignored headers])."""
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(headers):
        text = str(cell or "").strip()
        if not text:
            continue
        norm = header_key(text)
        key = _HEADERS.get(norm)
        if key is None:
            match = _EXTRA_HEADER.match(norm)
            if match and int(match.group(1)) in positions:
                key = f"extra{int(match.group(1))}"
        if key is None or key in seen:
            ignored.append(text)
            continue
        seen.add(key)
        mapping[index] = key
    return mapping, ignored


def template_rows(survey) -> list[list[str]]:
    """The template's header row (Chinese headers, then ``附加问题N`` per extra question)."""
    headers = [c.zh for c in COLUMNS]
    headers += [f"附加问题{q.position}" for q in survey.questions.all().order_by("position")]
    return [headers]


def template_help_rows(survey) -> list[list[str]]:
    """Rows of the template's 说明 sheet: column, required?, what to write, allowed values."""
    from tuoyu.facilities.choices import ServiceType
    from tuoyu.surveys.choices import CareArrangement, FeeBand, WouldUse

    def labels(cls) -> str:
        return "、".join(str(label) for _v, label in cls.choices)

    with translation.override("zh-hans"):
        rows = [
            ["列", "必填", "填写说明", "可填值"],
            ["问卷编号", "是", "纸质问卷上的编号，每份唯一；再次导入同一编号即更新该答卷", ""],
            ["填写日期", "否", "职工填写问卷的日期，默认为导入当天", "2026-11-20"],
            ["已同意", "否", "问卷上已签署个人信息保护同意；填“否”的行不予导入", "是、否"],
            ["子女出生月份", "否", "3岁以下子女的出生年月，多个用分号隔开；不填姓名或具体日期", "2025-03;2024-11"],
            ["预产月份", "否", "预产年月，多个用分号隔开；须在填写当月起12个月内", "2027-02"],
            ["目前照料方式", "否", "", labels(CareArrangement)],
            ["需要的托育服务", "否", "可多选，用分号隔开", labels(ServiceType)],
            ["每周天数", "否", "1至7的整数", "5"],
            ["每日时段", "否", "开始-结束", "08:00-17:30"],
            ["可承受月费", "否", "", labels(FeeBand)],
            ["是否愿意使用", "否", "", labels(WouldUse)],
            ["单程通勤分钟", "否", "0至300的整数", "30"],
        ]
        for q in survey.questions.all().order_by("position"):
            rows.append([f"附加问题{q.position}", "是" if q.required else "否", q.text,
                         "；".join(q.choices)])
    return rows
