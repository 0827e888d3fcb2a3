"""Open data: counts equal the search, formula neutralisation, BOM, JSON against its schema."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.disclosure.conftest import filed
from tuoyu.disclosure import opendata

FILTERS = [
    {},
    {"province": "110000"},
    {"q": "聯合"},
    {"service_type": "full_day", "fee_max": "3000"},
    {"free_places": "on", "sort": "fee"},
]


def _download(client, fmt, params):
    response = client.get(reverse("disclosure:open_data_export", args=[fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def _search_count(client, params):
    return client.get(reverse("disclosure:search"), params).context["count"]


@pytest.mark.parametrize("params", FILTERS)
def test_csv_row_count_equals_the_search_count(client, register, params):
    rows = list(csv.reader(io.StringIO(_download(client, "csv", params).decode("utf-8-sig"))))
    assert len(rows) - 1 == _search_count(client, params)


@pytest.mark.parametrize("params", FILTERS)
def test_json_count_equals_the_search_count(client, register, params):
    data = json.loads(_download(client, "json", params))
    assert data["count"] == len(data["records"]) == _search_count(client, params)


@pytest.mark.parametrize("params", FILTERS[:3])
def test_xlsx_row_count_equals_the_search_count(client, register, params):
    sheet = load_workbook(io.BytesIO(_download(client, "xlsx", params)), read_only=True).active
    assert len(list(sheet.iter_rows())) - 1 == _search_count(client, params)


def test_csv_starts_with_a_byte_order_mark_and_the_field_keys(client, register):
    body = _download(client, "csv", {})
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").splitlines()[0].split(",") == opendata.KEYS


def test_csv_neutralises_formula_prefixes(client, register):
    filed("=HYPERLINK(\"http://x\")托育", number=60, address="＋86 大街")
    rows = list(csv.DictReader(io.StringIO(_download(client, "csv", {"q": "hyperlink"}).decode("utf-8-sig"))))
    assert rows[0]["name"].startswith("'=HYPERLINK")
    assert rows[0]["address"].startswith("'＋86")


def test_xlsx_neutralises_formula_prefixes(client, register):
    filed("@SUM(A1)托育", number=61)
    sheet = load_workbook(io.BytesIO(_download(client, "xlsx", {"q": "@sum"}))).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("name") + 1).value == "'@SUM(A1)托育"


def test_json_validates_against_the_published_schema(client, register):
    filed("无收费公示托育点", number=62, fees={"full_day": None})
    schema = client.get(reverse("disclosure:open_data_schema")).json()
    document = json.loads(_download(client, "json", {}))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["records"]


def test_schema_rejects_a_record_with_a_field_missing(client, register):
    schema = client.get(reverse("disclosure:open_data_schema")).json()
    document = json.loads(_download(client, "json", {}))
    del document["records"][0]["name"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_dictionary_page_lists_every_exported_field(client, register):
    body = client.get(reverse("disclosure:open_data")).content.decode()
    for key in opendata.KEYS:
        assert f"<code>{key}</code>" in body
    assert "2026-03-02" in body  # the date of the data


def test_json_records_have_the_dictionary_keys_in_order(client, register):
    document = json.loads(_download(client, "json", {}))
    assert list(document["records"][0]) == opendata.KEYS


def test_fees_appear_under_their_service(client, register):
    document = json.loads(_download(client, "json", {"q": "联合"}))
    record = document["records"][0]
    assert (record["fee_full_day"], record["fee_half_day"], record["fee_hourly"]) == (3000.0, 1800.0, None)


def test_export_chunks_cover_more_rows_than_one_chunk(client, register, monkeypatch):
    monkeypatch.setattr(opendata, "CHUNK", 2)
    data = json.loads(_download(client, "json", {}))
    assert len({r["id"] for r in data["records"]}) == data["count"] == 4


def test_open_data_page_names_a_condition_it_ignored(client, register):
    body = client.get(reverse("disclosure:open_data"), {"province": "11x"}).content.decode()
    assert "以下条件无效，已忽略：省份" in body


def test_open_data_page_with_valid_conditions_ignores_none(client, register):
    body = client.get(reverse("disclosure:open_data"), {"province": "110000"}).content.decode()
    assert "已忽略" not in body
