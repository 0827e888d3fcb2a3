"""Demo annual reports (演示年报) for the two years before the demo date.

Every filed demo facility open during a year has a report for it, submitted in time and
accepted by its county health officer, except: ``fac-sx`` submitted last year's report
late (and it awaits review), and ``fac-ah`` has no report for last year (missing once the
deadline has passed). Built through the annual-report services, like the rest of the demo
data (ADR 0006); running it again adds nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

#: Catalogue key of the facility whose last-year report is late.
DEMO_LATE = "fac-sx"
#: Catalogue key of the facility with no report for last year.
DEMO_MISSING = "fac-ah"


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _figures(facility, late: bool) -> dict:
    places = facility.total_places or 10
    income = 2200 * 12 * places * 0.8
    return {
        "incidents_count": 1 if late else 0,
        "incidents_summary": "3月一名幼儿户外活动时擦伤膝盖，已处理并告知家长。" if late else "",
        "income": f"{income:.2f}",
        "spending": f"{income * 0.97:.2f}",
    }


def demo_annual_reports_build(builder) -> int:
    """Create the demo annual reports (once) for ``builder.as_of.year - 2`` and ``- 1``.

    In-time reports are submitted 10 days before the deadline and accepted; the late one
    is submitted 5 days after it (on the demo date at the latest). Facilities not built
    (``demo_build(facilities=…)``), not filed, or opened after the year are skipped.
    Returns the number of reports created by this call (0 on a second run).
    """
    from tuoyu.core.demo import catalogue as cat
    from tuoyu.facilities.models import Facility
    from tuoyu.facilities.selectors import PUBLIC_STATUSES
    from tuoyu.supervision.annual_reports import (
        annual_report_accept,
        annual_report_create,
        annual_report_save,
        annual_report_submit,
    )
    from tuoyu.supervision.models import AnnualReport

    created = 0
    facilities = {
        f.external_id: f
        for f in Facility.objects.filter(source_system=cat.DEMO_SOURCE, filing_status__in=PUBLIC_STATUSES)
        .select_related("division")
    }
    for spec in cat.FACILITIES:
        facility = facilities.get(spec.key)
        if facility is None:
            continue
        actor = builder.users[f"admin-{spec.operator}" if spec.operator else f"admin-{spec.employer}"]
        officer = builder.users.get(f"officer-{facility.division.code}")
        for year in (builder.as_of.year - 2, builder.as_of.year - 1):
            last_year = year == builder.as_of.year - 1
            if last_year and spec.key == DEMO_MISSING:
                continue
            if facility.opening_date and facility.opening_date.year > year:
                continue
            if AnnualReport.objects.filter(facility=facility, year=year).exists():
                continue
            late = last_year and spec.key == DEMO_LATE
            report = annual_report_create(actor=actor, facility=facility, year=year, today=builder.as_of)
            report = annual_report_save(actor=actor, report=report, figures=_figures(facility, late))
            submitted_on = min(report.deadline + timedelta(days=5 if late else -10), builder.as_of)
            annual_report_submit(actor=actor, report=report, now=_at(submitted_on))
            if not late and officer is not None:
                annual_report_accept(actor=officer, report=report, note="数据已核对。")
            created += 1
    return created
