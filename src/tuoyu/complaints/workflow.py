"""Complaint lifecycle (投诉办理流程): statuses and the transition table.

::

    moderation ─release→ received ─accept→ accepted ─investigate→ investigating ─answer→ answered ─close→ closed
        └─discard→ rejected   └─reject→ rejected                                     ↑ reopen (complainant, once)

``reopen`` (by the complainant with the tracking code, once, within
``COMPLAINT_REOPEN_DAYS`` of closing) takes an answered or closed complaint back to
investigating. Reassigning (转办) is not a status change: see
:func:`tuoyu.complaints.services.complaint_reassign`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.core.workflow import Transition, Workflow


class Status(models.TextChoices):
    """Status of a complaint (办理状态)."""

    MODERATION = "moderation", _("待审核")
    RECEIVED = "received", _("已收到")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    INVESTIGATING = "investigating", _("调查处理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


#: Capabilities named by the table (checked by :mod:`tuoyu.complaints.permissions`).
MODERATE = "moderate_complaint"
HANDLE = "handle_complaint"
COMPLAINANT = "complainant"

#: Statuses in which the complaint is with an office and its deadlines run.
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.INVESTIGATING})

#: Actions an officer may take, with their button labels.
ACTION_LABELS = {
    "release": _("放行"),
    "discard": _("作为垃圾信息驳回"),
    "accept": _("受理"),
    "reject": _("不予受理"),
    "investigate": _("开始调查"),
    "answer": _("答复"),
    "close": _("办结"),
}

COMPLAINT_WORKFLOW = Workflow(
    "complaint",
    [
        Transition("release", frozenset({Status.MODERATION}), Status.RECEIVED, MODERATE),
        Transition("discard", frozenset({Status.MODERATION}), Status.REJECTED, MODERATE),
        Transition("accept", frozenset({Status.RECEIVED}), Status.ACCEPTED, HANDLE),
        Transition("reject", frozenset({Status.RECEIVED}), Status.REJECTED, HANDLE),
        Transition("investigate", frozenset({Status.ACCEPTED}), Status.INVESTIGATING, HANDLE),
        Transition("answer", frozenset({Status.INVESTIGATING}), Status.ANSWERED, HANDLE),
        Transition("close", frozenset({Status.ANSWERED}), Status.CLOSED, HANDLE),
        Transition("reopen", frozenset({Status.ANSWERED, Status.CLOSED}), Status.INVESTIGATING, COMPLAINANT),
    ],
    status_labels=dict(Status.choices),
    action_labels=ACTION_LABELS,
)

