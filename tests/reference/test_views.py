"""The public division-code lookup page."""

from __future__ import annotations

from django.urls import reverse

URL = reverse("reference:division_lookup")


def test_anonymous_user_can_open_the_empty_form(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="code"' in response.content


def test_active_code_is_shown_as_in_use(client, db):
    response = client.get(URL, {"code": "１１０１０８"})
    assert response.status_code == 200
    assert response.context["resolution"].status == "active"
    assert "110108 海淀区" in response.content.decode()


def test_lookup_of_an_active_code_is_cheap(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(URL, {"code": "110108"})


def test_retired_code_shows_its_successor_with_a_link(client, db):
    body = client.get(URL, {"code": "370284"}).content.decode()
    assert "胶南市" in body
    assert "2012" in body
    assert f'href="{URL}?code=370211"' in body
    assert "370211 黄岛区" in body


def test_unknown_code_shows_the_error(client, db):
    body = client.get(URL, {"code": "999999"}).content.decode()
    assert "行政区划代码“999999”不存在" in body


def test_malformed_code_shows_the_format_error(client, db):
    body = client.get(URL, {"code": "12ab"}).content.decode()
    assert "6位数字" in body


def test_page_is_complete_in_english(client, db):
    client.cookies["django_language"] = "en"
    body = client.get(URL, {"code": "110103"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Division code lookup" in body
    assert "Retired in 2010" in body
    assert "110101 东城区" in body


def test_post_is_not_allowed(client, db):
    assert client.post(URL, {"code": "110108"}).status_code == 405
