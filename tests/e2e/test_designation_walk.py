"""Issue 5, acceptance 1: one application walked through the pages from the employer to the
portal's yearly list — the employer applies and submits; the grassroots and city unions
recommend, the provincial health commission gives its opinion, the provincial union
recommends and the national union takes it into review; experts (never of the applicant's
province) score it; the selection proposes it; the list is published (the page and the
public API show the same end date); an anonymous objection is lodged and dismissed; after the publicity period the unit is named, its
certificate printed, and the portal's yearly list shows it. A union officer of another
province never sees the application (404)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from tests.conftest import _official, org_of
from tests.designation.award_support import expert
from tests.designation.conftest import make_campaign, make_day_facility
from tests.e2e.conftest import login
from tuoyu.designation.models import Application, Designation, Objection

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234"
CRITERIA = ("SC-01", "SC-02", "SC-03", "SC-04", "SC-05", "SC-06")


def _post(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def _decide(page, app_pk: int, action_label: str) -> None:
    page.goto(f"/designation/applications/{app_pk}/")
    page.get_by_label("决定").select_option(label=action_label)
    _post(page, "提交决定")


def _signed_in(new_page, username: str, next_url: str):
    page = new_page()
    login(page, username, PASSWORD, next_url=next_url)
    return page


def test_one_application_walks_from_the_employer_to_the_portals_yearly_list(
        new_page, alice, una, bjhealth, settings):
    settings.DESIGNATION_EXPERTS_PER_APPLICATION = 2
    unions = {name: _official(None, name, "union_officer", "union", label, code, level)
              for name, label, code, level in [
                  ("hdunion", "海淀区总工会", "110108", "county"),
                  ("bjcity", "北京市区级工会联合会", "110108", "prefecture"),
                  ("shunion", "上海市总工会", "310000", "provincial"),
                  ("acftu", "中华全国总工会", "110000", "national")]}
    experts = [expert(None, "exp_sh", "310115"), expert(None, "exp_gd", "440106")]
    expert(None, "exp_bj", "110108")  # same province as the applicant: never assigned
    campaign = make_campaign(unions["acftu"], price_caps={"11": "2000"})
    facility = make_day_facility(alice, name="海淀职工爱心托育园")
    employer_name = org_of(alice).name

    # The employer applies from its own data and submits.
    employer = _signed_in(new_page, "alice", f"/designation/campaigns/{campaign.pk}/")
    employer.get_by_role("link", name="申报").click()
    employer.get_by_label("托育机构").select_option(label=facility.name)
    employer.get_by_label("承诺未发生安全事故和不良事件").check()
    employer.get_by_label("自评说明").fill("职工子女占八成，收费低于普惠价格。")
    _post(employer, "保存草稿")
    employer.get_by_role("heading", name="申报条件核对").wait_for()
    _post(employer, "提交申报")
    employer.get_by_text("申报已提交。").wait_for()
    app = Application.objects.get(employer=org_of(alice))
    assert app.status == "submitted"

    other_province = _signed_in(new_page, "shunion", "/designation/queue/")
    assert other_province.goto(f"/designation/applications/{app.pk}/").status == 404

    # The recommendation chain: grassroots, city, provincial health opinion, province, nation.
    for username in ("hdunion", "bjcity"):
        page = _signed_in(new_page, username, "/designation/queue/")
        page.get_by_role("link", name=employer_name).click()
        _decide(page, app.pk, "推荐")
    health = _signed_in(new_page, "bjhealth", "/designation/queue/")
    health.get_by_role("link", name=employer_name).click()
    health.get_by_label("意见").fill("同意推荐。")
    _post(health, "记录意见")
    health.get_by_text("意见已记录。").wait_for()
    for username in ("una", "acftu"):
        _decide(_signed_in(new_page, username, "/designation/queue/"), app.pk, "推荐")
    app.refresh_from_db()
    assert app.status == "national_review"
    assert list(app.events.values_list("action", flat=True)) == [
        "submit", "recommend", "recommend", "health_opinion", "recommend", "recommend"]

    # Expert scoring: assigned automatically, outside the applicant's province.
    national = _signed_in(new_page, "acftu", f"/designation/campaigns/{campaign.pk}/scoring/")
    _post(national, "启动专家评审")
    _post(national, "自动分配专家")
    assert set(app.assignments.values_list("expert__username", flat=True)) == {"exp_sh", "exp_gd"}
    for person, points in zip(experts, ("8", "9"), strict=True):
        page = _signed_in(new_page, person.username, "/designation/experts/assignments/")
        page.get_by_role("link", name=employer_name).click()
        for code in CRITERIA:
            page.get_by_label(code).fill(points)
        _post(page, "保存评分")
        page.get_by_text("评分已保存。").wait_for()
    national.goto(f"/designation/applications/{app.pk}/scores/")
    national.get_by_text("85.00").wait_for()  # mean of 80.00 and 90.00
    national.goto(f"/designation/campaigns/{campaign.pk}/scoring/")
    _post(national, "完成专家评审")
    assert Application.objects.get(pk=app.pk).status == "scored"

    # Selection, confirmation, publicity.
    national.goto(f"/designation/campaigns/{campaign.pk}/selection/")
    _post(national, "运行遴选")
    national.get_by_role("table", name="拟命名名单").get_by_text(employer_name).wait_for()
    _post(national, "确认拟命名名单")
    _post(national, "发布公示")

    # An anonymous objection, shown escaped to the national reviewers and dismissed.
    visitor = new_page()
    visitor.goto(f"/designation/publicity/{campaign.pk}/")
    listed = visitor.request.get("/api/v1/public/designation/publicity/").json()["results"][0]
    assert listed["is_open"] and [e["employer_name"] for e in listed["entries"]] == [employer_name]
    visitor.get_by_text(f"至 {listed['ends_on']} 23:59:59").wait_for()  # page and API agree
    visitor.get_by_label("异议对象").select_option(label=employer_name)
    visitor.get_by_label("异议内容").fill("<b>收费</b>高于当地普惠价格")
    _post(visitor, "提交异议")
    visitor.get_by_text("异议已收到").wait_for()
    national.goto(f"/designation/campaigns/{campaign.pk}/objections/")
    national.get_by_text("<b>收费</b>高于当地普惠价格").wait_for()  # as text, not markup
    national.get_by_label("处理结果").select_option("dismissed")
    national.get_by_label("处理理由").fill("经核实，收费不高于普惠价格。")
    _post(national, "处理")
    assert Objection.objects.get().status == "dismissed"

    # After the publicity period: naming, the certificate, the portal's yearly list.
    end = campaign.publicity.ends_on
    with time_machine.travel(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(10, 0)),
                             tick=True):
        national.goto(f"/designation/campaigns/{campaign.pk}/objections/")
        _post(national, "命名并分配补助")
        designation = Designation.objects.get()
        assert designation.application_id == app.pk
        national.get_by_role("link", name=designation.certificate_number).click()
        national.get_by_role("heading", name="荣誉证书").wait_for()
        assert national.get_by_text(employer_name).count() >= 1

        visitor.goto("/")
        visitor.get_by_role("link", name=f"{campaign.year} 年度名单").click()
        row = visitor.get_by_role("row").filter(has_text=designation.certificate_number)
        row.get_by_text(employer_name).wait_for()
        assert visitor.url.endswith(f"/designation/named/{campaign.year}/")
    cache.clear()
