"""Portal pages: anonymous, filters in the URL, stable paging, published fields only, escaping."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.disclosure.conftest import filed
from tests.factories import EnrolmentFactory, StaffMemberFactory

SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=|\sstyle\s*=", re.I)


def test_home_shows_national_figures_and_the_tile_map(client, register):
    body = client.get(reverse("home")).content.decode()
    assert "<svg" in body
    assert body.count('href="/portal/provinces/') >= 62  # 31 tiles + 31 table rows
    assert "12345" in body


def test_home_map_tiles_carry_a_title(client, register):
    body = client.get(reverse("home")).content.decode()
    assert re.search(r"<a href=\"/portal/provinces/110000/\"><title>北京市: [0-9.]+</title>", body)


def test_search_shows_the_result_count(client, register):
    response = client.get(reverse("disclosure:search"), {"province": "110000"})
    assert response.status_code == 200
    assert response.context["count"] == 3


def test_search_with_traditional_and_full_width_input(client, register):
    response = client.get(reverse("disclosure:search"), {"q": "聯合　托育"[:2] + "托育"})
    assert [f.name for f in response.context["facilities"]] == ["海淀爱心联合托育中心"]


def test_page_links_keep_every_filter(client, register):
    for n in range(25):
        filed(f"北京托育{n:02d}", number=200 + n)
    body = client.get(reverse("disclosure:search"), {
        "province": "110000", "service_type": "full_day", "sort": "name",
    }).content.decode()
    assert "province=110000&amp;service_type=full_day&amp;sort=name&amp;page=2" in body


def test_paging_visits_every_match_exactly_once(client, register):
    for n in range(45):
        filed("同名托育点", number=300 + n)
    params = {"q": "托育", "sort": "name"}
    first = client.get(reverse("disclosure:search"), params).context
    seen = []
    for number in range(1, first["page"].paginator.num_pages + 1):
        seen += [f.pk for f in client.get(reverse("disclosure:search"),
                                           {**params, "page": number}).context["facilities"]]
    assert len(seen) == first["count"] == len(set(seen)) == 49


def test_city_choices_follow_the_province(client, register):
    form = client.get(reverse("disclosure:search"), {"province": "440000"}).context["form"]
    codes = [code for code, _ in form.fields["city"].choices if code]
    assert "440100" in codes
    assert all(code.startswith("44") for code in codes)


def test_municipality_offers_its_districts_without_a_city(client, register):
    form = client.get(reverse("disclosure:search"), {"province": "310000"}).context["form"]
    assert "310115" in [code for code, _ in form.fields["county"].choices]


def test_invalid_fee_shows_an_error_and_keeps_other_filters(client, register):
    response = client.get(reverse("disclosure:search"), {"fee_min": "abc", "province": "310000"})
    assert response.context["form"].errors["fee_min"]
    assert response.context["count"] == 1


def test_facility_page_shows_published_fields(client, register):
    facility = register["union"]
    body = client.get(reverse("disclosure:facility", args=[facility.pk])).content.decode()
    for text in (facility.name, facility.address, facility.operator.name, facility.receipt_number,
                 "2026-03-02", "3000"):
        assert text in body


def test_facility_page_shows_no_staff_and_no_children(client, register):
    facility = register["union"]
    staff = StaffMemberFactory(facility=facility, name="王秘密")
    child = EnrolmentFactory(facility=facility, child_ref="CHILD-SECRET-7")
    body = client.get(reverse("disclosure:facility", args=[facility.pk])).content.decode()
    assert staff.name not in body
    assert child.child_ref not in body
    assert "2025-01-15" not in body  # the child's birth date


def test_facility_page_of_a_draft_is_not_found(client, register):
    assert client.get(reverse("disclosure:facility", args=[register["draft"].pk])).status_code == 404


def test_province_page_lists_counties_with_figures(client, register):
    response = client.get(reverse("disclosure:province", args=["110000"]))
    assert response.status_code == 200
    assert {c.code for c in response.context["counties"]} == {"110108", "110105"}


def test_county_page_links_to_its_search(client, register):
    body = client.get(reverse("disclosure:county", args=["110108"])).content.decode()
    assert "county=110108" in body


def test_county_url_with_a_province_code_is_not_found(client, register):
    assert client.get(reverse("disclosure:county", args=["110000"])).status_code == 404


def test_user_strings_are_escaped(client, register):
    bad = filed('<script>alert("x")</script>托育', number=50)
    body = client.get(reverse("disclosure:facility", args=[bad.pk])).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    body = client.get(reverse("disclosure:search"), {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in body


def test_old_public_list_redirects_with_the_query(client, register):
    response = client.get("/facilities/public/", {"q": "托育", "province": "11"})
    assert response.status_code == 301
    assert response["Location"] == "/portal/facilities/?q=%E6%89%98%E8%82%B2&province=11"


def test_old_public_detail_redirects(client, register):
    pk = register["union"].pk
    response = client.get(f"/facilities/public/{pk}/")
    assert (response.status_code, response["Location"]) == (301, f"/portal/facilities/{pk}/")


@pytest.mark.parametrize("name", ["home", "disclosure:search", "disclosure:open_data"])
def test_pages_have_no_inline_script_or_style(client, register, name):
    body = client.get(reverse(name)).content.decode()
    assert not SCRIPT.search(body)
    assert not INLINE_HANDLER.search(body)


def test_facility_page_has_no_inline_script_or_style(client, register):
    body = client.get(reverse("disclosure:facility", args=[register["union"].pk])).content.decode()
    assert not SCRIPT.search(body)
    assert not INLINE_HANDLER.search(body)


def test_search_page_in_english_has_english_labels(client, register):
    body = client.get(reverse("disclosure:search"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Keyword" in body
    assert "关键词" not in body


def test_search_query_count_does_not_grow_with_rows(client, register, django_assert_max_num_queries):
    for n in range(30):
        filed(f"批量{n}", number=400 + n)
    with django_assert_max_num_queries(12):
        client.get(reverse("disclosure:search"))


def test_home_in_english_names_provinces_in_english(client, register):
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Beijing</a>" in body
    assert "<title>Beijing: " in body


def test_selected_filters_are_shown_selected_in_the_form(client, register):
    body = client.get(reverse("disclosure:search"), {
        "province": "110000", "county": "110108", "sort": "fee",
    }).content.decode()
    assert '<option value="110000" selected>' in body
    assert '<option value="110108" selected>' in body
    assert '<option value="fee" selected>' in body
    assert '<label for="id_province">' in body and 'id="id_province"' in body


def test_select_labels_are_escaped():
    from tuoyu.disclosure.forms import PlainSelect

    html = PlainSelect(choices=[("<x>", "<b>bold</b>")]).render("f", "<x>")
    assert "<b>" not in html
    assert '<option value="&lt;x&gt;" selected>&lt;b&gt;bold&lt;/b&gt;</option>' in html


def test_province_choices_are_english_in_english(client, register):
    body = client.get(reverse("disclosure:search"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="440000">Guangdong</option>' in body
