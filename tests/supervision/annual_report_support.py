"""Helpers of the annual-report tests: dates, placements, complete figures, a submitted report."""

import datetime as dt

from django.utils import timezone

from tests.factories import EnrolmentFactory
from tuoyu.facilities.models import ClassPlacement
from tuoyu.standards.selectors import CLASS_TYPES
from tuoyu.supervision.annual_report_checks import MONTHS, ROLES
from tuoyu.supervision.annual_reports import annual_report_save, annual_report_submit

TODAY = dt.date(2026, 1, 10)
DEADLINE = dt.date(2026, 3, 31)


def at(day: dt.date) -> dt.datetime:
    """Noon local time on ``day``."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def place(facility, klass, *, enrolled_on, start, left_on=None, end=None, birth_date=dt.date(2024, 6, 1)):
    child = EnrolmentFactory(facility=facility, enrolled_on=enrolled_on, left_on=left_on, birth_date=birth_date)
    return ClassPlacement.objects.create(enrolment=child, facility_class=klass, start=start, end=end)


def complete_figures(report, **extra) -> dict:
    """Figures that fill every required field (and nothing else surprising)."""
    figures = {
        "enrolment": {(t, m): 0 for t in CLASS_TYPES for m in MONTHS},
        "staff": {r: {"count": 0, "trained": 0, "health_certificate_valid": 0} for r in ROLES},
        "incidents_count": 0,
        "income": "120000.00",
        "spending": "98000.50",
        "complaints_count": 0,
    }
    figures.update(extra)
    return figures


def submitted(report, otto, *, on=TODAY):
    annual_report_save(actor=otto, report=report, figures=complete_figures(report))
    return annual_report_submit(actor=otto, report=report, now=at(on))
