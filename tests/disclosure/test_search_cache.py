"""Cached search pages (disclosure.cache): same answers as uncached, never a stale count."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.disclosure.conftest import filed
from tests.factories import EnrolmentFactory
from tuoyu.audit.services import audit_record
from tuoyu.disclosure import cache as search_cache
from tuoyu.disclosure.forms import PlainSelect
from tuoyu.facilities.models import FacilityService
from tuoyu.facilities.services import filing_lift_suspension, filing_suspend

SEARCH = "disclosure:search"
API_LIST = "/api/v1/public/facilities/"


def count(client, **params):
    """The result count the page prints (a page kept whole has no template context)."""
    body = client.get(reverse(SEARCH), params).content.decode()
    return int(re.search(r'class="result-count" role="status">\D*(\d+)', body).group(1))


def row_ids(client, **params):
    """Ids of the facilities the page lists, in order, read from the printed links."""
    body = client.get(reverse(SEARCH), params).content.decode()
    prefix = reverse("disclosure:facility", args=[0])[:-2]
    return [int(pk) for pk in re.findall(rf'<td><a href="{re.escape(prefix)}(\d+)/">', body)]


def api_count(client, **params):
    return client.get(API_LIST, params).json()["count"]


def queries_of(client, **params):
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(SEARCH), params)
    return len(captured)


def test_repeated_search_is_answered_without_the_count_query(client, register):
    first = queries_of(client, q="托育", province="110000")
    assert queries_of(client, q="托育", province="110000") < first


def test_cached_page_has_the_same_rows_and_count(client, register):
    # The same search in another parameter order: another page path, the same kept rows.
    cold = client.get(reverse(SEARCH), {"q": "托育", "province": "110000"}).context
    cold_rows, cold_count = [f.pk for f in cold["facilities"]], cold["count"]
    warm = client.get(reverse(SEARCH), {"province": "110000", "q": "托育"}).context
    assert ([f.pk for f in warm["facilities"]], warm["count"]) == (cold_rows, cold_count)


def test_traditional_spelling_shares_the_cached_page_of_the_simplified(client, register):
    count(client, q="联合托育")
    assert queries_of(client, q="聯合託育") == queries_of(client, q="联合托育")


def test_new_filed_facility_is_counted_at_once(client, register):
    before = count(client, province="110000")
    filed("海淀新开托育点", number=50)
    assert count(client, province="110000") == before + 1


def test_filing_status_change_updates_the_cached_count(client, register):
    before = count(client, q="草稿")
    draft = register["draft"]
    draft.filing_status = "filed"
    draft.save()
    assert (before, count(client, q="草稿")) == (0, 1)


def test_withdrawn_facility_leaves_the_cached_count(client, register):
    before = count(client, province="310000")
    register["pudong"].filing_status = "cancelled"
    register["pudong"].save()
    assert (before, count(client, province="310000")) == (1, 0)


def test_new_fee_updates_a_fee_filtered_count(client, register):
    before = count(client, fee_max="100")
    FacilityService.objects.create(facility=register["union"], service_type="hourly", monthly_fee=50)
    assert count(client, fee_max="100") == before + 1


def test_deleted_service_updates_a_service_filtered_count(client, register):
    before = count(client, service_type="half_day")
    FacilityService.objects.filter(facility=register["union"], service_type="half_day").get().delete()
    assert (before, count(client, service_type="half_day")) == (1, 0)


def test_enrolment_updates_the_free_places_count(client, register):
    facility = register["chaoyang"]
    facility.places_toddler, facility.places_infant, facility.places_older, facility.places_mixed = 1, 0, 0, 0
    facility.save()
    before = count(client, free_places="on", county="110105")
    EnrolmentFactory(facility=facility)
    assert (before, count(client, free_places="on", county="110105")) == (1, 0)


def test_api_list_count_follows_a_write(client, register):
    before = api_count(client, province="110000")
    filed("海淀另一家托育点", number=51)
    assert api_count(client, province="110000") == before + 1


def test_api_list_and_search_page_agree_when_cached(client, register):
    count(client, q="托育")
    assert api_count(client, q="托育") == count(client, q="托育") == 4


def test_facilities_audit_event_replaces_the_version(register):
    # The bulk import writes without model signals but records one such event.
    before = search_cache.register_version()
    run = SimpleNamespace(pk="abc", _meta=SimpleNamespace(label_lower="facilities.import"))
    audit_record(actor=None, action="facility.import", obj=run)
    assert search_cache.register_version() != before


def test_other_audit_events_keep_the_version(register):
    before = search_cache.register_version()
    other = SimpleNamespace(pk="1", _meta=SimpleNamespace(label_lower="surveys.survey"))
    audit_record(actor=None, action="survey.open", obj=other)
    assert search_cache.register_version() == before


def test_version_is_replaced_again_when_the_write_commits(register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        filed("提交后托育点", number=52)
    after_write = search_cache.register_version()
    for callback in callbacks:
        callback()
    assert search_cache.register_version() != after_write


def test_page_stored_under_the_version_read_before_a_write_is_never_served(client, register):
    # A request that read the version, then the old data, stores its page after the write.
    params = {"province": "310000"}
    old_version = search_cache.register_version("31")
    filed("浦东第二托育点", code="310115", number=53)
    from tuoyu.disclosure.selectors import public_facilities

    stale_key = search_cache.page_key(old_version, public_facilities(params).search_key, 20, 1)
    search_cache.page_set(stale_key, 1, [register["pudong"].pk])
    assert count(client, **params) == 2


def test_lost_version_starts_a_new_one(client, register):
    count(client, province="110000")
    from django.core.cache import cache

    cache.delete(search_cache.VERSION_KEY)
    filed("海淀第三托育点", number=54)
    cache.delete(search_cache.VERSION_KEY)
    assert count(client, province="110000") == 4


def test_empty_result_is_cached_as_zero(client, register):
    assert count(client, q="不存在的机构") == 0
    assert queries_of(client, q="不存在的机构") < queries_of(client, q="不存在的机构二")


def test_later_pages_are_cached_separately(client, register):
    for n in range(25):
        filed(f"北京托育{n:02d}", number=400 + n)
    params = {"province": "110000", "sort": "name"}
    first = row_ids(client, **params, page=1)
    second = row_ids(client, **params, page=2)
    again = row_ids(client, **params, page=2)
    assert (len(first), len(second), second) == (20, 8, again)
    assert not set(first) & set(second)


@pytest.mark.parametrize("value", ["", "b", "c"])
def test_plain_select_marks_only_the_chosen_option(value):
    widget = PlainSelect(choices=[("", "全部"), ("b", "乙<"), ("c", "丙")])
    html = widget.render("x", value)
    assert html.count(" selected") == 1
    assert f'<option value="{value}" selected>' in html
    assert "乙&lt;" in html


def test_plain_select_without_a_known_value_marks_nothing():
    widget = PlainSelect(choices=[("", "全部"), ("b", "乙")])
    assert " selected" not in widget.render("x", "zzz")


def test_cached_results_table_follows_the_language(client, register):
    client.get(reverse(SEARCH), {"province": "110000"})
    body = client.get(reverse(SEARCH), {"province": "110000"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Facility name" in body


def test_cached_search_page_is_the_same_html(client, register):
    params = {"q": "托育", "province": "110000", "sort": "name"}

    def page():  # the language form's CSRF token is masked differently on every response
        body = client.get(reverse(SEARCH), params).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)

    assert page() == page()


def test_api_list_shows_a_renamed_operator_at_once(client, register):
    client.get(API_LIST, {"county": "310115"})
    operator = register["pudong"].operator
    operator.name = "浦东新名称单位"
    operator.save()
    assert client.get(API_LIST, {"county": "310115"}).json()["results"][0]["operator_name"] == "浦东新名称单位"


def test_api_cached_page_keeps_its_links(client, register):
    for n in range(3):
        filed(f"北京链接托育{n}", number=500 + n)
    params = {"province": "110000", "page_size": 2, "page": 2}
    cold = client.get(API_LIST, params).json()
    assert client.get(API_LIST, params).json() == cold
    assert cold["next"] and cold["previous"]


# --- Whole pages kept for visitors without an account ---------------------------------------


def test_repeated_visitor_search_page_makes_no_query(client, register):
    client.get(reverse(SEARCH), {"q": "托育", "province": "110000"})
    assert queries_of(client, q="托育", province="110000") == 0


def test_kept_page_carries_each_visitors_own_csrf_token(register):
    from django.test import Client

    Client().get(reverse(SEARCH), {"province": "110000"})
    visitor = Client(enforce_csrf_checks=True)
    body = visitor.get(reverse(SEARCH), {"province": "110000"}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    switched = visitor.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token,
                                                      "next": reverse(SEARCH)})
    assert switched.status_code == 302


def test_kept_page_never_holds_a_csrf_token(client, register):
    client.get(reverse(SEARCH), {"province": "310000"})
    key = search_cache.html_key(search_cache.register_version("31"), "zh-hans",
                                reverse(SEARCH) + "?province=310000")
    assert 'name="csrfmiddlewaretoken" value="\x00csrf-token\x00"' in search_cache.cache.get(key)


def test_signed_in_officer_is_not_given_the_visitors_page(client, register, bjhealth):
    client.get(reverse(SEARCH), {"province": "110000"})
    client.force_login(bjhealth)
    body = client.get(reverse(SEARCH), {"province": "110000"}).content.decode()
    assert reverse("facilities:queue") in body


def test_page_with_a_waiting_message_is_not_shared(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import add_message, constants
    from django.contrib.messages.storage.cookie import CookieStorage

    request = rf.get(reverse(SEARCH))
    request.user, request._messages = AnonymousUser(), CookieStorage(request)
    add_message(request, constants.INFO, "投诉已提交")
    assert search_cache.page_shareable(request) is False


def test_page_without_a_message_is_shared(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.cookie import CookieStorage

    request = rf.get(reverse(SEARCH))
    request.user, request._messages = AnonymousUser(), CookieStorage(request)
    assert search_cache.page_shareable(request) is True


def test_repeated_api_list_is_the_same_body_without_a_query(client, register):
    first = client.get(API_LIST, {"q": "托育", "province": "110000"}).content
    with CaptureQueriesContext(connection) as captured:
        again = client.get(API_LIST, {"q": "托育", "province": "110000"}).content
    assert (again, len(captured)) == (first, 0)


def test_kept_api_body_is_not_served_for_another_media_type(client, register):
    client.get(API_LIST, {"province": "110000"})
    indented = client.get(API_LIST, {"province": "110000"}, HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b"{\n  ")


def test_suspended_facility_leaves_the_cached_search_and_returns_when_lifted(client, register, hana):
    facility = register["union"]
    before = count(client, q="爱心联合")
    filing_suspend(actor=hana, facility=facility, reason="逾期未整改")
    during = count(client, q="爱心联合")
    filing_lift_suspension(actor=hana, facility=facility, reason="整改已核实")
    assert (before, during, count(client, q="爱心联合")) == (1, 0, 1)
