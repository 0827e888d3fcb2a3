"""Writes of the complaint channel: submission, routing, transitions, reopening, feedback,
reassignment and escalation. Every service is atomic and writes an audit event."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tuoyu.accounts.models import Membership
from tuoyu.accounts.permissions import ROLE_ORGANIZATION_KINDS, acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.complaints import parameters, selectors
from tuoyu.complaints import permissions as perms
from tuoyu.complaints.choices import (
    URGENT_CATEGORIES,
    NotificationKind,
    Office,
    RejectReason,
    Target,
    office_for,
)
from tuoyu.complaints.errors import (
    CMP_ANSWER_REQUIRED,
    CMP_CONSENT,
    CMP_DIVISION,
    CMP_FEEDBACK_GIVEN,
    CMP_FEEDBACK_STATE,
    CMP_FILE_COUNT,
    CMP_INSPECTION_EXISTS,
    CMP_INSPECTION_TARGET,
    CMP_NO_INSPECTORS,
    CMP_NO_TARGET,
    CMP_REASON_REQUIRED,
    CMP_REASSIGN_SAME,
    CMP_REOPEN_LATE,
    CMP_REOPEN_USED,
    CMP_SATISFACTION,
)
from tuoyu.complaints.evidence import clean_upload
from tuoyu.complaints.models import (
    Complaint,
    ComplaintEvidence,
    ComplaintStatusChange,
    Notification,
)
from tuoyu.complaints.spam import spam_score, text_key
from tuoyu.complaints.validators import normalize_contact
from tuoyu.complaints.workflow import COMPLAINT_WORKFLOW, OPEN_STATUSES, Status
from tuoyu.core.dates import local_date
from tuoyu.core.errors import GEN_CONFLICT, GEN_FORBIDDEN, GEN_INVALID, DomainError
from tuoyu.reference.calendar import add_working_days
from tuoyu.reference.models import Division
from tuoyu.supervision.inspections import inspection_create
from tuoyu.supervision.models import InspectionOrigin
from tuoyu.supervision.selectors import eligible_inspectors

#: Tracking-code alphabet: digits and capitals without 0/1/I/L/O, easy to read out (31 symbols).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_ATTEMPTS = 8

_AUDIT_FIELDS = [
    "status", "office", "division", "urgent", "escalation_level", "reopen_count", "substantiated", "inspection",
]


def new_tracking_code() -> str:
    """A random 12-character tracking code (查询码) from :data:`CODE_ALPHABET` (≈ 59 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _officers(complaint: Complaint, *, supervisors: bool):
    """Active officers of the complaint's office kind whose organisation covers its county.

    ``supervisors`` False: county-level offices only (falling back to every covering office
    when the county has none); True: the county's and every higher office's officers.
    """
    role = perms.OFFICE_ROLES[complaint.office]
    code = complaint.division.code
    rows = (
        Membership.objects.filter(
            role=role, is_active=True, user__is_active=True,
            organization__is_active=True, organization__kind__in=ROLE_ORGANIZATION_KINDS[role],
        )
        .select_related("organization__division", "user")
        .order_by("user_id")
    )
    covering = [m for m in rows if code.startswith(m.organization.jurisdiction_prefix)]
    if not supervisors:
        county = [m for m in covering if len(m.organization.jurisdiction_prefix) >= 6]
        covering = county or covering
    users = {m.user_id: m.user for m in covering}
    return list(users.values())


def _notify(complaint: Complaint, kind: str, *, supervisors: bool) -> int:
    """Create notifications of ``kind`` for the complaint's officers; returns how many."""
    recipients = _officers(complaint, supervisors=supervisors)
    Notification.objects.bulk_create(
        [Notification(recipient=u, complaint=complaint, kind=kind) for u in recipients]
    )
    return len(recipients)


def _start_deadlines(complaint: Complaint, now: dt.datetime) -> None:
    """Set the office's day of receipt and deadlines (not saved): the complaint is received at ``now``.

    Deadlines: ``COMPLAINT_DEADLINES`` working days (acknowledge, answer) after the day of
    receipt, by :func:`tuoyu.reference.calendar.add_working_days` (ADR 0081).
    """
    received = local_date(now)
    ack_days, answer_days = parameters.deadlines(complaint.category)
    ack = add_working_days(received, ack_days)
    answer = add_working_days(received, answer_days)
    complaint.received_on = received
    complaint.ack_due, complaint.answer_due = ack.date, answer.date
    complaint.deadlines_provisional = ack.provisional or answer.provisional


def _notify_received(complaint: Complaint) -> None:
    """Tell the office a complaint has reached it: urgent ones to its supervisors too (ADR 0081)."""
    if complaint.urgent:
        _notify(complaint, NotificationKind.URGENT, supervisors=True)
    else:
        _notify(complaint, NotificationKind.NEW, supervisors=False)


def _history(complaint, action, from_status, to_status, actor, reason="") -> None:
    ComplaintStatusChange.objects.create(
        complaint=complaint, action=action, from_status=from_status, to_status=to_status,
        actor=actor if getattr(actor, "pk", None) else None, reason=reason,
    )


def _audit(actor, action, complaint, before=None, note=""):
    org, role = acting_as(actor)
    audit_record(
        actor=actor, action=action, obj=complaint, organization=org, role=role,
        before=before, after=snapshot(complaint, _AUDIT_FIELDS), note=note,
    )


@transaction.atomic
def complaint_submit(
    *,
    actor,
    target: str,
    facility=None,
    employer=None,
    category: str,
    description: str,
    occurred_on: dt.date | None = None,
    contact: str = "",
    consent: bool,
    files=(),
    now: dt.datetime | None = None,
) -> Complaint:
    """File a complaint (提交投诉) and route it, or hold it for moderation.

    ``actor``: the signed-in user or None/anonymous. ``target``: :class:`Target` value;
    ``facility`` (a public facility) or ``employer`` (an employer Organization) accordingly.
    ``contact``: a mobile number or email address (kept private), optional. ``files``:
    uploaded evidence (JPEG/PNG/PDF), metadata stripped. A spam score at or above
    ``COMPLAINT_SPAM_THRESHOLD`` or an identical text about the same target within
    ``COMPLAINT_DUPLICATE_DAYS`` sends the complaint to ``moderation``; otherwise it is
    ``received`` by the office of :func:`tuoyu.complaints.choices.office_for` in the
    target's county, deadlines start and the officers are notified in this transaction
    (urgent categories: the county's health officers and their supervisors).

    Raises DomainError CMP-001 (no target), CMP-002 (no consent), CMP-003 (contact),
    CMP-010/011/012/013 (files), GEN-004 (empty text). Returns the saved Complaint; its
    ``tracking_code`` is unique (regenerated on the rare collision).
    """
    now = now or timezone.now()
    if target == Target.FACILITY and facility is not None:
        employer = None
        division = facility.division
    elif target == Target.EMPLOYER and employer is not None:
        facility = None
        division = employer.division
    else:
        raise DomainError(CMP_NO_TARGET, field="facility")
    if not consent:
        raise DomainError(CMP_CONSENT, field="consent")
    description = (description or "").strip()
    if not description:
        raise DomainError(GEN_INVALID, {"detail": "description"}, field="description")
    phone, email = normalize_contact(contact)
    files = list(files or [])
    if len(files) > parameters.evidence_max_files():
        raise DomainError(CMP_FILE_COUNT, {"limit": parameters.evidence_max_files()}, field="files")
    cleaned = [clean_upload(f) for f in files]
    score, reasons = spam_score(description)
    key = text_key(description)
    since = now - dt.timedelta(days=parameters.duplicate_days())
    duplicate = selectors.duplicate_candidate(
        text_key=key, facility_id=getattr(facility, "pk", None),
        employer_id=getattr(employer, "pk", None), since=since,
    )
    if duplicate is not None:
        reasons.append("duplicate")
    held = score >= parameters.spam_threshold() or duplicate is not None
    complaint = Complaint(
        target=target, facility=facility, employer=employer, division=division,
        office=office_for(target=target, category=category), category=category,
        urgent=category in URGENT_CATEGORIES,
        status=Status.MODERATION if held else Status.RECEIVED,
        description=description, occurred_on=occurred_on, contact_phone=phone, contact_email=email,
        consent=True, submitted_by=actor if getattr(actor, "pk", None) else None,
        spam_score=score, spam_reasons=reasons, text_key=key, duplicate_of=duplicate,
    )
    if not held:
        _start_deadlines(complaint, now)
    complaint.full_clean(exclude=["tracking_code", "text_key"])
    for _attempt in range(CODE_ATTEMPTS):
        complaint.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                complaint.save()
            break
        except IntegrityError:
            if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
                raise
            complaint.pk = None
    else:  # pragma: no cover - 31^12 codes make this practically impossible
        raise DomainError(GEN_CONFLICT, {"status": "tracking_code"})
    for data, content_type, extension, name in cleaned:
        item = ComplaintEvidence(complaint=complaint, original_name=name, content_type=content_type, size=len(data))
        item.file.save(secrets.token_hex(16) + extension, ContentFile(data), save=False)
        item.save()
    _history(complaint, "submit", "", complaint.status, actor)
    if not held:
        _notify_received(complaint)
    _audit(actor, "complaints.submit", complaint, note=",".join(reasons)[:500])
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update(of=("self",)).select_related("division", "facility", "employer").get(
        pk=complaint.pk
    )


@transaction.atomic
def complaint_transition(
    *,
    actor,
    complaint: Complaint,
    action: str,
    reason: str = "",
    answer: str = "",
    reject_reason: str = "",
    substantiated: bool | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Apply workflow ``action`` (see :mod:`tuoyu.complaints.workflow`) by an officer or moderator.

    ``reject`` needs ``reject_reason`` (:class:`RejectReason`) and a ``reason`` text;
    ``answer`` needs the public ``answer`` text. ``substantiated`` (投诉属实, True/False)
    is recorded on ``answer`` and ``close`` when given (None keeps the recorded value);
    substantiated complaints appear anonymised on the facility's portal page and count
    in its draw risk weight (ADR 0085). ``release`` routes the complaint to its
    office (deadlines start, officers notified). Raises GEN-005 (not allowed from the
    current status), GEN-002 (capability or jurisdiction missing), GEN-003 (the
    complaint changed since it was read), CMP-020/021. Returns the updated complaint.
    """
    now = now or timezone.now()
    locked = _locked(complaint)
    if locked.version != complaint.version:
        raise DomainError(GEN_CONFLICT, {"status": locked.get_status_display()})
    transition = COMPLAINT_WORKFLOW.transition(action, locked.status)
    if not perms.has_transition_capability(actor, locked, transition.capability):
        raise DomainError(GEN_FORBIDDEN)
    before = snapshot(locked, _AUDIT_FIELDS)
    reason = (reason or "").strip()
    if action in ("reject", "discard"):
        if action == "discard":
            reject_reason = RejectReason.SPAM
        if reject_reason not in RejectReason.values or not reason:
            raise DomainError(CMP_REASON_REQUIRED, field="reason")
        locked.reject_reason = reject_reason
        locked.public_answer = reason
    if action == "accept":
        locked.acknowledged_at = now
    if action == "answer":
        answer = (answer or "").strip()
        if not answer:
            raise DomainError(CMP_ANSWER_REQUIRED, field="answer")
        locked.public_answer = answer
        locked.answered_at = now
    if action == "close":
        locked.closed_at = now
    if action in ("answer", "close") and substantiated is not None:
        locked.substantiated = bool(substantiated)
    if reason and action not in ("reject", "discard"):
        locked.internal_note = (locked.internal_note + "\n" + reason).strip()
    if action == "release":
        _start_deadlines(locked, now)
    from_status = locked.status
    locked.status = transition.target
    locked.version += 1
    locked.full_clean()
    locked.save()
    _history(locked, action, from_status, locked.status, actor, reason)
    if action == "release":
        _notify_received(locked)
    _audit(actor, f"complaints.{action}", locked, before=before)
    return locked


@transaction.atomic
def complaint_reopen(*, code: str, reason: str, now: dt.datetime | None = None) -> Complaint:
    """Reopen (申请重新办理) an answered or closed complaint by its tracking code, once.

    Allowed within ``COMPLAINT_REOPEN_DAYS`` calendar days of closing (or of the answer when
    not yet closed). Back to ``investigating``; the answer deadline restarts; the office's
    officers are notified. Raises GEN-001 (unknown code), GEN-005, CMP-020 (no reason),
    CMP-022 (already reopened), CMP-023 (too late).
    """
    now = now or timezone.now()
    locked = _locked(selectors.complaint_get_by_code(code))
    transition = COMPLAINT_WORKFLOW.transition("reopen", locked.status)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(CMP_REASON_REQUIRED, field="reason")
    if locked.reopen_count >= 1:
        raise DomainError(CMP_REOPEN_USED)
    since = locked.closed_at or locked.answered_at or now
    days = parameters.reopen_days()
    if now - since > dt.timedelta(days=days):
        raise DomainError(CMP_REOPEN_LATE, {"days": days})
    before = snapshot(locked, _AUDIT_FIELDS)
    from_status = locked.status
    locked.status = transition.target
    locked.reopen_count += 1
    locked.closed_at = None
    locked.solved = None
    locked.satisfaction = None
    _ack, answer_days = parameters.deadlines(locked.category)
    deadline = add_working_days(local_date(now), answer_days)
    locked.answer_due, locked.deadlines_provisional = deadline.date, deadline.provisional
    locked.escalation_level = 0
    locked.version += 1
    locked.full_clean()
    locked.save()
    _history(locked, "reopen", from_status, locked.status, None, reason)
    _notify(locked, NotificationKind.REOPENED, supervisors=False)
    _audit(None, "complaints.reopen", locked, before=before, note=reason[:500])
    return locked


@transaction.atomic
def complaint_feedback(*, code: str, solved: bool, satisfaction: int) -> Complaint:
    """Record the complainant's answer to "solved?" and satisfaction 1–5 (满意度评价) once, after closing.

    Raises GEN-001 (unknown code), CMP-024 (not closed), CMP-025 (given already), CMP-026.
    """
    locked = _locked(selectors.complaint_get_by_code(code))
    if locked.status != Status.CLOSED:
        raise DomainError(CMP_FEEDBACK_STATE)
    if locked.satisfaction is not None:
        raise DomainError(CMP_FEEDBACK_GIVEN)
    try:
        satisfaction = int(satisfaction)
    except (TypeError, ValueError):
        raise DomainError(CMP_SATISFACTION, field="satisfaction") from None
    if not 1 <= satisfaction <= 5:
        raise DomainError(CMP_SATISFACTION, field="satisfaction")
    locked.solved = bool(solved)
    locked.satisfaction = satisfaction
    locked.full_clean()
    locked.save()
    _audit(None, "complaints.feedback", locked)
    return locked


@transaction.atomic
def complaint_reassign(*, actor, complaint: Complaint, office: str, division_code: str, reason: str) -> Complaint:
    """Reassign (转办) a complaint to another office kind and/or county, with a reason.

    Only an officer who may handle it now. Deadlines are kept; the new office's officers are
    notified. Raises GEN-002, CMP-020 (no reason), CMP-027 (same office), CMP-028 (bad county).
    """
    locked = _locked(complaint)
    if not perms.can_handle_complaint(actor, locked) or locked.status not in OPEN_STATUSES:
        raise DomainError(GEN_FORBIDDEN)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(CMP_REASON_REQUIRED, field="reason")
    division = Division.objects.filter(code=(division_code or "").strip(), status="active").first()
    if division is None or office not in Office.values:
        raise DomainError(CMP_DIVISION, {"code": division_code}, field="division_code")
    if division.pk == locked.division_id and office == locked.office:
        raise DomainError(CMP_REASSIGN_SAME)
    before = snapshot(locked, _AUDIT_FIELDS)
    locked.office, locked.division = office, division
    locked.version += 1
    locked.full_clean()
    locked.save()
    _history(locked, "reassign", locked.status, locked.status, actor, reason)
    _notify(locked, NotificationKind.REASSIGNED, supervisors=False)
    _audit(actor, "complaints.reassign", locked, before=before, note=reason[:500])
    return locked


@transaction.atomic
def complaints_escalate(*, actor=None, now: dt.datetime | None = None) -> int:
    """Escalate overdue complaints (逾期督办); returns how many were escalated now.

    Level 1: not acknowledged (still ``received``) after ``ack_due``; level 2: not answered
    (``received``/``accepted``/``investigating``) after ``answer_due``. A deadline day counts
    in full (overdue from the next day). A complaint is escalated only when its level rises,
    so running the command twice changes nothing the second time. Each escalation notifies
    the office's officers and their supervisors and writes an audit event.
    """
    now = now or timezone.now()
    today = local_date(now)
    count = 0
    rows = Complaint.objects.select_for_update(of=("self",)).select_related("division").filter(
        status__in=OPEN_STATUSES, escalation_level__lt=2
    )
    for complaint in rows:
        level = 0
        if complaint.answer_due and complaint.answer_due < today:
            level = 2
        elif complaint.status == Status.RECEIVED and complaint.ack_due and complaint.ack_due < today:
            level = 1
        if level <= complaint.escalation_level:
            continue
        before = snapshot(complaint, _AUDIT_FIELDS)
        complaint.escalation_level = level
        complaint.escalated_at = now
        complaint.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
        _notify(complaint, NotificationKind.OVERDUE, supervisors=True)
        _audit(actor, "complaints.escalate", complaint, before=before, note=f"level {level}")
        count += 1
    return count


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification, now: dt.datetime | None = None) -> Notification:
    """Mark ``notification`` read; only its recipient may. Raises GEN-002."""
    if notification.recipient_id != getattr(actor, "pk", None):
        raise DomainError(GEN_FORBIDDEN)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def complaint_open_inspection(
    *, actor, complaint: Complaint, inspectors, visit_date: dt.date, reason: str = ""
) -> Complaint:
    """Open an ad hoc inspection (转为检查) of the complained-about facility from ``complaint``.

    Only a health officer who may handle the complaint (a facility complaint routed to the
    health commission, not in moderation or rejected), once per complaint. Calls
    :func:`tuoyu.supervision.inspections.inspection_create` with origin ``complaint``; the
    inspection's reason names the tracking code and category plus ``reason`` (never the
    complainant's text or contact). ``inspectors``: users eligible for the facility
    (see :func:`tuoyu.supervision.selectors.eligible_inspectors`); ``visit_date``: the
    planned visit. The complaint records the link; an audit event is written.
    Raises GEN-002 (not allowed), GEN-003 (changed since read), CMP-030 (not a health
    facility complaint), CMP-031 (already linked), CMP-032 (no eligible inspectors), and
    SUP-024/SUP-025 from the supervision service (inspector not eligible, too few).
    """
    locked = _locked(complaint)
    if locked.version != complaint.version:
        raise DomainError(GEN_CONFLICT, {"status": locked.get_status_display()})
    if not perms.can_handle_complaint(actor, locked) or locked.status == Status.REJECTED:
        raise DomainError(GEN_FORBIDDEN)
    if locked.facility_id is None or locked.office != Office.HEALTH:
        raise DomainError(CMP_INSPECTION_TARGET)
    if locked.inspection_id is not None:
        raise DomainError(CMP_INSPECTION_EXISTS)
    inspectors = list(inspectors or [])
    if not inspectors and not eligible_inspectors(locked.facility).exists():
        raise DomainError(CMP_NO_INSPECTORS, field="inspectors")
    text = f"投诉 {locked.tracking_code}（{locked.get_category_display()}）"
    extra = (reason or "").strip()
    inspection = inspection_create(
        actor=actor, facility=locked.facility, inspectors=inspectors, visit_date=visit_date,
        reason=f"{text} {extra}".strip(), origin=InspectionOrigin.COMPLAINT,
    )
    before = snapshot(locked, _AUDIT_FIELDS)
    locked.inspection = inspection
    locked.version += 1
    locked.full_clean()
    locked.save()
    _history(locked, "inspect", locked.status, locked.status, actor, f"#{inspection.pk}")
    _audit(actor, "complaints.inspection_open", locked, before=before, note=f"inspection {inspection.pk}")
    return locked
