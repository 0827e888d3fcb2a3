"""Fixtures of the alert tests: a filed 海淀 facility of otto's provider, and helpers that
put children and carers in a class, staff with a certificate, complaints."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.conftest import org_of
from tests.factories import (
    EnrolmentFactory,
    FacilityClassFactory,
    FacilityFactory,
    StaffMemberFactory,
)
from tuoyu.facilities.models import ClassPlacement
from tuoyu.monitoring import rules

#: The date the tests run the job as (a Monday).
AS_OF = dt.date(2026, 3, 2)

_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_annual_reports(monkeypatch):
    """Rule MON-003 finds nothing unless a test says otherwise: a facility the factories
    make opened in 2024 and never reports, which would add an alert to every test."""
    monkeypatch.setattr(rules, "annual_report_missing", lambda *args, **kwargs: set())


@pytest.fixture
def facility(otto):
    """A filed facility in 海淀 (110108) with no classes, staff or children yet."""
    return FacilityFactory(operator=org_of(otto), filing_status="filed", places_toddler=40)


def toddler_class(facility, *, children: int, carers: int, capacity: int = 15):
    """A toddler class (托小班, 1:5, at most 15) of ``facility`` with ``children`` placed and
    ``carers`` assigned carers in post; returns the class."""
    klass = FacilityClassFactory(facility=facility, class_type="toddler", capacity=capacity)
    for _ in range(children):
        child = EnrolmentFactory(facility=facility, birth_date=dt.date(2024, 9, 1), enrolled_on=dt.date(2025, 9, 1))
        ClassPlacement.objects.create(enrolment=child, facility_class=klass, start=dt.date(2025, 9, 1))
    for _ in range(carers):
        StaffMemberFactory(facility=facility, role="carer", assigned_class=klass)
    return klass


def complaint(facility, *, received_on, status="received", duplicate_of=None):
    """A complaint about ``facility`` received by the office on ``received_on`` (ORM row, so
    the date and status are exactly as given)."""
    from tuoyu.complaints.models import Complaint

    n = next(_codes)
    return Complaint.objects.create(
        tracking_code=f"T{n:011d}", target="facility", facility=facility, division=facility.division,
        office="health", category="safety", status=status, description=f"投诉内容{n}",
        received_on=received_on, text_key=f"k{n}", duplicate_of=duplicate_of,
    )
