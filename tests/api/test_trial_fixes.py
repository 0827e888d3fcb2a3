"""Fixes from an integrator's trial of the API (issue 3): sponsors in the upsert, one code
and a path for every validation error, versioned filing transitions with a lean answer,
method and format errors, successor years of retired division codes."""

from __future__ import annotations

import pytest

from tests.api.conftest import token_client
from tests.conftest import org_of
from tests.factories import OrganizationFactory
from tuoyu.audit.models import AuditEvent
from tuoyu.facilities.models import Facility

pytestmark = pytest.mark.django_db

BODY = {
    "name": "海淀职工托育园", "provision_model": "employer_built",
    "address": "北京市海淀区中关村大街9号", "division_code": "110108", "places_toddler": 20,
    "services": [{"service_type": "full_day", "monthly_fee": "3200.00"}],
}
URL = "/api/v1/facilities/by-key/hr/T-1/"


def _put(client, body, url=URL):
    return client.put(url, body, format="json")


# ----------------------------------------------------------------------------- 1 sponsors


def test_upsert_applies_a_changed_sponsor_list_and_reports_updated(alice):
    client = token_client(alice)
    _put(client, BODY)
    partner = OrganizationFactory(name="海淀合作用人单位")
    response = _put(client, {**BODY, "sponsors": [org_of(alice).pk, partner.pk]})
    assert (response.status_code, response["X-Upsert"]) == (200, "updated")
    assert response.json()["sponsors"] == sorted([org_of(alice).pk, partner.pk])


def test_upsert_sponsor_change_is_audited_with_both_lists(alice):
    client = token_client(alice)
    facility_id = _put(client, BODY).json()["id"]
    partner = OrganizationFactory()
    _put(client, {**BODY, "sponsors": [org_of(alice).pk, partner.pk]})
    event = AuditEvent.objects.filter(action="facility.update", object_id=str(facility_id)).get()
    assert event.before["sponsors"] == [org_of(alice).pk]
    assert event.after["sponsors"] == sorted([org_of(alice).pk, partner.pk])


def test_upsert_with_the_same_sponsors_in_another_order_writes_nothing(alice):
    client = token_client(alice)
    partner = OrganizationFactory()
    body = {**BODY, "sponsors": [org_of(alice).pk, partner.pk]}
    _put(client, body)
    events, version = AuditEvent.objects.count(), Facility.objects.get().version
    again = _put(client, {**body, "sponsors": [partner.pk, org_of(alice).pk]})
    assert again["X-Upsert"] == "unchanged"
    assert (AuditEvent.objects.count(), Facility.objects.get().version) == (events, version)


def test_upsert_refuses_a_sponsor_that_is_not_an_employer(alice, otto):
    client = token_client(alice)
    _put(client, BODY)
    body = _put(client, {**BODY, "sponsors": [org_of(alice).pk, org_of(otto).pk]}).json()
    assert (body["code"], body["field"]) == ("FIL-015", "sponsors")


def test_upsert_names_an_unknown_sponsor_as_api_005(alice):
    client = token_client(alice)
    _put(client, BODY)
    response = _put(client, {**BODY, "sponsors": [org_of(alice).pk, 999999]})
    assert (response.status_code, response.json()["code"]) == (400, "API-005")
    assert response.json()["field"] == "sponsors"


# ----------------------------------------------------------------------------- 4 validation


def test_model_validation_error_of_the_upsert_is_api_005_naming_the_field(alice):
    body = {**BODY, "lease_start": "2026-05-01", "lease_end": "2026-01-01"}
    response = _put(token_client(alice), body)
    assert (response.status_code, response.json()["code"]) == (400, "API-005")
    assert response.json()["field"] == "lease_end"
    assert "lease_end" in response.json()["details"]["errors"]


def test_nested_validation_error_names_the_item_path(alice):
    services = [{"service_type": "full_day", "monthly_fee": "3200.00"},
                {"service_type": "half_day", "monthly_fee": "-1.00"}]
    body = _put(token_client(alice), {**BODY, "services": services}).json()
    assert (body["code"], body["field"]) == ("API-005", "services[1].monthly_fee")
    assert list(body["details"]["errors"]) == ["services[1].monthly_fee"]


def test_upsert_area_above_the_model_limit_is_api_005(alice):
    body = _put(token_client(alice), {**BODY, "building_area": "2000000.00"}).json()
    assert (body["code"], body["field"]) == ("API-005", "building_area")


# ----------------------------------------------------------------------------- 5 filing


def test_filing_transition_without_expected_version_is_api_005_naming_it(alice, world):
    response = token_client(alice).post(f"/api/v1/facilities/{world['pk']}/filing/submit/",
                                        {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "API-005")
    assert response.json()["field"] == "expected_version"
    assert Facility.objects.get(pk=world["pk"]).filing_status == "draft"


@pytest.mark.usefixtures("no_findings")
def test_filing_transition_with_a_stale_version_is_a_409_conflict(alice, world):
    Facility.objects.filter(pk=world["pk"]).update(version=3)
    response = token_client(alice).post(f"/api/v1/facilities/{world['pk']}/filing/submit/",
                                        {"expected_version": 2}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "GEN-003")


@pytest.mark.usefixtures("no_findings")
def test_filing_transition_answers_the_lean_filing_state(alice, world):
    response = token_client(alice).post(f"/api/v1/facilities/{world['pk']}/filing/submit/",
                                        {"expected_version": 0}, format="json")
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"id", "filing_status", "version", "receipt_number", "filed_on",
                         "has_unfiled_changes", "deadline", "deadline_provisional", "url",
                         "history_url"}
    assert (body["filing_status"], body["version"]) == ("submitted", 1)
    assert body["deadline"] is not None
    assert body["url"].endswith(f"/api/v1/facilities/{world['pk']}/")
    assert world["staff"].name not in response.content.decode()


@pytest.mark.usefixtures("no_findings")
def test_filing_decision_answers_the_receipt_number_and_no_pending_deadline(hana, world):
    Facility.objects.filter(pk=world["pk"]).update(filing_status="submitted")
    body = token_client(hana).post(f"/api/v1/facilities/{world['pk']}/filing/file/",
                                   {"expected_version": 0}, format="json").json()
    assert body["filing_status"] == "filed"
    assert body["receipt_number"].startswith("备110108")
    assert body["deadline"] is None


# ----------------------------------------------------------------------------- 6 method, format


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_method_error_names_the_method_in_every_language(alice, language):
    response = token_client(alice).patch("/api/v1/divisions/", {}, format="json",
                                         HTTP_ACCEPT_LANGUAGE=language)
    body = response.json()
    assert (response.status_code, body["code"]) == (405, "API-006")
    assert "PATCH" in body["message"]
    assert body["details"]["method"] == "PATCH"
    assert "GET" in body["details"]["allowed"]


def test_unknown_format_is_a_406_api_009_listing_the_formats(alice):
    response = token_client(alice).get("/api/v1/divisions/?format=xyz")
    body = response.json()
    assert (response.status_code, body["code"]) == (406, "API-009")
    assert (body["field"], body["details"]["format"]) == ("format", "xyz")
    assert body["details"]["available"] == ["json"]


def test_unknown_format_on_the_public_mirror_is_a_406_too(world):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/public/facilities/?format=xml")
    assert (response.status_code, response.json()["code"]) == (406, "API-009")


def test_known_format_still_works(alice):
    assert token_client(alice).get("/api/v1/divisions/?format=json").status_code == 200


def test_every_api_code_is_documented_with_its_status():
    from pathlib import Path

    import tuoyu
    from tuoyu.core.errors import CATALOGUE

    text = (Path(tuoyu.__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    undocumented = [code for code in CATALOGUE if code.startswith("API-")
                    and not any(code in line and "|" in line for line in text.splitlines())]
    assert undocumented == []


# ----------------------------------------------------------------------------- 8 successors


def test_successor_without_a_year_in_the_source_gets_the_year_the_code_ended(alice):
    rows = token_client(alice).get("/api/v1/divisions/?code=110103").json()["results"]
    retired = next(r for r in rows if r["status"] == "retired")
    assert retired["valid_to"] == 2010
    assert retired["successors"] == [{"code": "110101", "year": 2010}]


def test_successor_year_is_null_when_nothing_says(alice):
    from tuoyu.reference.api.serializers import DivisionOutputSerializer
    from tuoyu.reference.models import Division

    row = Division(code="999999", name="测试", level="county", status="retired",
                   valid_from=2000, valid_to=None, successors=[{"code": "999998"}])
    assert DivisionOutputSerializer(row).data["successors"] == [{"code": "999998", "year": None}]


# ----------------------------------------------------------------------------- 3 other lists


@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/facilities/?division=abc", "division"),
    ("/api/v1/divisions/?code=11x", "code"),
    ("/api/v1/industries/?code=80%25", "code"),
    ("/api/v1/industries/?parent=a.b", "parent"),
])
def test_code_filters_refuse_malformed_codes_naming_the_parameter(alice, url, field):
    body = token_client(alice).get(url).json()
    assert (body["code"], body["field"]) == ("API-005", field)


def test_code_filters_still_take_prefixes(alice):
    client = token_client(alice)
    assert client.get("/api/v1/divisions/?code=11").json()["count"] > 0
    assert client.get("/api/v1/industries/?code=80").json()["count"] > 0
    assert client.get("/api/v1/industries/?parent=A").json()["count"] > 0


def test_upsert_refuses_a_sponsor_change_that_would_lock_the_caller_out(alice, world):
    partner = OrganizationFactory()
    body = {"name": "海淀第三方托育中心", "provision_model": "third_party",
            "address": "北京市海淀区", "division_code": "110108", "sponsors": [partner.pk]}
    response = _put(token_client(alice), body, url="/api/v1/facilities/by-key/hr/F-1/")
    assert (response.status_code, response.json()["code"]) == (400, "FIL-009")
    assert list(world["facility"].sponsors.all()) == [org_of(alice)]
