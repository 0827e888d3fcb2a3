"""Reads of complaints, scoped to the reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean, median

from django.db.models import Avg, Count, Q, QuerySet

from tuoyu.complaints import permissions as perms
from tuoyu.complaints.choices import Office
from tuoyu.complaints.models import Complaint, Notification
from tuoyu.complaints.validators import normalize_tracking_code
from tuoyu.complaints.workflow import OPEN_STATUSES, Status
from tuoyu.core.dates import local_date
from tuoyu.core.errors import GEN_NOT_FOUND, DomainError


def _base() -> QuerySet[Complaint]:
    return Complaint.objects.select_related("facility", "employer", "division")


def complaints_visible_to(user, *, status: str = "", overdue_only: bool = False) -> QuerySet[Complaint]:
    """Complaints ``user`` may handle (routed to their office and jurisdiction).

    ``status`` filters by one status; ``overdue_only`` keeps the escalated open ones.
    Ordered: most escalated first, then urgent, then by answer deadline, then newest.
    """
    qs = _base().filter(perms.handling_q(user))
    if status in Status.values:
        qs = qs.filter(status=status)
    if overdue_only:
        qs = qs.filter(escalation_level__gt=0, status__in=OPEN_STATUSES)
    return qs.order_by("-escalation_level", "-urgent", "answer_due", "-id")


def moderation_queue(user) -> QuerySet[Complaint]:
    """Submissions waiting for moderation (only for moderators; empty for everyone else)."""
    if not perms.can_moderate_complaints(user):
        return Complaint.objects.none()
    return _base().filter(status=Status.MODERATION).order_by("created_at", "id")


def complaint_get_for_user(user, pk) -> Complaint:
    """The complaint ``pk`` if ``user`` may see it; raises DomainError GEN-001 otherwise."""
    try:
        complaint = _base().get(pk=int(pk))
    except (Complaint.DoesNotExist, TypeError, ValueError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not perms.can_view_complaint(user, complaint):
        raise DomainError(GEN_NOT_FOUND)
    return complaint


def complaint_get_by_code(code: str) -> Complaint:
    """The complaint with tracking code ``code`` (case and spaces ignored); raises GEN-001."""
    code = normalize_tracking_code(code)
    if len(code) != 12:
        raise DomainError(GEN_NOT_FOUND)
    try:
        return _base().get(tracking_code=code)
    except Complaint.DoesNotExist:
        raise DomainError(GEN_NOT_FOUND) from None


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """Notifications of ``user`` about complaints, newest first (empty for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user).select_related("complaint")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def duplicate_candidate(*, text_key: str, facility_id, employer_id, since) -> Complaint | None:
    """The earliest complaint since ``since`` with the same text key about the same target."""
    target = Q(facility_id=facility_id) if facility_id else Q(employer_id=employer_id)
    return (
        Complaint.objects.filter(target, text_key=text_key, created_at__gte=since)
        .exclude(status=Status.REJECTED)
        .order_by("created_at", "id")
        .first()
    )


@dataclass(frozen=True)
class OfficeFigures:
    """Figures of the complaints a user may handle (投诉办理统计).

    ``total``: complaints routed; ``open``: received, accepted or investigating;
    ``overdue``: open and escalated; ``answered``: with an answer; ``mean_days_to_answer``:
    mean calendar days from submission to answer (None when none answered);
    ``mean_satisfaction``: mean of 1–5 (None when no feedback); ``solved_share``: share of
    feedback saying solved, 0–1 (None when no feedback).
    """

    total: int
    open: int
    overdue: int
    answered: int
    mean_days_to_answer: Decimal | None
    mean_satisfaction: Decimal | None
    solved_share: Decimal | None


def _round1(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def office_figures(user) -> OfficeFigures:
    """Counts, time to answer and satisfaction over :func:`complaints_visible_to` ``user``."""
    qs = Complaint.objects.filter(perms.handling_q(user))
    counts = qs.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, escalation_level__gt=0)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        rated=Count("id", filter=Q(satisfaction__isnull=False)),
        solved=Count("id", filter=Q(solved=True, satisfaction__isnull=False)),
        satisfaction=Avg("satisfaction"),
    )
    answered = list(qs.filter(answered_at__isnull=False).values_list("created_at", "answered_at"))
    days = sum((a - c).total_seconds() for c, a in answered) / 86400 / len(answered) if answered else None
    rated = counts["rated"]
    return OfficeFigures(
        total=counts["total"], open=counts["open"], overdue=counts["overdue"], answered=counts["answered"],
        mean_days_to_answer=_round1(days), mean_satisfaction=_round1(counts["satisfaction"]),
        solved_share=_round1(counts["solved"] / rated) if rated else None,
    )


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class PublicComplaint:
    """A substantiated complaint as the portal shows it (已查实投诉), anonymised.

    Only the category label, the month received (first day of the month), the status label
    and the public answer text; never the complainant's text, contact or evidence.
    """

    category: str
    month: dt.date
    status: str
    answer: str


def _substantiated(as_of: dt.date) -> QuerySet[Complaint]:
    """Substantiated complaints received in the 12 months to ``as_of``, neither held in
    moderation nor rejected: those the portal shows and the draw counts (ADR 0085)."""
    return Complaint.objects.filter(substantiated=True, received_on__gt=_year_before(as_of)).exclude(
        status__in=(Status.MODERATION, Status.REJECTED)
    )


def substantiated_public(facility, as_of: dt.date) -> list[PublicComplaint]:
    """Substantiated complaints about ``facility`` received in the 12 months to ``as_of``,
    newest first, anonymised (:class:`PublicComplaint`). One query (ADR 0085)."""
    rows = (
        _substantiated(as_of)
        .filter(facility=facility)
        .order_by("-received_on", "-id")
        .only("category", "received_on", "status", "public_answer")
    )
    return [
        PublicComplaint(
            category=str(c.get_category_display()), month=c.received_on.replace(day=1),
            status=str(c.get_status_display()), answer=c.public_answer,
        )
        for c in rows
    ]


def substantiated_counts(as_of: dt.date, facility_ids=None) -> dict[int, int]:
    """Facility pk → number of substantiated complaints received in the 12 months to
    ``as_of`` (the ``complaints`` risk factor of a draw, ADR 0071/0085). ``facility_ids``
    limits the facilities counted (None = all). One query."""
    qs = _substantiated(as_of).filter(facility__isnull=False)
    if facility_ids is not None:
        qs = qs.filter(facility_id__in=list(facility_ids))
    return dict(qs.values("facility_id").annotate(n=Count("id")).values_list("facility_id", "n"))


@dataclass(frozen=True)
class OfficeRow:
    """Figures of one office (承办部门) in one county, for a supervisor (各承办部门办理统计).

    ``total``: complaints routed there; ``answered``: with an answer;
    ``median_days_to_answer``: median calendar days from the day the office received it
    (``received_on``) to the local day of the answer (None when none answered); ``mean_satisfaction``: mean of 1–5 (None when no feedback).
    """

    division_code: str
    division_name: str
    office: str
    office_label: str
    total: int
    answered: int
    median_days_to_answer: Decimal | None
    mean_satisfaction: Decimal | None


def figures_by_office(user) -> list[OfficeRow]:
    """One :class:`OfficeRow` per county and office kind among the complaints ``user`` may
    handle (a provincial officer: every county of the province), ordered by county code.
    One query; medians computed in Python."""
    rows = (
        Complaint.objects.filter(perms.handling_q(user))
        .order_by()
        .values_list("division__code", "division__name", "office", "received_on", "answered_at", "satisfaction")
    )
    groups: dict[tuple, list] = {}
    for code, name, office, created, answered, satisfaction in rows:
        groups.setdefault((code, name, office), []).append((created, answered, satisfaction))
    labels = dict(Office.choices)
    result = []
    for (code, name, office), items in sorted(groups.items()):
        days = [(local_date(a) - c).days for c, a, _s in items if a is not None and c is not None]
        rated = [s for _c, _a, s in items if s is not None]
        result.append(OfficeRow(
            division_code=code, division_name=name, office=office, office_label=str(labels.get(office, office)),
            total=len(items), answered=len(days),
            median_days_to_answer=_round1(median(days)) if days else None,
            mean_satisfaction=_round1(mean(rated)) if rated else None,
        ))
    return result
