"""Issue 5 (acceptance 1, second half): from national review through expert scoring,
selection, publicity with an anonymous objection that is resolved, naming, and the public
yearly list reached from the portal home, all through the pages. The chain up to national review is walked in
``test_designation_chain.py``; here it is set up through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import _official, org_of
from tests.designation.award_support import expert, to_national_review
from tests.designation.conftest import make_application, make_campaign
from tests.e2e.conftest import login
from tuoyu.designation.models import Application, Designation, Objection

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234"


def _post(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_application_goes_from_national_review_to_the_public_list(new_page, alice, una, bjhealth,
                                                                  settings):
    settings.DESIGNATION_EXPERTS_PER_APPLICATION = 2
    officers = {name: _official(None, name, "union_officer", "union", label, code, level)
                for name, label, code, level in [
                    ("hdunion", "海淀区总工会", "110108", "county"),
                    ("bjcity", "北京市区级工会联合会", "110108", "prefecture"),
                    ("acftu", "中华全国总工会", "110000", "national")]}
    acftu = officers["acftu"]
    experts = [expert(None, "exp_sh", "310115"), expert(None, "exp_gd", "440106")]
    expert(None, "exp_bj", "110108")  # same province as the applicant: never assigned
    campaign = make_campaign(acftu, price_caps={"11": "2000"})
    app = make_application(alice, campaign)
    to_national_review(app, alice=alice, hdunion=officers["hdunion"], bjcity=officers["bjcity"],
                       una=una, bjhealth=bjhealth, acftu=acftu)
    employer_name = org_of(alice).name

    national = new_page()
    login(national, "acftu", PASSWORD, next_url=f"/designation/campaigns/{campaign.pk}/scoring/")
    _post(national, "启动专家评审")
    _post(national, "自动分配专家")
    for person, points in zip(experts, ("8", "9"), strict=True):
        page = new_page()
        login(page, person.username, PASSWORD, next_url="/designation/experts/assignments/")
        page.get_by_role("link", name=employer_name).click()
        for code in ("SC-01", "SC-02", "SC-03", "SC-04", "SC-05", "SC-06"):
            page.get_by_label(code).fill(points)
        _post(page, "保存评分")
        page.get_by_text("评分已保存。").wait_for()
    national.goto(f"/designation/applications/{app.pk}/scores/")
    national.get_by_text("85.00").wait_for()  # mean of 80.00 and 90.00
    national.goto(f"/designation/campaigns/{campaign.pk}/scoring/")
    _post(national, "完成专家评审")
    assert Application.objects.get(pk=app.pk).status == "scored"

    national.goto(f"/designation/campaigns/{campaign.pk}/selection/")
    _post(national, "运行遴选")
    national.get_by_role("table", name="拟命名名单").get_by_text(employer_name).wait_for()
    _post(national, "确认拟命名名单")
    _post(national, "发布公示")

    visitor = new_page()
    visitor.goto(f"/designation/publicity/{campaign.pk}/")
    visitor.get_by_label("异议对象").select_option(label=employer_name)
    visitor.get_by_label("异议内容").fill("<b>收费</b>高于当地普惠价格")
    _post(visitor, "提交异议")
    visitor.get_by_text("异议已收到").wait_for()

    national.goto(f"/designation/campaigns/{campaign.pk}/objections/")
    national.get_by_text("<b>收费</b>高于当地普惠价格").wait_for()  # shown escaped, as text
    national.get_by_label("处理结果").select_option("dismissed")
    national.get_by_label("处理理由").fill("经核实，收费不高于普惠价格。")
    _post(national, "处理")
    assert Objection.objects.get().status == "dismissed"

    end = campaign.publicity.ends_on
    with time_machine.travel(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(10, 0)),
                             tick=True):
        national.goto(f"/designation/campaigns/{campaign.pk}/objections/")
        _post(national, "命名并分配补助")
        designation = Designation.objects.get()
        visitor.goto("/")
        visitor.get_by_role("link", name=f"{campaign.year} 年度名单").click()
        visitor.get_by_role("link", name=designation.certificate_number).click()
        visitor.get_by_role("heading", name="荣誉证书").wait_for()
        assert visitor.get_by_text(employer_name).count() >= 1
