"""The portal and the API's public mirror read the same filters the same way (issue 3 trial):
a county or city alone implies its province, an inconsistent place is an error on both,
every bad filter value is refused by the API, and the open data carries the unfiled-changes
flag in every format."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.disclosure.conftest import filed
from tuoyu.disclosure import opendata
from tuoyu.facilities.models import Facility

API = "/api/v1/public/facilities/"


@pytest.fixture(autouse=True)
def _fresh_api_throttle():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _portal(client, params):
    return client.get(reverse("disclosure:search"), params)


def _api(params):
    return APIClient().get(API, params)


@pytest.fixture
def qingdao(register):
    """A filed facility in 黄岛区 (370211), under the prefecture 青岛市 (370200)."""
    return filed("黄岛职工托育园", code="370211", number=9)


# ----------------------------------------------------------------------------- county/city alone


def test_portal_applies_a_county_given_without_its_province(client, register):
    assert _portal(client, {"county": "110105"}).context["count"] == 1


def test_portal_shows_the_province_a_county_implies(client, register):
    form = _portal(client, {"county": "110105"}).context["form"]
    assert (form["province"].value(), form["county"].value()) == ("110000", "110105")


def test_portal_applies_a_city_given_without_its_province(client, qingdao):
    assert _portal(client, {"city": "370200"}).context["count"] == 1


def test_portal_fills_in_the_city_of_a_county_given_alone(client, qingdao):
    form = _portal(client, {"county": "370211"}).context["form"]
    assert form["city"].value() == "370200"


@pytest.mark.parametrize("params", [
    {"county": "110105"}, {"county": "110108"}, {"city": "370200"}, {"county": "370211"},
    {"province": "11", "county": "110108"}, {"city": "3702"},
])
def test_portal_and_api_count_the_same_for_a_place(client, qingdao, params):
    assert _api(params).json()["count"] == _portal(client, params).context["count"]


# ----------------------------------------------------------------------------- inconsistent place


def test_portal_reports_a_county_outside_the_province(client, register):
    response = _portal(client, {"province": "310000", "county": "110105"})
    assert "county" in response.context["form"].errors
    assert "所选县（区）不属于所选省份。" in response.content.decode()


def test_portal_reports_the_place_conflict_in_english_too(client, register):
    response = client.get(reverse("disclosure:search"),
                          {"province": "310000", "county": "110105"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The chosen county is not in the chosen province." in response.content.decode()


def test_api_refuses_a_county_outside_the_province(register):
    body = _api({"province": "310000", "county": "110105"}).json()
    assert (body["code"], body["field"]) == ("API-005", "county")


def test_api_refuses_a_county_outside_the_city(qingdao):
    body = _api({"city": "370200", "county": "370102"}).json()
    assert (body["code"], body["field"]) == ("API-005", "county")


def test_api_refuses_a_city_outside_the_province(qingdao):
    body = _api({"province": "110000", "city": "370200"}).json()
    assert (body["code"], body["field"]) == ("API-005", "city")


# ----------------------------------------------------------------------------- bad values


@pytest.mark.parametrize(("name", "value"), [
    ("province", "abc"), ("province", "990000"), ("city", "abc"), ("county", "abc"),
    ("county", "999999"), ("provision_model", "castle"), ("service_type", "boat"),
    ("fee_min", "cheap"), ("fee_max", "-1"), ("free_places", "maybe"), ("sort", "random"),
    ("q", "长" * 101),
])
def test_api_refuses_every_bad_filter_value_naming_it(register, name, value):
    response = _api({name: value})
    body = response.json()
    assert (response.status_code, body["code"], body["field"]) == (400, "API-005", name)
    assert list(body["details"]["errors"]) == [name]


@pytest.mark.parametrize("value", ["true", "1", "on", "yes", "TRUE"])
def test_api_accepts_the_spellings_of_yes_for_free_places(register, value):
    assert _api({"free_places": value}).status_code == 200


def test_portal_reports_a_bad_yes_no_value_instead_of_reading_it_as_yes(client, register):
    response = _portal(client, {"free_places": "maybe"})
    assert "free_places" in response.context["form"].errors


def test_portal_checkbox_still_filters_free_places(client, register):
    assert _portal(client, {"free_places": "on"}).context["form"].is_valid()


# ----------------------------------------------------------------------------- open data flag


@pytest.fixture
def changed_after_filing(register):
    """海淀爱心联合托育中心 edited after its filing was accepted (ADR 0012)."""
    Facility.objects.filter(pk=register["union"].pk).update(version=2, filed_version=1)
    return register["union"]


def _download(client, fmt, params):
    response = client.get(reverse("disclosure:open_data_export", args=[fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def test_open_data_fields_include_the_unfiled_changes_flag():
    field = next(f for f in opendata.FIELDS if f.key == "has_unfiled_changes")
    with translation.override("zh-hans"):
        assert (field.kind, str(field.label)) == ("boolean", "有未备案的变更")


def test_csv_has_the_unfiled_changes_flag_as_true_or_false(client, changed_after_filing):
    rows = list(csv.DictReader(io.StringIO(_download(client, "csv", {}).decode("utf-8-sig"))))
    flags = {r["name"]: r["has_unfiled_changes"] for r in rows}
    assert flags["海淀爱心联合托育中心"] == "true"
    assert flags["朝阳职工托育室"] == "false"


def test_xlsx_has_the_unfiled_changes_flag_as_a_logical_cell(client, changed_after_filing):
    sheet = load_workbook(io.BytesIO(_download(client, "xlsx", {"q": "联合"}))).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("has_unfiled_changes") + 1).value is True


def test_json_has_the_unfiled_changes_flag_and_validates(client, changed_after_filing):
    schema = client.get(reverse("disclosure:open_data_schema")).json()
    document = json.loads(_download(client, "json", {}))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    flags = {r["name"]: r["has_unfiled_changes"] for r in document["records"]}
    assert flags["海淀爱心联合托育中心"] is True
    assert schema["properties"]["records"]["items"]["properties"]["has_unfiled_changes"][
        "type"] == "boolean"


def test_open_data_flag_agrees_with_the_public_api(client, changed_after_filing):
    api = {r["id"]: r["has_unfiled_changes"] for r in _api({}).json()["results"]}
    document = json.loads(_download(client, "json", {}))
    assert {r["id"]: r["has_unfiled_changes"] for r in document["records"]} == api


def test_dictionary_page_explains_the_unfiled_changes_flag(client, register):
    body = client.get(reverse("disclosure:open_data")).content.decode()
    assert "<code>has_unfiled_changes</code>" in body
