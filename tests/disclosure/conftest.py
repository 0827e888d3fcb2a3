"""Fixtures of the portal tests: filed facilities in several places, one draft."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import FacilityFactory, OrganizationFactory, division
from tuoyu.core.text import normalize_search
from tuoyu.facilities.models import FacilityService


def filed(name: str, *, code: str = "110108", number: int = 0, fees=None, operator=None, **kwargs):
    """A filed facility named ``name`` in county ``code`` with services ``{type: fee}``."""
    operator = operator or OrganizationFactory(division=division(code))
    facility = FacilityFactory(
        name=name, name_search=normalize_search(name), operator=operator, division=division(code),
        filing_status="filed", receipt_number=f"备{code}2026{number or abs(hash(name)) % 10**6:06d}",
        filed_on=date(2026, 3, 2), **kwargs,
    )
    for service, fee in (fees or {"full_day": "2000"}).items():
        FacilityService.objects.create(
            facility=facility, service_type=service, monthly_fee=None if fee is None else Decimal(fee)
        )
    return facility


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    """Throttling off unless a test turns it on."""
    settings.TUOYU_PORTAL_THROTTLE = {"search": None, "open_data": None}


@pytest.fixture
def register(db):
    """Four filed facilities (海淀 ×2, 朝阳, 浦东) and one draft in 海淀."""
    return {
        "union": filed("海淀爱心联合托育中心", number=1, fees={"full_day": "3000", "half_day": "1800"}),
        "zgc": filed("中关村宝贝托育园", number=2, fees={"full_day": "4500"},
                     provision_model="park"),
        "chaoyang": filed("朝阳职工托育室", code="110105", number=3, fees={"hourly": "60"}),
        "pudong": filed("浦东新区托育中心", code="310115", number=4, fees={"full_day": "2500"}),
        "draft": FacilityFactory(name="海淀草稿托育室", name_search=normalize_search("海淀草稿托育室")),
    }
