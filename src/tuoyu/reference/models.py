"""Reference data models (参考数据).

Sources (copied into ``tuoyu/reference/data/`` with their notes):
- divisions: GB/T 2260 codes 1981–2024 with history, yescallop/areacodes (CC0);
- industries: GB/T 4754-2017 sections and divisions, plus 802/8020 托儿所服务;
- populations: 7th national census 2020, communiqué No. 3, Table 3-1;
- organisation categories: GB 32100-2015 positions 1–2 of the credit code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.reference.choices import (
    CalendarDayKind,
    CalendarSource,
    DivisionLevel,
    DivisionStatus,
    IndustryLevel,
)


class Division(models.Model):
    """An administrative division code row (行政区划), GB/T 2260, with validity years.

    The same 6-digit code can appear in several rows (a code that was renamed or reused),
    so rows are unique on (``code``, ``valid_from``). ``valid_to`` is exclusive (the year it
    was changed or retired); ``None`` while in use. ``successors`` lists the codes that
    took over its area, each with the year it took over (``{"code": "370211", "year": 2012}``).
    """

    code = models.CharField(_("代码"), max_length=6, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=12, choices=DivisionLevel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=DivisionStatus.choices)
    province_name = models.CharField(_("一级行政区"), max_length=50, blank=True)
    prefecture_name = models.CharField(_("二级行政区"), max_length=50, blank=True)
    valid_from = models.PositiveSmallIntegerField(_("启用年份"))
    valid_to = models.PositiveSmallIntegerField(_("变更/弃用年份"), null=True, blank=True)
    successors = models.JSONField(_("新代码"), default=list, blank=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="division_code_from_uniq"),
        ]
        indexes = [models.Index(fields=["status", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_active(self) -> bool:
        """True while the code is in use."""
        return self.status == DivisionStatus.ACTIVE

    @property
    def province_code(self) -> str:
        """The 6-digit code of the province this code lies in (``XX0000``)."""
        return self.code[:2] + "0000"

    @property
    def prefecture_code(self) -> str:
        """The 6-digit code of the prefecture level (``XXXX00``)."""
        return self.code[:4] + "00"


class Industry(models.Model):
    """An industry of GB/T 4754-2017 (国民经济行业分类): section, division, group or class."""

    code = models.CharField(_("代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行业")
        verbose_name_plural = _("行业")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def section_code(self) -> str:
        """The section letter (门类) this industry belongs to."""
        node = self
        while node.parent_id:
            node = node.parent
        return node.code


class OrganizationCategory(models.Model):
    """Registration department (position 1) and organisation category (position 2) of a credit code.

    GB 32100-2015 Annex; e.g. ``91`` 企业 under 市场监管, ``12`` 事业单位 under 机构编制.
    ``code`` is the two-character prefix.
    """

    code = models.CharField(_("代码"), max_length=2, primary_key=True)
    department_code = models.CharField(_("登记管理部门代码"), max_length=1)
    department_name = models.CharField(_("登记管理部门"), max_length=50)
    name = models.CharField(_("机构类别"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("机构类别")
        verbose_name_plural = _("机构类别")

    def __str__(self) -> str:
        return f"{self.code} {self.department_name}·{self.name}"


class Population(models.Model):
    """Resident population (常住人口) of a division in a year, in persons, with its source."""

    division_code = models.CharField(_("行政区划代码"), max_length=6)
    year = models.PositiveSmallIntegerField(_("年份"))
    population = models.PositiveBigIntegerField(_("常住人口（人）"))
    source = models.CharField(_("来源"), max_length=200)

    class Meta:
        ordering = ["division_code", "-year"]
        verbose_name = _("常住人口")
        verbose_name_plural = _("常住人口")
        constraints = [
            models.UniqueConstraint(fields=["division_code", "year"], name="population_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.division_code} {self.year}: {self.population}"


class CalendarYear(models.Model):
    """A year whose working-day calendar is known (from the library or typed in by an administrator).

    Deadlines that fall in, or run through, a year with no row here are provisional.
    """

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=10, choices=CalendarSource.choices)
    notice = models.CharField(_("依据（国务院办公厅通知）"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule in an administrator-entered year.

    ``kind`` holiday (放假) makes a weekday a day off; workday (调休上班) makes a weekend
    day a working day. Library years are not copied here: they are read from
    chinese-calendar directly.
    """

    date = models.DateField(_("日期"), primary_key=True)
    kind = models.CharField(_("类型"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休日")
        verbose_name_plural = _("节假日与调休日")

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"
