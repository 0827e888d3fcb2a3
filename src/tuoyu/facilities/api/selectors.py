"""Reads behind the facilities API that the pages do not need (counts per class and type).

Scoping stays with :mod:`tuoyu.facilities.selectors`; these functions take a facility the
caller already obtained through ``facility_get_for_user``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from tuoyu.facilities import permissions as perms
from tuoyu.facilities import selectors
from tuoyu.facilities.choices import ClassType
from tuoyu.facilities.models import ClassPlacement, Facility, FacilityClass, FilingEvent
from tuoyu.facilities.workflow import FilingStatus

_CURRENT = Q(placements__end__isnull=True, placements__enrolment__left_on__isnull=True)


@dataclass(frozen=True)
class FacilityDetailParts:
    """What a facility's API detail shows besides its own fields.

    ``classes``: FacilityClass rows with ``enrolled`` (children placed now);
    ``enrolment_counts``: ``[{"class_type", "children"}]`` for every class type;
    ``staff``: staff rows or None when the user may not see personal data;
    ``staff_count``: number of staff members.
    """

    classes: list
    enrolment_counts: list[dict]
    staff: list | None
    staff_count: int


def facility_detail_parts(user, facility: Facility) -> FacilityDetailParts:
    """Classes with current enrolment, counts per class type, and staff for ``user``.

    Staff come from :func:`tuoyu.facilities.selectors.staff_for_user` (same rule as the
    pages; an official's read is logged as a data-access event). Costs four queries.
    """
    classes = list(
        FacilityClass.objects.filter(facility=facility)
        .annotate(enrolled=Count("placements", filter=_CURRENT))
        .order_by("name", "id")
    )
    by_type = dict(
        ClassPlacement.objects.filter(
            facility_class__facility=facility, end__isnull=True, enrolment__left_on__isnull=True
        )
        .order_by()
        .values_list("facility_class__class_type")
        .annotate(n=Count("id"))
    )
    counts = [{"class_type": t.value, "children": by_type.get(t.value, 0)} for t in ClassType]
    staff = (
        list(selectors.staff_for_user(user, facility))
        if perms.can_view_personal_data(user, facility) else None
    )
    staff_count = len(staff) if staff is not None else facility.staff.count()
    return FacilityDetailParts(classes, counts, staff, staff_count)


def filing_review_pending(facility: Facility) -> FilingEvent | None:
    """The submission whose review is pending (its ``deadline``: the inclusive date by
    which the county health commission must decide), or None when no review is pending.

    A review is pending while the facility is submitted or change-submitted; the pending
    submission is the latest ``submit`` / ``submit_change`` event. One query at most.
    """
    if facility.filing_status not in (FilingStatus.SUBMITTED, FilingStatus.CHANGE_SUBMITTED):
        return None
    return (
        FilingEvent.objects.filter(facility=facility, action__in=("submit", "submit_change"))
        .order_by("-at", "-id")
        .first()
    )
