"""Every API error has the one JSON shape with a stable code."""

from __future__ import annotations

import logging

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


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5"])
def test_malformed_page_number_is_api_013_naming_the_parameter(alice, page):
    body = _error(token_client(alice).get(f"/api/v1/industries/?page={page}"), 400, "API-013")
    assert (body["field"], body["details"]["page"]) == ("page", page)


def test_malformed_page_message_says_what_is_allowed(alice):
    body = token_client(alice).get("/api/v1/industries/?page=0",
                                   HTTP_ACCEPT_LANGUAGE="en").json()
    assert ("page" in body["message"], "1" in body["message"]) == (True, True)


def test_malformed_page_of_the_public_register_is_api_013(world):
    _error(APIClient().get("/api/v1/public/facilities/?page=0"), 400, "API-013")


@pytest.mark.parametrize("page", ["1", "last", ""])
def test_well_formed_page_numbers_are_served(alice, page):
    assert token_client(alice).get(f"/api/v1/industries/?page={page}").status_code == 200


def test_schema_says_a_page_number_starts_at_one():
    body = APIClient().get("/api/v1/schema/?format=json").json()
    params = body["paths"]["/api/v1/industries/"]["get"]["parameters"]
    page = next(p for p in params if p["name"] == "page")
    assert page["schema"].get("minimum") == 1


def test_malformed_json_is_api_010(alice):
    response = token_client(alice).generic(
        "PUT", "/api/v1/facilities/by-key/hr/X/", "{not json", content_type="application/json"
    )
    _error(response, 400, "API-010")


def test_public_mirror_is_throttled_per_client_with_api_007(world, settings, time_machine):
    # Counted per clock minute: all requests in one minute.
    time_machine.move_to("2026-05-01 08:00:10+08:00", tick=False)
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
    assert body["details"]["wait_seconds"] == 50


def test_public_mirror_counts_again_in_the_next_minute(world, settings, time_machine):
    time_machine.move_to("2026-05-01 08:00:10+08:00", tick=False)
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "1/minute"}
    from rest_framework.throttling import SimpleRateThrottle

    old = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        client = APIClient()
        statuses = [client.get("/api/v1/public/facilities/").status_code for _ in range(2)]
        time_machine.move_to("2026-05-01 08:01:00+08:00", tick=False)
        statuses.append(client.get("/api/v1/public/facilities/").status_code)
    finally:
        SimpleRateThrottle.THROTTLE_RATES = old
    assert statuses == [200, 429, 200]


def test_messages_follow_the_request_language(world):
    zh = APIClient().get("/api/v1/facilities/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    en = APIClient().get("/api/v1/facilities/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert zh["code"] == en["code"] == "API-001"
    assert zh["message"] != en["message"]


def test_a_refused_api_call_is_logged_on_one_line_with_user_and_code(una, world, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        token_client(una).post(f"/api/v1/facilities/{world['pk']}/filing/submit/",
                               CURRENT, format="json")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].exc_info is None
    assert (f"user {una.pk}" in records[0].getMessage(),
            "GEN-002" in records[0].getMessage()) == (True, True)
