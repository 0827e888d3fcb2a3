"""Issue 5 (recommendation chain part of acceptance 1): an employer applies and submits; the
grassroots, city and provincial unions (after the provincial health commission's opinion)
recommend and the national union takes it into review, all through the pages; a union
officer of another province gets 404."""

from __future__ import annotations

import pytest

from tests.conftest import _official, org_of
from tests.designation.conftest import make_campaign, make_day_facility
from tests.e2e.conftest import login
from tuoyu.designation.models import Application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234"


def _decide(page, app_pk: int, action_label: str) -> None:
    page.goto(f"/designation/applications/{app_pk}/")
    page.get_by_label("决定").select_option(label=action_label)
    with page.expect_navigation():
        page.get_by_role("button", name="提交决定").click()


def test_application_walks_the_chain_from_employer_to_national_review(new_page, alice, una,
                                                                       bjhealth):
    union = {
        "hdunion": ("海淀区总工会", "110108", "county"),
        "bjcity": ("北京市区级工会联合会", "110108", "prefecture"),
        "shunion": ("上海市总工会", "310000", "provincial"),
        "acftu": ("中华全国总工会", "110000", "national"),
    }
    for username, (name, code, level) in union.items():
        _official(None, username, "union_officer", "union", name, code, level)
    campaign = make_campaign(_official(None, "acftu2", "union_officer", "union", "全总二",
                                       "110000", "national"), price_caps={"11": "2000"})
    facility = make_day_facility(alice, name="海淀职工爱心托育园")

    employer = new_page()
    login(employer, "alice", PASSWORD, next_url=f"/designation/campaigns/{campaign.pk}/")
    employer.get_by_role("link", name="申报").click()
    employer.get_by_label("托育机构").select_option(label=facility.name)
    employer.get_by_label("承诺未发生安全事故和不良事件").check()
    employer.get_by_label("自评说明").fill("职工子女占八成，收费低于普惠价格。")
    with employer.expect_navigation():
        employer.get_by_role("button", name="保存草稿").click()
    employer.get_by_role("heading", name="申报条件核对").wait_for()
    with employer.expect_navigation():
        employer.get_by_role("button", name="提交申报").click()
    employer.get_by_text("申报已提交。").wait_for()
    application = Application.objects.get(employer=org_of(alice))
    assert application.status == "submitted"

    other = new_page()
    login(other, "shunion", PASSWORD, next_url="/designation/queue/")
    assert other.goto(f"/designation/applications/{application.pk}/").status == 404

    for username in ("hdunion", "bjcity"):
        page = new_page()
        login(page, username, PASSWORD, next_url="/designation/queue/")
        page.get_by_role("link", name=org_of(alice).name).click()
        _decide(page, application.pk, "推荐")

    health = new_page()
    login(health, "bjhealth", PASSWORD, next_url="/designation/queue/")
    health.get_by_role("link", name=org_of(alice).name).click()
    health.get_by_label("意见").fill("同意推荐。")
    with health.expect_navigation():
        health.get_by_role("button", name="记录意见").click()
    health.get_by_text("意见已记录。").wait_for()

    for username in ("una", "acftu"):
        page = new_page()
        login(page, username, PASSWORD, next_url="/designation/queue/")
        _decide(page, application.pk, "推荐")

    application.refresh_from_db()
    assert application.status == "national_review"
    assert list(application.events.values_list("action", flat=True)) == [
        "submit", "recommend", "recommend", "health_opinion", "recommend", "recommend"]
