"""Only employers can be named as sponsors (举办用人单位)."""

from __future__ import annotations

import pytest

from tests.conftest import org_of
from tuoyu.core.errors import DomainError
from tuoyu.facilities import services
from tuoyu.reference.models import Division

pytestmark = pytest.mark.django_db


def _create(actor, sponsors):
    return services.facility_create(
        actor=actor, operator=org_of(actor), sponsors=sponsors, name="联合托育中心",
        provision_model="joint", address="海淀区1号",
        division=Division.objects.get(code="110108", status="active"),
    )


def test_a_union_cannot_be_named_as_sponsor(alice, una):
    with pytest.raises(DomainError) as exc:
        _create(alice, [org_of(alice), org_of(una)])
    assert (exc.value.code, exc.value.field) == ("FIL-015", "sponsors")


def test_an_employer_can_sponsor_its_own_facility(alice):
    facility = _create(alice, [org_of(alice)])
    assert list(facility.sponsors.all()) == [org_of(alice)]
