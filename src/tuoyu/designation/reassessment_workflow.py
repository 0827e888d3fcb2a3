"""Standing of a named unit (命名状态): active until withdrawn (撤销).

    active ──withdraw──▶ withdrawn   (final)

The status is not a column: a designation is ``withdrawn`` exactly when its
:class:`~tuoyu.designation.models.DesignationWithdrawal` row exists (one-to-one, so the
database allows one withdrawal at most; ADR 0091). The capability ``withdraw_designation``
belongs to national union officers, the same people who name units
(:func:`tuoyu.designation.permissions.can_manage_campaign`).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.core.workflow import Transition, Workflow


class DesignationStatus(models.TextChoices):
    """Standing of a named unit (命名状态)."""

    ACTIVE = "active", _("有效")
    WITHDRAWN = "withdrawn", _("已撤销")


#: Capability of the withdrawal (national union officers).
WITHDRAW = "withdraw_designation"

DESIGNATION_WORKFLOW = Workflow(
    "designation_standing",
    [Transition("withdraw", frozenset({DesignationStatus.ACTIVE}), DesignationStatus.WITHDRAWN,
                WITHDRAW)],
)


def designation_status(designation) -> str:
    """``DesignationStatus`` value of ``designation`` (withdrawn when a withdrawal row exists)."""
    try:
        designation.withdrawal  # noqa: B018 - the reverse one-to-one decides the status
    except ObjectDoesNotExist:
        return DesignationStatus.ACTIVE
    return DesignationStatus.WITHDRAWN
