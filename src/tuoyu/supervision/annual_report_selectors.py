"""Reads of annual reports (年报查询): scoped to the user, and the late and missing lists.

:func:`annual_report_missing` is the one definition of "missing annual report" (年报缺报)
for the draw's risk factor and for alerts: pass its result as
``{pk: {"annual_report_missing": True}}`` in ``risk_factors`` when freezing a plan's lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tuoyu.accounts.permissions import jurisdiction_q, organizations_of
from tuoyu.core.errors import GEN_NOT_FOUND, DomainError
from tuoyu.facilities.permissions import ORG_ROLES
from tuoyu.facilities.selectors import PUBLIC_STATUSES
from tuoyu.supervision import parameters
from tuoyu.supervision import permissions as perms
from tuoyu.supervision.annual_report_checks import year_end
from tuoyu.supervision.models import AnnualReport, AnnualReportReminder


def _owing_facilities(year: int) -> QuerySet:
    """Facilities that owe a report for ``year``: filing in force, opened on or before
    31 December of the year (or with no opening date recorded), ADR 0086."""
    from tuoyu.facilities.models import Facility

    return Facility.objects.filter(filing_status__in=PUBLIC_STATUSES).filter(
        Q(opening_date__isnull=True) | Q(opening_date__lte=year_end(year))
    )


def annual_report_owing(facility_ids: Iterable[int] | None = None, *, year: int) -> set[int]:
    """Pks of the facilities that owe a report for ``year`` and have never submitted one
    (no report, or a report still in draft). ``facility_ids`` limits the facilities
    (None = all). One query. Not scoped to a user: callers scope their own lists."""
    qs = _owing_facilities(year).exclude(
        annual_reports__year=year, annual_reports__first_submitted_on__isnull=False
    )
    if facility_ids is not None:
        qs = qs.filter(pk__in=list(facility_ids))
    return set(qs.values_list("pk", flat=True))


def annual_report_missing(facility_ids: Iterable[int] | None = None, *, year: int, as_of: dt.date) -> set[int]:
    """Pks of the facilities whose annual report for ``year`` is missing on ``as_of`` (年报缺报).

    Missing: the facility's filing is in force, it opened on or before 31 December of
    ``year`` (or has no opening date), the deadline of ``year``
    (:func:`~tuoyu.supervision.parameters.annual_report_deadline`, inclusive) is before
    ``as_of``, and no report for ``year`` was ever submitted. Empty before the deadline
    has passed. ``facility_ids`` limits the facilities (None = all). One query.
    """
    if as_of <= parameters.annual_report_deadline(year):
        return set()
    return annual_report_owing(facility_ids, year=year)


def annual_reports_visible_to(user) -> QuerySet[AnnualReport]:
    """Reports ``user`` may see: of their own organisations' facilities (employer
    administrator, facility operator) or of facilities in a health officer's
    jurisdiction; newest year first."""
    if not getattr(user, "is_authenticated", False):
        return AnnualReport.objects.none()
    q = jurisdiction_q(user, "facility__division__code", roles=perms.PLANNING_ROLE)
    own = [o.pk for o in organizations_of(user, roles=ORG_ROLES)]
    if own:
        q |= Q(facility__operator_id__in=own) | Q(facility__sponsors__in=own)
    ids = AnnualReport.objects.filter(q).values("pk")
    return (
        AnnualReport.objects.filter(pk__in=ids)
        .select_related("facility__division")
        .order_by("-year", "facility__name", "id")
    )


def annual_report_get_for_user(user, pk) -> AnnualReport:
    """Report ``pk`` if ``user`` may see it; raises DomainError GEN-001 otherwise (an
    officer of another county gets "not found", not "forbidden")."""
    try:
        report = AnnualReport.objects.select_related("facility__division", "facility__operator").get(pk=pk)
    except (AnnualReport.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    if not perms.can_view_annual_report(user, report):
        raise DomainError(GEN_NOT_FOUND)
    return report


@dataclass(frozen=True)
class OverviewRow:
    """One facility in a health officer's list for a year: the facility, its report (or
    None), ``missing`` (see :func:`annual_report_missing`) and ``late``."""

    facility: object
    report: AnnualReport | None
    missing: bool
    late: bool


@dataclass(frozen=True)
class Overview:
    """A health officer's annual-report list for ``year`` on ``as_of``: ``rows`` (every
    filed facility in the jurisdiction, by name), ``late`` and ``missing`` (the rows so
    marked), and the ``deadline``."""

    year: int
    as_of: dt.date
    deadline: dt.date
    rows: list[OverviewRow]

    @property
    def late(self) -> list[OverviewRow]:
        """Rows whose report was first submitted after the deadline."""
        return [r for r in self.rows if r.late]

    @property
    def missing(self) -> list[OverviewRow]:
        """Rows with no submitted report after the deadline."""
        return [r for r in self.rows if r.missing]


def annual_report_overview(user, *, year: int, as_of: dt.date) -> Overview:
    """The list of a health officer (county, city or province) for ``year``: the filed
    facilities in their jurisdiction owing a report, with the report's status, and which
    are late or missing on ``as_of``. Other users get no rows. Three queries."""
    deadline = parameters.annual_report_deadline(year)
    if not perms.can_see_annual_report_overview(user):
        return Overview(year, as_of, deadline, [])
    facilities = list(
        _owing_facilities(year)
        .filter(jurisdiction_q(user, "division__code", roles=perms.PLANNING_ROLE))
        .select_related("division")
        .order_by("name", "id")
    )
    reports = {
        r.facility_id: r
        for r in AnnualReport.objects.filter(year=year, facility__in=[f.pk for f in facilities])
    }
    missing = annual_report_missing([f.pk for f in facilities], year=year, as_of=as_of)
    rows = [
        OverviewRow(
            facility=f, report=reports.get(f.pk), missing=f.pk in missing,
            late=bool(reports.get(f.pk) and reports[f.pk].late),
        )
        for f in facilities
    ]
    return Overview(year, as_of, deadline, rows)


def own_facility_reports(user, *, year: int) -> list[tuple[object, AnnualReport | None, list]]:
    """For a facility's own users: ``(facility, report or None, reminders)`` for each
    filed facility of their organisations that owes a report for ``year``, by name."""
    own = [o.pk for o in organizations_of(user, roles=ORG_ROLES)] if getattr(user, "is_authenticated", False) else []
    if not own:
        return []
    facilities = list(
        _owing_facilities(year)
        .filter(Q(operator_id__in=own) | Q(sponsors__in=own))
        .distinct()
        .order_by("name", "id")
    )
    ids = [f.pk for f in facilities]
    reports = {r.facility_id: r for r in AnnualReport.objects.filter(year=year, facility_id__in=ids)}
    reminders: dict[int, list] = {}
    for reminder in AnnualReportReminder.objects.filter(year=year, facility_id__in=ids).order_by("-sent_on"):
        reminders.setdefault(reminder.facility_id, []).append(reminder)
    return [(f, reports.get(f.pk), reminders.get(f.pk, [])) for f in facilities]
