"""The read-only supervision API: annual reports, inspections and rectification orders —
what each returns, the filters, the scoping and what it never exposes (ADR 0096).

Which persona gets which status on every route is the permission matrix's
(tests/api/test_permission_matrix.py); here the rows and fields.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import token_client
from tests.conftest import org_of
from tests.facilities.conftest import make_facility
from tests.supervision.annual_report_support import submitted
from tests.supervision.api_support import REPORT_DAY, supervision_world
from tuoyu.supervision.annual_reports import annual_report_create
from tuoyu.supervision.rectification import rectifications_escalate

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/supervision/annual-reports/"
INSPECTIONS = "/api/v1/supervision/inspections/"
RECTIFICATIONS = "/api/v1/supervision/rectifications/"


@pytest.fixture
def world(alice, otto, hana):
    return supervision_world(alice=alice, otto=otto, hana=hana)


def at_noon(time_machine, day: dt.date) -> None:
    """Move the clock to noon Beijing time on ``day``."""
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 12,
                                     tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)


def rows(user, url, **query) -> list[dict]:
    response = token_client(user).get(url, query)
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def ids(user, url, **query) -> list[int]:
    return [row["id"] for row in rows(user, url, **query)]


def second_facility(otto, **kwargs):
    """Another filed facility of otto's provider in 海淀."""
    return make_facility(otto, filing_status="filed", **kwargs)


# --- annual reports ------------------------------------------------------------------------


def test_officer_lists_the_report_with_its_status_and_figures(world, hana):
    [row] = rows(hana, REPORTS)
    assert row["id"] == world["report"].pk
    assert (row["year"], row["status"], row["deadline"]) == (2025, "draft", "2026-03-31")
    assert row["facility"] == world["facility"].pk and row["division_code"] == "110108"
    assert len(row["enrolment"]) == world["report"].enrolment.count() > 0
    assert {"class_type", "month", "children"} == set(row["enrolment"][0])
    assert {s["role"] for s in row["staff"]} == set(world["report"].staff.values_list("role", flat=True))
    assert row["page_url"] == f"/supervision/annual-reports/{world['report'].pk}/"


def test_report_money_is_a_string_with_two_decimals(world, otto, hana):
    submitted(world["report"], otto)
    [row] = rows(hana, REPORTS)
    assert (row["income"], row["spending"], row["status"]) == ("120000.00", "98000.50", "submitted")


def test_report_detail_has_the_history_without_who_acted(world, hana, otto):
    body = token_client(hana).get(f"{REPORTS}{world['report'].pk}/").json()
    assert [e["action"] for e in body["history"]] == ["create"]
    assert set(body["history"][0]) == {"action", "from_status", "to_status", "note", "created_at"}
    assert "created_by" not in body and otto.username not in str(body)


def test_reports_filter_by_year(world, otto, hana):
    older = annual_report_create(actor=otto, facility=world["facility"], year=2024, today=REPORT_DAY)
    assert ids(hana, REPORTS, year=2024) == [older.pk]
    assert ids(hana, REPORTS, year=2025) == [world["report"].pk]


def test_reports_filter_by_status(world, otto, hana):
    other = annual_report_create(actor=otto, facility=second_facility(otto), year=2025, today=REPORT_DAY)
    submitted(other, otto)
    assert ids(hana, REPORTS, status="submitted") == [other.pk]
    assert ids(hana, REPORTS, status="draft") == [world["report"].pk]


def test_reports_filter_by_facility(world, otto, hana):
    annual_report_create(actor=otto, facility=second_facility(otto), year=2025, today=REPORT_DAY)
    assert ids(hana, REPORTS, facility=world["facility"].pk) == [world["report"].pk]


def test_reports_filter_by_division_prefix(world, bjhealth):
    assert ids(bjhealth, REPORTS, division="1101") == [world["report"].pk]
    assert ids(bjhealth, REPORTS, division="110105") == []


def test_report_filter_with_a_bad_division_is_the_validation_error(world, hana):
    response = token_client(hana).get(REPORTS, {"division": "abc"})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("API-005", "division")


def test_report_filter_with_an_unknown_status_is_the_validation_error(world, hana):
    response = token_client(hana).get(REPORTS, {"status": "lost"})
    assert (response.status_code, response.json()["code"]) == (400, "API-005")


def test_facility_user_lists_only_reports_of_own_facilities(world, otto, bob):
    assert ids(otto, REPORTS) == [world["report"].pk]
    assert ids(bob, REPORTS) == []


def test_officer_of_another_county_gets_not_found_for_the_report(world, chen):
    response = token_client(chen).get(f"{REPORTS}{world['report'].pk}/")
    assert (response.status_code, response.json()["code"]) == (404, "GEN-001")


def test_union_officer_is_refused_with_the_api_code(world, una):
    response = token_client(una).get(REPORTS)
    assert (response.status_code, response.json()["code"]) == (403, "API-003")


def test_anonymous_request_gets_the_api_error(world):
    response = token_client(None).get(REPORTS)
    body = response.json()
    assert (response.status_code, body["code"]) == (401, "API-001")
    assert set(body) == {"code", "message", "field", "details"}


def test_report_list_costs_the_same_queries_whatever_its_length(
    world, otto, hana, django_assert_max_num_queries
):
    for _ in range(3):
        annual_report_create(actor=otto, facility=second_facility(otto), year=2025, today=REPORT_DAY)
    client = token_client(hana)
    with django_assert_max_num_queries(8):  # token, memberships, count, page, three figure tables
        assert client.get(REPORTS).json()["count"] == 4


# --- inspections --------------------------------------------------------------------------------


def test_inspection_list_gives_the_result_and_the_order_in_brief(world, hana):
    [row] = rows(hana, INSPECTIONS)
    order = world["order"]
    assert (row["status"], row["findings_count"], row["closed_on"]) == ("closed", 1, "2026-02-12")
    assert row["rectification"]["id"] == order.pk
    assert row["rectification"]["status"] == "issued"
    assert row["rectification"]["deadline"] == order.deadline.isoformat()


def test_inspection_detail_gives_each_item_and_its_result(world, otto):
    body = token_client(otto).get(f"{INSPECTIONS}{world['inspection'].pk}/").json()
    results = {item["code"]: item["result"] for item in body["items"]}
    assert results["WST821-CCTV"] == "not_met"
    assert set(results.values()) == {"met", "not_met"}


def test_inspection_never_names_the_inspectors(world, hana):
    body = token_client(hana).get(f"{INSPECTIONS}{world['inspection'].pk}/").json()
    assert "inspectors" not in body and "answered_by" not in body["items"][0]
    assert not any(u.username in str(body) for u in world["inspectors"])


def test_inspections_filter_by_status(world, hana):
    from tests.supervision.inspection_support import new_inspection

    team = {"facility": world["facility"], "inspectors": world["inspectors"], "hana": hana}
    opened = new_inspection(team)
    assert ids(hana, INSPECTIONS, status="open") == [opened.pk]
    assert ids(hana, INSPECTIONS, status="closed") == [world["inspection"].pk]


def test_inspections_filter_by_facility(world, hana):
    assert ids(hana, INSPECTIONS, facility=world["facility"].pk) == [world["inspection"].pk]
    assert ids(hana, INSPECTIONS, facility=world["facility"].pk + 1000) == []


def test_inspections_of_another_county_are_not_listed(world, chen, pudong):
    assert ids(chen, INSPECTIONS) == [] and ids(pudong, INSPECTIONS) == []


def test_unassigned_inspector_of_the_same_county_does_not_see_the_inspection(world, hana):
    from tests.supervision.conftest import make_inspector

    spare = make_inspector("spare", org_of(hana))
    assert ids(spare, INSPECTIONS) == []
    assert token_client(spare).get(f"{INSPECTIONS}{world['inspection'].pk}/").status_code == 404


# --- rectification orders -------------------------------------------------------------------------


def test_order_detail_gives_deadline_items_and_history_without_evidence(world, alice):
    order = world["order"]
    body = token_client(alice).get(f"{RECTIFICATIONS}{order.pk}/").json()
    assert (body["status"], body["deadline"]) == ("issued", order.deadline.isoformat())
    assert [i["code"] for i in body["items"]] == ["WST821-CCTV"]
    assert [e["action"] for e in body["history"]] == ["issue"]
    assert "evidence" not in body and "actor" not in body["history"][0]


def test_order_is_not_overdue_on_its_deadline(world, hana, time_machine):
    at_noon(time_machine, world["order"].deadline)
    [row] = rows(hana, RECTIFICATIONS)
    assert row["overdue"] is False
    assert ids(hana, RECTIFICATIONS, overdue="true") == []
    assert ids(hana, RECTIFICATIONS, overdue="false") == [world["order"].pk]


def test_order_is_overdue_the_day_after_its_deadline(world, hana, time_machine):
    at_noon(time_machine, world["order"].deadline + dt.timedelta(days=1))
    [row] = rows(hana, RECTIFICATIONS)
    assert row["overdue"] is True
    assert ids(hana, RECTIFICATIONS, overdue="true") == [world["order"].pk]
    assert ids(hana, RECTIFICATIONS, overdue="false") == []


def test_order_shows_the_ladder_steps_taken(world, hana, time_machine):
    day = world["order"].deadline + dt.timedelta(days=3)
    rectifications_escalate(as_of=day)
    at_noon(time_machine, day)
    [row] = rows(hana, RECTIFICATIONS)
    assert row["ladder_step"] == "notice"
    assert [(s["step"], s["deadline_missed"]) for s in row["ladder"]] == [
        ("notice", world["order"].deadline.isoformat())]


def test_orders_filter_by_status_and_facility(world, otto):
    order = world["order"]
    assert ids(otto, RECTIFICATIONS, status="issued") == [order.pk]
    assert ids(otto, RECTIFICATIONS, status="verified") == []
    assert ids(otto, RECTIFICATIONS, facility=order.facility_id) == [order.pk]


def test_orders_of_another_province_are_neither_listed_nor_found(world, pudong):
    assert ids(pudong, RECTIFICATIONS) == []
    response = token_client(pudong).get(f"{RECTIFICATIONS}{world['order'].pk}/")
    assert (response.status_code, response.json()["code"]) == (404, "GEN-001")


def test_rectification_list_costs_the_same_queries_whatever_its_length(
    world, otto, hana, django_assert_max_num_queries
):
    from tests.supervision.inspection_support import closed_with_findings

    for _ in range(3):
        team = {"facility": second_facility(otto), "inspectors": world["inspectors"], "hana": hana}
        closed_with_findings(team, today=dt.date(2026, 2, 12))
    client = token_client(hana)
    with django_assert_max_num_queries(6):  # token, memberships, count, page, ladder
        assert client.get(RECTIFICATIONS).json()["count"] == 4
