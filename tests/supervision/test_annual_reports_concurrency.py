"""Concurrent writes of one annual report on PostgreSQL: exactly one wins."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from tests.conftest import org_of
from tests.factories import FacilityFactory
from tests.supervision.annual_report_support import TODAY, submitted
from tuoyu.core.errors import DomainError
from tuoyu.supervision.annual_reports import (
    annual_report_accept,
    annual_report_create,
    annual_report_return,
)
from tuoyu.supervision.models import AnnualReport, AnnualReportEvent

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking"),
    # Earlier transactional tests may have flushed the reference data the personas need.
    pytest.mark.usefixtures("reference_rows"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_accept_and_return_at_once_exactly_one_wins(otto, hana):
    facility = FacilityFactory(operator=org_of(otto), filing_status="filed", opening_date=dt.date(2024, 1, 1))
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)

    def run(action):
        try:
            fresh = AnnualReport.objects.get(pk=report.pk)
            if action == "accept":
                annual_report_accept(actor=hana, report=fresh)
            else:
                annual_report_return(actor=hana, report=fresh, reason="请核对")
            return "ok"
        except DomainError as exc:
            return exc.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as executor:
        outcomes = sorted(executor.map(run, ["accept", "return"] * 4))
    assert outcomes.count("ok") == 1 and set(outcomes) == {"ok", "GEN-005"}
    assert AnnualReportEvent.objects.filter(report=report, action__in=["accept", "return"]).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creates_leave_one_report(otto):
    facility = FacilityFactory(operator=org_of(otto), filing_status="filed", opening_date=dt.date(2024, 1, 1))

    def run(_):
        try:
            annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
            return "ok"
        except DomainError as exc:
            return exc.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as executor:
        outcomes = list(executor.map(run, range(8)))
    assert outcomes.count("ok") == 1 and set(outcomes) == {"ok", "SUP-050"}
    assert AnnualReport.objects.filter(facility=facility, year=2025).count() == 1
