"""Choices of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """What kind of organisation (机构类型)."""

    EMPLOYER = "employer", _("用人单位")
    PROVIDER = "provider", _("托育机构/服务机构")
    UNION = "union", _("工会")
    HEALTH = "health", _("卫生健康委")
    DEPARTMENT = "department", _("其他部门")
    EXPERT_POOL = "expert_pool", _("专家库")
    PLATFORM = "platform", _("平台运营")


class AdminLevel(models.TextChoices):
    """Administrative level of a union, health commission or department (层级)."""

    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省级")
    PREFECTURE = "prefecture", _("市级")
    COUNTY = "county", _("县级")
    GRASSROOTS = "grassroots", _("基层")


# How many leading digits of the division code a level's jurisdiction covers.
LEVEL_PREFIX_LENGTH = {
    AdminLevel.NATIONAL: 0,
    AdminLevel.PROVINCIAL: 2,
    AdminLevel.PREFECTURE: 4,
    AdminLevel.COUNTY: 6,
    AdminLevel.GRASSROOTS: 6,
}


class DepartmentType(models.TextChoices):
    """Which other department (其他部门)."""

    HUMAN_RESOURCES = "hr", _("人力资源和社会保障")
    CIVIL_AFFAIRS = "civil", _("民政")
    WOMENS_FEDERATION = "women", _("妇联")
    EDUCATION = "education", _("教育")
    DEVELOPMENT_REFORM = "ndrc", _("发展改革")
    MARKET_REGULATION = "samr", _("市场监管")
    OTHER = "other", _("其他")


class OwnershipType(models.TextChoices):
    """Ownership type of an employer (单位性质). Convention, not one national standard."""

    GOVERNMENT_AGENCY = "agency", _("机关")
    PUBLIC_INSTITUTION = "institution", _("事业单位")
    STATE_OWNED = "state", _("国有企业")
    COLLECTIVE = "collective", _("集体企业")
    PRIVATE = "private", _("民营企业")
    FOREIGN = "foreign", _("外资企业")
    HK_MACAO_TAIWAN = "hmt", _("港澳台资企业")
    INDUSTRIAL_PARK = "park", _("产业园区")
    SOCIAL_ORGANIZATION = "social", _("社会组织")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    """Role of a person in an organisation (角色)."""

    EMPLOYER_ADMIN = "employer_admin", _("用人单位管理员")
    FACILITY_OPERATOR = "facility_operator", _("托育机构经办人")
    UNION_OFFICER = "union_officer", _("工会工作人员")
    HEALTH_OFFICER = "health_officer", _("卫生健康部门工作人员")
    DEPARTMENT_OFFICER = "department_officer", _("其他部门工作人员")
    EXPERT = "expert", _("专家")
    INSPECTOR = "inspector", _("检查人员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
