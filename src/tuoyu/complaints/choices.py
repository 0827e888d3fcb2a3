"""Choices of the complaints app: categories (投诉类别), offices (承办部门), routing and notices.

Routing table (ADR 0080): a complaint about a **facility** goes to the health commission
(卫生健康委) of the facility's county, which registers and supervises childcare facilities
(托育机构登记和备案办法（试行）Art. 3); a complaint about an **employer's** childcare
service with no facility chosen goes to the trade union (工会) of the employer's county,
which runs the employer-side programme. Urgent categories always go to the health
commission, whatever the target, and are flagged at once to the county's health officers
and their supervisors (ADR 0081).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What the complaint is about (投诉类别)."""

    SAFETY = "safety", _("安全隐患")
    SERIOUS_INJURY = "serious_injury", _("严重伤害")
    ABUSE_NEGLECT = "abuse_neglect", _("虐待或疏于照料")
    FEES = "fees", _("收费问题")
    HYGIENE_FOOD = "hygiene_food", _("卫生与膳食")
    STAFFING = "staffing", _("人员配备")
    NOT_AS_PUBLISHED = "not_as_published", _("服务与公示不符")
    OTHER = "other", _("其他")


#: Categories flagged at once to the county health officers and their supervisors.
URGENT_CATEGORIES: frozenset[str] = frozenset({Category.ABUSE_NEGLECT, Category.SERIOUS_INJURY})


class Office(models.TextChoices):
    """The kind of office a complaint is routed to (承办部门)."""

    HEALTH = "health", _("卫生健康委")
    UNION = "union", _("工会")


class Target(models.TextChoices):
    """Whom the complaint is about (投诉对象)."""

    FACILITY = "facility", _("托育机构")
    EMPLOYER = "employer", _("用人单位")


def office_for(*, target: str, category: str) -> str:
    """The office kind (:class:`Office` value) for a complaint on ``target`` in ``category``.

    Urgent categories → health; a facility → health; an employer → union (ADR 0080).
    """
    if category in URGENT_CATEGORIES or target == Target.FACILITY:
        return Office.HEALTH
    return Office.UNION


class RejectReason(models.TextChoices):
    """Why a complaint is not taken up (不予受理理由)."""

    OUT_OF_SCOPE = "out_of_scope", _("不属于受理范围")
    DUPLICATE = "duplicate", _("重复投诉")
    SPAM = "spam", _("垃圾信息")


class NotificationKind(models.TextChoices):
    """Why an officer is notified (通知类型)."""

    NEW = "new", _("新投诉")
    URGENT = "urgent", _("紧急投诉")
    OVERDUE = "overdue", _("投诉逾期")
    REOPENED = "reopened", _("投诉重新办理")
    REASSIGNED = "reassigned", _("投诉转办")
