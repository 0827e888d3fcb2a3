"""Writes of rectification orders (整改通知) and the compliance ladder (逾期处理阶梯).

An order is issued when an inspection with findings closes; the facility responds with
text and evidence files (stored with the response, :mod:`.evidence`, ADR 0092); an assigned inspector verifies it or reopens it with a reason and a
new deadline (workflow table in :mod:`.workflow`). An order still ``issued`` after its
deadline climbs one ladder step per escalation run that finds it due: notice → order →
suspension of the filing → cancellation, each step once, recorded with its reason and
audited (:func:`rectifications_escalate`). The filing itself is never changed
automatically (ADR 0075). Deadlines count working days with
:func:`tuoyu.reference.calendar.add_working_days` (holidays and make-up workdays).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tuoyu.accounts.permissions import acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.reference.calendar import add_working_days, working_days_between
from tuoyu.supervision import parameters
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.errors import (
    SUP_DEADLINE_DAYS,
    SUP_ESCALATION_DONE,
    SUP_ESCALATION_MISMATCH,
    SUP_REOPEN_REASON,
    SUP_RESPONSE_REQUIRED,
)
from tuoyu.supervision.evidence import rectification_evidence_check, rectification_evidence_store
from tuoyu.supervision.models import (
    Inspection,
    RectificationEscalation,
    RectificationEvent,
    RectificationOrder,
)
from tuoyu.supervision.workflow import (
    LADDER,
    RECTIFICATION_WORKFLOW,
    LadderStep,
    RectificationStatus,
)

TEXT_MAX_LENGTH = 4000
_FIELDS = ["status", "deadline", "deadline_provisional", "ladder_step", "version"]
#: The ladder step each filing measure answers (an action of
#: ``tuoyu.facilities.workflow.FILING_WORKFLOW``; ADR 0097): a suspension step is answered
#: by ``suspend``, a cancellation step by ``revoke``. The one place the two are paired.
FILING_ACTION_STEPS = {"suspend": LadderStep.SUSPENSION, "revoke": LadderStep.CANCELLATION}
#: Ladder steps that ask the health commission for a filing decision (ADR 0075).
FOR_DECISION = frozenset(FILING_ACTION_STEPS.values())


def _audit(actor, action: str, order: RectificationOrder, *, before=None, after=None, note=""):
    org, role = acting_as(actor)
    return audit_record(
        actor=actor, action=action, obj=order, before=before, after=after,
        organization=org or order.inspection.organization, role=role, note=note,
    )


def _deadline_days(days: int | None) -> int:
    days = parameters.rectification_days() if days is None else int(days)
    if not 1 <= days <= parameters.MAX_DEADLINE_WORKING_DAYS:
        raise DomainError(
            SUP_DEADLINE_DAYS, {"limit": parameters.MAX_DEADLINE_WORKING_DAYS},
            field="deadline_working_days",
        )
    return days


def _text(value: str, error: str, field_name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(error, field=field_name)
    return value[:TEXT_MAX_LENGTH]


def rectification_issue(
    *,
    actor,
    inspection: Inspection,
    items: Iterable,
    required_evidence: str = "",
    deadline_working_days: int | None = None,
    today: dt.date | None = None,
) -> RectificationOrder:
    """Issue the rectification order of a closed ``inspection`` for ``items`` (not met).

    Called by :func:`tuoyu.supervision.inspections.inspection_close` inside its
    transaction. ``deadline`` = ``today`` + ``deadline_working_days`` working days
    (default ``TUOYU_RECTIFICATION_DAYS``, 20). Returns the order. Raises SUP-029 (days
    outside 1–250).
    """
    days = _deadline_days(deadline_working_days)
    today = today or local_today()
    deadline = add_working_days(today, days)
    order = RectificationOrder(
        inspection=inspection, facility=inspection.facility, issued_on=today,
        deadline_from=today, deadline_working_days=days, deadline=deadline.date,
        deadline_provisional=bool(deadline.provisional),
        required_evidence=(required_evidence or "").strip()[:TEXT_MAX_LENGTH],
    )
    order.full_clean()
    order.save()
    order.items.set(list(items))
    RectificationEvent.objects.create(
        order=order, action="issue", from_status="", to_status=order.status,
        actor=actor if getattr(actor, "pk", None) else None, deadline=order.deadline,
    )
    _audit(actor, "supervision.rectification_issue", order,
           after=snapshot(order, _FIELDS) | {"items": [i.code for i in order.items.all()]})
    return order


def _transition(*, actor, order: RectificationOrder, action: str, note: str, **changes) -> RectificationOrder:
    return _transition_event(actor=actor, order=order, action=action, note=note, **changes)[0]


def _transition_event(
    *, actor, order: RectificationOrder, action: str, note: str, audit_extra: dict | None = None, **changes
) -> tuple[RectificationOrder, RectificationEvent]:
    locked = RectificationOrder.objects.select_for_update().select_related(
        "inspection__facility__division", "inspection__organization", "facility__division"
    ).get(pk=order.pk)
    transition = RECTIFICATION_WORKFLOW.transition(action, locked.status)
    predicate = perms.RECTIFICATION_PREDICATES[transition.capability]
    if not predicate(actor, locked):
        raise DomainError(GEN_FORBIDDEN)
    before = snapshot(locked, _FIELDS)
    event = RectificationEvent(
        order=locked, action=action, from_status=locked.status, to_status=transition.target,
        actor=actor, note=note,
    )
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.status = transition.target
    locked.version += 1
    if "deadline" in changes:
        event.deadline = locked.deadline
    locked.full_clean()
    locked.save()
    event.save()
    _audit(actor, f"supervision.rectification_{action}", locked, before=before,
           after=snapshot(locked, _FIELDS) | (audit_extra or {}), note=note)
    order.status, order.version = locked.status, locked.version
    return locked, event


@transaction.atomic
def rectification_respond(*, actor, order: RectificationOrder, text: str, files: Iterable = ()) -> RectificationOrder:
    """The facility's response (提交整改材料): what was done, as ``text`` (required), with
    ``files``: evidence photos or PDFs (uploaded files, none to
    ``TUOYU_RECTIFICATION_EVIDENCE_MAX_FILES``, default 10).

    Only the facility's own organisations (employer administrator, facility operator).
    Every file is checked before anything is written, and the files are stored with the
    response's history entry in the same transaction: one refused file refuses the whole
    response (ADR 0092). The audit event records the files' count and detected types.
    Returns the order, now ``responded``. Raises GEN-002, GEN-005 (not ``issued``),
    SUP-026 (no text), SUP-032 (too many files), SUP-031 (a file empty or too large),
    SUP-030 (a file's type not allowed).
    """
    text = _text(text, SUP_RESPONSE_REQUIRED, "text")
    if not perms.can_respond_rectification(actor, order):  # before reading anyone's files
        raise DomainError(GEN_FORBIDDEN)
    checked = rectification_evidence_check(files)
    locked, event = _transition_event(
        actor=actor, order=order, action="respond", note=text,
        audit_extra={"evidence": {"count": len(checked), "types": [c.content_type for c in checked]}},
        response_text=text, responded_at=timezone.now(),
    )
    rectification_evidence_store(actor=actor, event=event, checked=checked)
    return locked


@transaction.atomic
def rectification_verify(*, actor, order: RectificationOrder, note: str = "") -> RectificationOrder:
    """An assigned inspector confirms the rectification (整改核实); final.

    Returns the order, now ``verified``. Raises GEN-002, GEN-005 (not ``responded``).
    """
    note = (note or "").strip()[:TEXT_MAX_LENGTH]
    return _transition(actor=actor, order=order, action="verify", note=note, verification_note=note)


@transaction.atomic
def rectification_reopen(
    *,
    actor,
    order: RectificationOrder,
    reason: str,
    deadline_working_days: int | None = None,
    today: dt.date | None = None,
) -> RectificationOrder:
    """An assigned inspector rejects the response (退回重新整改) with ``reason`` (required).

    The order goes back to ``issued`` with a new deadline: ``today`` + ``deadline_working_days``
    working days (default: the order's own number of days). Ladder steps already taken
    stay. Returns the order. Raises GEN-002, GEN-005 (not ``responded``), SUP-027 (no
    reason), SUP-029 (bad days).
    """
    reason = _text(reason, SUP_REOPEN_REASON, "reason")
    days = _deadline_days(
        order.deadline_working_days if deadline_working_days is None else deadline_working_days
    )
    start = today or local_today()
    deadline = add_working_days(start, days)
    return _transition(
        actor=actor, order=order, action="reopen", note=reason, verification_note=reason,
        deadline=deadline.date, deadline_provisional=bool(deadline.provisional),
        deadline_working_days=days, deadline_from=start,
    )


def next_ladder_step(order: RectificationOrder, *, as_of: dt.date) -> str | None:
    """The ladder step due for ``order`` on ``as_of``, or None.

    Due when the order is ``issued``, ``as_of`` is after its deadline (inclusive to the
    end of the deadline day), the ladder is not finished, and — after the first step —
    at least ``TUOYU_RECTIFICATION_ESCALATION_DAYS`` working days (default 10) have
    passed since the last step. So one run a day takes at most one step per order.
    """
    if order.status != RectificationStatus.ISSUED or as_of <= order.deadline:
        return None
    taken = list(order.escalations.order_by("taken_on", "id"))
    if len(taken) >= len(LADDER):
        return None
    if taken and as_of <= add_working_days(taken[-1].taken_on, parameters.escalation_days()).date:
        return None
    done = {e.step for e in taken}
    return next(s for s in LADDER if s not in done)


def rectification_order_overdue(order: RectificationOrder, as_of: dt.date) -> bool:
    """True when ``order`` is overdue on ``as_of``: the rule of
    :func:`rectification_orders_overdue` for one order already read."""
    return order.status == RectificationStatus.ISSUED and as_of > order.deadline


def rectification_orders_overdue(as_of: dt.date):
    """Rectification orders overdue on ``as_of`` (逾期未整改): still ``issued`` (no response
    from the facility) and ``as_of`` after the deadline (a deadline is inclusive to the
    end of its day). A responded order waits for the inspector and is not overdue.

    Returns a queryset of :class:`RectificationOrder`, unordered; not scoped to a user.
    Used by the escalation run and by the alerts job.
    """
    return RectificationOrder.objects.filter(status=RectificationStatus.ISSUED, deadline__lt=as_of)


@dataclass
class EscalationRun:
    """What one escalation run did: ``escalated`` (order pk, step) pairs and the orders
    whose step asks for a filing decision by the health commission (``for_decision``)."""

    as_of: dt.date
    escalated: list[tuple[int, str]] = field(default_factory=list)
    for_decision: list[int] = field(default_factory=list)


def _escalate_one(order_pk: int, as_of: dt.date, actor) -> str | None:
    with transaction.atomic():
        order = RectificationOrder.objects.select_for_update().select_related(
            "inspection__organization"
        ).get(pk=order_pk)
        step = next_ladder_step(order, as_of=as_of)
        if step is None:
            return None
        late = working_days_between(order.deadline, as_of)
        with translation.override("zh-hans"):
            reason = _("整改期限%(deadline)s已过%(days)d个工作日，仍未提交整改材料。") % {
                "deadline": order.deadline.isoformat(), "days": late,
            }
        RectificationEscalation.objects.create(
            order=order, step=step, taken_on=as_of, deadline_missed=order.deadline, reason=reason,
        )
        before = snapshot(order, _FIELDS)
        order.ladder_step = step
        order.version += 1
        order.save(update_fields=["ladder_step", "version", "updated_at"])
        RectificationEvent.objects.create(
            order=order, action="escalate", from_status=order.status, to_status=order.status,
            actor=actor if getattr(actor, "pk", None) else None, note=reason, deadline=order.deadline,
        )
        _audit(actor, "supervision.rectification_escalate", order, before=before,
               after=snapshot(order, _FIELDS), note=reason)
        return step


def rectifications_escalate(*, actor=None, as_of: dt.date | None = None) -> EscalationRun:
    """Take the due ladder step of every overdue order (逾期升级), once per step.

    ``actor``: None for the periodic job (recorded as the system); ``as_of``: the local
    date (default today). Each order is handled in its own transaction under a row lock,
    so two runs at once or a second run the same day take no step twice (and the
    database allows one row per order and step). Suspension and cancellation are
    recorded and listed in ``for_decision`` for the health commission: the filing is not
    changed here (ADR 0075). Returns an :class:`EscalationRun`.
    """
    as_of = as_of or local_today()
    run = EscalationRun(as_of=as_of)
    candidates = rectification_orders_overdue(as_of).values_list("pk", flat=True).order_by("pk")
    for pk in list(candidates):
        step = _escalate_one(pk, as_of, actor)
        if step is not None:
            run.escalated.append((pk, step))
            if step in FOR_DECISION:
                run.for_decision.append(pk)
    return run


@transaction.atomic
def escalation_filing_action_record(
    *, actor, escalation_pk: int, facility_pk: int, action: str, note: str = ""
) -> RectificationEscalation:
    """Mark ladder step ``escalation_pk`` as acted on by the health commission (ADR 0097).

    Called by the filing's regulatory transitions (:mod:`tuoyu.facilities.services.filing`)
    inside their transaction, so the filing and the step change together or not at all.
    ``actor``: the deciding health officer (the permission is checked by the filing
    transition); ``facility_pk``: the facility whose filing changed; ``action``: the filing
    measure taken, a key of :data:`FILING_ACTION_STEPS` (``suspend`` answers a
    ``suspension`` step, ``revoke`` a ``cancellation`` step); ``note``: the decision's
    reason, kept in the audit event. Locks the step, sets
    ``filing_action_taken``, ``filing_action_by`` and ``filing_action_at`` (now) and writes
    an audit event (the order's own status does not change). Returns the step.
    Raises SUP-060 when the step does not exist, is about another facility or is another
    step; SUP-061 when a decision was already recorded on it.
    """
    step = FILING_ACTION_STEPS[action].value
    escalation = (
        RectificationEscalation.objects.select_for_update(of=("self",))
        .select_related("order__inspection__organization")
        .filter(pk=escalation_pk).first()
    )
    if escalation is None or escalation.order.facility_id != facility_pk or escalation.step != step:
        raise DomainError(SUP_ESCALATION_MISMATCH, params={"step": LadderStep(step).label},
                          details={"step": step}, field="escalation")
    if escalation.filing_action_taken:
        raise DomainError(SUP_ESCALATION_DONE, field="escalation")
    before = {"filing_action_taken": False}
    escalation.filing_action_taken = True
    escalation.filing_action_by = actor if getattr(actor, "pk", None) else None
    escalation.filing_action_at = timezone.now()
    escalation.save(update_fields=["filing_action_taken", "filing_action_by", "filing_action_at"])
    order = escalation.order
    org, role = acting_as(actor)
    audit_record(
        actor=actor, action="supervision.escalation_filing_action", obj=escalation,
        before=before, after={"filing_action_taken": True, "step": step},
        organization=org or order.inspection.organization, role=role, note=note,
    )
    return escalation


def recompute_provisional_dates(*_args, **_kwargs) -> int:
    """Recount provisional rectification deadlines and publication dates (called when a
    calendar year is loaded, see :func:`tuoyu.reference.calendar.register_deadline_recomputer`).

    An order's deadline is counted again from ``deadline_from``; an inspection's
    publication date from ``closed_on``. Returns the number of rows changed.
    """
    changed = 0
    with transaction.atomic():
        for order in RectificationOrder.objects.select_for_update().filter(deadline_provisional=True):
            deadline = add_working_days(order.deadline_from, order.deadline_working_days)
            if (deadline.date, bool(deadline.provisional)) != (order.deadline, order.deadline_provisional):
                order.deadline, order.deadline_provisional = deadline.date, bool(deadline.provisional)
                order.save(update_fields=["deadline", "deadline_provisional", "updated_at"])
                changed += 1
        days = parameters.publication_days()
        for inspection in Inspection.objects.select_for_update().filter(
            publication_provisional=True, closed_on__isnull=False
        ):
            published = add_working_days(inspection.closed_on, days)
            if (published.date, bool(published.provisional)) != (
                inspection.published_on, inspection.publication_provisional
            ):
                inspection.published_on = published.date
                inspection.publication_provisional = bool(published.provisional)
                inspection.save(update_fields=["published_on", "publication_provisional", "updated_at"])
                changed += 1
    return changed
