"""Filing writes (备案): compliance findings, receipt numbers and the workflow transitions.

Transitions follow ``tuoyu.facilities.workflow.FILING_WORKFLOW``; each locks the row,
checks the table and the capability, appends a FilingEvent and an audit event.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from tuoyu.audit.services import snapshot
from tuoyu.core.dates import local_date, local_today
from tuoyu.core.errors import GEN_CONFLICT, GEN_FORBIDDEN, DomainError
from tuoyu.facilities import permissions as perms
from tuoyu.facilities.errors import (
    FIL_BLOCKING_FINDINGS,
    FIL_REASON_REQUIRED,
    FIL_REASON_TOO_LONG,
)
from tuoyu.facilities.models import (
    Facility,
    FilingEvent,
)
from tuoyu.facilities.services.base import _audit, _clean_save, _lock
from tuoyu.facilities.workflow import FILING_WORKFLOW
from tuoyu.reference.calendar import add_working_days
from tuoyu.standards.checks import facility_check, has_blocking

#: The health commission files within 5 working days of receiving the materials
#: (托育机构登记和备案办法（试行）Art. 9).
FILING_DEADLINE_WORKING_DAYS = 5
#: Longest reason (理由) accepted for a return, change or cancellation, characters.
REASON_MAX_LENGTH = 2000
_FILING_FIELDS = ["filing_status", "receipt_number", "filed_on", "version", "filed_version"]


def finding_as_dict(finding) -> dict[str, Any]:
    """A compliance finding as a JSON-safe dict (rule code, severity, message, source …)."""
    if is_dataclass(finding):
        data = asdict(finding)
    else:
        data = {
            k: getattr(finding, k, None)
            for k in ("rule_code", "severity", "message", "source_document",
                      "source_article", "subject", "certainty")
        }
    return {
        k: (v if v is None or isinstance(v, (str, int, float, bool, dict, list)) else str(v))
        for k, v in data.items()
    }


def facility_findings(facility: Facility, *, as_of: date) -> list:
    """The compliance findings of ``facility`` as of ``as_of`` (standards ``facility_check``)."""
    return list(facility_check(facility, as_of=as_of))


def _raise_if_blocking(facility: Facility, *, as_of: date) -> None:
    findings = facility_findings(facility, as_of=as_of)
    if has_blocking(findings):
        blocking = [f for f in findings if f.severity == "block"]
        codes = sorted({f.rule_code for f in blocking})
        raise DomainError(
            FIL_BLOCKING_FINDINGS,
            params={"count": len(blocking), "codes": ", ".join(codes)},
            details={"findings": [finding_as_dict(f) for f in findings]},
        )


def _next_receipt_number(facility: Facility, year: int) -> str:
    """Next receipt number ``备{county code}{year}{seq:05d}``, e.g. ``备110108202600001``."""
    prefix = f"备{facility.division.code}{year}"
    last = (
        Facility.objects.filter(receipt_number__startswith=prefix)
        .order_by("-receipt_number")
        .values_list("receipt_number", flat=True)
        .first()
    )
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _assign_receipt_number(facility: Facility, today: date) -> str:
    """Give ``facility`` a unique receipt number, retrying when a concurrent filing took it."""
    for _attempt in range(10):
        number = _next_receipt_number(facility, today.year)
        try:
            with transaction.atomic():
                Facility.objects.filter(pk=facility.pk).update(receipt_number=number)
        except IntegrityError:
            continue
        return number
    raise DomainError(GEN_CONFLICT, params={"status": facility.get_filing_status_display()})


def _transition(
    *, actor, facility: Facility, action: str, reason: str = "",
    expected_version: int | None = None, reason_required: bool = False,
    escalation_pk: int | None = None,
) -> Facility:
    """Run one filing transition: lock, table, capability, status, event, audit.

    ``escalation_pk``: the compliance-ladder step that prompted a regulatory action,
    marked as acted on in the same transaction; the supervision app checks that it is the
    step ``action`` answers (``supervision.rectification.FILING_ACTION_STEPS``).
    """
    if reason_required and not (reason or "").strip():
        raise DomainError(FIL_REASON_REQUIRED, field="reason")
    if len((reason or "").strip()) > REASON_MAX_LENGTH:
        raise DomainError(
            FIL_REASON_TOO_LONG,
            params={"limit": REASON_MAX_LENGTH, "length": len(reason.strip())}, field="reason",
        )
    locked = _lock(facility, expected_version=expected_version)
    transition = FILING_WORKFLOW.transition(action, locked.filing_status)
    if actor is not None and not perms.has_filing_capability(actor, transition.capability, locked):
        raise DomainError(GEN_FORBIDDEN)
    today = local_today()
    before = snapshot(locked, _FILING_FIELDS)
    event = FilingEvent(
        facility=locked, action=action, from_status=locked.filing_status,
        to_status=transition.target, actor=actor if getattr(actor, "pk", None) else None,
        reason=(reason or "").strip(),
    )
    if action in ("submit", "submit_change"):
        _raise_if_blocking(locked, as_of=today)
        deadline = add_working_days(today, FILING_DEADLINE_WORKING_DAYS)
        event.deadline = deadline.date
        event.deadline_provisional = bool(deadline.provisional)
    if action == "file":
        locked.receipt_number = _assign_receipt_number(locked, today)
        locked.filed_on = today
    if action == "file_change":
        locked.filed_on = today
    if action in ("file", "file_change"):
        event.receipt_number = locked.receipt_number
    locked.filing_status = transition.target
    locked.version += 1
    if action in ("file", "file_change"):
        # The data as of now is what the health commission filed (ADR 0012).
        locked.filed_version = locked.version
    _clean_save(locked)
    _clean_save(event)
    _audit(
        actor, f"facility.filing.{action}", locked, locked, before=before,
        after=snapshot(locked, _FILING_FIELDS),
        note=event.reason,
    )
    if escalation_pk is not None:
        # Lazy import: supervision depends on facilities, not the other way round.
        from tuoyu.supervision.rectification import escalation_filing_action_record

        escalation_filing_action_record(
            actor=actor, escalation_pk=escalation_pk, facility_pk=locked.pk,
            action=action, note=event.reason,
        )
    facility.filing_status = locked.filing_status
    facility.version = locked.version
    facility.filed_version = locked.filed_version
    facility.receipt_number = locked.receipt_number
    facility.filed_on = locked.filed_on
    return locked


@transaction.atomic
def filing_submit(*, actor, facility: Facility, expected_version: int | None = None) -> Facility:
    """Submit the filing (提交备案) from draft or returned.

    Runs the compliance check as of today; blocking findings raise FIL-001 whose
    ``details["findings"]`` list every finding with its rule code. On success a
    FilingEvent records the deadline: 5 working days (登记和备案办法 Art. 9), provisional
    when the count runs through a year whose holiday calendar is not loaded.
    Raises GEN-002, GEN-003, GEN-005, FIL-001.
    """
    return _transition(actor=actor, facility=facility, action="submit",
                       expected_version=expected_version)


@transaction.atomic
def filing_file(*, actor, facility: Facility, expected_version: int | None = None) -> Facility:
    """File the facility (予以备案) and issue a receipt number ``备{county}{year}{seq:05d}``.

    Only a county-level health officer of the facility's county. Raises GEN-002, GEN-003,
    GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="file",
                       expected_version=expected_version)


@transaction.atomic
def filing_return(
    *, actor, facility: Facility, reason: str, expected_version: int | None = None
) -> Facility:
    """Return the filing with reasons (退回); the employer corrects and submits again.

    Raises FIL-002 (no reason), GEN-002, GEN-003, GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="return", reason=reason,
                       expected_version=expected_version, reason_required=True)


@transaction.atomic
def filing_submit_change(
    *, actor, facility: Facility, reason: str = "", expected_version: int | None = None
) -> Facility:
    """Submit a change filing (变更备案, 登记和备案办法 Art. 10) of a filed facility.

    Checked like a first submission (FIL-001) and given the same 5-working-day deadline.
    """
    return _transition(actor=actor, facility=facility, action="submit_change", reason=reason,
                       expected_version=expected_version)


@transaction.atomic
def filing_file_change(*, actor, facility: Facility, expected_version: int | None = None) -> Facility:
    """Accept a change filing; the receipt number stays and the unfiled-changes flag clears.

    Sets ``filed_version`` to the new ``version`` (ADR 0012). Raises GEN-002, GEN-003, GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="file_change",
                       expected_version=expected_version)


@transaction.atomic
def filing_return_change(
    *, actor, facility: Facility, reason: str, expected_version: int | None = None
) -> Facility:
    """Return a change filing with reasons; the earlier filing stays in force (status filed).

    The receipt stays valid and ``filed_version`` is not moved, so
    :attr:`Facility.has_unfiled_changes` stays set: the changes are still live but unfiled
    and the operator must correct and submit them again (ADR 0012). Raises FIL-002 (no
    reason), FIL-016 (reason over 2,000 characters), GEN-002, GEN-003, GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="return_change", reason=reason,
                       expected_version=expected_version, reason_required=True)


@transaction.atomic
def filing_cancel(
    *, actor, facility: Facility, reason: str, expected_version: int | None = None
) -> Facility:
    """Cancel the filing (注销备案, 登记和备案办法 Art. 10) when the service ends. Final.

    Raises FIL-002 (no reason), GEN-002, GEN-003, GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="cancel", reason=reason,
                       expected_version=expected_version, reason_required=True)


@transaction.atomic
def filing_suspend(
    *, actor, facility: Facility, reason: str, escalation_pk: int | None = None,
    expected_version: int | None = None,
) -> Facility:
    """Suspend the filing (暂停备案, 责令暂停): the health commission's regulatory measure.

    From ``filed`` or ``change_submitted`` (a pending change filing lapses; its changes
    stay flagged as unfiled, ADR 0012) to ``suspended``: the facility leaves the public
    register and may not provide care until the suspension is lifted. ``actor``: a health
    officer of the county-level commission of the facility's county (ADR 0010, 0097);
    ``reason``: required, at most 2,000 characters; ``escalation_pk``: the ``suspension``
    step of a rectification order that prompted it (ADR 0075), marked as acted on in the
    same transaction. Raises FIL-002 (no reason), FIL-013 (reason too long), GEN-002,
    GEN-003, GEN-005, SUP-060/SUP-061 (escalation step not matching / already decided).
    """
    return _transition(actor=actor, facility=facility, action="suspend", reason=reason,
                       expected_version=expected_version, reason_required=True,
                       escalation_pk=escalation_pk)


@transaction.atomic
def filing_lift_suspension(
    *, actor, facility: Facility, reason: str, expected_version: int | None = None
) -> Facility:
    """Lift a suspension (恢复备案): ``suspended`` back to ``filed``, on the register again.

    The receipt number and ``filed_version`` are kept, so edits made while suspended show
    as unfiled changes to be filed by a change filing (ADR 0012). Same actor rule as
    :func:`filing_suspend`. Raises FIL-002, FIL-013, GEN-002, GEN-003, GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="lift_suspension", reason=reason,
                       expected_version=expected_version, reason_required=True)


@transaction.atomic
def filing_revoke(
    *, actor, facility: Facility, reason: str, escalation_pk: int | None = None,
    expected_version: int | None = None,
) -> Facility:
    """Revoke the filing (撤销备案): the health commission's final regulatory decision.

    From ``filed`` or ``suspended`` to ``revoked`` (final; distinct from the operator's own
    cancellation, 注销, ``cancelled``). The receipt number stays on record.
    ``escalation_pk``: the ``cancellation`` step of a rectification order that prompted it.
    Same actor and reason rules as :func:`filing_suspend`. Raises FIL-002, FIL-013,
    GEN-002, GEN-003, GEN-005, SUP-060, SUP-061.
    """
    return _transition(actor=actor, facility=facility, action="revoke", reason=reason,
                       expected_version=expected_version, reason_required=True,
                       escalation_pk=escalation_pk)


def recompute_provisional_deadlines(*_args, **_kwargs) -> int:
    """Recount every provisional filing deadline (called when a calendar year is loaded).

    Each provisional FilingEvent's deadline is counted again from the local date of the
    event; the flag clears once every year it runs through is known. Returns the number
    of events changed.
    """
    changed = 0
    with transaction.atomic():
        events = FilingEvent.objects.select_for_update().filter(
            deadline_provisional=True, deadline__isnull=False
        )
        for event in events:
            deadline = add_working_days(local_date(event.at), FILING_DEADLINE_WORKING_DAYS)
            if (deadline.date, bool(deadline.provisional)) != (
                event.deadline, event.deadline_provisional
            ):
                event.deadline = deadline.date
                event.deadline_provisional = bool(deadline.provisional)
                event.save(update_fields=["deadline", "deadline_provisional"])
                changed += 1
    return changed
