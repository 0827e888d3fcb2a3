"""The health commission's filing decision on a compliance-ladder step (ADR 0097): the
suspension or revocation marks the step that prompted it, in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import org_of
from tests.factories import FacilityFactory
from tests.supervision.inspection_support import closed_with_findings, make_team
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.facilities import services
from tuoyu.facilities.models import Facility
from tuoyu.supervision.models import RectificationEscalation
from tuoyu.supervision.rectification import rectifications_escalate

pytestmark = pytest.mark.django_db

SPRING = dt.date(2026, 2, 13)


@pytest.fixture
def team(hana, otto):
    return make_team(hana, otto)


@pytest.fixture
def order(team):
    return closed_with_findings(team, today=SPRING).rectification


def _step(order, step):
    return RectificationEscalation.objects.create(
        order=order, step=step, taken_on=dt.date(2026, 4, 20), deadline_missed=order.deadline,
        reason="整改期限已过，仍未提交整改材料。",
    )


def test_suspension_marks_the_step_that_prompted_it(hana, team, order):
    step = _step(order, "suspension")
    services.filing_suspend(actor=hana, facility=team["facility"], reason="逾期未整改",
                            escalation_pk=step.pk)
    step.refresh_from_db()
    assert (step.filing_action_taken, step.filing_action_by, step.filing_action_at is not None) == (
        True, hana, True)


def test_revocation_marks_a_cancellation_step(hana, team, order):
    step = _step(order, "cancellation")
    services.filing_revoke(actor=hana, facility=team["facility"], reason="拒不整改",
                           escalation_pk=step.pk)
    step.refresh_from_db()
    assert step.filing_action_taken is True


def test_marking_the_step_is_audited(hana, team, order):
    step = _step(order, "suspension")
    services.filing_suspend(actor=hana, facility=team["facility"], reason="逾期未整改",
                            escalation_pk=step.pk)
    event = AuditEvent.objects.get(action="supervision.escalation_filing_action", object_id=str(step.pk))
    assert (event.actor, event.note) == (hana, "逾期未整改")


def test_a_step_of_another_kind_is_refused_and_the_filing_is_unchanged(hana, team, order):
    step = _step(order, "cancellation")
    with pytest.raises(DomainError) as exc:
        services.filing_suspend(actor=hana, facility=team["facility"], reason="逾期未整改",
                                escalation_pk=step.pk)
    assert exc.value.code == "SUP-060"
    assert Facility.objects.get(pk=team["facility"].pk).filing_status == "filed"


def test_a_step_about_another_facility_is_refused(hana, otto, order):
    step = _step(order, "suspension")
    other = FacilityFactory(operator=org_of(otto), filing_status="filed")
    with pytest.raises(DomainError) as exc:
        services.filing_suspend(actor=hana, facility=other, reason="逾期未整改", escalation_pk=step.pk)
    assert exc.value.code == "SUP-060"
    assert Facility.objects.get(pk=other.pk).filing_status == "filed"


def test_a_step_already_decided_is_refused(hana, team, order):
    step = _step(order, "suspension")
    services.filing_suspend(actor=hana, facility=team["facility"], reason="逾期未整改",
                            escalation_pk=step.pk)
    services.filing_lift_suspension(actor=hana, facility=team["facility"], reason="整改已核实")
    with pytest.raises(DomainError) as exc:
        services.filing_suspend(actor=hana, facility=team["facility"], reason="再次", escalation_pk=step.pk)
    assert exc.value.code == "SUP-061"


def test_without_a_step_nothing_on_the_ladder_changes(hana, team, order):
    step = _step(order, "suspension")
    services.filing_suspend(actor=hana, facility=team["facility"], reason="依职权暂停")
    step.refresh_from_db()
    assert step.filing_action_taken is False


def test_escalation_run_still_leaves_the_filing_alone(team, order):
    day = order.deadline
    for _ in range(80):
        day += dt.timedelta(days=1)
        rectifications_escalate(as_of=day)
    assert order.escalations.filter(step="cancellation").exists()
    assert Facility.objects.get(pk=team["facility"].pk).filing_status == "filed"


# ---------------------------------------------------------------- pages


def test_order_page_links_the_county_officer_to_the_decision(client, hana, team, order):
    step = _step(order, "suspension")
    client.force_login(hana)
    body = client.get(reverse("supervision:rectification_detail", args=[order.pk])).content.decode()
    link = f'{reverse("facilities:review", args=[team["facility"].pk])}?escalation={step.pk}'
    assert link in body


def test_order_page_shows_no_decision_link_to_the_facility(client, otto, team, order):
    _step(order, "suspension")
    client.force_login(otto)
    body = client.get(reverse("supervision:rectification_detail", args=[order.pk])).content.decode()
    assert "?escalation=" not in body and "待卫生健康部门作出备案处理决定" in body


def test_decided_step_shows_no_link_any_more(client, hana, team, order):
    step = _step(order, "suspension")
    services.filing_suspend(actor=hana, facility=team["facility"], reason="逾期未整改",
                            escalation_pk=step.pk)
    client.force_login(hana)
    body = client.get(reverse("supervision:rectification_detail", args=[order.pk])).content.decode()
    assert "?escalation=" not in body and "已作出备案处理决定" in body


def test_order_list_marks_orders_awaiting_a_decision(client, hana, order):
    _step(order, "suspension")
    client.force_login(hana)
    body = client.get(reverse("supervision:rectification_list")).content.decode()
    assert "待卫生健康部门作出备案处理决定" in body


def test_order_list_has_no_mark_once_decided(client, hana, team, order):
    step = _step(order, "suspension")
    services.filing_suspend(actor=hana, facility=team["facility"], reason="逾期未整改",
                            escalation_pk=step.pk)
    client.force_login(hana)
    body = client.get(reverse("supervision:rectification_list")).content.decode()
    assert "待卫生健康部门作出备案处理决定" not in body


def test_review_page_posts_the_step_with_the_measure(client, hana, team, order):
    step = _step(order, "suspension")
    client.force_login(hana)
    facility = team["facility"]
    page = client.get(f'{reverse("facilities:review", args=[facility.pk])}?escalation={step.pk}')
    assert f'name="escalation" value="{step.pk}"' in page.content.decode()
    client.post(reverse("facilities:suspend", args=[facility.pk]),
                {"reason": "逾期未整改", "escalation": step.pk})
    step.refresh_from_db()
    assert step.filing_action_taken is True


def test_review_page_reports_a_mismatched_step(client, hana, team, order):
    step = _step(order, "cancellation")
    client.force_login(hana)
    response = client.post(reverse("facilities:suspend", args=[team["facility"].pk]),
                           {"reason": "逾期未整改", "escalation": step.pk})
    assert response.status_code == 400 and "处理阶段" in response.content.decode()


def _escalation_fields(body):
    """The escalation value in each measure's form of the review page, by form action URL."""
    import re

    forms = re.findall(r'<form[^>]*action="([^"]+)"(.*?)</form>', body, flags=re.S)
    return {action: (re.search(r'name="escalation"[^>]*value="(\d*)"', inner) or [None, ""])[1]
            for action, inner in forms if action.startswith("/facilities/") and "escalation" in inner}


@pytest.mark.parametrize(("kind", "answered_by"), [("suspension", "suspend"), ("cancellation", "revoke")])
def test_review_page_puts_the_step_in_the_matching_measure_only(client, hana, team, order, kind, answered_by):
    step = _step(order, kind)
    client.force_login(hana)
    facility = team["facility"]
    body = client.get(f'{reverse("facilities:review", args=[facility.pk])}?escalation={step.pk}').content.decode()
    fields = _escalation_fields(body)
    assert fields == {
        reverse("facilities:suspend", args=[facility.pk]): str(step.pk) if answered_by == "suspend" else "",
        reverse("facilities:revoke", args=[facility.pk]): str(step.pk) if answered_by == "revoke" else "",
    }


def test_mismatched_step_is_named_in_words(client, hana, team, order):
    step = _step(order, "cancellation")
    client.force_login(hana)
    response = client.post(reverse("facilities:suspend", args=[team["facility"].pk]),
                           {"reason": "逾期未整改", "escalation": step.pk})
    body = response.content.decode()
    assert "cancellation" not in body and "撤销备案" in body
