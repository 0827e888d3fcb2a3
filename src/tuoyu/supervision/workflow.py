"""Lifecycles of inspections (检查) and rectification orders (整改通知).

Inspection::

    open ──close──▶ closed

Rectification order::

    issued ──respond──▶ responded ──verify──▶ verified
      ▲                     │
      └──────reopen─────────┘   (with a reason and a new deadline)

An order still ``issued`` after its deadline climbs the compliance ladder
(:class:`LadderStep`) one step at a time; the ladder is not a status change, it is
recorded beside the order (``RectificationEscalation``). The capability of each
transition is checked by :mod:`tuoyu.supervision.permissions` (``record_inspection`` for
the assigned inspectors; ``edit_facility`` for the facility's own organisations).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.core.workflow import Transition, Workflow


class InspectionStatus(models.TextChoices):
    """Status of an inspection visit (检查状态)."""

    OPEN = "open", _("检查中")
    CLOSED = "closed", _("已结束")


class ItemResult(models.TextChoices):
    """The answer to one checklist item (检查结果); blank = not answered yet."""

    MET = "met", _("符合")
    NOT_MET = "not_met", _("不符合")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class RectificationStatus(models.TextChoices):
    """Status of a rectification order (整改状态)."""

    ISSUED = "issued", _("待整改")
    RESPONDED = "responded", _("已提交整改材料")
    VERIFIED = "verified", _("整改已核实")


class RectificationAction(models.TextChoices):
    """An entry of a rectification order's history (整改记录的操作)."""

    ISSUE = "issue", _("下达整改通知")
    RESPOND = "respond", _("提交整改材料")
    VERIFY = "verify", _("整改核实")
    REOPEN = "reopen", _("退回重新整改")
    ESCALATE = "escalate", _("逾期升级")


class LadderStep(models.TextChoices):
    """A step of the compliance ladder for an overdue order (逾期未整改的处理阶梯), in order."""

    NOTICE = "notice", _("督促提醒")
    ORDER = "order", _("责令限期改正")
    SUSPENSION = "suspension", _("暂停备案")
    CANCELLATION = "cancellation", _("撤销备案")


#: The ladder in the order its steps are taken.
LADDER: tuple[str, ...] = (
    LadderStep.NOTICE,
    LadderStep.ORDER,
    LadderStep.SUSPENSION,
    LadderStep.CANCELLATION,
)

INSPECTION_WORKFLOW = Workflow(
    "inspection",
    [Transition("close", frozenset({InspectionStatus.OPEN}), InspectionStatus.CLOSED, "record_inspection")],
)

R = RectificationStatus

RECTIFICATION_WORKFLOW = Workflow(
    "rectification",
    [
        Transition("respond", frozenset({R.ISSUED}), R.RESPONDED, "edit_facility"),
        Transition("verify", frozenset({R.RESPONDED}), R.VERIFIED, "record_inspection"),
        Transition("reopen", frozenset({R.RESPONDED}), R.ISSUED, "record_inspection"),
    ],
)
