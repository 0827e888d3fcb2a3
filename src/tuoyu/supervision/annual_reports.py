"""Writes of annual reports (年报): create with prefilled figures, save, submit, return,
accept, and the reminders before the deadline.

A filed facility reports each calendar year (管理规范 Art. 38) by the deadline of
:func:`tuoyu.supervision.parameters.annual_report_deadline` (default 31 March of the next
year, UNVERIFIED, ADR 0086). When a report is created its figures are prefilled from the
registry (:func:`registry_figures`); the facility's own organisations edit and submit it;
a health officer over the facility returns it for correction or accepts it (workflow
table in :mod:`.annual_report_workflow`). Every write is atomic and audited; each status
change appends an :class:`~tuoyu.supervision.models.AnnualReportEvent`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tuoyu.accounts.permissions import acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.ages import age_in_months, class_type_for_age
from tuoyu.core.dates import local_date, local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.facilities.choices import StaffRole
from tuoyu.facilities.selectors import PUBLIC_STATUSES
from tuoyu.reference.calendar import working_days_between
from tuoyu.standards.selectors import CLASS_TYPES
from tuoyu.supervision import parameters
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.annual_report_checks import (
    MONTHS,
    ROLES,
    SERVICE_TYPES,
    missing_figures,
    year_end,
)
from tuoyu.supervision.annual_report_selectors import annual_report_missing, annual_report_owing
from tuoyu.supervision.annual_report_workflow import (
    ANNUAL_REPORT_WORKFLOW,
    EDITABLE_STATUSES,
    AnnualReportAction,
)
from tuoyu.supervision.errors import (
    SUP_ANNUAL_REPORT_EXISTS,
    SUP_ANNUAL_REPORT_FIGURE,
    SUP_ANNUAL_REPORT_INCOMPLETE,
    SUP_ANNUAL_REPORT_LOCKED,
    SUP_ANNUAL_REPORT_NOT_FILED,
    SUP_ANNUAL_REPORT_RETURN_REASON,
    SUP_ANNUAL_REPORT_YEAR,
)
from tuoyu.supervision.models import (
    AnnualReport,
    AnnualReportEnrolment,
    AnnualReportEvent,
    AnnualReportFee,
    AnnualReportReminder,
    AnnualReportStaff,
)

TEXT_MAX_LENGTH = 4000
#: Earliest year a report may be made for (the platform holds no earlier registry).
FIRST_YEAR = 2000
#: Largest money figure accepted, ¥ (the column holds 12 digits before the point).
MONEY_MAX = Decimal("999999999999.99")
_FIELDS = [
    "status", "incidents_count", "incidents_summary", "income", "spending", "complaints_count",
    "first_submitted_on", "late", "officer_note", "version",
]
_STAFF_FIELDS = ("count", "trained", "health_certificate_valid")

# ``annual_report_missing`` is re-exported: the alerts job and the draw's risk factor look
# it up in this module.
__all__ = [
    "RegistryFigures", "ReminderRun", "annual_report_accept", "annual_report_create",
    "annual_report_missing", "annual_report_return", "annual_report_save", "annual_report_submit",
    "annual_report_year_open", "annual_reports_remind", "month_ends", "registry_figures",
]


@dataclass
class RegistryFigures:
    """The figures of one facility and year as the registry holds them (prefill).

    ``enrolment``: ``{(class_type, month): children}`` for every class type and month 1–12
    — children enrolled on the month's last day, under the type of their class that day,
    or of their age when they are in no class (ADR 0086); ``staff``: ``{role: {"count", "trained", "health_certificate_valid"}}``
    for every role — staff in post on 31 December, trained, and with a health
    certificate valid on that day; ``fees``: ``{service_type: ¥ per month or None}`` for
    the service forms the facility offers; ``complaints``: complaints about the facility
    received by an office in the year, not refused.
    """

    enrolment: dict[tuple[str, int], int] = field(default_factory=dict)
    staff: dict[str, dict[str, int]] = field(default_factory=dict)
    fees: dict[str, Decimal | None] = field(default_factory=dict)
    complaints: int = 0


def month_ends(year: int) -> list[dt.date]:
    """The last day of each month of ``year``, January first (12 dates)."""
    return [dt.date(year, month, calendar.monthrange(year, month)[1]) for month in MONTHS]


def _age_class_type(birth_date: dt.date, day: dt.date) -> str:
    """The single-age class type of a child born on ``birth_date`` on ``day`` (设置标准
    Art. 19 default bands, :func:`tuoyu.core.ages.class_type_for_age`); under 6 months
    counts as infant, 36 months or more as older toddler (ADR 0086)."""
    months = age_in_months(birth_date, as_of=day)
    return class_type_for_age(months) or ("infant" if months < 12 else "older")


def _enrolment_figures(facility_id: int, year: int) -> dict[tuple[str, int], int]:
    from tuoyu.facilities.models import ClassPlacement, Enrolment

    ends = month_ends(year)
    first, last = dt.date(year, 1, 1), ends[-1]
    children = list(
        Enrolment.objects.filter(facility_id=facility_id, enrolled_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=first))
        .values_list("pk", "birth_date", "enrolled_on", "left_on")
    )
    placements: dict[int, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    for enrolment_id, start, end, class_type in (
        ClassPlacement.objects.filter(enrolment__facility_id=facility_id, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gt=first))
        .values_list("enrolment_id", "start", "end", "facility_class__class_type")
        .order_by("enrolment_id", "start")
    ):
        placements[enrolment_id].append((start, end, class_type))
    figures = {(t, m): 0 for t in CLASS_TYPES for m in MONTHS}
    for enrolment_id, birth_date, enrolled_on, left_on in children:
        for month, day in zip(MONTHS, ends, strict=True):
            if not (enrolled_on <= day and (left_on is None or left_on > day)):
                continue
            # One class per child and day: the placement that started latest wins (as in
            # the standards app's compliance check); a child in no class that day is
            # counted under the class type of its age (ADR 0086).
            class_type = None
            for start, end, placed_type in placements[enrolment_id]:
                if start <= day and (end is None or end > day):
                    class_type = placed_type
            if class_type is None:
                class_type = _age_class_type(birth_date, day)
            if class_type in CLASS_TYPES:
                figures[(class_type, month)] += 1
    return figures


def _staff_figures(facility_id: int, year: int) -> dict[str, dict[str, int]]:
    from tuoyu.facilities.models import StaffMember

    day = year_end(year)
    staff = (
        StaffMember.objects.filter(facility_id=facility_id)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .values_list("role", "trained", "health_certificate_expiry")
    )
    figures = {role: dict.fromkeys(_STAFF_FIELDS, 0) for role in ROLES}
    for role, trained, expiry in staff:
        row = figures.setdefault(role, dict.fromkeys(_STAFF_FIELDS, 0))
        row["count"] += 1
        row["trained"] += int(bool(trained))
        row["health_certificate_valid"] += int(expiry is not None and expiry >= day)
    return figures


def _complaints_count(facility_id: int, year: int) -> int:
    from tuoyu.complaints.models import Complaint
    from tuoyu.complaints.workflow import Status

    return (
        Complaint.objects.filter(facility_id=facility_id, received_on__year=year)
        .exclude(status__in=[Status.REJECTED, Status.MODERATION])
        .count()
    )


def registry_figures(facility, year: int) -> RegistryFigures:
    """The registry's figures of ``facility`` for ``year`` (see :class:`RegistryFigures`).

    Reads only; five queries. Used to prefill a new report.
    """
    fees = {s.service_type: s.monthly_fee for s in facility.services.all()}
    return RegistryFigures(
        enrolment=_enrolment_figures(facility.pk, year),
        staff=_staff_figures(facility.pk, year),
        fees=fees,
        complaints=_complaints_count(facility.pk, year),
    )


def annual_report_year_open(year: int, *, today: dt.date) -> bool:
    """True when a report may be made for ``year`` on ``today`` (local date): the year has
    ended (管理规范 Art. 38: the report covers a whole year) and is not before
    :data:`FIRST_YEAR`. The one rule for the create service and the list page's button."""
    return FIRST_YEAR <= year < today.year


def _audit(actor, action: str, report: AnnualReport, *, before=None, after=None, note=""):
    org, role = acting_as(actor)
    return audit_record(
        actor=actor, action=action, obj=report, before=before, after=after,
        organization=org, role=role, note=note,
    )


def _event(report: AnnualReport, action: str, from_status: str, actor, note: str = "") -> None:
    AnnualReportEvent.objects.create(
        report=report, action=action, from_status=from_status, to_status=report.status,
        actor=actor if getattr(actor, "pk", None) else None, note=note,
    )


@transaction.atomic
def annual_report_create(*, actor, facility, year: int, today: dt.date | None = None) -> AnnualReport:
    """Create the annual report of ``facility`` for ``year`` with figures prefilled from
    the registry (:func:`registry_figures`), in status ``draft``.

    ``actor``: a user acting for the facility's operator or a sponsor; ``year``: a year
    that has ended by ``today`` (default: the local date), from :data:`FIRST_YEAR` on
    (:func:`annual_report_year_open`). The deadline is fixed from the
    setting now (ADR 0086). Returns the report. Raises GEN-002 (not the facility's own
    organisation), SUP-051 (facility not filed), SUP-052 (year not ended, or before 2000), SUP-050
    (a report for that facility and year exists).
    """
    today = today or local_today()
    if not perms.can_create_annual_report(actor, facility):
        raise DomainError(GEN_FORBIDDEN)
    if facility.filing_status not in PUBLIC_STATUSES:
        raise DomainError(SUP_ANNUAL_REPORT_NOT_FILED, {"facility": facility.name})
    year = int(year)
    if not annual_report_year_open(year, today=today):
        raise DomainError(
            SUP_ANNUAL_REPORT_YEAR, {"earliest": FIRST_YEAR, "latest": today.year - 1}, field="year"
        )
    params = {"facility": facility.name, "year": year}
    if AnnualReport.objects.filter(facility=facility, year=year).exists():
        raise DomainError(SUP_ANNUAL_REPORT_EXISTS, params)
    figures = registry_figures(facility, year)
    report = AnnualReport(
        facility=facility, year=year, deadline=parameters.annual_report_deadline(year),
        complaints_count=figures.complaints, prefilled_at=timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    report.full_clean(exclude=["facility"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # a concurrent create won the (facility, year) constraint
        raise DomainError(SUP_ANNUAL_REPORT_EXISTS, params) from None
    AnnualReportEnrolment.objects.bulk_create(
        AnnualReportEnrolment(report=report, class_type=t, month=m, children=n)
        for (t, m), n in sorted(figures.enrolment.items())
    )
    AnnualReportStaff.objects.bulk_create(
        AnnualReportStaff(report=report, role=role, **row) for role, row in sorted(figures.staff.items())
    )
    AnnualReportFee.objects.bulk_create(
        AnnualReportFee(report=report, service_type=t, monthly_fee=fee) for t, fee in sorted(figures.fees.items())
    )
    _event(report, AnnualReportAction.CREATE, "", actor)
    _audit(actor, "supervision.annual_report_create", report, after=snapshot(report, _FIELDS))
    return report


def _count(value, label: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or number > 10_000_000:
        raise DomainError(SUP_ANNUAL_REPORT_FIGURE, {"figure": label, "detail": _("须为不小于0的整数")})
    return number


def _money(value, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if amount < 0 or amount > MONEY_MAX:
        raise DomainError(SUP_ANNUAL_REPORT_FIGURE, {"figure": label, "detail": _("须为不小于0的金额（元）")})
    return amount


def _lock(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("facility__division").get(pk=report.pk)


@transaction.atomic
def annual_report_save(*, actor, report: AnnualReport, figures: dict) -> AnnualReport:
    """Save the figures of a draft or returned ``report`` (保存草稿); blanks are allowed.

    ``figures`` may hold any of: ``enrolment`` ``{(class_type, month): int | None}``;
    ``staff`` ``{role: {"count", "trained", "health_certificate_valid": int | None}}``;
    ``fees`` ``{service_type: ¥ | None}``; ``incidents_count`` (int), ``incidents_summary``
    (text, ≤4000 characters), ``income`` and ``spending`` (¥, rounded half-up to the
    fen), ``complaints_count`` (int). Keys not given are left as they are. Returns the
    report. Raises GEN-002 (not the facility's own organisation), SUP-054 (not draft or
    returned), SUP-056 (a negative or malformed figure, or trained/certified above the
    count).
    """
    locked = _lock(report)
    if not perms.can_edit_annual_report(actor, locked):
        raise DomainError(GEN_FORBIDDEN)
    if locked.status not in EDITABLE_STATUSES:
        raise DomainError(SUP_ANNUAL_REPORT_LOCKED)
    before = snapshot(locked, _FIELDS)
    for name, label in (("incidents_count", _("安全事故（件）")), ("complaints_count", _("收到投诉（件）"))):
        if name in figures:
            setattr(locked, name, _count(figures[name], label))
    for name, label in (("income", _("收入（元）")), ("spending", _("支出（元）"))):
        if name in figures:
            setattr(locked, name, _money(figures[name], label))
    if "incidents_summary" in figures:
        locked.incidents_summary = (figures["incidents_summary"] or "").strip()[:TEXT_MAX_LENGTH]
    # The 48 cells in three queries: one read, one update, one insert of any cell not stored.
    cells = {(c.class_type, c.month): c for c in AnnualReportEnrolment.objects.filter(report=locked)}
    changed, added = [], []
    for (class_type, month), value in (figures.get("enrolment") or {}).items():
        if class_type not in CLASS_TYPES or month not in MONTHS:
            continue
        children = _count(value, _("在托人数"))
        cell = cells.get((class_type, month))
        if cell is None:
            added.append(AnnualReportEnrolment(report=locked, class_type=class_type, month=month, children=children))
        else:
            cell.children = children
            changed.append(cell)
    AnnualReportEnrolment.objects.bulk_update(changed, ["children"])
    AnnualReportEnrolment.objects.bulk_create(added)
    stored_staff = {
        row.pop("role"): row
        for row in AnnualReportStaff.objects.filter(report=locked).values("role", *_STAFF_FIELDS)
    }
    for role, row in (figures.get("staff") or {}).items():
        if role not in ROLES:
            continue
        values = {k: _count(row.get(k), _("人数")) for k in _STAFF_FIELDS if k in row}
        merged = {**stored_staff.get(role, {}), **values}
        count = merged.get("count")
        for key in ("trained", "health_certificate_valid"):
            if count is not None and merged.get(key) is not None and merged[key] > count:
                raise DomainError(
                    SUP_ANNUAL_REPORT_FIGURE, {"figure": str(StaffRole(role).label), "detail": _("不能多于人数")},
                    field=role,
                )
        AnnualReportStaff.objects.update_or_create(report=locked, role=role, defaults=values)
    for service_type, value in (figures.get("fees") or {}).items():
        if service_type not in SERVICE_TYPES:
            continue
        AnnualReportFee.objects.update_or_create(
            report=locked, service_type=service_type,
            defaults={"monthly_fee": _money(value, _("月收费（元）"))},
        )
    locked.version += 1
    locked.full_clean(exclude=["facility"], validate_unique=False, validate_constraints=False)
    locked.save()
    _audit(actor, "supervision.annual_report_save", locked, before=before, after=snapshot(locked, _FIELDS))
    report.version = locked.version
    return locked


def _transition(*, actor, report: AnnualReport, action: str, note: str = "", **changes) -> AnnualReport:
    locked = _lock(report)
    transition = ANNUAL_REPORT_WORKFLOW.transition(action, locked.status)
    if not perms.ANNUAL_REPORT_PREDICATES[transition.capability](actor, locked):
        raise DomainError(GEN_FORBIDDEN)
    before = snapshot(locked, _FIELDS)
    from_status = locked.status
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.status = transition.target
    locked.version += 1
    locked.full_clean(exclude=["facility"], validate_unique=False, validate_constraints=False)
    locked.save()
    _event(locked, action, from_status, actor, note)
    _audit(actor, f"supervision.annual_report_{action}", locked, before=before,
           after=snapshot(locked, _FIELDS), note=note)
    report.status, report.version = locked.status, locked.version
    return locked


@transaction.atomic
def annual_report_submit(*, actor, report: AnnualReport, now: dt.datetime | None = None) -> AnnualReport:
    """Submit ``report`` (报送) from draft or returned; the facility's own organisations only.

    Every required figure must be filled in (see
    :func:`~tuoyu.supervision.annual_report_checks.missing_figures`). The first
    submission fixes ``first_submitted_on`` (local date of ``now``, default the current
    time) and ``late`` (that date after the deadline). Returns the report, now
    ``submitted``. Raises GEN-005 (not draft or returned), GEN-002, SUP-053 (missing
    figures; ``details["missing"]`` lists them).
    """
    now = now or timezone.now()
    locked = _lock(report)
    ANNUAL_REPORT_WORKFLOW.transition("submit", locked.status)  # GEN-005 before anything else
    if not perms.can_edit_annual_report(actor, locked):
        raise DomainError(GEN_FORBIDDEN)
    missing = missing_figures(locked)
    if missing:
        shown = "、".join(missing[:5]) + ("…" if len(missing) > 5 else "")
        raise DomainError(
            SUP_ANNUAL_REPORT_INCOMPLETE, {"count": len(missing), "fields": shown},
            details={"missing": missing},
        )
    changes: dict = {"submitted_at": now}
    if locked.first_submitted_on is None:
        changes["first_submitted_on"] = local_date(now)
        changes["late"] = local_date(now) > locked.deadline
    return _transition(actor=actor, report=report, action="submit", **changes)


@transaction.atomic
def annual_report_return(*, actor, report: AnnualReport, reason: str) -> AnnualReport:
    """A health officer over the facility returns a submitted ``report`` for correction
    (退回修改) with ``reason`` (required, ≤4000 characters). Returns the report, now
    ``returned``. Raises SUP-055 (no reason), GEN-005 (not submitted), GEN-002."""
    reason = (reason or "").strip()[:TEXT_MAX_LENGTH]
    if not reason:
        raise DomainError(SUP_ANNUAL_REPORT_RETURN_REASON, field="reason")
    return _transition(actor=actor, report=report, action="return", note=reason,
                       officer_note=reason, reviewed_at=timezone.now())


@transaction.atomic
def annual_report_accept(*, actor, report: AnnualReport, note: str = "") -> AnnualReport:
    """A health officer over the facility accepts a submitted ``report`` (接收); final.
    Returns the report, now ``accepted``. Raises GEN-005 (not submitted), GEN-002."""
    note = (note or "").strip()[:TEXT_MAX_LENGTH]
    return _transition(actor=actor, report=report, action="accept", note=note,
                       officer_note=note, reviewed_at=timezone.now())


# --- reminders (催报提醒) ------------------------------------------------------------------


@dataclass
class ReminderRun:
    """What one reminder run did: the ``year`` reported, its ``deadline``, the local date
    ``as_of``, whether it lies in the reminder window (``in_window``), and the facility
    pks reminded now (``reminded``; none twice on one day)."""

    year: int
    deadline: dt.date
    as_of: dt.date
    in_window: bool
    reminded: list[int] = field(default_factory=list)


def _recipients(facility_ids) -> dict[int, int]:
    """Facility pk → number of users acting for its operator or sponsors (employer
    administrators and facility operators, active memberships)."""
    from tuoyu.accounts.models import Membership
    from tuoyu.facilities.models import Facility
    from tuoyu.facilities.permissions import ORG_ROLES

    orgs: dict[int, set[int]] = defaultdict(set)
    for pk, operator, sponsor in Facility.objects.filter(pk__in=facility_ids).values_list(
        "pk", "operator_id", "sponsors__id"
    ):
        orgs[pk].add(operator)
        if sponsor:
            orgs[pk].add(sponsor)
    users: dict[int, set[int]] = defaultdict(set)
    for org, user in Membership.objects.filter(
        organization_id__in={o for s in orgs.values() for o in s}, role__in=ORG_ROLES, is_active=True
    ).values_list("organization_id", "user_id"):
        users[org].add(user)
    return {pk: len(set().union(*(users[o] for o in s))) for pk, s in orgs.items()}


def annual_reports_remind(*, as_of: dt.date | None = None, year: int | None = None) -> ReminderRun:
    """Record a reminder (催报提醒) for each filed facility without a submitted report for
    ``year`` (default: the year before ``as_of``), when ``as_of`` (default today, local)
    lies from ``TUOYU_ANNUAL_REPORT_REMINDER_DAYS`` working days (default 10) before the
    deadline up to the deadline itself.

    Idempotent per facility, year and day: a second run on the same day records nothing
    (database constraint). Returns a :class:`ReminderRun`.
    """
    as_of = as_of or local_today()
    year = as_of.year - 1 if year is None else int(year)
    deadline = parameters.annual_report_deadline(year)
    left = working_days_between(as_of, deadline)
    run = ReminderRun(year=year, deadline=deadline, as_of=as_of,
                      in_window=as_of <= deadline and left <= parameters.annual_report_reminder_days())
    if not run.in_window:
        return run
    owing = sorted(annual_report_owing(year=year))
    already = set(
        AnnualReportReminder.objects.filter(year=year, sent_on=as_of, facility_id__in=owing)
        .values_list("facility_id", flat=True)
    )
    todo = [pk for pk in owing if pk not in already]
    recipients = _recipients(todo)
    for pk in todo:
        try:
            with transaction.atomic():
                AnnualReportReminder.objects.create(
                    facility_id=pk, year=year, sent_on=as_of, deadline=deadline,
                    recipients=recipients.get(pk, 0),
                )
        except IntegrityError:  # a concurrent run recorded it first
            continue
        run.reminded.append(pk)
    return run
