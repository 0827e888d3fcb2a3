"""Yearly re-assessment through the pages: the named employer files its yearly report (the
counts prefilled from the registry) declaring a safety incident; the national union
officer runs the rules, sees the unit flagged DES-R03 and withdraws the designation with a
public reason; a visitor sees it withdrawn, with the date and reason, on the yearly list
and on the certificate."""

from __future__ import annotations

import pytest

from tests.conftest import _official, org_of
from tests.designation.conftest import make_campaign
from tests.designation.reassessment_support import named_unit
from tests.e2e.conftest import login
from tuoyu.core.dates import local_today
from tuoyu.designation.models import DesignationWithdrawal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234"


def _post(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_a_flagged_unit_is_withdrawn_and_the_portal_says_so(new_page, alice):
    acftu = _official(None, "acftu", "union_officer", "union", "中华全国总工会", "110000", "national")
    campaign = make_campaign(acftu)
    unit = named_unit(alice, campaign)
    year = local_today().year

    employer = new_page()
    login(employer, "alice", PASSWORD, next_url="/designation/")
    employer.get_by_role("link", name="本单位命名与年度报告").first.click()
    employer.get_by_role("link", name="填报年度报告").click()
    assert employer.get_by_label("在托婴幼儿数").input_value() == "5"
    assert employer.get_by_label("其中职工子女数").input_value() == "4"
    employer.get_by_label("本年度发生安全事故或不良事件").check()
    employer.get_by_label("事故或事件说明").fill("一名幼儿在户外活动时摔伤")
    _post(employer, "报送年度报告")
    employer.get_by_text("年度报告已报送。").wait_for()

    officer = new_page()
    login(officer, "acftu", PASSWORD, next_url="/designation/")
    officer.get_by_role("link", name="命名单位年度复核").click()
    officer.goto(f"/designation/reassessment/?year={year}&flagged=1")
    row = officer.get_by_role("row").filter(has_text=unit.certificate_number)
    row.get_by_text("DES-R03").wait_for()
    row.get_by_role("link", name=unit.certificate_number).click()
    officer.get_by_label("撤销理由（公开）").fill("本年度发生安全事故，不再符合命名条件")
    _post(officer, "撤销命名")
    officer.get_by_text("已撤销命名。").wait_for()
    assert DesignationWithdrawal.objects.get(designation=unit).withdrawn_by == acftu

    visitor = new_page()
    visitor.goto(f"/designation/named/{year}/")
    row = visitor.get_by_role("row").filter(has_text=unit.certificate_number)
    row.get_by_text(f"已于 {local_today():%Y-%m-%d} 撤销命名").wait_for()
    row.get_by_text("本年度发生安全事故，不再符合命名条件").wait_for()
    assert row.get_by_text(org_of(alice).name).count() == 1
    row.get_by_role("link", name=unit.certificate_number).click()
    visitor.get_by_text("本证书不再有效").wait_for()
