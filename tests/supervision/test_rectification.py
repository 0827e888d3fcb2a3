"""Rectification orders (整改通知): issue, respond, verify, reopen, escalation."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from tests.supervision.inspection_support import closed_with_findings, make_team
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.supervision.models import RectificationEscalation, RectificationEvent
from tuoyu.supervision.rectification import (
    rectification_reopen,
    rectification_respond,
    rectification_verify,
    rectifications_escalate,
)
from tuoyu.supervision.selectors import open_rectifications_by_facility
from tuoyu.supervision.tasks import escalate_overdue_rectifications
from tuoyu.supervision.workflow import RectificationStatus

# Friday before the 2026 Spring Festival: Sat 14 Feb is a make-up workday, 15–23 Feb holidays.
SPRING = dt.date(2026, 2, 13)
# Wednesday before the 2026 National Day holiday (1–7 Oct; Sat 10 Oct a make-up workday).
AUTUMN = dt.date(2026, 9, 30)


@pytest.fixture
def team(hana, otto):
    return make_team(hana, otto)


@pytest.fixture
def order(team):
    return closed_with_findings(team, today=SPRING).rectification


def test_findings_become_an_order_with_the_items_not_met(team):
    inspection = closed_with_findings(team, today=SPRING, codes=("WST821-CCTV", "WST821-9.7.1"))
    order = inspection.rectification
    assert sorted(order.items.values_list("code", flat=True)) == ["WST821-9.7.1", "WST821-CCTV"]
    assert order.status == RectificationStatus.ISSUED and order.required_evidence == "整改后照片"


def test_deadline_counts_twenty_working_days_across_the_spring_festival(order):
    # 14 Feb (make-up workday) is day 1; 24–28 Feb days 2–6 (28 Feb is a make-up workday).
    assert (order.deadline, order.deadline_provisional) == (dt.date(2026, 3, 19), False)


def test_deadline_days_come_from_the_setting(team, settings):
    settings.TUOYU_RECTIFICATION_DAYS = 1
    order = closed_with_findings(team, today=SPRING).rectification
    assert order.deadline == dt.date(2026, 2, 14)


def test_facility_responds_with_text(order, otto):
    rectification_respond(actor=otto, order=order, text="已修复监控并补录")
    order.refresh_from_db()
    assert order.status == RectificationStatus.RESPONDED and order.response_text == "已修复监控并补录"


def test_response_without_text_is_refused(order, otto):
    with pytest.raises(DomainError) as raised:
        rectification_respond(actor=otto, order=order, text="  ")
    assert raised.value.code == "SUP-026"


def test_another_employer_cannot_respond(order, bob):
    with pytest.raises(DomainError) as raised:
        rectification_respond(actor=bob, order=order, text="已整改")
    assert raised.value.code == "GEN-002"


def test_inspector_verifies_a_response(order, otto, team):
    rectification_respond(actor=otto, order=order, text="已整改")
    rectification_verify(actor=team["inspectors"][1], order=order, note="现场复核合格")
    order.refresh_from_db()
    assert order.status == RectificationStatus.VERIFIED


def test_verifying_before_a_response_is_refused(order, team):
    with pytest.raises(DomainError) as raised:
        rectification_verify(actor=team["inspectors"][0], order=order)
    assert raised.value.code == "GEN-005"


def test_the_facility_cannot_verify_its_own_response(order, otto):
    rectification_respond(actor=otto, order=order, text="已整改")
    with pytest.raises(DomainError) as raised:
        rectification_verify(actor=otto, order=order)
    assert raised.value.code == "GEN-002"


def test_reopen_goes_back_to_issued_with_a_new_working_day_deadline(order, otto, team):
    rectification_respond(actor=otto, order=order, text="已整改")
    rectification_reopen(actor=team["inspectors"][0], order=order, reason="照片不清晰", today=AUTUMN)
    order.refresh_from_db()
    assert (order.status, order.deadline) == (RectificationStatus.ISSUED, dt.date(2026, 11, 3))


def test_reopen_without_a_reason_is_refused(order, otto, team):
    rectification_respond(actor=otto, order=order, text="已整改")
    with pytest.raises(DomainError) as raised:
        rectification_reopen(actor=team["inspectors"][0], order=order, reason="")
    assert raised.value.code == "SUP-027"


def test_every_transition_appends_a_history_row(order, otto, team):
    rectification_respond(actor=otto, order=order, text="已整改")
    rectification_reopen(actor=team["inspectors"][0], order=order, reason="不完整", today=SPRING)
    actions = list(RectificationEvent.objects.filter(order=order).values_list("action", flat=True))
    assert actions == ["issue", "respond", "reopen"]


def test_an_order_is_not_overdue_on_its_deadline_day(order):
    assert rectifications_escalate(as_of=order.deadline).escalated == []


def test_an_overdue_order_gets_a_notice_the_day_after_its_deadline(order):
    run = rectifications_escalate(as_of=order.deadline + dt.timedelta(days=1))
    order.refresh_from_db()
    assert run.escalated == [(order.pk, "notice")] and order.ladder_step == "notice"


def test_escalating_twice_the_same_day_escalates_once(order):
    day = order.deadline + dt.timedelta(days=1)
    rectifications_escalate(as_of=day)
    second = rectifications_escalate(as_of=day)
    assert second.escalated == [] and RectificationEscalation.objects.filter(order=order).count() == 1


def test_escalation_is_audited_with_its_reason(order):
    rectifications_escalate(as_of=order.deadline + dt.timedelta(days=1))
    event = AuditEvent.objects.get(action="supervision.rectification_escalate", object_id=str(order.pk))
    assert event.actor is None and str(order.deadline) in event.note


def test_next_step_waits_for_the_escalation_interval(order, settings):
    settings.TUOYU_RECTIFICATION_ESCALATION_DAYS = 10
    first = order.deadline + dt.timedelta(days=1)
    rectifications_escalate(as_of=first)
    assert rectifications_escalate(as_of=first + dt.timedelta(days=7)).escalated == []


def test_ladder_climbs_one_step_at_a_time_and_stops_at_cancellation(order, settings):
    settings.TUOYU_RECTIFICATION_ESCALATION_DAYS = 1
    day = order.deadline
    steps = []
    for _ in range(12):
        day += dt.timedelta(days=3)
        steps += [s for _, s in rectifications_escalate(as_of=day).escalated]
    assert steps == ["notice", "order", "suspension", "cancellation"]


def test_cancellation_step_does_not_change_the_filing(order, settings):
    settings.TUOYU_RECTIFICATION_ESCALATION_DAYS = 1
    day = order.deadline
    for _ in range(12):
        day += dt.timedelta(days=3)
        rectifications_escalate(as_of=day)
    order.facility.refresh_from_db()
    assert order.facility.filing_status == "filed"


def test_a_responded_order_is_not_escalated(order, otto):
    rectification_respond(actor=otto, order=order, text="已整改")
    assert rectifications_escalate(as_of=order.deadline + dt.timedelta(days=5)).escalated == []


def test_escalate_command_runs_once_per_day(order):
    day = (order.deadline + dt.timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("supervision_escalate", "--date", day, stdout=out)
    call_command("supervision_escalate", "--date", day, stdout=out)
    assert out.getvalue().count(": notice") == 1


def test_task_function_escalates_overdue_orders(order, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    result = escalate_overdue_rectifications()
    assert result["escalated"] == [[order.pk, "notice"]]


def test_facility_responds_through_the_page(client, order, otto):
    client.force_login(otto)
    response = client.post(f"/supervision/rectifications/{order.pk}/respond/", {"text": "已整改"})
    order.refresh_from_db()
    assert response.status_code == 302 and order.status == RectificationStatus.RESPONDED


def test_inspector_reopens_through_the_page(client, order, otto, team):
    rectification_respond(actor=otto, order=order, text="已整改")
    client.force_login(team["inspectors"][0])
    response = client.post(f"/supervision/rectifications/{order.pk}/review/", {"decision": "reopen", "note": "照片缺失"})
    order.refresh_from_db()
    assert response.status_code == 302 and order.status == RectificationStatus.ISSUED


def test_inspector_verifies_through_the_page(client, order, otto, team):
    rectification_respond(actor=otto, order=order, text="已整改")
    client.force_login(team["inspectors"][1])
    response = client.post(f"/supervision/rectifications/{order.pk}/review/", {"decision": "verify", "note": ""})
    order.refresh_from_db()
    assert response.status_code == 302 and order.status == RectificationStatus.VERIFIED


def test_order_page_of_another_province_is_not_found(client, order, bob):
    client.force_login(bob)
    assert client.get(f"/supervision/rectifications/{order.pk}/").status_code == 404


def test_order_page_offers_the_response_form_to_the_facility(client, order, otto):
    client.force_login(otto)
    body = client.get(f"/supervision/rectifications/{order.pk}/").content.decode()
    assert 'name="text"' in body and "视频监控覆盖幼儿生活和活动区域" in body


def test_order_list_shows_the_facilitys_orders(client, order, otto):
    client.force_login(otto)
    body = client.get("/supervision/rectifications/").content.decode()
    assert f"/supervision/rectifications/{order.pk}/" in body


def test_open_orders_count_as_a_risk_factor_until_verified(order, otto, team):
    rectification_respond(actor=otto, order=order, text="已整改")
    assert open_rectifications_by_facility() == {order.facility_id: 1}
    rectification_verify(actor=team["inspectors"][0], order=order)
    assert open_rectifications_by_facility() == {}
