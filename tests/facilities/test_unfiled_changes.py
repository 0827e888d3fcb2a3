"""Changes after filing (ADR 0012): a filed facility may be edited, and the edit is flagged
as unfiled until a change filing is accepted; a pending change keeps the facility public."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import FacilityClassFactory, StaffMemberFactory
from tuoyu.facilities import services
from tuoyu.facilities.models import Facility
from tuoyu.facilities.workflow import FilingStatus

pytestmark = pytest.mark.django_db

S = FilingStatus


@pytest.fixture
def clean_check(monkeypatch):
    """The compliance check finds nothing (the rules themselves are tested in standards)."""
    monkeypatch.setattr(services.filing, "facility_check", lambda facility, *, as_of: [])


@pytest.fixture
def filed(alice, hana, haidian_facility, clean_check):
    """alice's facility, submitted and filed by hana through the services."""
    services.filing_submit(actor=alice, facility=haidian_facility)
    services.filing_file(actor=hana, facility=haidian_facility)
    haidian_facility.refresh_from_db()
    return haidian_facility


def _fresh(facility) -> Facility:
    return Facility.objects.get(pk=facility.pk)


def test_a_new_filing_has_no_unfiled_changes(filed):
    assert _fresh(filed).has_unfiled_changes is False


def test_editing_a_filed_facility_flags_unfiled_changes_and_keeps_it_filed(alice, filed):
    services.facility_update(actor=alice, facility=filed, address="北京市海淀区新地址2号")
    fresh = _fresh(filed)
    assert (fresh.filing_status, fresh.has_unfiled_changes) == (S.FILED, True)


def test_adding_a_class_to_a_filed_facility_flags_unfiled_changes(alice, filed):
    services.class_create(actor=alice, facility=filed, name="新班", class_type="toddler",
                          capacity=15)
    assert _fresh(filed).has_unfiled_changes is True


def test_deleting_a_class_of_a_filed_facility_flags_unfiled_changes(alice, filed):
    facility_class = FacilityClassFactory(facility=filed)
    services.class_delete(actor=alice, facility_class=facility_class)
    assert _fresh(filed).has_unfiled_changes is True


def test_adding_staff_to_a_filed_facility_flags_unfiled_changes(alice, filed):
    services.staff_create(actor=alice, facility=filed, name="王保育", role="carer")
    assert _fresh(filed).has_unfiled_changes is True


def test_updating_staff_of_a_filed_facility_flags_unfiled_changes(alice, filed):
    staff = StaffMemberFactory(facility=filed)
    services.staff_update(actor=alice, staff=staff, qualification="保育师（三级）")
    assert _fresh(filed).has_unfiled_changes is True


def test_adding_a_document_to_a_filed_facility_flags_unfiled_changes(alice, filed):
    services.document_add(actor=alice, facility=filed, doc_type="other", reference="说明")
    assert _fresh(filed).has_unfiled_changes is True


def test_an_enrolment_does_not_flag_unfiled_changes(alice, filed):
    services.enrolment_create(actor=alice, facility=filed, birth_date=dt.date(2025, 1, 5),
                              enrolled_on=dt.date(2026, 3, 2))
    assert _fresh(filed).has_unfiled_changes is False


def test_a_filed_change_clears_the_flag(alice, hana, filed):
    services.facility_update(actor=alice, facility=filed, address="北京市海淀区新地址2号")
    services.filing_submit_change(actor=alice, facility=filed)
    services.filing_file_change(actor=hana, facility=filed)
    assert _fresh(filed).has_unfiled_changes is False


def test_a_returned_change_leaves_the_flag_and_the_receipt(alice, hana, filed):
    receipt = filed.receipt_number
    services.facility_update(actor=alice, facility=filed, address="北京市海淀区新地址2号")
    services.filing_submit_change(actor=alice, facility=filed)
    services.filing_return_change(actor=hana, facility=filed, reason="地址证明不全")
    fresh = _fresh(filed)
    assert (fresh.filing_status, fresh.receipt_number, fresh.has_unfiled_changes) == (
        S.FILED, receipt, True)


def test_detail_page_asks_the_employer_to_file_the_changes(client, alice, filed):
    services.facility_update(actor=alice, facility=filed, address="北京市海淀区新地址2号")
    client.force_login(alice)
    body = client.get(reverse("facilities:detail", args=[filed.pk])).content.decode()
    assert "信息变更尚未备案" in body and reverse("facilities:submit", args=[filed.pk]) in body


def test_review_page_shows_unfiled_changes_to_the_health_officer(client, alice, hana, filed):
    services.facility_update(actor=alice, facility=filed, address="北京市海淀区新地址2号")
    services.filing_submit_change(actor=alice, facility=filed)
    client.force_login(hana)
    body = client.get(reverse("facilities:review", args=[filed.pk])).content.decode()
    assert "信息变更尚未备案" in body


def test_queue_marks_a_change_filing_with_unfiled_changes(client, alice, hana, filed):
    services.facility_update(actor=alice, facility=filed, address="北京市海淀区新地址2号")
    services.filing_submit_change(actor=alice, facility=filed)
    client.force_login(hana)
    body = client.get(reverse("facilities:queue")).content.decode()
    assert "信息变更尚未备案" in body


def test_a_class_over_the_cap_added_after_filing_shows_on_the_detail_page(
    client, alice, filed, monkeypatch
):
    monkeypatch.undo()  # the real compliance check
    services.class_create(actor=alice, facility=filed, name="超大班", class_type="infant",
                          capacity=60)
    client.force_login(alice)
    response = client.get(reverse("facilities:detail", args=[filed.pk]))
    assert any(f.subject == "超大班" or "超大班" in f.message for f in response.context["blocking"])


def test_the_flag_needs_a_filing_in_force():
    facility = Facility(filing_status=S.DRAFT, version=3, filed_version=0)
    assert facility.has_unfiled_changes is False
