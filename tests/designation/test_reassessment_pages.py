"""Pages of the yearly re-assessment: officers' list and review, employers' reports."""

from __future__ import annotations

import pytest

from tests.designation.reassessment_support import named_unit
from tuoyu.core.dates import local_today
from tuoyu.designation import reassessment as svc
from tuoyu.designation.models import DesignationReport, DesignationWithdrawal

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(alice, campaign):
    """alice's named unit (80 % own-staff children)."""
    return named_unit(alice, campaign)


def _cancel_filing(unit):
    facility = unit.application.facility
    facility.filing_status = "cancelled"
    facility.save(update_fields=["filing_status"])


def test_officer_list_shows_flagged_units_first(client, acftu, alice, bob, campaign):
    good = named_unit(bob, campaign)
    bad = named_unit(alice, campaign)
    _cancel_filing(bad)
    client.force_login(acftu)
    year = local_today().year
    client.post(f"/designation/reassessment/?year={year}", {"action": "run", "year": year})
    page = client.get(f"/designation/reassessment/?year={year}").content.decode()
    assert page.index(bad.certificate_number) < page.index(good.certificate_number)
    assert "DES-R01" in page


def test_flagged_filter_hides_units_that_still_qualify(client, acftu, alice, bob, campaign):
    good = named_unit(bob, campaign)
    bad = named_unit(alice, campaign)
    _cancel_filing(bad)
    year = local_today().year
    svc.reassess_year(actor=acftu, year=year)
    client.force_login(acftu)
    page = client.get(f"/designation/reassessment/?year={year}&flagged=1").content.decode()
    assert bad.certificate_number in page and good.certificate_number not in page


@pytest.mark.parametrize("persona", ["shunion", "alice"])
def test_others_may_not_open_the_reassessment_list(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/designation/reassessment/").status_code == 403


def test_officer_withdraws_on_the_review_page(client, acftu, unit):
    client.force_login(acftu)
    response = client.post(f"/designation/designations/{unit.pk}/review/",
                           {"reason": "托育机构已停止运营"})
    assert response.status_code == 302
    assert DesignationWithdrawal.objects.get(designation=unit).reason == "托育机构已停止运营"


def test_review_page_refuses_an_empty_reason(client, acftu, unit):
    client.force_login(acftu)
    response = client.post(f"/designation/designations/{unit.pk}/review/", {"reason": ""})
    assert response.status_code == 400
    assert not DesignationWithdrawal.objects.exists()


def test_other_province_officer_cannot_open_the_review_page(client, shunion, unit):
    client.force_login(shunion)
    assert client.post(f"/designation/designations/{unit.pk}/review/",
                       {"reason": "x"}).status_code == 404
    assert not DesignationWithdrawal.objects.exists()


def test_employer_report_form_is_prefilled_from_the_registry(client, alice, unit):
    client.force_login(alice)
    page = client.get(f"/designation/designations/{unit.pk}/reports/{local_today().year}/")
    html = page.content.decode()
    assert 'name="enrolled" value="5"' in html and 'name="own_staff_children" value="4"' in html


def test_employer_files_the_report_on_the_page(client, alice, unit):
    client.force_login(alice)
    year = local_today().year
    response = client.post(f"/designation/designations/{unit.pk}/reports/{year}/", {
        "still_operating": "on", "enrolled": "5", "own_staff_children": "4",
        "highest_monthly_fee": "1800", "narrative": "运行良好"})
    assert response.status_code == 302
    assert DesignationReport.objects.get(designation=unit, year=year).narrative == "运行良好"


def test_another_employer_cannot_open_the_report_page(client, bob, unit):
    client.force_login(bob)
    assert client.get(
        f"/designation/designations/{unit.pk}/reports/{local_today().year}/").status_code == 404


def test_employer_page_lists_the_years_to_report(client, alice, unit):
    client.force_login(alice)
    page = client.get("/designation/mine/").content.decode()
    assert unit.certificate_number in page
    assert f"/designation/designations/{unit.pk}/reports/{local_today().year}/" in page


def test_campaign_list_links_officers_to_the_reassessment(client, acftu):
    client.force_login(acftu)
    assert "/designation/reassessment/" in client.get("/designation/").content.decode()


def test_reassessment_list_queries_do_not_grow_with_units(client, acftu, alice, bob, campaign,
                                                           django_assert_max_num_queries):
    named_unit(alice, campaign)
    named_unit(bob, campaign)
    client.force_login(acftu)
    with django_assert_max_num_queries(12):
        client.get(f"/designation/reassessment/?year={local_today().year}")


def test_review_page_shows_reports_and_findings(client, alice, acftu, unit):
    svc.report_file(actor=alice, designation=unit, year=local_today().year, narrative="运行良好")
    client.force_login(acftu)
    page = client.get(f"/designation/designations/{unit.pk}/review/").content.decode()
    assert "运行良好" in page and "DES-R04" in page


def test_pages_render_in_english(client, alice, acftu, unit):
    svc.report_file(actor=alice, designation=unit, year=local_today().year)
    svc.designation_withdraw(actor=acftu, designation=unit, reason="Facility closed")
    client.force_login(acftu)
    page = client.get(f"/designation/designations/{unit.pk}/review/",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Withdrawn on" in page


def test_yearly_list_queries_do_not_grow_with_withdrawn_units(client, acftu, alice, bob, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = named_unit(alice, campaign)
    svc.designation_withdraw(actor=acftu, designation=first, reason="托育机构已停止运营")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/designation/named/{campaign.year}/")
    from tests.conftest import _persona
    from tests.factories import division

    others = [_persona(None, f"emp{i}", "employer_admin",
                       {"name": f"第{i}科技", "division": division("110108")}) for i in (2, 3)]
    for owner in (bob, *others):
        svc.designation_withdraw(actor=acftu, designation=named_unit(owner, campaign),
                                 reason="托育机构已停止运营")
    with CaptureQueriesContext(connection) as four:
        page = client.get(f"/designation/named/{campaign.year}/").content.decode()
    assert page.count("撤销命名") == 4
    assert len(four) == len(one)
