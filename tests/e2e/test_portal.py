"""The public portal in the browser: traditional-character search, paging through every
result exactly once, no personal data on a facility page, the CSP, and an axe check of
home, search and facility page with no serious or critical violation."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.factories import EnrolmentFactory, FacilityFactory, StaffMemberFactory
from tuoyu.core.text import normalize_search
from tuoyu.facilities.models import FacilityService

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEVERE = {"serious", "critical"}


def _filed(name: str, number: int, **kwargs):
    facility = FacilityFactory(
        name=name, name_search=normalize_search(name), filing_status="filed",
        receipt_number=f"备110108202601{number:04d}", filed_on=date(2026, 3, 2), **kwargs,
    )
    FacilityService.objects.create(facility=facility, service_type="full_day", monthly_fee=2800)
    return facility


@pytest.fixture
def portal_register():
    """Filed facilities in 海淀 (one with staff and a child) and a draft that must never show."""
    union = _filed("海淀爱心联合托育中心", 1)
    StaffMemberFactory(facility=union, name="王保育员")
    EnrolmentFactory(facility=union, child_ref="CHILD-0042")
    _filed("中关村宝贝托育园", 2)
    FacilityFactory(name="海淀草稿托育室", name_search=normalize_search("海淀草稿托育室"))
    return union


def _severe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"] if v.get("impact") in SEVERE
    ]


def test_search_in_traditional_characters_finds_the_simplified_name(new_page, portal_register):
    page = new_page()
    page.goto("/portal/facilities/")
    page.fill("#id_q", "愛心聯合")
    with page.expect_navigation():
        page.locator("form.search button[type=submit]").click()
    assert "q=" in page.url
    assert page.get_by_role("link", name="海淀爱心联合托育中心").count() == 1
    assert page.get_by_role("link", name="中关村宝贝托育园").count() == 0


def test_paging_through_a_filter_visits_every_facility_exactly_once(new_page, portal_register):
    for n in range(43):
        _filed(f"海淀托育点{n % 7}", 100 + n)  # repeated names: only the id tie-breaker orders them
    page = new_page()
    page.goto("/portal/facilities/?province=110000&sort=name&q=%E6%89%98%E8%82%B2")
    count = int(re.search(r"\d+", page.locator(".result-count").inner_text()).group())
    seen = []
    while True:
        seen += [
            link.get_attribute("href")
            for link in page.locator("table tbody td:first-child a").all()
        ]
        following = page.locator("a[rel=next]")
        if not following.count():
            break
        with page.expect_navigation():
            following.click()
        assert "province=110000" in page.url and "sort=name" in page.url
    assert len(seen) == len(set(seen)) == count == 45


def test_facility_page_shows_no_personal_data(new_page, portal_register):
    page = new_page()
    page.goto(f"/portal/facilities/{portal_register.pk}/")
    text = page.locator("main").inner_text()
    assert "海淀爱心联合托育中心" in text
    assert "王保育员" not in text and "CHILD-0042" not in text and "2025-01-15" not in text


def test_pages_send_a_strict_csp_and_have_no_inline_script(new_page, portal_register):
    page = new_page()
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("[style]").count() == 0


@pytest.mark.parametrize("path", ["/", "/portal/facilities/?q=托育", "facility", "/portal/open-data/"])
def test_axe_finds_no_serious_or_critical_violation(new_page, portal_register, path):
    page = new_page()
    page.goto(f"/portal/facilities/{portal_register.pk}/" if path == "facility" else path)
    assert _severe(page) == []


def test_axe_passes_in_english_too(new_page, portal_register):
    page = new_page(locale="en-US")
    page.goto("/portal/facilities/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert _severe(page) == []
