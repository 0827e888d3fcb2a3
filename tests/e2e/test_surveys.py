"""Acceptance (issue 4, item 1): an employee opens a personal link on a phone-sized
viewport, consents, answers and submits twice (submit, open the link again — the form is
empty — submit again): one answer is stored. The employer then sees the results, where a breakdown item with four answers
is suppressed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, division
from tuoyu.core.dates import local_today
from tuoyu.surveys import services
from tuoyu.surveys.models import SurveyResponse
from tuoyu.surveys.services import AnswerData, ChildEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pass-1234"


def _month(months_back: int):
    today = local_today()
    index = today.year * 12 + today.month - 1 - months_back
    return today.replace(year=index // 12, month=index % 12 + 1, day=1)


def _survey_with_nine_answers():
    """An open survey of a 海淀 employer: nine answers already in (5 on site, 4 nearby)
    and one personal link E042 not yet answered."""
    employer = OrganizationFactory(name="海淀软件园有限公司", division=division("110108"))
    admin = UserFactory(username="hr-admin", password=PASSWORD)
    MembershipFactory(user=admin, organization=employer, role="employer_admin")
    today = local_today()
    survey = services.survey_create(actor=admin, employer=employer, title="2026年托育需求调查",
                                    opens_on=today - timedelta(days=3), closes_on=today + timedelta(days=20))
    survey = services.survey_transition(actor=admin, survey=survey, action="open")
    for would_use in ["on_site"] * 5 + ["nearby"] * 4:
        services.response_submit(
            survey=survey, source="open", consented=True,
            data=AnswerData(children=[ChildEntry(_month(14))], would_use=would_use, wanted_services=["full_day"]),
        )
    link = services.invitations_create(actor=admin, survey=survey, text="E042").created[0]
    return survey, link


def test_employee_answers_twice_on_a_phone_and_employer_sees_suppressed_results(new_page):
    survey, link = _survey_with_nine_answers()

    employee = new_page()
    employee.set_viewport_size(PHONE)
    employee.goto(reverse("surveys:answer", args=[link.token]))
    employee.get_by_role("heading", name="个人信息保护说明").wait_for()
    employee.get_by_label("我已阅读上述说明，同意提供以上信息用于本次调查").check()
    employee.get_by_role("button", name="同意并开始答题").click()

    employee.get_by_role("group", name="3岁以下子女").wait_for()
    assert employee.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    employee.fill("#id_child_1", _month(8).strftime("%Y-%m"))
    employee.get_by_label("祖辈照料", exact=True).check()
    employee.get_by_label("全日托", exact=True).check()
    employee.fill("#id_days_per_week", "5")
    employee.get_by_label("2000–2999元", exact=True).check()
    employee.get_by_label("单位内", exact=True).check()
    employee.fill("#id_commute_minutes", "35")
    employee.get_by_role("button", name="提交答卷").click()
    employee.get_by_text("感谢您的参与，答卷已保存。").wait_for()

    # Open the link again: the form comes back EMPTY (whoever holds the link cannot read
    # the answer), and submitting again replaces the stored answer, not duplicates it.
    employee.goto(reverse("surveys:answer", args=[link.token]))
    employee.get_by_label("我已阅读上述说明，同意提供以上信息用于本次调查").check()
    employee.get_by_role("button", name="同意并开始答题").click()
    employee.get_by_text("再次提交会替换之前的答卷").wait_for()
    assert employee.input_value("#id_commute_minutes") == ""
    assert employee.input_value("#id_child_1") == ""
    # Touch targets on a phone: radio buttons at least 20 px, inputs 16 px (no iOS zoom).
    radio = employee.get_by_label("单位内", exact=True).bounding_box()
    assert radio["width"] >= 20 and radio["height"] >= 20
    assert employee.evaluate("getComputedStyle(document.querySelector('#id_commute_minutes')).fontSize") == "16px"
    employee.get_by_label("单位内", exact=True).check()
    employee.fill("#id_commute_minutes", "40")
    employee.get_by_role("button", name="提交答卷").click()
    employee.get_by_text("感谢您的参与，答卷已保存。").wait_for()

    assert SurveyResponse.objects.filter(invitation=link).count() == 1
    assert SurveyResponse.objects.get(invitation=link).commute_minutes == 40
    assert SurveyResponse.objects.filter(survey=survey).count() == 10

    # The employer sees the results: "near the workplace" has four answers, so it is hidden.
    employer = new_page()
    login(employer, "hr-admin", PASSWORD, next_url=reverse("surveys:results", args=[survey.pk]))
    employer.get_by_role("heading", name="调查结果：2026年托育需求调查").wait_for()
    row = employer.locator("section.breakdown tr", has=employer.get_by_role("rowheader", name="单位附近", exact=True))
    assert row.count() == 1
    assert "suppressed" in (row.get_attribute("class") or "")
    assert row.locator("td abbr").count() == 1
    assert "4" not in row.locator("td").first.inner_text()


def test_survey_page_with_a_long_open_link_fits_a_phone(new_page):
    survey, _link = _survey_with_nine_answers()
    admin = survey.created_by
    services.survey_open_link_set(actor=admin, survey=survey, enabled=True)
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, "hr-admin", PASSWORD, next_url=reverse("surveys:detail", args=[survey.pk]))
    page.get_by_role("heading", name="公开链接").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
