"""Open data of the public register (开放数据): one field definition drives everything.

:data:`FIELDS` is the single definition of the published register: the data dictionary
page (field, meaning, unit, source), the CSV and XLSX columns, the JSON records and the
JSON Schema all come from it, so they cannot drift apart. Rows are exactly those of
:func:`tuoyu.disclosure.selectors.public_facilities` for the same filters.

Formats: CSV in UTF-8 with a byte-order mark (so spreadsheet programs detect UTF-8), one
header row of field keys; XLSX with typed numbers and dates; JSON
``{"data_date", "count", "records": [...]}``. Text cells that a spreadsheet could run as
a formula are neutralised with :func:`tuoyu.facilities.exporting.neutralize` (CSV and
XLSX; JSON carries the text as is — it is data, not a spreadsheet).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tuoyu.facilities.exporting import neutralize

CHUNK = 2000
REGISTER_SOURCE = _("托育机构备案（托育机构登记和备案办法（试行））")
CENSUS_SOURCE = _("第七次全国人口普查公报（第三号）")


@dataclass(frozen=True)
class OpenField:
    """One published field: ``key`` (column/JSON name), ``label`` and ``meaning`` (translated),
    ``unit`` (translated, may be empty), ``source``, JSON ``kind`` (string, integer, number,
    date, boolean — ``true``/``false`` in CSV, a logical cell in XLSX) and ``value`` taking an annotated facility to a Python value (None = empty)."""

    key: str
    label: object
    meaning: object
    unit: object
    source: object
    kind: str
    value: Callable[[object], object]


def _fee(facility, service: str):
    fees = getattr(facility, "open_fees", {})
    return fees.get(service)


FIELDS: tuple[OpenField, ...] = (
    OpenField("id", _("编号"), _("平台内的机构编号，可用于访问机构公示页"), "", REGISTER_SOURCE,
              "integer", lambda f: f.pk),
    OpenField("name", _("机构名称"), _("备案的托育机构名称"), "", REGISTER_SOURCE,
              "string", lambda f: f.name),
    OpenField("address", _("地址"), _("机构地址"), "", REGISTER_SOURCE, "string", lambda f: f.address),
    OpenField("division_code", _("县（区）代码"), _("所在县级行政区划代码（GB/T 2260）"), "",
              _("GB/T 2260 行政区划代码"), "string", lambda f: f.division.code),
    OpenField("province", _("省份"), _("所在省级行政区"), "", _("GB/T 2260 行政区划代码"),
              "string", lambda f: f.division.province_name),
    OpenField("county", _("县（区）"), _("所在县级行政区"), "", _("GB/T 2260 行政区划代码"),
              "string", lambda f: f.division.name),
    OpenField("operator", _("举办/运营单位"), _("举办或运营机构的单位名称"), "", REGISTER_SOURCE,
              "string", lambda f: f.operator.name),
    OpenField("provision_model", _("举办模式"), _("用人单位提供托育服务的模式"), "", REGISTER_SOURCE,
              "string", lambda f: f.get_provision_model_display()),
    OpenField("places", _("托位数"), _("乳儿班、托小班、托大班和混合编班托位之和"), _("个"),
              REGISTER_SOURCE, "integer", lambda f: f.places),
    OpenField("places_infant", _("乳儿班托位"), _("6—12个月婴儿班的托位"), _("个"), REGISTER_SOURCE,
              "integer", lambda f: f.places_infant),
    OpenField("places_toddler", _("托小班托位"), _("12—24个月幼儿班的托位"), _("个"), REGISTER_SOURCE,
              "integer", lambda f: f.places_toddler),
    OpenField("places_older", _("托大班托位"), _("24—36个月幼儿班的托位"), _("个"), REGISTER_SOURCE,
              "integer", lambda f: f.places_older),
    OpenField("places_mixed", _("混合编班托位"), _("混合编班的托位"), _("个"), REGISTER_SOURCE,
              "integer", lambda f: f.places_mixed),
    OpenField("free_places", _("空余托位"), _("托位数减去当前在托婴幼儿人数（不低于0）"), _("个"),
              REGISTER_SOURCE, "integer", lambda f: max(f.free_places, 0)),
    OpenField("fee_full_day", _("全日托月收费"), _("全日托每名婴幼儿每月收费"), _("元/月"),
              REGISTER_SOURCE, "number", lambda f: _fee(f, "full_day")),
    OpenField("fee_half_day", _("半日托月收费"), _("半日托每名婴幼儿每月收费"), _("元/月"),
              REGISTER_SOURCE, "number", lambda f: _fee(f, "half_day")),
    OpenField("fee_hourly", _("计时托月收费"), _("计时托每名婴幼儿每月收费"), _("元/月"),
              REGISTER_SOURCE, "number", lambda f: _fee(f, "hourly")),
    OpenField("fee_occasional", _("临时托月收费"), _("临时托每名婴幼儿每月收费"), _("元/月"),
              REGISTER_SOURCE, "number", lambda f: _fee(f, "occasional")),
    OpenField("filed_on", _("备案日期"), _("卫生健康部门出具备案回执的日期"), _("日期（YYYY-MM-DD）"),
              REGISTER_SOURCE, "date", lambda f: f.filed_on),
    OpenField("receipt_number", _("备案回执编号"), _("备案回执的编号"), "", REGISTER_SOURCE,
              "string", lambda f: f.receipt_number),
    OpenField("has_unfiled_changes", _("有未备案的变更"),
              _("备案（或最近一次变更备案）后登记信息又有变更、尚未办理变更备案时为 true"),
              _("true/false"), REGISTER_SOURCE, "boolean", lambda f: f.has_unfiled_changes),
)

KEYS = [field.key for field in FIELDS]


def records(queryset) -> Iterator[object]:
    """Yield the facilities of ``queryset`` in chunks with their fees attached (``open_fees``).

    ``queryset`` is a :func:`public_facilities` queryset; two queries per chunk of
    :data:`CHUNK` facilities whatever the size.
    """
    from tuoyu.facilities.models import FacilityService

    ids_done = 0
    total = queryset.count()
    while ids_done < total:
        chunk = list(queryset[ids_done:ids_done + CHUNK])
        fees: dict[int, dict[str, Decimal]] = {}
        for facility_id, service, fee in FacilityService.objects.filter(
            facility_id__in=[f.pk for f in chunk]
        ).values_list("facility_id", "service_type", "monthly_fee"):
            fees.setdefault(facility_id, {})[service] = fee
        for facility in chunk:
            facility.open_fees = fees.get(facility.pk, {})
            yield facility
        ids_done += len(chunk)
        if not chunk:
            break


def row_values(facility) -> list[object]:
    """The typed values of one facility in :data:`FIELDS` order."""
    return [field.value(facility) for field in FIELDS]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return neutralize(str(value))


def csv_chunks(queryset) -> Iterator[str]:
    """Yield the CSV text: BOM, header of keys, then one row per facility, neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(KEYS)
    yield "\ufeff" + _drain(buffer)
    for n, facility in enumerate(records(queryset), 1):
        writer.writerow([_text(v) for v in row_values(facility)])
        if n % 500 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def xlsx_bytes(queryset) -> bytes:
    """The register as an XLSX workbook (write-only): header of keys, typed cells, text neutralised."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("register")
    sheet.append(KEYS)
    for facility in records(queryset):
        sheet.append([
            neutralize(v) if isinstance(v, str) else (float(v) if isinstance(v, Decimal) else v)
            for v in row_values(facility)
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_chunks(queryset, *, data_date: date | None) -> Iterator[str]:
    """Yield the JSON document ``{"data_date", "count", "records"}`` piece by piece."""
    count = queryset.count()
    head = {"data_date": data_date.isoformat() if data_date else None, "count": count}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['
    for n, facility in enumerate(records(queryset)):
        record = dict(zip(KEYS, (_json_value(v) for v in row_values(facility)), strict=True))
        yield ("," if n else "") + json.dumps(record, ensure_ascii=False)
    yield "]}"


_JSON_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer", "minimum": 0},
    "number": {"type": ["number", "null"], "minimum": 0},
    "date": {"type": ["string", "null"], "format": "date"},
    "boolean": {"type": "boolean"},
}


def json_schema(schema_url: str = "") -> dict:
    """The JSON Schema (draft 2020-12) of the JSON export, built from :data:`FIELDS`."""
    properties = {}
    for field in FIELDS:
        spec = dict(_JSON_TYPES[field.kind])
        spec["title"] = str(field.label)
        spec["description"] = str(field.meaning) + (f" ({field.unit})" if field.unit else "")
        properties[field.key] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url or "register.schema.json",
        "title": "Tuoyu public register of filed childcare facilities",
        "type": "object",
        "required": ["data_date", "count", "records"],
        "additionalProperties": False,
        "properties": {
            "data_date": {"type": ["string", "null"], "format": "date"},
            "count": {"type": "integer", "minimum": 0},
            "records": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": KEYS,
                    "additionalProperties": False,
                    "properties": properties,
                },
            },
        },
    }
