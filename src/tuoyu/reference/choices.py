"""Choices of the reference app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionLevel(models.TextChoices):
    """Level of an administrative division (行政区划级别)."""

    PROVINCE = "province", _("省级")
    PREFECTURE = "prefecture", _("地级")
    COUNTY = "county", _("县级")


class DivisionStatus(models.TextChoices):
    """Status of a division code row: in use (在用), changed (变更: same code, new name), retired (弃用)."""

    ACTIVE = "active", _("在用")
    CHANGED = "changed", _("变更")
    RETIRED = "retired", _("弃用")


class IndustryLevel(models.TextChoices):
    """Level in GB/T 4754-2017: section 门类, division 大类, group 中类, class 小类."""

    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")
    GROUP = "group", _("中类")
    CLASS = "class", _("小类")


class CalendarDayKind(models.TextChoices):
    """A day that differs from the Monday–Friday rule: a holiday (节假日) or a make-up workday (调休上班)."""

    HOLIDAY = "holiday", _("法定节假日")
    WORKDAY = "workday", _("调休工作日")


class CalendarSource(models.TextChoices):
    """Where a year's calendar came from."""

    LIBRARY = "library", _("chinese-calendar 库")
    MANUAL = "manual", _("管理员录入")
