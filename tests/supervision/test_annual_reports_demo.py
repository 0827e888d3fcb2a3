"""The demo data set holds annual reports: accepted in time, one late, one missing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from tuoyu.core.demo import catalogue as cat
from tuoyu.core.demo import demo_build
from tuoyu.supervision.annual_report_selectors import annual_report_missing
from tuoyu.supervision.models import AnnualReport

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AS_OF = dt.date(2026, 11, 20)
KEYS = ("fac-bj-joint", "fac-sx", "fac-ah")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The three facilities of the demo reports, built once for this module and rolled back."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), \
            transaction.atomic():
        yield demo_build(as_of=AS_OF, facilities=KEYS)
        transaction.set_rollback(True)


def _report(key):
    return AnnualReport.objects.get(facility__source_system=cat.DEMO_SOURCE, facility__external_id=key, year=2025)


def test_demo_report_in_time_is_accepted(demo, db):
    report = _report("fac-bj-joint")
    assert (report.status, report.late) == ("accepted", False)


def test_demo_late_report_is_marked_late(demo, db):
    report = _report("fac-sx")
    assert (report.status, report.late) == ("submitted", True)


def test_demo_facility_without_a_report_is_missing(demo, db):
    ids = dict(
        AnnualReport._meta.get_field("facility").related_model.objects.filter(
            source_system=cat.DEMO_SOURCE, external_id__in=KEYS
        ).values_list("external_id", "pk")
    )
    assert annual_report_missing(ids.values(), year=2025, as_of=AS_OF) == {ids["fac-ah"]}
    assert annual_report_missing(ids.values(), year=2024, as_of=AS_OF) == set()
