"""Check pages hide child references from officials who may not see personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import org_of
from tests.factories import EnrolmentFactory, FacilityClassFactory, FacilityFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 2)


@pytest.fixture
def facility_with_misplaced_child(alice):
    facility = FacilityFactory(operator=org_of(alice))
    infant = FacilityClassFactory(facility=facility, class_type="infant", capacity=10)
    child = EnrolmentFactory(facility=facility, child_ref="REF-WRONG-BAND",
                             birth_date=dt.date(2023, 1, 1), enrolled_on=dt.date(2025, 9, 1))
    child.placements.create(facility_class=infant, start=dt.date(2025, 9, 1))
    return facility


def _check_page(client, user, facility):
    client.force_login(user)
    return client.get(reverse("facilities:check", args=[facility.pk]), {"as_of": AS_OF.isoformat()})


def test_union_officer_sees_the_band_finding_without_the_child_reference(client, una, facility_with_misplaced_child):
    page = _check_page(client, una, facility_with_misplaced_child).content.decode()
    assert "STD-BAND-INFANT" in page
    assert "REF-WRONG-BAND" not in page


def test_county_health_officer_sees_the_child_reference(client, hana, facility_with_misplaced_child):
    page = _check_page(client, hana, facility_with_misplaced_child).content.decode()
    assert "REF-WRONG-BAND" in page
