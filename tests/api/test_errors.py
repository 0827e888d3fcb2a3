"""Every API error has the one JSON shape with a stable code."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

SHAPE = {"code", "message", "field", "details"}
#: The world facility's version as created (transitions must name the version read).
CURRENT = {"expected_version": 0}


def _error(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == code
    assert body["message"]
    return body


def test_anonymous_gets_api_001(world):
    _error(APIClient().get("/api/v1/facilities/"), 401, "API-001")


def test_hidden_facility_is_gen_001_like_a_missing_one(bob, world):
    client = token_client(bob)
    hidden = _error(client.get(f"/api/v1/facilities/{world['pk']}/"), 404, "GEN-001")
    missing = _error(client.get("/api/v1/facilities/999999/"), 404, "GEN-001")
    assert hidden == missing


def test_forbidden_transition_is_gen_002(una, world):
    _error(token_client(una).post(f"/api/v1/facilities/{world['pk']}/filing/submit/",
                                  CURRENT, format="json"), 403,
           "GEN-002")


def test_blocking_findings_carry_the_findings_in_details(alice, world):
    body = _error(token_client(alice).post(f"/api/v1/facilities/{world['pk']}/filing/submit/",
                                           CURRENT, format="json"), 400, "FIL-001")
    assert body["details"]["findings"]
    assert {"rule_code", "severity"} <= set(body["details"]["findings"][0])


@pytest.mark.usefixtures("no_findings")
def test_transition_from_wrong_status_is_gen_005_conflict(hana, world):
    _error(token_client(hana).post(f"/api/v1/facilities/{world['pk']}/filing/file/",
                                   CURRENT, format="json"), 409,
           "GEN-005")


@pytest.mark.usefixtures("no_findings")
def test_return_without_reason_names_the_field(hana, world):
    from tuoyu.facilities.models import Facility

    Facility.objects.filter(pk=world["pk"]).update(filing_status="submitted")
    body = _error(token_client(hana).post(f"/api/v1/facilities/{world['pk']}/filing/return/",
                                          CURRENT, format="json"), 400, "FIL-002")
    assert body["field"] == "reason"


def test_invalid_query_is_api_005_naming_the_field(alice, world):
    body = _error(token_client(alice).get(f"/api/v1/facilities/{world['pk']}/check/?as_of=soon"),
                  400, "API-005")
    assert body["field"] == "as_of"
    assert "as_of" in body["details"]["errors"]


def test_invalid_filter_value_is_api_005(alice):
    body = _error(token_client(alice).get("/api/v1/facilities/?status=nonsense"), 400, "API-005")
    assert body["field"] == "status"


def test_upsert_with_retired_division_names_successor(alice):
    body = _error(token_client(alice).put(
        "/api/v1/facilities/by-key/hr/X/", {"name": "新", "provision_model": "employer_built",
                                            "address": "某地", "division_code": "370284"},
        format="json"), 400, "REF-002")
    assert body["field"] == "division_code"
    assert body["details"] == {"successors": ["370211"]}


def test_wrong_method_is_api_006(alice):
    _error(token_client(alice).delete("/api/v1/divisions/"), 405, "API-006")


def test_unknown_path_is_api_004(alice):
    _error(token_client(alice).get("/api/v1/no/such/thing/"), 404, "API-004")


def test_page_beyond_the_last_is_api_004(alice):
    _error(token_client(alice).get("/api/v1/industries/?page=9999"), 404, "API-004")


def test_malformed_json_is_api_010(alice):
    response = token_client(alice).generic(
        "PUT", "/api/v1/facilities/by-key/hr/X/", "{not json", content_type="application/json"
    )
    _error(response, 400, "API-010")


def test_public_mirror_is_throttled_per_client_with_api_007(world, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "2/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                           "DEFAULT_THROTTLE_RATES": rates}):
        from rest_framework.throttling import SimpleRateThrottle

        old = SimpleRateThrottle.THROTTLE_RATES
        SimpleRateThrottle.THROTTLE_RATES = rates
        try:
            client = APIClient()
            assert client.get("/api/v1/public/facilities/").status_code == 200
            assert client.get("/api/v1/public/facilities/").status_code == 200
            body = _error(client.get("/api/v1/public/facilities/"), 429, "API-007")
            other = APIClient(REMOTE_ADDR="10.0.0.2")
            assert other.get("/api/v1/public/facilities/").status_code == 200
        finally:
            SimpleRateThrottle.THROTTLE_RATES = old
    assert body["details"]["wait_seconds"] >= 1


def test_messages_follow_the_request_language(world):
    zh = APIClient().get("/api/v1/facilities/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    en = APIClient().get("/api/v1/facilities/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert zh["code"] == en["code"] == "API-001"
    assert zh["message"] != en["message"]
