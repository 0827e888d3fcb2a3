"""Browser test (issue 6, inspections): on a phone-sized viewport the officer arranges the
drawn inspection, an inspector records and closes it, the facility responds to the
rectification order, the inspector verifies it, and the result is published."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import login
from tests.factories import (
    FacilityFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    division,
)
from tuoyu.supervision.models import Inspection
from tuoyu.supervision.selectors import inspection_results_public
from tuoyu.supervision.services import draw_lists_freeze, draw_perform, inspection_plan_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pass-1234"


def _drawn_plan():
    commission = OrganizationFactory(
        kind="health", name="海淀区卫生健康委员会", division=division("110108"), level="county",
        credit_code=None, industry=None, ownership_type="", headcount=None,
    )
    officer = UserFactory(username="officer", password=PASSWORD)
    MembershipFactory(user=officer, organization=commission, role="health_officer")
    for name in ("inspector0", "inspector1"):
        MembershipFactory(user=UserFactory(username=name, password=PASSWORD), organization=commission, role="inspector")
    provider = OrganizationFactory(kind="provider", division=division("110108"))
    operator = UserFactory(username="operator", password=PASSWORD)
    MembershipFactory(user=operator, organization=provider, role="facility_operator")
    facility = FacilityFactory(operator=provider, filing_status="filed", name="海淀爱心托育")
    plan = inspection_plan_create(
        actor=officer, organization=commission, title="2026年双随机抽查", year=2026,
        scope_prefix="110108", count=1,
    )
    draw_lists_freeze(actor=officer, plan=plan)
    draw_perform(actor=officer, plan=plan, seed="福彩3D 2026338 478")
    return plan, facility


def _phone_page(new_page, username, next_url):
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, username, PASSWORD, next_url=next_url)
    return page


def test_inspection_to_published_result_on_a_phone(new_page):
    plan, facility = _drawn_plan()

    officer = _phone_page(new_page, "officer", f"/supervision/plans/{plan.pk}/")
    officer.get_by_label("计划检查日期").fill("2026-12-08")
    officer.get_by_role("button", name="按抽取结果安排检查").click()
    officer.get_by_text("已安排1次检查。").wait_for()

    inspector = _phone_page(new_page, "inspector0", "/supervision/inspections/")
    inspector.get_by_role("link", name="海淀爱心托育").click()
    radios = inspector.locator("input[type=radio][value=met]")
    for radio in radios.all():
        radio.check()
    inspector.locator("input[type=radio][value=not_met]").first.check()
    inspector.locator("textarea").first.fill("记录不全")
    inspector.get_by_role("button", name="保存检查结果").click()
    inspector.get_by_text("检查结果已保存。").wait_for()
    inspector.get_by_label("须提交的整改材料").fill("补齐记录的照片")
    inspector.get_by_role("button", name="结束检查").click()
    inspector.get_by_text("检查已结束。").wait_for()
    inspector.get_by_role("link", name="查看整改通知").click()
    order_url = inspector.url

    operator = _phone_page(new_page, "operator", urlsplit(order_url).path)
    operator.get_by_label("整改情况说明").fill("已补齐全部记录")
    operator.get_by_role("button", name="提交").click()
    operator.get_by_text("整改材料已提交。").wait_for()

    inspector.reload()
    inspector.get_by_label("整改合格").check()
    inspector.get_by_role("button", name="保存").click()
    inspector.get_by_text("核查结论已保存。").wait_for()
    assert inspector.get_by_text("整改已核实").count() >= 1

    inspection = Inspection.objects.get(facility=facility)
    [result] = inspection_results_public(facility, inspection.published_on)
    assert (result.findings_count, result.rectification_status) == (1, "verified")
    assert inspection.published_on > inspection.closed_on + dt.timedelta(days=20)

