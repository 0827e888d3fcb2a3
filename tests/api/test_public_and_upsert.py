"""The public mirror (published fields only) and the idempotent integration upsert."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tuoyu.audit.models import AuditEvent
from tuoyu.facilities.models import Facility

pytestmark = pytest.mark.django_db

BODY = {
    "name": "海淀职工托育园", "provision_model": "employer_built",
    "address": "北京市海淀区中关村大街9号", "division_code": "110108", "places_toddler": 20,
    "building_area": "600.00",
    "services": [{"service_type": "full_day", "monthly_fee": "3200.00"}],
}


def test_public_list_shows_filed_facilities_with_published_fields_only(world):
    Facility.objects.filter(pk=world["pk"]).update(filing_status="filed", credit_code="91110108")
    body = APIClient().get("/api/v1/public/facilities/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "海淀第三方托育中心"
    for secret in ("credit_code", "contact_phone", "staff", "version", "external_id"):
        assert secret not in row
    assert world["staff"].name not in str(body)


def test_public_detail_has_services_and_no_personal_data(world):
    Facility.objects.filter(pk=world["pk"]).update(filing_status="filed")
    body = APIClient().get(f"/api/v1/public/facilities/{world['pk']}/").json()
    assert "services" in body and "staff" not in body
    assert world["staff"].name not in str(body)


def test_public_list_hides_drafts(world):
    assert APIClient().get("/api/v1/public/facilities/").json()["count"] == 0


def test_public_search_by_traditional_characters(world):
    Facility.objects.filter(pk=world["pk"]).update(filing_status="filed")
    assert APIClient().get("/api/v1/public/facilities/?q=海澱").json()["count"] == 1


def test_upsert_creates_then_repeats_without_duplicates_or_changes(alice):
    client = token_client(alice)
    first = client.put("/api/v1/facilities/by-key/hr/A-7/", BODY, format="json")
    assert (first.status_code, first["X-Upsert"]) == (201, "created")
    events = AuditEvent.objects.count()
    second = client.put("/api/v1/facilities/by-key/hr/A-7/", BODY, format="json")
    assert (second.status_code, second["X-Upsert"]) == (200, "unchanged")
    assert Facility.objects.filter(source_system="hr", external_id="A-7").count() == 1
    assert AuditEvent.objects.count() == events
    assert second.json() == first.json()


def test_upsert_changes_only_what_differs(alice):
    client = token_client(alice)
    created = client.put("/api/v1/facilities/by-key/hr/A-8/", BODY, format="json").json()
    changed = client.put("/api/v1/facilities/by-key/hr/A-8/", {**BODY, "places_toddler": 25},
                         format="json")
    assert (changed.status_code, changed["X-Upsert"]) == (200, "updated")
    body = changed.json()
    assert (body["id"], body["places_toddler"]) == (created["id"], 25)
    assert body["version"] == created["version"] + 1
    assert body["services"] == [{"service_type": "full_day", "monthly_fee": "3200.00"}]


def test_same_external_id_in_another_source_system_is_another_facility(alice):
    client = token_client(alice)
    a = client.put("/api/v1/facilities/by-key/hr/A-9/", BODY, format="json").json()
    b = client.put("/api/v1/facilities/by-key/erp/A-9/", BODY, format="json").json()
    assert a["id"] != b["id"]


def test_upsert_of_a_submitted_facility_needing_a_change_is_refused(alice):
    client = token_client(alice)
    pk = client.put("/api/v1/facilities/by-key/hr/A-10/", BODY, format="json").json()["id"]
    Facility.objects.filter(pk=pk).update(filing_status="submitted")
    assert client.put("/api/v1/facilities/by-key/hr/A-10/", BODY, format="json").status_code == 200
    refused = client.put("/api/v1/facilities/by-key/hr/A-10/", {**BODY, "places_toddler": 1},
                         format="json")
    # FIL-003 (not editable now) or GEN-002, depending on which check refuses first.
    assert (refused.status_code, refused.json()["code"]) in {(400, "FIL-003"), (403, "GEN-002")}
    assert Facility.objects.get(pk=pk).places_toddler == BODY["places_toddler"]


def test_upsert_with_invalid_body_is_api_005(alice):
    response = token_client(alice).put("/api/v1/facilities/by-key/hr/A-11/",
                                       {**BODY, "places_toddler": -1}, format="json")
    assert (response.status_code, response.json()["field"]) == (400, "places_toddler")


def test_upsert_credit_code_in_another_spelling_is_unchanged(alice):
    from tests.factories import make_credit_code

    code = make_credit_code(901)
    client = token_client(alice)
    client.put("/api/v1/facilities/by-key/hr/A-12/", {**BODY, "credit_code": code}, format="json")
    spaced = " ".join([code[:6], code[6:12], code[12:]]).lower()
    again = client.put("/api/v1/facilities/by-key/hr/A-12/", {**BODY, "credit_code": spaced},
                       format="json")
    assert again["X-Upsert"] == "unchanged"


def test_public_detail_says_whether_changes_are_not_yet_filed(world):
    Facility.objects.filter(pk=world["pk"]).update(filing_status="filed", version=2, filed_version=1)
    body = APIClient().get(f"/api/v1/public/facilities/{world['pk']}/").json()
    assert body["has_unfiled_changes"] is True
