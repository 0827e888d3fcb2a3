"""Helpers of the yearly re-assessment tests: a named unit of alice's employer (海淀).

A designation is made directly as test setup (the naming itself is tested in
test_naming.py): alice's application ``named``, its facility run by her employer with
``own`` own-staff children of ``own + others`` enrolled.
"""

from __future__ import annotations

import datetime as dt
import itertools

from tests.conftest import org_of
from tests.designation.conftest import make_day_facility
from tuoyu.core.dates import local_today
from tuoyu.designation.models import Application, Designation

_numbers = itertools.count(1)


def named_unit(owner, campaign, *, own=4, others=1, named_on: dt.date | None = None) -> Designation:
    """A designation of ``owner``'s employer in ``campaign``, named on ``named_on`` (default
    today)."""
    facility = make_day_facility(owner, own=own, others=others)
    application = Application.objects.create(campaign=campaign, employer=org_of(owner),
                                             facility=facility, status="named",
                                             no_safety_incident=True)
    return Designation.objects.create(
        campaign=campaign, application=application, employer=application.employer,
        year=campaign.year, certificate_number=f"AXTY-{campaign.year}-{next(_numbers):04d}",
        named_on=named_on or local_today())


_codes = itertools.count(1)


def safety_complaint(facility, *, received_on: dt.date, substantiated=True, category="safety"):
    """A complaint about ``facility`` received on ``received_on`` (ORM row)."""
    from tuoyu.complaints.models import Complaint

    n = next(_codes)
    return Complaint.objects.create(
        tracking_code=f"R{n:011d}", target="facility", facility=facility,
        division=facility.division, office="health", category=category, status="closed",
        description=f"投诉内容{n}", received_on=received_on, text_key=f"r{n}",
        substantiated=substantiated)


def safety_inspection(facility, *, officer, closed_on: dt.date, result="not_met", source="safety"):
    """An ad hoc inspection of ``facility`` closed on ``closed_on`` with one checklist item of
    ``source`` answered ``result`` (ORM rows; the inspection services are tested elsewhere)."""
    from tuoyu.supervision.models import Inspection, InspectionItem

    inspection = Inspection.objects.create(
        facility=facility, organization=org_of(officer), origin="ad_hoc", reason="投诉核查",
        visit_date=closed_on, status="closed", closed_on=closed_on, created_by=officer,
        findings_count=1 if result == "not_met" else 0)
    InspectionItem.objects.create(inspection=inspection, position=1, source=source,
                                  code="WST821-CCTV", title_zh="监控", title_en="CCTV",
                                  certainty="V", result=result)
    return inspection
