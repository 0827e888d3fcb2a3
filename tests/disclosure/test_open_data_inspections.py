"""Open data of published inspection results (检查结果公示): the same rows as the facility
pages, the place filter, BOM and formula neutralisation, JSON against its schema, no
personal data, the same throttle as the register."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import jsonschema
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.conftest import org_of
from tests.factories import FacilityFactory, OrganizationFactory, division
from tests.supervision.conftest import make_inspector
from tests.supervision.inspection_support import (
    answer_all,
    closed_with_findings,
    make_team,
    new_inspection,
)
from tuoyu.disclosure import opendata, selectors
from tuoyu.supervision.inspections import inspection_close
from tuoyu.supervision.models import Inspection, InspectionOrigin
from tuoyu.supervision.rectification import rectification_respond

AUTUMN = dt.date(2026, 9, 30)
#: 20 working days after AUTUMN across the National Day holidays (test_publication.py).
PUBLISHED = dt.date(2026, 11, 3)
KEYS = opendata.INSPECTIONS.keys


def _at(time_machine, day):
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))


def _download(client, fmt, params=None):
    response = client.get(reverse("disclosure:open_data_inspections_export", args=[fmt]), params or {})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def _csv_rows(client, params=None):
    return list(csv.DictReader(io.StringIO(_download(client, "csv", params).decode("utf-8-sig"))))


def _json(client, params=None):
    return json.loads(_download(client, "json", params))


def _xlsx_values(client, params=None):
    sheet = load_workbook(io.BytesIO(_download(client, "xlsx", params)), read_only=True).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def team(hana, otto):
    """海淀: otto's filed facility and two inspectors of hana's commission."""
    return make_team(hana, otto)


def _with_facility(team, facility):
    return {**team, "facility": facility}


@pytest.fixture
def chaoyang_team(chen):
    """朝阳: a filed facility and two inspectors of chen's commission."""
    commission = org_of(chen)
    facility = FacilityFactory(
        name="朝阳职工托育室", operator=OrganizationFactory(kind="provider", division=division("110105")),
        filing_status="filed",
    )
    inspectors = [make_inspector(n, commission) for n in ("cy_a", "cy_b")]
    return {"facility": facility, "inspectors": inspectors, "hana": chen}


def test_published_result_appears(client, team, time_machine):
    inspection = closed_with_findings(team, today=AUTUMN, codes=("WST821-CCTV", "WST821-ALARM"))
    _at(time_machine, PUBLISHED)
    [row] = _json(client)["records"]
    assert (row["facility_id"], row["visit_date"], row["published_on"], row["findings_count"]) == (
        team["facility"].pk, inspection.visit_date.isoformat(), PUBLISHED.isoformat(), 2
    )
    assert (row["origin"], row["rectification_status"], row["overdue"]) == ("ad_hoc", "issued", False)


def test_result_not_yet_published_is_left_out(client, team, time_machine):
    closed_with_findings(team, today=AUTUMN)
    _at(time_machine, PUBLISHED - dt.timedelta(days=1))
    assert _json(client)["count"] == 0


def test_result_older_than_the_window_is_left_out(client, team, time_machine):
    inspection = closed_with_findings(team, today=AUTUMN)
    _at(time_machine, PUBLISHED)
    Inspection.objects.filter(pk=inspection.pk).update(published_on=dt.date(2023, 11, 3))
    assert _json(client)["count"] == 0


def test_result_just_inside_the_window_stays(client, team, time_machine):
    inspection = closed_with_findings(team, today=AUTUMN)
    _at(time_machine, PUBLISHED)
    Inspection.objects.filter(pk=inspection.pk).update(published_on=dt.date(2023, 11, 4))
    assert _json(client)["count"] == 1


def test_result_of_a_draft_facility_is_left_out(client, team, time_machine):
    draft = FacilityFactory(operator=team["facility"].operator, filing_status="draft")
    closed_with_findings(_with_facility(team, draft), today=AUTUMN)
    _at(time_machine, PUBLISHED)
    assert _json(client)["count"] == 0


def test_open_inspection_is_left_out(client, team, time_machine):
    new_inspection(team)
    _at(time_machine, PUBLISHED)
    assert _json(client)["count"] == 0


@pytest.fixture
def spread(team, chaoyang_team, time_machine):
    """Published results: two for otto's 海淀 facility, one for a second 海淀 facility, one
    in 朝阳; plus one not yet published and one of a draft facility (neither public)."""
    second = FacilityFactory(name="中关村宝贝托育园", operator=team["facility"].operator, filing_status="filed")
    draft = FacilityFactory(operator=team["facility"].operator, filing_status="draft")
    closed_with_findings(team, today=AUTUMN)
    closed_with_findings(team, today=AUTUMN, visit=dt.date(2026, 3, 10), codes=())
    closed_with_findings(_with_facility(team, second), today=AUTUMN)
    closed_with_findings(chaoyang_team, today=AUTUMN)
    closed_with_findings(_with_facility(team, second), today=dt.date(2026, 11, 2))
    closed_with_findings(_with_facility(team, draft), today=AUTUMN)
    _at(time_machine, PUBLISHED)


PLACES = [{}, {"province": "110000"}, {"city": "110100"}, {"county": "110108"}, {"county": "110105"},
          {"province": "310000"}]


def _facility_page_count(client, params):
    total = 0
    for facility in selectors.public_facilities(params):
        response = client.get(reverse("disclosure:facility", args=[facility.pk]))
        total += len(response.context["inspection_results"])
    return total


@pytest.mark.parametrize("params", PLACES)
def test_csv_row_count_equals_the_results_on_the_facility_pages(client, spread, params):
    assert len(_csv_rows(client, params)) == _facility_page_count(client, params)


@pytest.mark.parametrize("params", PLACES)
def test_json_count_equals_the_results_on_the_facility_pages(client, spread, params):
    document = _json(client, params)
    assert document["count"] == len(document["records"]) == _facility_page_count(client, params)


def test_xlsx_row_count_equals_the_results_on_the_facility_pages(client, spread):
    assert len(_xlsx_values(client, {"province": "110000"})) - 1 == _facility_page_count(client, {"province": "110000"})


def test_place_filter_keeps_only_that_county(client, spread, chaoyang_team):
    rows = _csv_rows(client, {"county": "110105"})
    assert {r["facility_id"] for r in rows} == {str(chaoyang_team["facility"].pk)}
    assert {r["division_code"] for r in rows} == {"110105"}


def test_search_filters_other_than_the_place_are_ignored(client, spread):
    assert _json(client, {"q": "不存在的机构", "county": "110108"})["count"] == 3


def test_export_chunks_cover_more_rows_than_one_chunk(client, spread, monkeypatch):
    monkeypatch.setattr(opendata, "CHUNK", 2)
    document = _json(client)
    assert document["count"] == len(document["records"]) == 4


def test_csv_starts_with_a_byte_order_mark_and_the_field_keys(client, team, time_machine):
    closed_with_findings(team, today=AUTUMN)
    _at(time_machine, PUBLISHED)
    body = _download(client, "csv")
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").splitlines()[0].split(",") == KEYS


def test_csv_neutralises_formula_prefixes(client, team, time_machine):
    team["facility"].name = "=cmd|' /C calc'!A0"
    team["facility"].save(update_fields=["name"])
    closed_with_findings(team, today=AUTUMN)
    _at(time_machine, PUBLISHED)
    [row] = _csv_rows(client)
    assert row["facility_name"] == "'=cmd|' /C calc'!A0"


def test_xlsx_neutralises_formula_prefixes(client, team, time_machine):
    team["facility"].name = "@SUM(A1)托育"
    team["facility"].save(update_fields=["name"])
    closed_with_findings(team, today=AUTUMN)
    _at(time_machine, PUBLISHED)
    header, row = _xlsx_values(client)
    assert row[header.index("facility_name")] == "'@SUM(A1)托育"


def test_json_validates_against_the_published_schema(client, spread):
    schema = client.get(reverse("disclosure:open_data_inspections_schema")).json()
    document = _json(client)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["records"] and document["data_date"] == PUBLISHED.isoformat()


def test_schema_rejects_an_unknown_origin(client, spread):
    schema = client.get(reverse("disclosure:open_data_inspections_schema")).json()
    document = _json(client)
    document["records"][0]["origin"] = "rumour"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def test_json_links_to_its_own_schema(client, team, time_machine):
    closed_with_findings(team, today=AUTUMN)
    _at(time_machine, PUBLISHED)
    response = client.get(reverse("disclosure:open_data_inspections_export", args=["json"]))
    assert reverse("disclosure:open_data_inspections_schema") in response["Link"]


def test_json_records_have_the_dictionary_keys_in_order(client, spread):
    assert list(_json(client)["records"][0]) == KEYS


def test_no_personal_data_or_notes_in_any_format(client, team, time_machine):
    inspection = new_inspection(team)
    answer_all(inspection, team["inspectors"][0], not_met=("WST821-CCTV",))
    inspection.items.filter(code="WST821-CCTV").update(notes="保育员张三未持证")
    inspection_close(actor=team["inspectors"][0], inspection=inspection, required_evidence="王五的证书", today=AUTUMN)
    inspection.refresh_from_db()
    rectification_respond(actor=team["otto"], order=inspection.rectification, text="李四已补办")
    _at(time_machine, PUBLISHED)
    item_title = inspection.items.get(code="WST821-CCTV").title_zh
    people = [u.username for u in team["inspectors"]] + [u.display_name for u in team["inspectors"]]
    secrets = ["张三", "李四", "王五", "投诉核查", item_title, "otto", *people]
    texts = {
        "csv": _download(client, "csv").decode("utf-8-sig"),
        "json": _download(client, "json").decode(),
        "xlsx": " ".join(str(v) for row in _xlsx_values(client) for v in row),
    }
    for fmt, text in texts.items():
        assert str(team["facility"].pk) in text, fmt
        assert not [s for s in secrets if s in text], fmt


def test_register_and_inspections_share_the_open_data_throttle(client, db, settings):
    cache.clear()
    settings.TUOYU_PORTAL_THROTTLE = {"search": None, "open_data": (1, 60)}
    register = reverse("disclosure:open_data_export", args=["csv"])
    inspections = reverse("disclosure:open_data_inspections_export", args=["csv"])
    assert [client.get(register).status_code, client.get(inspections).status_code] == [200, 429]


def test_open_data_page_lists_the_inspection_dictionary_and_date(client, spread):
    body = client.get(reverse("disclosure:open_data")).content.decode()
    for key in KEYS:
        assert f"<code>{key}</code>" in body
    assert reverse("disclosure:open_data_inspections_export", args=["csv"]) in body
    assert PUBLISHED.isoformat() in body


def test_open_data_page_passes_only_the_place_to_the_inspection_links(client, spread):
    response = client.get(reverse("disclosure:open_data"), {"county": "110105", "q": "托育"})
    assert response.context["inspection_querystring"] == "county=110105"
    assert response.context["inspection_count"] == 1


def test_dictionary_is_in_english_when_asked(client, spread):
    body = client.get(reverse("disclosure:open_data"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Published inspection results" in body
    assert "Number of checklist items found not met" in body


def test_origin_label_follows_the_language(client, team, time_machine):
    closed_with_findings(team, today=AUTUMN)
    _at(time_machine, PUBLISHED)
    [row] = _csv_rows(client)
    assert row["origin_label"] == "专项检查"


def test_csv_export_reads_each_chunk_in_one_query(client, spread, django_assert_num_queries):
    url = reverse("disclosure:open_data_inspections_export", args=["csv"])
    b"".join(client.get(url).streaming_content)  # the form's province choices are kept in the process
    with django_assert_num_queries(2):  # the count, then the one chunk with facility and order
        response = client.get(url)
        body = b"".join(response.streaming_content)
    assert body.count(b"\r\n") == 5


def _origin_meanings(language):
    """The dictionary's meaning of ``origin`` as ``{code: meaning}`` in ``language``."""
    field = next(f for f in opendata.INSPECTIONS.fields if f.key == "origin")
    with translation.override(language):
        text = str(field.meaning)
    return dict(re.findall(r"(\w+) = ([^；;，,]+)", text))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_origin_meaning_explains_every_code_once(language):
    assert sorted(_origin_meanings(language)) == sorted(InspectionOrigin.values)


@pytest.mark.parametrize(("language", "word"), [("zh-hans", "投诉"), ("en", "complaint")])
def test_origin_meaning_gives_complaints_to_one_code_only(language, word):
    meanings = _origin_meanings(language)
    assert [code for code, meaning in meanings.items() if word in meaning.lower()] == ["complaint"]
