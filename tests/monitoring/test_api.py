"""The read-only alerts API (``/api/v1/monitoring/alerts/``): what an alert carries, the
filters, the scoping of the pages, and what it never exposes (ADR 0096).

Which persona gets which status is the permission matrix's
(tests/api/test_permission_matrix.py); here the rows and fields.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.api.conftest import token_client
from tests.factories import FacilityFactory, StaffMemberFactory
from tests.monitoring.conftest import AS_OF
from tuoyu.monitoring.choices import AlertStatus
from tuoyu.monitoring.models import Alert
from tuoyu.monitoring.services import alert_acknowledge, run_alerts

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/monitoring/alerts/"


@pytest.fixture
def alert(facility):
    """An open MON-002 alert (expired health certificate) at the filed 海淀 facility."""
    StaffMemberFactory(facility=facility, health_certificate_expiry=AS_OF - dt.timedelta(days=3))
    run_alerts(AS_OF)
    return Alert.objects.get()


def other_alert(facility, *, rule="MON-003", status=AlertStatus.OPEN, subject="year:2024"):
    """An alert row of ``rule`` about ``facility`` (ORM: only the API's reading is at stake)."""
    resolved = AS_OF if status == AlertStatus.RESOLVED else None
    return Alert.objects.create(rule_code=rule, facility=facility, subject_key=subject,
                                details={"year": 2024}, status=status, raised_on=AS_OF,
                                last_seen_on=AS_OF, resolved_on=resolved)


def ids(user, **query) -> list[int]:
    response = token_client(user).get(ALERTS, query)
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def test_alert_carries_rule_facility_message_figures_and_dates(alert, hana):
    [row] = token_client(hana).get(ALERTS).json()["results"]
    assert (row["rule_code"], row["status"]) == ("MON-002", "open")
    assert row["facility"] == alert.facility_id and row["division_code"] == "110108"
    assert row["details"] == alert.details and row["subject_key"] == alert.subject_key
    assert (row["raised_on"], row["last_seen_on"], row["resolved_on"]) == (
        "2026-03-02", "2026-03-02", None)
    with translation.override("zh-hans"):
        from tuoyu.monitoring.rules import alert_message

        assert row["message"] == alert_message(alert)
    assert row["page_url"] == f"/monitoring/alerts/{alert.pk}/"


def test_message_follows_the_request_language(alert, hana):
    body = token_client(hana).get(f"{ALERTS}{alert.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "health certificate" in body["message"].lower()


def test_acknowledgement_is_shown_without_the_officer(alert, hana):
    alert_acknowledge(actor=hana, alert=alert, note="已责令更换人员")
    body = token_client(hana).get(f"{ALERTS}{alert.pk}/").json()
    assert (body["status"], body["acknowledgement_note"]) == ("acknowledged", "已责令更换人员")
    assert body["acknowledged_at"] is not None
    assert "acknowledged_by" not in body and hana.username not in str(body)


def test_list_has_every_status_unless_filtered(alert, facility, hana):
    resolved = other_alert(facility, status=AlertStatus.RESOLVED)
    assert set(ids(hana)) == {alert.pk, resolved.pk}
    assert ids(hana, status="resolved") == [resolved.pk]
    assert ids(hana, status="open") == [alert.pk]


def test_list_filters_by_rule(alert, facility, hana):
    missing = other_alert(facility)
    assert ids(hana, rule="MON-003") == [missing.pk]
    assert ids(hana, rule="MON-002") == [alert.pk]


def test_list_filters_by_facility(alert, otto, hana):
    elsewhere = other_alert(FacilityFactory(operator=alert.facility.operator, filing_status="filed"))
    assert ids(hana, facility=alert.facility_id) == [alert.pk]
    assert ids(hana, facility=elsewhere.facility_id) == [elsewhere.pk]


def test_unknown_rule_is_the_validation_error(alert, hana):
    response = token_client(hana).get(ALERTS, {"rule": "MON-999"})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("API-005", "rule")


def test_officer_of_another_county_lists_nothing_and_gets_not_found(alert, chen):
    assert ids(chen) == []
    response = token_client(chen).get(f"{ALERTS}{alert.pk}/")
    assert (response.status_code, response.json()["code"]) == (404, "GEN-001")


def test_provincial_officer_sees_the_alert_of_the_province(alert, bjhealth):
    assert ids(bjhealth) == [alert.pk]


def test_facility_operator_is_refused_like_on_the_page(alert, otto):
    response = token_client(otto).get(ALERTS)
    assert (response.status_code, response.json()["code"]) == (403, "API-003")


def test_anonymous_request_gets_the_api_error(alert):
    response = token_client(None).get(f"{ALERTS}{alert.pk}/")
    assert (response.status_code, response.json()["code"]) == (401, "API-001")


def test_list_costs_the_same_queries_whatever_its_length(
    alert, facility, hana, django_assert_max_num_queries
):
    for year in (2021, 2022, 2023):
        other_alert(facility, subject=f"year:{year}")
    client = token_client(hana)
    with django_assert_max_num_queries(5):  # token, memberships, count, page
        assert client.get(ALERTS).json()["count"] == 4
