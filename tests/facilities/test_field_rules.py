"""Field rules in the models (validators, clean(), CheckConstraints), so pages, API and
import all enforce them; and error messages that name fields as users know them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.conftest import org_of
from tuoyu.core.errors import DomainError
from tuoyu.facilities import services
from tuoyu.facilities.models import Facility, FacilityClass
from tuoyu.reference.models import Division

pytestmark = pytest.mark.django_db


def _create(actor, **overrides):
    fields = {
        "name": "海淀托育中心", "provision_model": "employer_built",
        "address": "北京市海淀区中关村大街1号", "division": Division.objects.get(code="110108"),
        "places_toddler": 15,
    }
    fields.update(overrides)
    return services.facility_create(actor=actor, operator=org_of(actor),
                                    services={"full_day": "2500"}, **fields)


def _error(call) -> DomainError:
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value


@pytest.mark.parametrize("value", [Decimal("-1"), Decimal("1000000.01")])
def test_building_area_outside_0_to_a_million_is_refused(alice, value):
    assert _error(lambda: _create(alice, building_area=value)).field == "building_area"


def test_outdoor_area_below_zero_is_refused(alice):
    assert _error(lambda: _create(alice, outdoor_area=Decimal("-0.5"))).field == "outdoor_area"


def test_negative_area_is_refused_by_the_database(alice, haidian_facility):
    with pytest.raises(IntegrityError), transaction.atomic():
        Facility.objects.filter(pk=haidian_facility.pk).update(building_area=Decimal("-1"))


@pytest.mark.parametrize("floor", [-6, 101])
def test_children_floor_outside_minus_5_to_100_is_refused(alice, floor):
    assert _error(lambda: _create(alice, children_floor=floor)).field == "children_floor"


def test_lease_ending_before_it_starts_is_refused(alice):
    error = _error(lambda: _create(alice, premises_tenure="leased",
                                   lease_start=dt.date(2026, 1, 1), lease_end=dt.date(2025, 1, 1)))
    assert error.field == "lease_end"


def test_places_over_10000_are_refused_with_the_field_label(alice):
    error = _error(lambda: _create(alice, places_toddler=10_001))
    assert (error.field, "places_toddler" in error.message, "托小班托位" in error.message) == (
        "places_toddler", False, True)


def test_places_over_10000_are_refused_by_the_database(alice, haidian_facility):
    with pytest.raises(IntegrityError), transaction.atomic():
        Facility.objects.filter(pk=haidian_facility.pk).update(places_mixed=10_001)


@pytest.mark.parametrize("capacity", [0, 101])
def test_class_capacity_outside_1_to_100_is_refused(alice, haidian_facility, capacity):
    error = _error(lambda: services.class_create(actor=alice, facility=haidian_facility,
                                                 name="小一班", class_type="toddler",
                                                 capacity=capacity))
    assert error.field == "capacity"


def test_class_capacity_zero_is_refused_by_the_database(haidian_facility):
    with pytest.raises(IntegrityError), transaction.atomic():
        FacilityClass.objects.create(facility=haidian_facility, name="空班",
                                     class_type="toddler", capacity=0)


def test_duplicate_class_name_message_speaks_of_the_class(alice, haidian_facility):
    services.class_create(actor=alice, facility=haidian_facility, name="小一班",
                          class_type="toddler", capacity=15)
    error = _error(lambda: services.class_create(actor=alice, facility=haidian_facility,
                                                 name="小一班", class_type="infant", capacity=10))
    with translation.override("en"):
        assert error.message == "A class named “小一班” already exists in this facility."


def test_staff_experience_over_60_years_is_refused(alice, haidian_facility):
    error = _error(lambda: services.staff_create(actor=alice, facility=haidian_facility,
                                                 name="王保育", role="carer", years_experience=61))
    assert error.field == "years_experience"


def test_staff_leaving_before_starting_is_refused(alice, haidian_facility):
    error = _error(lambda: services.staff_create(
        actor=alice, facility=haidian_facility, name="王保育", role="carer",
        start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 2, 1)))
    assert error.field == "end_date"


def test_birth_after_enrolment_message_has_no_internal_names(alice, haidian_facility):
    error = _error(lambda: services.enrolment_create(
        actor=alice, facility=haidian_facility, birth_date=dt.date(2026, 5, 1),
        enrolled_on=dt.date(2026, 3, 1)))
    with translation.override("en"):
        assert (error.code, "birth_date" in error.message, "birth date cannot be after" in error.message) == (
            "FIL-005", False, True)


def test_birth_more_than_6_years_before_enrolment_is_refused(alice, haidian_facility):
    error = _error(lambda: services.enrolment_create(
        actor=alice, facility=haidian_facility, birth_date=dt.date(2019, 1, 1),
        enrolled_on=dt.date(2026, 3, 1)))
    assert (error.field, "3岁以下" in error.message) == ("birth_date", True)


def test_enrolment_in_a_service_form_not_offered_is_refused(alice, haidian_facility):
    services.facility_update(actor=alice, facility=haidian_facility, services={"full_day": None})
    error = _error(lambda: services.enrolment_create(
        actor=alice, facility=haidian_facility, birth_date=dt.date(2025, 1, 1),
        enrolled_on=dt.date(2026, 3, 1), service_type="hourly"))
    assert (error.code, error.field) == ("FIL-011", "service_type")


def test_enrolment_in_an_offered_service_form_is_accepted(alice, haidian_facility):
    services.facility_update(actor=alice, facility=haidian_facility, services={"hourly": None})
    enrolment = services.enrolment_create(
        actor=alice, facility=haidian_facility, birth_date=dt.date(2025, 1, 1),
        enrolled_on=dt.date(2026, 3, 1), service_type="hourly")
    assert enrolment.service_type == "hourly"


def test_oversized_document_message_gives_megabytes(alice, haidian_facility):
    upload = SimpleUploadedFile("big.pdf", b"0" * (services.DOCUMENT_MAX_BYTES + 1))
    error = _error(lambda: services.document_add(actor=alice, facility=haidian_facility,
                                                 doc_type="other", file=upload))
    assert "10.0 MB" in error.message and "bytes" not in error.message


def test_document_without_file_or_reference_message_is_human(alice, haidian_facility):
    error = _error(lambda: services.document_add(actor=alice, facility=haidian_facility,
                                                 doc_type="other"))
    with translation.override("en"):
        assert "file or reference" not in error.message and "upload a file" in error.message


def test_invalid_field_message_in_english_uses_the_english_label_and_colon(alice):
    error = _error(lambda: _create(alice, places_toddler=10_001))
    with translation.override("en"):
        assert error.message.startswith("Invalid input: Toddler places: ")
