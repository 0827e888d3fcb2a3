"""The public register in the browser: it renders, traditional characters find a simplified
name, and the language switch turns the page to English."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.factories import FacilityFactory
from tuoyu.facilities.selectors import facility_search_key

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")


def _filed(name: str, number: int):
    return FacilityFactory(
        name=name, name_search=facility_search_key(name), filing_status="filed",
        receipt_number=f"备110108202600{number:03d}", filed_on=date(2026, 3, 2),
    )


@pytest.fixture
def register():
    """Two filed facilities and one draft (which must never show)."""
    _filed("海淀爱心联合托育中心", 1)
    _filed("中关村宝贝托育园", 2)
    FacilityFactory(name="海淀草稿托育室", name_search=facility_search_key("海淀草稿托育室"))


def test_public_register_lists_filed_facilities_only(new_page, register):
    page = new_page()
    page.goto("/facilities/public/")
    assert page.get_by_role("link", name="海淀爱心联合托育中心").count() == 1
    assert page.get_by_role("link", name="中关村宝贝托育园").count() == 1
    assert page.get_by_text("海淀草稿托育室").count() == 0


def test_public_search_in_traditional_characters_finds_the_simplified_name(new_page, register):
    page = new_page()
    page.goto("/facilities/public/")
    page.fill("#id_q", "聯合托育")
    page.locator("form.search button[type=submit]").click()
    page.wait_for_url(re.compile(r"q="))
    assert page.get_by_role("link", name="海淀爱心联合托育中心").count() == 1
    assert page.get_by_role("link", name="中关村宝贝托育园").count() == 0


def test_language_switch_shows_the_page_in_english(new_page, register, tmp_path):
    page = new_page()
    page.goto("/facilities/public/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.select_option("#lang-select", "en")
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    heading = page.locator("h1").inner_text()
    assert heading and not CJK.search(heading), heading
    page.screenshot(path=str(tmp_path / "public-en.png"), full_page=True)
