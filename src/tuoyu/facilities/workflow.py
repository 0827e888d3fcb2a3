"""Filing workflow (备案流程), 托育机构登记和备案办法（试行）Art. 7–10.

    draft ──submit──▶ submitted ──file──▶ filed ──submit_change──▶ change_submitted
      ▲                  │                  │  ▲                         │
      └──── (edit) ◀─returned◀──return──────┘  └──────file_change────────┤
                                            │                   return_change → filed
                                            └──cancel──▶ cancelled

The health commission files within 5 working days of receiving the materials (Art. 9).
A change filing (变更备案, Art. 10) that is returned leaves the earlier filing in force, so
``return_change`` goes back to ``filed``. Cancellation (注销, Art. 10) is final.

Capabilities are mapped to predicates in ``permissions.CAPABILITY_PREDICATES``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.core.workflow import Transition, Workflow


class FilingStatus(models.TextChoices):
    """Status of a facility's filing (备案状态)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    FILED = "filed", _("已备案")
    CHANGE_SUBMITTED = "change_submitted", _("变更已提交")
    CANCELLED = "cancelled", _("已注销")


S = FilingStatus

FILING_WORKFLOW = Workflow(
    "filing",
    [
        Transition("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, "submit_filing"),
        Transition("file", frozenset({S.SUBMITTED}), S.FILED, "review_filing"),
        Transition("return", frozenset({S.SUBMITTED}), S.RETURNED, "review_filing"),
        Transition("submit_change", frozenset({S.FILED}), S.CHANGE_SUBMITTED, "submit_filing"),
        Transition("file_change", frozenset({S.CHANGE_SUBMITTED}), S.FILED, "review_filing"),
        Transition("return_change", frozenset({S.CHANGE_SUBMITTED}), S.FILED, "review_filing"),
        Transition("cancel", frozenset({S.FILED, S.DRAFT, S.RETURNED}), S.CANCELLED, "cancel_filing"),
    ],
)
