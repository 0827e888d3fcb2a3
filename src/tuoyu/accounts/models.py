"""Organisations, people and memberships (机构、人员、成员关系)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts.choices import (
    LEVEL_PREFIX_LENGTH,
    AdminLevel,
    DepartmentType,
    OrganizationKind,
    OwnershipType,
    Role,
)
from tuoyu.core.models import ExternalKeyModel, TimeStampedModel


class User(AbstractUser):
    """A person who signs in (用户). Employees answering surveys need no account."""

    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class Organization(TimeStampedModel, ExternalKeyModel):
    """An organisation of any kind (机构): employer, provider, union, health commission, department.

    ``division`` is where it sits (GB/T 2260 row in use). For unions, health commissions and
    departments ``level`` sets the jurisdiction: the first 0/2/4/6 digits of the division
    code (national/provincial/prefecture/county). Employers carry credit code, industry,
    ownership type and headcount (persons).
    """

    kind = models.CharField(_("机构类型"), max_length=20, choices=OrganizationKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    name_search = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True
    )
    division = models.ForeignKey(
        "reference.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在地")
    )
    level = models.CharField(_("层级"), max_length=12, choices=AdminLevel.choices, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("上级机构"),
    )
    department_type = models.CharField(
        _("部门类型"), max_length=12, choices=DepartmentType.choices, blank=True
    )
    industry = models.ForeignKey(
        "reference.Industry", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("行业"),
    )
    ownership_type = models.CharField(
        _("单位性质"), max_length=12, choices=OwnershipType.choices, blank=True
    )
    headcount = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "external_id"],
                condition=~Q(external_id=""),
                name="organization_external_key_uniq",
            ),
        ]
        indexes = [models.Index(fields=["kind", "level"])]

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction_prefix(self) -> str:
        """Division-code prefix this organisation oversees ('' = national).

        Only meaningful for unions, health commissions and departments; employers and
        providers oversee nothing but themselves.
        """
        length = LEVEL_PREFIX_LENGTH.get(self.level, 6)
        return self.division.code[:length] if length else ""


class Membership(TimeStampedModel):
    """A person's role in an organisation (成员关系). Roles come only from memberships."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["user_id", "organization_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"
