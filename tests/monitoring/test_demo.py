"""The demo data set ends with a run of the alerts job: the 海淀 officer has alerts to see."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings

from tuoyu.accounts.models import User
from tuoyu.core.dates import local_today
from tuoyu.core.demo import catalogue as cat
from tuoyu.core.demo import demo_build
from tuoyu.core.demo.monitoring import demo_alerts_build
from tuoyu.monitoring.models import Alert
from tuoyu.monitoring.selectors import alerts_visible_to

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data set, built once for this module and rolled back afterwards."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), \
            transaction.atomic():
        yield demo_build()
        transaction.set_rollback(True)


def test_haidian_officer_sees_the_complaint_burst_alert(demo, db):
    officer = User.objects.get(username="health-bj")
    alerts = {(a.rule_code, a.facility.external_id) for a in alerts_visible_to(officer, status="open")}
    assert ("MON-005", "fac-bj-joint") in alerts


def test_expired_certificate_of_the_hebei_facility_raises_an_alert(demo, db):
    codes = set(Alert.objects.filter(facility__external_id="fac-he", facility__source_system=cat.DEMO_SOURCE)
                .values_list("rule_code", flat=True))
    assert "MON-002" in codes


def test_the_demo_alerts_step_run_again_adds_no_complaint_and_no_alert(demo, db):
    before = Alert.objects.count()
    assert demo_alerts_build(SimpleNamespace(as_of=local_today())) == 0
    assert Alert.objects.count() == before
