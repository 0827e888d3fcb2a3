"""Browser test (issue 6, the draw part): on a phone-sized viewport a health officer makes
a plan, freezes and publishes the lists, draws with a published seed, verifies the draw,
and is refused a re-draw without a reason."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login
from tests.factories import (
    FacilityFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    division,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pass-1234"


def _haidian():
    commission = OrganizationFactory(
        kind="health", name="海淀区卫生健康委员会", division=division("110108"), level="county",
        credit_code=None, industry=None, ownership_type="", headcount=None,
    )
    officer = UserFactory(username="officer", password=PASSWORD)
    MembershipFactory(user=officer, organization=commission, role="health_officer")
    for k in range(3):
        MembershipFactory(user=UserFactory(username=f"inspector{k}"), organization=commission, role="inspector")
    provider = OrganizationFactory(kind="provider", division=division("110108"))
    for _ in range(10):
        FacilityFactory(operator=provider, filing_status="filed")
    return officer


def test_officer_plans_freezes_draws_and_verifies_on_a_phone(new_page):
    _haidian()
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, "officer", PASSWORD, next_url="/supervision/plans/")
    page.get_by_role("link", name="新建抽查计划").click()
    page.get_by_label("计划名称").fill("2026年双随机抽查")
    page.get_by_label("年度").fill("2026")
    page.get_by_label("抽查数量").fill("2")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("heading", name="2026 2026年双随机抽查").wait_for()

    page.get_by_role("button", name="冻结并公布名录").click()
    page.get_by_text("名录已冻结并公布。").wait_for()

    page.get_by_role("link", name="抽取", exact=True).click()
    page.get_by_label("随机种子").fill("福彩3D 2026338 478")
    page.get_by_role("button", name="抽取").click()
    page.get_by_role("heading", name="有效的抽取结果", exact=False).wait_for()
    assert page.locator("table tbody tr").count() == 2

    page.get_by_role("link", name="复核").click()
    page.get_by_text("复核一致").wait_for()

    page.get_by_role("link", name="重新抽取").click()
    page.get_by_label("随机种子").fill("another")
    page.get_by_role("button", name="抽取").click()
    page.get_by_text("重新抽取必须填写理由").wait_for()
