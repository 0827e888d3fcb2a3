"""The register version by province (disclosure.cache, ADR 0041 fourth round): a write ends
the kept searches of its own province and the national ones, and leaves the others kept."""

from __future__ import annotations

from types import SimpleNamespace

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.disclosure.conftest import filed
from tests.factories import EnrolmentFactory, OrganizationFactory, division
from tuoyu.audit.services import audit_record
from tuoyu.disclosure import cache as search_cache
from tuoyu.facilities.models import FacilityService

SEARCH = "disclosure:search"
API_LIST = "/api/v1/public/facilities/"


def queries_of(client, path=None, **params):
    """Number of database queries of one anonymous GET of the search page (or ``path``)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path or reverse(SEARCH), params)
    assert response.status_code == 200
    return len(captured)


def test_write_in_another_province_keeps_a_kept_search(client, register):
    queries_of(client, province="310000")
    filed("海淀新开托育点", number=61)
    assert queries_of(client, province="310000") == 0


def test_enrolment_in_another_province_keeps_a_kept_search(client, register):
    queries_of(client, province="310000")
    EnrolmentFactory(facility=register["chaoyang"])
    assert queries_of(client, province="310000") == 0


def test_write_in_the_province_ends_its_kept_search(client, register):
    queries_of(client, province="310000")
    filed("浦东新开托育点", code="310115", number=62)
    assert queries_of(client, province="310000") > 0


def test_write_in_a_county_ends_the_kept_search_of_its_province(client, register):
    queries_of(client, county="310115")
    FacilityService.objects.create(facility=register["pudong"], service_type="half_day")
    assert queries_of(client, county="310115") > 0


def test_any_write_ends_the_kept_national_search(client, register):
    queries_of(client, q="托育")
    filed("浦东又一家托育点", code="310115", number=63)
    assert queries_of(client, q="托育") > 0


def test_moving_a_facility_ends_the_kept_search_of_its_old_province(client, register):
    queries_of(client, province="310000")
    pudong = register["pudong"]
    pudong.division = division("110108")
    pudong.save()
    body = client.get(reverse(SEARCH), {"province": "310000"}).content.decode()
    assert "浦东新区托育中心" not in body


def test_moving_a_facility_by_its_update_fields_ends_its_old_province(register):
    before = search_cache.register_version("31")
    pudong = register["pudong"]
    pudong.division = division("110108")
    pudong.save(update_fields=["division"])
    assert search_cache.register_version("31") != before


def test_deleted_service_ends_the_kept_search_of_its_province(client, register):
    queries_of(client, province="310000", service_type="full_day")
    register["pudong"].services.all().delete()
    body = client.get(reverse(SEARCH), {"province": "310000", "service_type": "full_day"}).content.decode()
    assert "浦东新区托育中心" not in body


def test_new_organisation_keeps_every_kept_search(register):
    before = search_cache.register_version("31"), search_cache.register_version("")
    OrganizationFactory(division=division("310115"))
    assert (search_cache.register_version("31"), search_cache.register_version("")) == before


def test_renamed_operator_ends_the_kept_searches_of_its_facilities_province(register):
    beijing, shanghai = search_cache.register_version("11"), search_cache.register_version("31")
    operator = register["pudong"].operator
    operator.name = "浦东新名称"
    operator.save()
    assert (search_cache.register_version("31") != shanghai, search_cache.register_version("11")) == (
        True, beijing,
    )


def test_renamed_organisation_of_no_facility_keeps_every_kept_search(register):
    other = OrganizationFactory(division=division("310115"))
    before = search_cache.register_version("31"), search_cache.register_version("")
    other.name = "无关单位新名称"
    other.save()
    assert (search_cache.register_version("31"), search_cache.register_version("")) == before


def test_deleted_organisation_ends_every_kept_search(register):
    other = OrganizationFactory(division=division("110108"))
    before = search_cache.register_version("31")
    other.delete()
    assert search_cache.register_version("31") != before


def test_audit_event_of_a_facility_ends_its_province_only(register):
    beijing, shanghai = search_cache.register_version("11"), search_cache.register_version("31")
    audit_record(actor=None, action="facility.update", obj=register["union"])
    assert (search_cache.register_version("11") != beijing, search_cache.register_version("31")) == (
        True, shanghai,
    )


def test_audit_event_of_a_service_ends_its_facilitys_province(register):
    before = search_cache.register_version("31")
    service = register["pudong"].services.first()
    audit_record(actor=None, action="facility.service.update", obj=service)
    assert search_cache.register_version("31") != before


def test_import_audit_event_ends_every_province(register):
    before = search_cache.register_version("31")
    run = SimpleNamespace(pk="0" * 64, _meta=SimpleNamespace(label_lower="facilities.import"))
    audit_record(actor=None, action="facility.import", obj=run)
    assert search_cache.register_version("31") != before


def test_sponsor_added_ends_the_facilitys_province_only(register):
    sponsor = OrganizationFactory(division=division("110108"))
    beijing, shanghai = search_cache.register_version("11"), search_cache.register_version("31")
    register["union"].sponsors.add(sponsor)
    assert (search_cache.register_version("11") != beijing, search_cache.register_version("31")) == (
        True, shanghai,
    )


def test_sponsor_added_from_the_organisation_side_ends_the_facilitys_province(register):
    sponsor = OrganizationFactory(division=division("310115"))
    beijing, shanghai = search_cache.register_version("11"), search_cache.register_version("31")
    sponsor.sponsored_facilities.add(register["union"])
    assert (search_cache.register_version("11") != beijing, search_cache.register_version("31")) == (
        True, shanghai,
    )


def test_write_in_another_province_keeps_a_kept_api_page(client, register):
    queries_of(client, API_LIST, province="310000")
    filed("海淀再开托育点", number=64)
    assert queries_of(client, API_LIST, province="310000") == 0


def test_write_in_the_province_ends_a_kept_api_page(client, register):
    before = client.get(API_LIST, {"province": "310000"}).json()["count"]
    filed("浦东再开托育点", code="310115", number=65)
    assert client.get(API_LIST, {"province": "310000"}).json()["count"] == before + 1


def test_api_county_alone_is_kept_under_its_province(client, register):
    queries_of(client, API_LIST, county="310115")
    filed("海淀第四托育点", number=66)
    assert queries_of(client, API_LIST, county="310115") == 0


def test_place_prefixes_of_one_province_share_its_version(register):
    assert search_cache.register_version("31") == search_cache.register_version("310115")


def test_national_and_province_versions_differ(register):
    assert search_cache.register_version("") != search_cache.register_version("31")


def test_query_whose_checked_place_differs_is_never_served_stale(client, register):
    # "11x" reads as province 11 before checking and as no province after (an error): the
    # page lists the whole country, so a write in Shanghai must show on it at once.
    params = {"q": "托育", "province": "11x"}
    before = client.get(reverse(SEARCH), params).content.decode().count("<tr>")
    filed("浦东第五托育点", code="310115", number=67)
    after = client.get(reverse(SEARCH), params).content.decode().count("<tr>")
    assert after == before + 1


def test_kept_whole_page_is_served_before_the_form_is_built(client, register, monkeypatch):
    client.get(reverse(SEARCH), {"province": "310000"})
    from tuoyu.disclosure import views

    def refuse(*args, **kwargs):
        raise AssertionError("the form was built")

    monkeypatch.setattr(views, "PortalSearchForm", refuse)
    assert client.get(reverse(SEARCH), {"province": "310000"}).status_code == 200


HUGE_PAGE = "99999999999999999999999"


def test_search_page_beyond_any_offset_shows_the_last_page(client, register):
    response = client.get(reverse(SEARCH), {"q": "托育", "page": HUGE_PAGE})
    assert response.status_code == 200 and "浦东新区托育中心" in response.content.decode()


def test_api_page_beyond_any_offset_is_past_the_end(client, register):
    response = client.get(API_LIST, {"page": HUGE_PAGE})
    assert (response.status_code, response.json()["code"]) == (404, "API-004")


def test_api_page_of_a_digit_that_is_no_number_is_a_malformed_page(client, register):
    response = client.get(API_LIST, {"page": "²"})
    assert (response.status_code, response.json()["code"]) == (400, "API-013")
