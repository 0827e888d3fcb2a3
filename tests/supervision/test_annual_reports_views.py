"""Annual-report pages (年报): list, create, save and submit, review; scoping and navigation."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import org_of
from tests.factories import FacilityFactory
from tests.supervision.annual_report_support import TODAY, submitted
from tuoyu.core.templatetags.platform_nav import module_nav
from tuoyu.standards.selectors import CLASS_TYPES
from tuoyu.supervision.annual_report_checks import MONTHS, ROLES
from tuoyu.supervision.annual_report_workflow import AnnualReportStatus
from tuoyu.supervision.annual_reports import annual_report_create
from tuoyu.supervision.models import AnnualReport

NOW = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def facility(otto):
    return FacilityFactory(operator=org_of(otto), filing_status="filed", name="海淀爱心托育")


@pytest.fixture
def report(facility, otto):
    return annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)


def form_data(**extra) -> dict:
    data = {f"e_{t}_{m}": 0 for t in CLASS_TYPES for m in MONTHS}
    data |= {f"s_{r}_{c}": 0 for r in ROLES for c in ("count", "trained", "health_certificate_valid")}
    data |= {"incidents_count": 0, "income": "1000.00", "spending": "900.00", "complaints_count": 0}
    return data | extra


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("supervision:annual_report_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_operator_starts_a_report_from_the_list(client, otto, facility):
    client.force_login(otto)
    page = client.get(reverse("supervision:annual_report_list"))
    assert "海淀爱心托育" in page.content.decode()
    response = client.post(reverse("supervision:annual_report_create", args=[facility.pk]), {"year": 2025})
    report = AnnualReport.objects.get()
    assert response["Location"] == reverse("supervision:annual_report_detail", args=[report.pk])


def test_another_employer_cannot_start_the_report(client, alice, facility):
    client.force_login(alice)
    response = client.post(reverse("supervision:annual_report_create", args=[facility.pk]), {"year": 2025})
    assert response.status_code == 404 and not AnnualReport.objects.exists()


def test_operator_saves_and_submits_from_the_form(client, otto, report):
    client.force_login(otto)
    url = reverse("supervision:annual_report_detail", args=[report.pk])
    response = client.post(url, form_data(submit="1"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.SUBMITTED and str(report.income) == "1000.00"


def test_incomplete_report_is_saved_but_not_submitted(client, otto, report):
    client.force_login(otto)
    url = reverse("supervision:annual_report_detail", args=[report.pk])
    response = client.post(url, form_data(income="", submit="1"))
    assert response.status_code == 200 and "SUP-053" not in response.content.decode()
    assert "收入（元）" in response.content.decode()
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.DRAFT and report.spending is not None


def test_officer_sees_findings_with_rule_codes(client, hana, report):
    client.force_login(hana)
    page = client.get(reverse("supervision:annual_report_detail", args=[report.pk])).content.decode()
    assert "ANR-REQUIRED" in page and "第三十八条" in page


def test_officer_returns_a_report_with_a_reason(client, hana, otto, report):
    submitted(report, otto)
    client.force_login(hana)
    client.post(reverse("supervision:annual_report_review", args=[report.pk]),
                {"decision": "return", "note": "请核对支出"})
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.RETURNED and report.officer_note == "请核对支出"


def test_operator_may_not_accept_its_own_report(client, otto, report):
    submitted(report, otto)
    client.force_login(otto)
    response = client.post(reverse("supervision:annual_report_review", args=[report.pk]), {"decision": "accept"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.SUBMITTED


def test_officer_may_not_edit_the_figures(client, hana, report):
    client.force_login(hana)
    response = client.post(reverse("supervision:annual_report_detail", args=[report.pk]), form_data())
    assert response.status_code == 403


def test_officer_of_another_county_gets_not_found(client, chen, report):
    client.force_login(chen)
    assert client.get(reverse("supervision:annual_report_detail", args=[report.pk])).status_code == 404


def test_officer_of_another_county_sees_no_facility_in_the_list(client, chen, report):
    client.force_login(chen)
    page = client.get(reverse("supervision:annual_report_list") + "?year=2025").content.decode()
    assert "海淀爱心托育" not in page


def test_officer_list_shows_missing_after_the_deadline(client, hana, facility):
    with time_machine.travel(dt.datetime(2026, 4, 2, 4, tzinfo=dt.UTC), tick=False):
        client.force_login(hana)
        page = client.get(reverse("supervision:annual_report_list") + "?year=2025").content.decode()
    assert "海淀爱心托育" in page and "未报送" in page


def test_union_officer_may_not_open_the_list(client, una):
    client.force_login(una)
    assert client.get(reverse("supervision:annual_report_list")).status_code == 403


def test_navigation_shows_annual_reports_to_the_roles_that_use_them(hana, otto, alice, una):
    assert [module_nav(u)["annual_reports"] for u in (hana, otto, alice, una)] == [True, True, True, False]


def test_pages_are_complete_in_english(client, otto, hana, report):
    submitted(report, otto)
    client.force_login(hana)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("supervision:annual_report_detail", args=[report.pk])).content.decode()
    assert "annual report" in page.lower()
    for chinese in ("年报记录", "审核年报", "各班型月末在托人数", "报送截止日期"):
        assert chinese not in page



def test_officer_list_queries_do_not_grow_with_the_facilities(client, hana, otto):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("supervision:annual_report_list") + "?year=2025").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(hana)
    for _ in range(2):
        annual_report_create(
            actor=otto, facility=FacilityFactory(operator=org_of(otto), filing_status="filed"), year=2025,
            today=TODAY,
        )
    few = queries()
    for _ in range(4):
        annual_report_create(
            actor=otto, facility=FacilityFactory(operator=org_of(otto), filing_status="filed"), year=2025,
            today=TODAY,
        )
    assert queries() == few


def test_operator_without_filed_facilities_sees_an_empty_list(client, otto):
    FacilityFactory(operator=org_of(otto), filing_status="draft")
    client.force_login(otto)
    response = client.get(reverse("supervision:annual_report_list"))
    assert response.status_code == 200 and "本单位暂无应报送该年度年报" in response.content.decode()


def test_list_of_a_year_not_ended_offers_no_report_button_and_says_when_it_opens(client, otto, facility):
    client.force_login(otto)
    page = client.get(reverse("supervision:annual_report_list") + "?year=2026").content.decode()
    assert "填报年报" not in page and "2026年度尚未结束，2027-01-01起可填报" in page


def test_list_of_an_ended_year_offers_the_report_button(client, otto, facility):
    client.force_login(otto)
    page = client.get(reverse("supervision:annual_report_list") + "?year=2025").content.decode()
    assert "填报年报" in page and "尚未结束" not in page


def test_creating_a_report_for_a_far_future_year_shows_the_domain_rule_only(client, otto, facility):
    client.force_login(otto)
    response = client.post(
        reverse("supervision:annual_report_create", args=[facility.pk]), {"year": 3000}, follow=True
    )
    page = response.content.decode()
    assert "年报年度须为已结束的年度（2000年至2025年）" in page and "2100" not in page
    assert not AnnualReport.objects.exists()


def test_fees_are_shown_under_a_label_naming_the_unit(client, otto, hana, report):
    report.fees.create(service_type="hourly", monthly_fee="40.00")
    submitted(report, otto)
    client.force_login(hana)
    page = client.get(reverse("supervision:annual_report_detail", args=[report.pk])).content.decode()
    assert "<dt>计时托月收费（元）</dt><dd>40.00</dd>" in page and "元/月" not in page


def test_empty_fee_is_shown_as_a_dash_alone(client, otto, hana, report):
    report.fees.create(service_type="half_day", monthly_fee=None)
    submitted(report, otto)
    client.force_login(hana)
    page = client.get(reverse("supervision:annual_report_detail", args=[report.pk])).content.decode()
    assert "<dt>半日托月收费（元）</dt><dd>—</dd>" in page


def test_enrolment_form_explains_how_the_figures_were_prefilled(client, otto, report):
    client.force_login(otto)
    page = client.get(reverse("supervision:annual_report_detail", args=[report.pk])).content.decode()
    assert "年度结束后才入托的婴幼儿不计入" in page

