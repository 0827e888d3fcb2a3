"""Browser test of the complaint channel on a phone-sized viewport (acceptance 1).

An anonymous parent files a complaint with a photo, follows it by its tracking code; the
health officer of the facility's county sees and handles it while the officer of another
county does not; the parent reopens it once after the answer, and after closing says
whether it was solved and how satisfied they are.
"""

from __future__ import annotations

import re

import pytest

from tests.complaints.conftest import jpeg_with_exif
from tests.e2e.conftest import login
from tests.factories import (
    FacilityFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    division,
)
from tuoyu.core.text import normalize_search

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PASSWORD = "pass-1234"


def _officer(username, code, name):
    org = OrganizationFactory(kind="health", name=name, division=division(code), level="county",
                              credit_code=None, industry=None, ownership_type="", headcount=None)
    user = UserFactory(username=username, password=PASSWORD)
    MembershipFactory(user=user, organization=org, role="health_officer")
    return user


def _officer_page(new_page, username, next_url):
    page = new_page()
    page.set_viewport_size(PHONE)
    login(page, username, PASSWORD, next_url=next_url)
    return page


def _act(page, button, answer=""):
    if answer:
        page.fill("#id_answer", answer)
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_anonymous_complaint_with_photo_to_satisfaction_on_a_phone(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    provider = OrganizationFactory(kind="provider", name="海淀托育服务有限公司", division=division("110108"))
    FacilityFactory(operator=provider, filing_status="filed", name="阳光宝贝托育中心",
                    name_search=normalize_search("阳光宝贝托育中心"))
    _officer("hana", "110108", "海淀区卫生健康委员会")
    _officer("chen", "110105", "朝阳区卫生健康委员会")

    parent = new_page()
    parent.set_viewport_size(PHONE)
    parent.goto("/complaints/")
    parent.fill("#id_search_q", "阳光宝贝")
    with parent.expect_navigation():
        parent.get_by_role("button", name="搜索").click()
    parent.get_by_label(re.compile("阳光宝贝托育中心")).check()
    parent.select_option("#id_category", "safety")
    parent.fill("#id_description", "午睡室的窗户没有护栏，老师说报修两周了还没处理。")
    parent.set_input_files("#id_files", {"name": "window.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif()})
    parent.check("#id_consent")
    with parent.expect_navigation():
        parent.get_by_role("button", name="提交投诉").click()
    code = parent.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{12}", code)
    with parent.expect_navigation():
        parent.click("#status-link")
    assert parent.locator("#complaint-status").inner_text() == "已收到"
    status_url = parent.url

    other = _officer_page(new_page, "chen", "/complaints/office/")
    assert code not in other.content()

    officer = _officer_page(new_page, "hana", "/complaints/office/")
    with officer.expect_navigation():
        officer.get_by_role("link", name=code).click()
    assert officer.get_by_role("link", name="window.jpg").is_visible()
    detail_url = officer.url
    assert other.goto(detail_url).status == 404
    _act(officer, "受理")
    _act(officer, "开始调查")
    _act(officer, "答复", answer="已责令机构三日内加装窗户护栏。")

    parent.goto(status_url)
    assert parent.locator("#complaint-status").inner_text() == "已答复"
    assert "加装窗户护栏" in parent.locator("#public-answer").inner_text()
    parent.fill("#id_reason", "护栏仍未安装。")
    with parent.expect_navigation():
        parent.get_by_role("button", name="申请重新办理").click()
    assert parent.locator("#complaint-status").inner_text() == "调查处理中"

    officer.goto(detail_url)
    _act(officer, "答复", answer="经复查，护栏已于今日安装完毕。")
    _act(officer, "办结")

    parent.goto(status_url)
    assert parent.locator("#complaint-status").inner_text() == "已办结"
    parent.get_by_label("已解决").check()
    parent.get_by_label("4", exact=True).check()
    with parent.expect_navigation():
        parent.get_by_role("button", name="提交评价").click()
    assert "满意度 4/5" in parent.content()
