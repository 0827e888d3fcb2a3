"""Acceptance (issue 2, item 2): an employer edits, checks and submits a facility; the county
health officer files it; officers of other counties cannot see it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, division
from tuoyu.core.demo import DEMO_PASSWORD, demo_build
from tuoyu.facilities.models import Facility

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DRAFT = "中关村智联职工托育中心"


def _chaoyang_officer():
    """A health officer of 朝阳区 (110105): same province as 海淀, another county."""
    org = OrganizationFactory(kind="health", name="朝阳区卫生健康委员会", division=division("110105"),
                              level="county", credit_code=None, industry=None, ownership_type="",
                              headcount=None)
    user = UserFactory(username="chaoyang-officer", password="pass-1234")
    MembershipFactory(user=user, organization=org, role="health_officer")
    return user


def test_employer_submits_and_county_officer_files_while_other_counties_cannot_see_it(new_page):
    demo_build(facilities=["fac-bj-zhilian-main", "fac-bj-zhilian-wdk", "fac-sh-park"])
    _chaoyang_officer()
    facility = Facility.objects.get(name=DRAFT)
    assert facility.filing_status == "draft"

    # The employer of 海淀 edits the facility, runs the check and submits.
    employer = new_page()
    login(employer, "employer-bj", DEMO_PASSWORD)
    employer.get_by_role("link", name=DRAFT).click()
    employer.get_by_role("link", name="修改机构信息").click()
    employer.fill("#id_contact_phone", "010-62345678")
    employer.get_by_role("button", name="保存").click()
    employer.get_by_text("已保存。").wait_for()
    employer.get_by_role("link", name="合规检查").click()
    employer.get_by_role("heading", name="合规检查").wait_for()
    assert employer.get_by_text("将阻止提交备案").count() == 0
    employer.get_by_role("link", name=DRAFT).click()
    employer.get_by_role("link", name="提交备案").click()
    employer.locator("main form button[type=submit]").click()
    employer.get_by_text("已提交备案").wait_for()
    facility.refresh_from_db()
    assert facility.filing_status == "submitted"
    assert facility.contact_phone == "010-62345678"

    # Officers of other counties: not in their queue, and the review page is a 404.
    for username, password in [("health-sh", DEMO_PASSWORD), ("chaoyang-officer", "pass-1234")]:
        other = new_page()
        login(other, username, password, next_url="/facilities/queue/")
        assert other.get_by_role("link", name=DRAFT).count() == 0
        response = other.goto(f"/facilities/{facility.pk}/review/")
        assert response.status == 404

    # The 海淀 health officer finds it in the queue and files it.
    officer = new_page()
    login(officer, "health-bj", DEMO_PASSWORD, next_url="/facilities/queue/")
    officer.get_by_role("link", name=DRAFT).click()
    officer.get_by_role("button", name="予以备案").click()
    officer.get_by_text("回执编号").first.wait_for()
    facility.refresh_from_db()
    assert facility.filing_status == "filed"
    assert facility.receipt_number.startswith("备110108")
