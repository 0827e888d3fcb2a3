"""Fixtures of the designation campaign tests: union personas at every level, a campaign,
and an eligible application of alice's employer (海淀, 110108).

| persona | role | organisation | level | jurisdiction |
|---|---|---|---|---|
| hdunion | union_officer | 海淀区总工会 | county | 110108 |
| cyunion | union_officer | 朝阳区总工会 | county | 110105 |
| bjcity | union_officer | 北京市区级工会联合会 (prefecture) | prefecture | 1101 |
| una | union_officer | 北京市总工会 (tests/conftest.py) | provincial | 11 |
| shunion | union_officer | 上海市总工会 | provincial | 31 |
| acftu | union_officer | 中华全国总工会 | national | all |
| bjhealth | health_officer | 北京市卫生健康委员会 (tests/conftest.py) | provincial | 11 |
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import _official, org_of
from tests.factories import EnrolmentFactory, FacilityFactory
from tuoyu.core.dates import local_today
from tuoyu.designation import services
from tuoyu.facilities.models import FacilityService


@pytest.fixture
def hdunion(db):
    """Union officer of the 海淀区 (110108) union: the grassroots/county step."""
    return _official(db, "hdunion", "union_officer", "union", "海淀区总工会", "110108", "county")


@pytest.fixture
def cyunion(db):
    """Union officer of the 朝阳区 (110105) union: same province, other county."""
    return _official(db, "cyunion", "union_officer", "union", "朝阳区总工会", "110105", "county")


@pytest.fixture
def bjcity(db):
    """Union officer of a prefecture-level union covering 1101 (北京市辖区): the city step."""
    return _official(db, "bjcity", "union_officer", "union", "北京市区级工会联合会", "110108",
                     "prefecture")


@pytest.fixture
def shunion(db):
    """Union officer of the 上海市总工会 (provincial, other province)."""
    return _official(db, "shunion", "union_officer", "union", "上海市总工会", "310000", "provincial")


@pytest.fixture
def acftu(db):
    """Union officer of the national union (中华全国总工会)."""
    return _official(db, "acftu", "union_officer", "union", "中华全国总工会", "110000", "national")


def make_campaign(actor, **kwargs):
    """A campaign open today (window from 10 days ago to 30 days ahead), 2024 defaults."""
    today = local_today()
    kwargs.setdefault("year", today.year)
    kwargs.setdefault("name", "全国爱心托育用人单位")
    kwargs.setdefault("opens_on", today - dt.timedelta(days=10))
    kwargs.setdefault("closes_on", today + dt.timedelta(days=30))
    kwargs.setdefault("number_to_name", 100)
    return services.campaign_create(actor=actor, **kwargs)


@pytest.fixture
def campaign(acftu):
    """An open campaign with a ¥2,000/month fee cap for Beijing and no required materials."""
    return make_campaign(acftu, price_caps={"11": "2000"})


def make_day_facility(owner, *, fee="1800", own=4, others=1, **kwargs):
    """A full-day facility run by ``owner``'s organisation with ``own`` staff children enrolled
    of ``own + others``."""
    org = org_of(owner)
    facility = FacilityFactory(operator=org, **kwargs)
    FacilityService.objects.create(facility=facility, service_type="full_day",
                                   monthly_fee=Decimal(fee) if fee is not None else None)
    today = local_today()
    for i in range(own + others):
        EnrolmentFactory(facility=facility, employee_child=i < own,
                         birth_date=today - dt.timedelta(days=500),
                         enrolled_on=today - dt.timedelta(days=100))
    return facility


def make_application(owner, campaign, **fields):
    """A draft application of ``owner``'s employer with an eligible facility."""
    fields.setdefault("facility", make_day_facility(owner))
    fields.setdefault("no_safety_incident", True)
    fields.setdefault("self_assessment", "职工子女为主，收费低于普惠价格。")
    return services.application_create(actor=owner, campaign=campaign, employer=org_of(owner),
                                       **fields)


@pytest.fixture
def application(alice, campaign):
    """alice's eligible draft application to ``campaign``."""
    return make_application(alice, campaign)
