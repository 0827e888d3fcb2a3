"""The demo's service fees are monthly figures (¥/month), as the registry stores them."""

from __future__ import annotations

from django.utils import translation

from tuoyu.core.demo import catalogue as cat
from tuoyu.facilities.choices import ServiceType

#: A fee below this (¥ per child per month) reads as an hourly or daily price.
MONTHLY_FLOOR = 500


def test_every_demo_service_fee_is_a_monthly_figure():
    low = [(spec.key, service, fee) for spec in cat.FACILITIES
           for service, fee in spec.fees.items() if fee < MONTHLY_FLOOR]
    assert low == []


def test_registry_form_asks_a_monthly_fee_for_hourly_care():
    from tuoyu.facilities.forms import FacilityForm

    with translation.override("zh-hans"):
        label = str(FacilityForm().fields[f"fee_{ServiceType.HOURLY}"].label)
    assert label == "计时托月收费（元）"
