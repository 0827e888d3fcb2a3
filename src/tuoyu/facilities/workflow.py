"""Filing workflow (备案流程), 托育机构登记和备案办法（试行）Art. 7–10.

    draft ──submit──▶ submitted ──file──▶ filed ──submit_change──▶ change_submitted
      ▲                  │                  │  ▲                         │
      └──── (edit) ◀─returned◀──return──────┘  └──────file_change────────┤
                                            │                   return_change → filed
                                            └──cancel──▶ cancelled

    Regulatory measures of the health commission (监管措施, ADR 0097):

    filed, change_submitted ──suspend──▶ suspended ──lift_suspension──▶ filed
    filed, suspended ──revoke──▶ revoked

The health commission files within 5 working days of receiving the materials (Art. 9).
A change filing (变更备案, Art. 10) that is returned leaves the earlier filing in force, so
``return_change`` goes back to ``filed``. Cancellation (注销, Art. 10) is final.

Suspension (暂停备案, 责令暂停) and revocation (撤销备案) are administrative decisions of the
health commission that filed the facility, typically the last steps of the compliance
ladder of an overdue rectification order (ADR 0075, 0097). ``suspend`` is allowed from
``change_submitted`` too, so a pending change filing cannot hold off a regulatory measure;
the pending change lapses and the changes stay flagged as unfiled (ADR 0012). Revocation
is final and kept apart from the operator's own cancellation (``cancelled``).

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
    SUSPENDED = "suspended", _("已暂停")
    REVOKED = "revoked", _("已撤销备案")


S = FilingStatus

#: Filing actions (FilingEvent.action) and their labels, for the filing history and the
#: refusal of an action not allowed from a status (GEN-005).
FILING_ACTION_LABELS = {
    "submit": _("提交备案"),
    "file": _("予以备案"),
    "return": _("退回"),
    "submit_change": _("提交变更备案"),
    "file_change": _("予以变更备案"),
    "return_change": _("退回变更备案"),
    "cancel": _("注销备案"),
    "suspend": _("暂停备案"),
    "lift_suspension": _("恢复备案"),
    "revoke": _("撤销备案"),
}

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
        Transition("suspend", frozenset({S.FILED, S.CHANGE_SUBMITTED}), S.SUSPENDED, "sanction_filing"),
        Transition("lift_suspension", frozenset({S.SUSPENDED}), S.FILED, "sanction_filing"),
        Transition("revoke", frozenset({S.FILED, S.SUSPENDED}), S.REVOKED, "sanction_filing"),
    ],
    status_labels=dict(FilingStatus.choices),
    action_labels=FILING_ACTION_LABELS,
)

#: The regulatory actions of the health commission (监管措施: suspend, lift, revoke), in
#: table order: the transitions that need the capability ``sanction_filing``.
SANCTION_ACTIONS = tuple(dict.fromkeys(
    t.action for t in FILING_WORKFLOW.transitions if t.capability == "sanction_filing"
))
#: Statuses in which the facility may not provide care: suspended, revoked or cancelled.
NOT_OPERATING_STATUSES = frozenset({S.SUSPENDED, S.REVOKED, S.CANCELLED})
