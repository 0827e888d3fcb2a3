"""Lifecycle of an annual report (年报).

::

    draft ──submit──▶ submitted ──accept──▶ accepted
                        │   ▲
                 return │   │ submit
                        ▼   │
                      returned

``submit`` needs ``edit_facility`` (the facility's own organisations: employer
administrator, facility operator); ``accept`` and ``return`` need ``review_annual_report``
(a health officer whose jurisdiction covers the facility). The predicates are in
:mod:`tuoyu.supervision.permissions` (``ANNUAL_REPORT_PREDICATES``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.core.workflow import Transition, Workflow


class AnnualReportStatus(models.TextChoices):
    """Status of an annual report (年报状态)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已接收")


class AnnualReportAction(models.TextChoices):
    """An entry of an annual report's history (年报记录的操作)."""

    CREATE = "create", _("创建并预填")
    SUBMIT = "submit", _("报送")
    RETURN = "return", _("退回修改")
    ACCEPT = "accept", _("接收")


#: Statuses in which the facility may still change the figures.
EDITABLE_STATUSES = frozenset({AnnualReportStatus.DRAFT, AnnualReportStatus.RETURNED})

_A = AnnualReportStatus

ANNUAL_REPORT_WORKFLOW = Workflow(
    "annual_report",
    [
        Transition("submit", frozenset({_A.DRAFT, _A.RETURNED}), _A.SUBMITTED, "edit_facility"),
        Transition("return", frozenset({_A.SUBMITTED}), _A.RETURNED, "review_annual_report"),
        Transition("accept", frozenset({_A.SUBMITTED}), _A.ACCEPTED, "review_annual_report"),
    ],
)
