"""Fixtures of the API tests: a token per persona, an API client, the facility under test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.conftest import org_of
from tests.facilities.conftest import make_facility
from tests.factories import EnrolmentFactory, FacilityClassFactory, StaffMemberFactory
from tuoyu.api.services import api_token_create
from tuoyu.facilities import services
from tuoyu.facilities.models import ClassPlacement

PERSONAS = ["alice", "bob", "hana", "chen", "pudong", "bjhealth", "una", "dora", "otto", "root"]


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> APIClient:
    """An API client sending ``Authorization: Token <key>`` of a new token of ``user``."""
    client = APIClient()
    if user is not None:
        key = api_token_create(actor=user, user=user, name="test").key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def world(alice, otto):
    """A draft facility in 海淀区 operated by otto's provider, sponsored by alice's employer,
    with one class, one carer, one child placed in the class, and an integration key."""
    facility = make_facility(
        otto, name="海淀第三方托育中心", sponsors=[org_of(alice)], provision_model="third_party",
        source_system="hr", external_id="F-1",
    )
    klass = FacilityClassFactory(facility=facility, name="小一班", class_type="toddler")
    staff = StaffMemberFactory(facility=facility, assigned_class=klass)
    child = EnrolmentFactory(facility=facility, birth_date=dt.date(2025, 1, 1),
                             enrolled_on=dt.date(2026, 1, 5))
    ClassPlacement.objects.create(enrolment=child, facility_class=klass, start=dt.date(2026, 1, 5))
    return {"pk": facility.pk, "facility": facility, "class": klass, "staff": staff,
            "operator": org_of(otto).pk}


@pytest.fixture
def no_findings(monkeypatch):
    """The compliance rules are tested in standards; here only access is at stake."""
    monkeypatch.setattr(services.filing, "facility_check", lambda facility, *, as_of: [])
