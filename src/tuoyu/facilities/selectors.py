"""Scoped reads of the facilities app (查询).

Every selector takes the user and returns only what that user may see: the facilities
of their own organisations (operator or sponsor) or of their jurisdiction (division-code
prefix). The public register (公示名录) shows filed facilities with published fields only.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tuoyu.accounts.choices import Role
from tuoyu.accounts.permissions import jurisdiction_q
from tuoyu.audit.services import data_access_record
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_NOT_FOUND, DomainError
from tuoyu.core.text import normalize_search
from tuoyu.facilities import permissions as perms
from tuoyu.facilities.errors import FIL_NOT_EDITABLE
from tuoyu.facilities.models import Enrolment, Facility, FacilityClass, FilingEvent, StaffMember
from tuoyu.facilities.workflow import FilingStatus

#: Page size of the officials' and employers' lists.
LIST_PAGE_SIZE = 50


#: Statuses shown on the public register: a filing in force, including one with a change
#: filing pending (its receipt stays valid, 登记和备案办法 Art. 10; ADR 0012). A suspended
#: (暂停) or revoked (撤销) filing is not on the register (ADR 0097).
PUBLIC_STATUSES = (FilingStatus.FILED, FilingStatus.CHANGE_SUBMITTED)

#: Statuses waiting for a health-commission decision (待办理).
QUEUE_STATUSES = (FilingStatus.SUBMITTED, FilingStatus.CHANGE_SUBMITTED)

_ACTION_PREDICATES = {
    "view": perms.can_view_facility,
    "edit": perms.can_edit_facility,
    "submit": perms.can_submit_filing,
    "review": perms.can_review_filing,
    "cancel": perms.can_cancel_filing,
    "sanction": perms.can_sanction_filing,
}


def facility_search_key(name: str | None) -> str:
    """Return the stored search form of a facility name (``Facility.name_search``).

    NFKC (full-width → half-width), traditional → simplified, case-folded, spaces
    collapsed: the same normalisation as applied to queries (:func:`normalize_search`).
    """
    return normalize_search(name)


def _sponsored_facility_ids(org_ids):
    return Facility.sponsors.through.objects.filter(organization_id__in=org_ids).values(
        "facility_id"
    )


def facilities_visible_to(user) -> QuerySet[Facility]:
    """Facilities ``user`` may see, ordered by name then id.

    Employer admins and facility operators: facilities their organisations operate or
    sponsor. Health, union and department officers and platform admins: facilities whose
    county code starts with one of their jurisdiction prefixes. Anonymous: none.
    Returns a queryset with operator and division joined.
    """
    base = Facility.objects.select_related("operator", "division")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    condition = Q(pk__in=[])
    own = perms.own_organization_ids(user)
    if own:
        condition |= Q(operator_id__in=own) | Q(pk__in=_sponsored_facility_ids(own))
    condition |= jurisdiction_q(user, field="division__code", roles=perms.OFFICIAL_ROLES)
    return base.filter(condition).order_by("name", "id")


def facility_get_for_user(user, pk, *, action: str = "view") -> Facility:
    """Return facility ``pk`` if ``user`` may see it and perform ``action`` on it.

    ``action`` is one of view, edit, submit, review, cancel, sanction. Raises DomainError GEN-001
    when the facility does not exist or is not visible (its existence is never revealed),
    FIL-003 when one of the facility's own users asks to edit it in a status that allows
    no edits (submitted, change submitted, cancelled), GEN-002 when it is visible but the
    action is not allowed.
    """
    try:
        facility = facilities_visible_to(user).get(pk=pk)
    except (Facility.DoesNotExist, ValueError, TypeError):
        raise DomainError(GEN_NOT_FOUND) from None
    predicate = _ACTION_PREDICATES[action]
    if not predicate(user, facility):
        if (action == "edit" and facility.filing_status not in perms.EDITABLE_STATUSES
                and perms.is_own_facility(user, facility)):
            # The user could edit it in another status: say the status is the reason.
            raise DomainError(
                FIL_NOT_EDITABLE, params={"status": facility.get_filing_status_display()}
            )
        raise DomainError(GEN_FORBIDDEN)
    return facility


def facilities_list_for(
    user, *, status: Iterable[str] = (), county: str = "", query: str = ""
) -> QuerySet[Facility]:
    """The "my facilities" list: :func:`facilities_visible_to`, filtered, with counts.

    Filters (the same as the export's): ``status`` — filing statuses (any of);
    ``county`` — a division-code prefix (e.g. ``"1101"``); ``query`` — words of the name
    (all must occur), normalised like the stored names. Adds ``class_count`` and ``child_count`` (current
    enrolments) as subqueries, so the list costs one query whatever its length.
    """
    qs = facilities_visible_to(user)
    statuses = [s for s in status if s]
    if statuses:
        qs = qs.filter(filing_status__in=statuses)
    prefix = (county or "").strip()
    if prefix.isdigit():
        qs = qs.filter(division__code__startswith=prefix)
    for word in search_words(query):
        qs = qs.filter(name_search__contains=word)
    classes = (
        FacilityClass.objects.filter(facility=OuterRef("pk"))
        .order_by().values("facility").annotate(n=Count("id")).values("n")
    )
    children = (
        Enrolment.objects.filter(facility=OuterRef("pk"), left_on__isnull=True)
        .order_by().values("facility").annotate(n=Count("id")).values("n")
    )
    return qs.annotate(
        class_count=Coalesce(Subquery(classes), 0),
        child_count=Coalesce(Subquery(children), 0),
    )


def filing_queue_for(user) -> QuerySet[Facility]:
    """Filings waiting for a decision in the health officer's jurisdiction, oldest first.

    Only health officers have a queue: a county officer sees their county, a provincial
    officer the whole province (for oversight; only the county decides, ADR 0010). Each
    facility carries ``submitted_at`` (datetime), ``deadline`` (date, inclusive) and
    ``deadline_provisional`` (bool) from its latest submission event.
    """
    if not getattr(user, "is_authenticated", False):
        return Facility.objects.none()
    latest = FilingEvent.objects.filter(
        facility=OuterRef("pk"), to_status=OuterRef("filing_status")
    ).order_by("-at", "-id")
    return (
        Facility.objects.select_related("operator", "division")
        .filter(filing_status__in=QUEUE_STATUSES)
        .filter(jurisdiction_q(user, field="division__code", roles=(Role.HEALTH_OFFICER,)))
        .annotate(
            submitted_at=Subquery(latest.values("at")[:1]),
            deadline=Subquery(latest.values("deadline")[:1]),
            deadline_provisional=Subquery(latest.values("deadline_provisional")[:1]),
        )
        .order_by("submitted_at", "id")
    )


def filing_history(facility) -> QuerySet[FilingEvent]:
    """The filing events of ``facility`` (oldest first) with their actors."""
    return facility.filing_events.select_related("actor").order_by("at", "id")


def staff_for_user(user, facility) -> QuerySet[StaffMember]:
    """Staff of ``facility`` for ``user``, logging an official's read; none without the right.

    Staff records are personal data: only users passing
    :func:`~tuoyu.facilities.permissions.can_view_personal_data` get rows; when the reader
    is not one of the facility's own organisations a data-access event is recorded (one
    per call).
    """
    if not perms.can_view_personal_data(user, facility):
        return facility.staff.none()
    staff = facility.staff.select_related("assigned_class").order_by("role", "name", "id")
    if not perms.is_own_facility(user, facility):
        data_access_record(actor=user, obj=facility, purpose="facility.staff.view")
    return staff


def enrolments_for_user(user, facility) -> QuerySet:
    """Current enrolments (birth dates, class) for a user allowed personal data; else none.

    Children's records are personal data: an official's read is logged as a data-access
    event, like :func:`staff_for_user`.
    """
    if not perms.can_view_personal_data(user, facility):
        return facility.enrolments.none()
    if not perms.is_own_facility(user, facility):
        data_access_record(actor=user, obj=facility, purpose="facility.enrolment.view")
    return facility.enrolments.filter(left_on__isnull=True).prefetch_related(
        "placements__facility_class"
    )


def province_prefix(province: str | None) -> str:
    """The two-digit province prefix of ``province`` (``"11"`` or ``"110000"`` → ``"11"``).

    Accepts a 2-digit prefix or a 6-digit province code ending in ``0000``; anything else
    gives ``""`` (no province filter).
    """
    value = (province or "").strip()
    if value.isdigit() and (len(value) == 2 or (len(value) == 6 and value.endswith("0000"))):
        return value[:2]
    return ""


def search_words(query: str | None) -> list[str]:
    """The normalised words of a search ``query`` (split on spaces after normalisation)."""
    return [w for w in normalize_search(query).split(" ") if w]


def page_number(value) -> int:
    """A page number from user input: a positive int, else 1 (``"0"``, ``"-1"``, ``"x"`` → 1)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


def facility_findings_for(user, facility: Facility, *, as_of) -> list:
    """The compliance findings of ``facility`` as of ``as_of``, as ``user`` may see them.

    Runs ``standards.checks.facility_check`` and hides child references from readers who
    may not see the facility's personal data (``permissions.can_view_personal_data``), so a
    union officer sees that a child is in the wrong age band but not which child.
    """
    from tuoyu.standards.checks import facility_check, redact_children

    return redact_children(
        facility_check(facility, as_of=as_of),
        may_see_personal_data=perms.can_view_personal_data(user, facility),
    )
