"""Publication of inspection results (一公开): the date, the 3-year window, no personal data."""

import dataclasses
import datetime as dt

import pytest

from tests.factories import FacilityFactory
from tests.supervision.inspection_support import (
    answer_all,
    closed_with_findings,
    make_team,
    new_inspection,
)
from tuoyu.supervision.inspections import inspection_close
from tuoyu.supervision.rectification import rectification_respond, rectifications_escalate
from tuoyu.supervision.selectors import inspection_results_public

AUTUMN = dt.date(2026, 9, 30)


@pytest.fixture
def team(hana, otto):
    return make_team(hana, otto)


def test_published_on_is_twenty_working_days_after_closing_across_national_day(team):
    inspection = closed_with_findings(team, today=AUTUMN)
    # 1–7 Oct holidays; 8, 9 Oct and Sat 10 Oct (make-up workday) are days 1–3.
    assert (inspection.published_on, inspection.publication_provisional) == (dt.date(2026, 11, 3), False)


def test_publication_delay_comes_from_the_setting(team, settings):
    settings.TUOYU_INSPECTION_PUBLICATION_DAYS = 3
    inspection = closed_with_findings(team, today=AUTUMN)
    assert inspection.published_on == dt.date(2026, 10, 10)


def test_result_is_not_public_before_its_publication_date(team):
    inspection = closed_with_findings(team, today=AUTUMN)
    assert inspection_results_public(team["facility"], inspection.published_on - dt.timedelta(days=1)) == []


def test_result_is_public_from_its_publication_date(team):
    inspection = closed_with_findings(team, today=AUTUMN, codes=("WST821-CCTV", "WST821-ALARM"))
    [result] = inspection_results_public(team["facility"], inspection.published_on)
    assert (result.visit_date, result.findings_count, result.rectification_status) == (
        inspection.visit_date, 2, "issued"
    )


def test_open_inspection_is_never_public(team):
    new_inspection(team)
    assert inspection_results_public(team["facility"], dt.date(2027, 6, 1)) == []


def test_results_older_than_three_years_are_hidden(team):
    inspection = closed_with_findings(team, today=AUTUMN)
    published = inspection.published_on
    assert inspection_results_public(team["facility"], published.replace(year=published.year + 3)) == []


def test_results_younger_than_three_years_stay(team):
    inspection = closed_with_findings(team, today=AUTUMN)
    day = inspection.published_on.replace(year=inspection.published_on.year + 3) - dt.timedelta(days=1)
    assert len(inspection_results_public(team["facility"], day)) == 1


def test_retention_years_come_from_the_setting(team, settings):
    settings.TUOYU_INSPECTION_RESULTS_YEARS = 5
    inspection = closed_with_findings(team, today=AUTUMN)
    day = inspection.published_on.replace(year=inspection.published_on.year + 4)
    assert len(inspection_results_public(team["facility"], day)) == 1


def test_public_result_holds_no_personal_data_or_notes(team):
    inspection = new_inspection(team)
    answer_all(inspection, team["inspectors"][0], not_met=("WST821-CCTV",))
    item = inspection.items.get(code="WST821-CCTV")
    item.notes = "保育员张三未持证"
    item.save()
    inspection_close(actor=team["inspectors"][0], inspection=inspection, today=AUTUMN)
    rectification_respond(actor=team["otto"], order=inspection.rectification, text="李四已补办")
    [result] = inspection_results_public(team["facility"], dt.date(2027, 1, 1))
    values = " ".join(str(v) for v in dataclasses.asdict(result).values())
    assert set(dataclasses.asdict(result)) == {
        "visit_date", "published_on", "origin", "findings_count", "rectification_status",
        "ladder_step", "overdue",
    }
    assert not any(s in values for s in ("张三", "李四", "ins_a", "ins_b", "otto"))


def test_overdue_escalation_shows_in_the_public_result(team):
    inspection = closed_with_findings(team, today=AUTUMN)
    order = inspection.rectification
    rectifications_escalate(as_of=order.deadline + dt.timedelta(days=1))
    [result] = inspection_results_public(team["facility"], order.deadline + dt.timedelta(days=1))
    assert (result.ladder_step, result.overdue) == ("notice", True)



def test_results_of_another_facility_are_not_included(team):
    closed_with_findings(team, today=AUTUMN)
    other = FacilityFactory(operator=team["facility"].operator, filing_status="filed")
    assert inspection_results_public(other, dt.date(2027, 1, 1)) == []


def _at(time_machine, day):
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))


def test_portal_page_shows_the_published_result(client, team, time_machine):
    inspection = closed_with_findings(team, today=AUTUMN, codes=("WST821-CCTV", "WST821-ALARM"))
    _at(time_machine, inspection.published_on)
    body = client.get(f"/portal/facilities/{team['facility'].pk}/").content.decode()
    assert "监督检查结果" in body and inspection.visit_date.isoformat() in body


def test_portal_page_hides_the_result_before_its_publication_date(client, team, time_machine):
    inspection = closed_with_findings(team, today=AUTUMN)
    _at(time_machine, inspection.published_on - dt.timedelta(days=1))
    body = client.get(f"/portal/facilities/{team['facility'].pk}/").content.decode()
    assert inspection.visit_date.isoformat() not in body


def test_portal_page_shows_no_notes_or_inspector_names(client, team, time_machine):
    inspection = new_inspection(team)
    answer_all(inspection, team["inspectors"][0], not_met=("WST821-CCTV",))
    inspection.items.filter(code="WST821-CCTV").update(notes="保育员张三未持证")
    inspection_close(actor=team["inspectors"][0], inspection=inspection, today=AUTUMN)
    inspection.refresh_from_db()
    _at(time_machine, inspection.published_on)
    body = client.get(f"/portal/facilities/{team['facility'].pk}/").content.decode()
    assert inspection.visit_date.isoformat() in body
    assert not any(s in body for s in ("张三", "ins_a", "ins_b"))


@pytest.mark.parametrize(("origin", "label"), [
    ("draw", "双随机抽取"), ("ad_hoc", "专项检查"), ("complaint", "投诉检查"),
])
def test_public_result_names_each_origin_apart(origin, label):
    from tuoyu.supervision.selectors import PublicInspectionResult

    result = PublicInspectionResult(visit_date=None, published_on=None, origin=origin, findings_count=0,
                                    rectification_status="", ladder_step="", overdue=False)
    assert result.get_origin_display() == label
