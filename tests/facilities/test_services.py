"""Services of the facilities app: create, update, classes, staff, enrolment, documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import org_of
from tests.factories import FacilityClassFactory, division
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.facilities import services
from tuoyu.facilities.models import ClassPlacement, Facility
from tuoyu.facilities.workflow import FilingStatus

pytestmark = pytest.mark.django_db


def _create(actor, **overrides):
    fields = {
        "name": "海淀區ＡＢＣ托育中心",
        "provision_model": "employer_built",
        "address": "北京市海淀区中关村大街1号",
        "division": division("110108"),
        "places_toddler": 15,
    }
    fields.update(overrides)
    return services.facility_create(
        actor=actor, operator=org_of(actor),
        services={"full_day": "2500", "hourly": None}, **fields,
    )


def test_facility_create_stores_normalised_search_key(alice):
    facility = _create(alice)
    assert facility.name_search == "海淀区abc托育中心"


def test_facility_create_stores_services_and_fees(alice):
    facility = _create(alice)
    fees = {s.service_type: s.monthly_fee for s in facility.services.all()}
    assert fees == {"full_day": Decimal("2500.00"), "hourly": None}


def test_facility_create_defaults_sponsor_to_operator(alice):
    facility = _create(alice)
    assert list(facility.sponsors.all()) == [org_of(alice)]


def test_facility_create_is_audited_with_actor_and_organisation(alice):
    facility = _create(alice)
    event = AuditEvent.objects.get(action="facility.create", object_id=str(facility.pk))
    assert (event.actor, event.organization, event.role) == (alice, org_of(alice), "employer_admin")


def test_facility_create_refuses_someone_elses_operator(alice, bob):
    with pytest.raises(DomainError) as exc:
        services.facility_create(
            actor=alice, operator=org_of(bob), name="x", provision_model="employer_built",
            address="x", division=division("310115"),
        )
    assert exc.value.code == "FIL-009"


def test_facility_create_refuses_a_province_as_division(alice):
    with pytest.raises(DomainError) as exc:
        _create(alice, division=division("110000"))
    assert exc.value.code == "FIL-007"


def test_facility_create_rejects_a_bad_credit_code(alice):
    with pytest.raises(DomainError) as exc:
        _create(alice, credit_code="91110108000000001X")
    assert exc.value.code.startswith("IDN-")


def test_facility_create_reports_missing_name_as_invalid_field(alice):
    with pytest.raises(DomainError) as exc:
        _create(alice, name="")
    assert (exc.value.code, exc.value.field) == ("GEN-004", "name")


def test_facility_update_bumps_version_and_search_key(alice, haidian_facility):
    updated = services.facility_update(actor=alice, facility=haidian_facility, name="新名稱")
    assert (updated.version, updated.name_search) == (1, "新名称")


def test_facility_update_replaces_services(alice, haidian_facility):
    services.facility_update(actor=alice, facility=haidian_facility, services={"half_day": "800"})
    assert list(haidian_facility.services.values_list("service_type", flat=True)) == ["half_day"]


def test_facility_update_with_stale_version_is_a_conflict(alice, haidian_facility):
    services.facility_update(actor=alice, facility=haidian_facility, name="一")
    with pytest.raises(DomainError) as exc:
        services.facility_update(actor=alice, facility=haidian_facility, name="二",
                                 expected_version=0)
    assert exc.value.code == "GEN-003"


def test_facility_update_refused_for_another_employer(bob, haidian_facility):
    with pytest.raises(DomainError) as exc:
        services.facility_update(actor=bob, facility=haidian_facility, name="x")
    assert exc.value.code == "GEN-002"


def test_facility_update_refused_while_submitted(alice, haidian_facility):
    Facility.objects.filter(pk=haidian_facility.pk).update(filing_status=FilingStatus.SUBMITTED)
    haidian_facility.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.facility_update(actor=alice, facility=haidian_facility, name="x")
    assert exc.value.code == "FIL-003"


def test_facility_update_refused_for_health_officer(hana, haidian_facility):
    with pytest.raises(DomainError) as exc:
        services.facility_update(actor=hana, facility=haidian_facility, name="x")
    assert exc.value.code == "GEN-002"


def test_class_create_update_delete(alice, haidian_facility):
    c = services.class_create(actor=alice, facility=haidian_facility, name="小一班",
                              class_type="toddler", capacity=15)
    services.class_update(actor=alice, facility_class=c, capacity=12)
    c.refresh_from_db()
    assert c.capacity == 12
    services.class_delete(actor=alice, facility_class=c)
    assert not haidian_facility.classes.exists()


def test_class_names_are_unique_in_a_facility(alice, haidian_facility):
    services.class_create(actor=alice, facility=haidian_facility, name="小一班",
                          class_type="toddler", capacity=15)
    with pytest.raises(DomainError) as exc:
        services.class_create(actor=alice, facility=haidian_facility, name="小一班",
                              class_type="infant", capacity=10)
    assert (exc.value.code, exc.value.field) == ("FIL-010", "name")


def test_staff_create_and_update_by_operator(otto):
    from tests.facilities.conftest import make_facility

    facility = make_facility(otto)
    s = services.staff_create(actor=otto, facility=facility, name="王芳", role="carer")
    services.staff_update(actor=otto, staff=s, trained=True)
    s.refresh_from_db()
    assert s.trained is True


def test_staff_cannot_be_assigned_to_another_facilitys_class(alice, haidian_facility):
    other = FacilityClassFactory()
    with pytest.raises(DomainError) as exc:
        services.staff_create(actor=alice, facility=haidian_facility, name="王芳",
                              role="carer", assigned_class=other)
    assert exc.value.code == "FIL-004"


def test_staff_delete(alice, haidian_facility):
    s = services.staff_create(actor=alice, facility=haidian_facility, name="王芳", role="carer")
    services.staff_delete(actor=alice, staff=s)
    assert not haidian_facility.staff.exists()


def test_enrolment_create_places_the_child_in_the_class(alice, haidian_facility):
    c = FacilityClassFactory(facility=haidian_facility)
    e = services.enrolment_create(actor=alice, facility=haidian_facility,
                                  birth_date=dt.date(2025, 1, 1), enrolled_on=dt.date(2026, 3, 1),
                                  facility_class=c)
    placement = e.placements.get()
    assert (e.child_ref, placement.facility_class, placement.start, placement.end) == (
        "C00001", c, dt.date(2026, 3, 1), None)


def test_enrolment_create_refuses_birth_after_enrolment(alice, haidian_facility):
    with pytest.raises(DomainError) as exc:
        services.enrolment_create(actor=alice, facility=haidian_facility,
                                  birth_date=dt.date(2026, 5, 1), enrolled_on=dt.date(2026, 3, 1))
    assert exc.value.code == "FIL-005"


def test_enrolment_move_closes_the_old_placement(alice, haidian_facility):
    a = FacilityClassFactory(facility=haidian_facility, name="A")
    b = FacilityClassFactory(facility=haidian_facility, name="B")
    e = services.enrolment_create(actor=alice, facility=haidian_facility,
                                  birth_date=dt.date(2025, 1, 1), enrolled_on=dt.date(2026, 1, 5),
                                  facility_class=a)
    services.enrolment_move(actor=alice, enrolment=e, to_class=b, on=dt.date(2026, 3, 1))
    rows = list(ClassPlacement.objects.filter(enrolment=e).values_list(
        "facility_class__name", "start", "end"))
    assert rows == [("A", dt.date(2026, 1, 5), dt.date(2026, 3, 1)),
                    ("B", dt.date(2026, 3, 1), None)]


def test_enrolment_move_before_current_placement_is_refused(alice, haidian_facility):
    a = FacilityClassFactory(facility=haidian_facility, name="A")
    e = services.enrolment_create(actor=alice, facility=haidian_facility,
                                  birth_date=dt.date(2025, 1, 1), enrolled_on=dt.date(2026, 1, 5),
                                  facility_class=a)
    with pytest.raises(DomainError) as exc:
        services.enrolment_move(actor=alice, enrolment=e, to_class=a, on=dt.date(2025, 12, 1))
    assert exc.value.code == "FIL-005"


def test_enrolment_leave_ends_the_placement_and_cannot_repeat(alice, haidian_facility):
    a = FacilityClassFactory(facility=haidian_facility)
    e = services.enrolment_create(actor=alice, facility=haidian_facility,
                                  birth_date=dt.date(2025, 1, 1), enrolled_on=dt.date(2026, 1, 5),
                                  facility_class=a)
    services.enrolment_leave(actor=alice, enrolment=e, on=dt.date(2026, 6, 30))
    assert e.placements.get().end == dt.date(2026, 6, 30)
    with pytest.raises(DomainError) as exc:
        services.enrolment_leave(actor=alice, enrolment=e, on=dt.date(2026, 7, 1))
    assert exc.value.code == "FIL-006"


def test_document_add_accepts_a_pdf(alice, haidian_facility, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("licence.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    doc = services.document_add(actor=alice, facility=haidian_facility, doc_type="licence",
                                file=upload)
    assert doc.file.name.endswith(".pdf")


def test_document_add_refuses_an_executable(alice, haidian_facility):
    upload = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(DomainError) as exc:
        services.document_add(actor=alice, facility=haidian_facility, doc_type="other",
                              file=upload)
    assert exc.value.code == "FIL-008"


@pytest.mark.parametrize(("name", "content"), [
    ("page.pdf", b"<html><script>alert(1)</script></html>"),
    ("photo.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
])
def test_document_add_refuses_content_that_is_not_what_its_name_says(alice, haidian_facility, name, content):
    with pytest.raises(DomainError) as exc:
        services.document_add(actor=alice, facility=haidian_facility, doc_type="other",
                              file=SimpleUploadedFile(name, content))
    assert (exc.value.code, exc.value.field) == ("FIL-008", "file")
    assert not haidian_facility.documents.exists()


def test_document_add_accepts_a_png_named_png(alice, haidian_facility, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("plan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    doc = services.document_add(actor=alice, facility=haidian_facility, doc_type="other", file=upload)
    assert doc.file.name.endswith(".png")


def test_document_add_refuses_an_oversized_file(alice, haidian_facility):
    upload = SimpleUploadedFile("big.pdf", b"0" * (services.DOCUMENT_MAX_BYTES + 1))
    with pytest.raises(DomainError) as exc:
        services.document_add(actor=alice, facility=haidian_facility, doc_type="other",
                              file=upload)
    assert exc.value.code == "FIL-008"


def test_system_actor_may_create_and_is_audited_without_a_person(alice):
    facility = services.facility_create(
        actor=None, operator=org_of(alice), name="导入的机构", provision_model="park",
        address="北京市海淀区", division=division("110108"),
    )
    event = AuditEvent.objects.get(action="facility.create", object_id=str(facility.pk))
    assert (event.actor, event.organization) == (None, None)


def test_operator_of_a_sponsoring_employer_may_create(alice, otto):
    facility = services.facility_create(
        actor=alice, operator=org_of(otto), sponsors=[org_of(alice)], name="合办托育",
        provision_model="third_party", address="北京市海淀区", division=division("110108"),
    )
    assert set(facility.sponsors.all()) == {org_of(alice)}


def test_class_edit_on_a_stale_copy_sees_the_stored_status(alice, haidian_facility):
    stale = Facility.objects.get(pk=haidian_facility.pk)
    Facility.objects.filter(pk=haidian_facility.pk).update(filing_status=FilingStatus.SUBMITTED)
    with pytest.raises(DomainError) as exc:
        services.class_create(actor=alice, facility=stale, name="新班", class_type="infant",
                              capacity=10)
    assert exc.value.code == "FIL-003"
