"""Choices of the designation campaigns (评选活动) and applications (申报)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts.choices import AdminLevel


class ChainStep(models.TextChoices):
    """A level of the recommendation chain (推荐层级) and the union level that acts at it."""

    GRASSROOTS = "grassroots", _("基层工会推荐")
    CITY = "city", _("市级工会推荐")
    PROVINCIAL = "provincial", _("省级工会推荐")
    NATIONAL = "national", _("全国总工会审核")


#: Union organisation level (``Organization.level``) → the chain step it acts at.
#: Grassroots and county unions both take the first step (ADR 0064).
LEVEL_STEP: dict[str, str] = {
    AdminLevel.GRASSROOTS: ChainStep.GRASSROOTS,
    AdminLevel.COUNTY: ChainStep.GRASSROOTS,
    AdminLevel.PREFECTURE: ChainStep.CITY,
    AdminLevel.PROVINCIAL: ChainStep.PROVINCIAL,
    AdminLevel.NATIONAL: ChainStep.NATIONAL,
}


class FindingSeverity(models.TextChoices):
    """How an eligibility finding weighs: ``block`` stops submission, ``warn`` informs."""

    BLOCK = "block", _("不符合")
    WARN = "warn", _("需人工核实")
    PASS = "pass", _("符合")


class EnrolmentShareSource(models.TextChoices):
    """Where the own-staff share of enrolment came from (职工子女占比来源)."""

    RECORDS = "records", _("在托婴幼儿记录")
    DECLARED = "declared", _("单位填报")
    NONE = "none", _("无数据")
