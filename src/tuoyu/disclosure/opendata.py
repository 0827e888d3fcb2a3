"""Open data (开放数据): published datasets, each driven by one field definition.

A :class:`Dataset` names its fields (:class:`OpenField`), how its rows are selected for a
set of filters and how they are read in chunks. The data dictionary page (field,
meaning, unit, source), the CSV and XLSX columns, the JSON records and the JSON Schema of
every dataset come from its fields through the one set of writers below, so they cannot
drift apart. Datasets (:data:`DATASETS`):

- ``register`` (:data:`REGISTER`, 公示名录): rows are exactly those of
  :func:`tuoyu.disclosure.selectors.public_facilities` for the same filters;
- ``inspections`` (:data:`INSPECTIONS`, 检查结果公示): the inspection results public
  today, exactly the rows of :func:`tuoyu.supervision.selectors.inspections_published`
  that the facility pages show, filtered by place only (province, city, county).

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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tuoyu.facilities.exporting import neutralize

CHUNK = 2000
REGISTER_SOURCE = _("托育机构备案（托育机构登记和备案办法（试行））")
CENSUS_SOURCE = _("第七次全国人口普查公报（第三号）")
#: The rule that results of random inspections are published (一公开). The article of
#: 国办发〔2015〕58号 and the wording of the SAMR 2018 "20 days" are not verified (ADR 0076).
INSPECTION_SOURCE = _("双随机、一公开：国办发〔2015〕58号（抽查结果向社会公开）；市场监管总局2018年（检查结束后20日内公示）")
RECTIFICATION_SOURCE = _("本平台整改通知记录（逾期处理阶梯见决策记录0075）")


@dataclass(frozen=True)
class OpenField:
    """One published field: ``key`` (column/JSON name), ``label`` and ``meaning`` (translated),
    ``unit`` (translated, may be empty), ``source``, JSON ``kind`` (string, integer, number,
    date, boolean — ``true``/``false`` in CSV, a logical cell in XLSX), ``value`` taking
    one row of the dataset to a Python value (None = empty), and ``enum``: the allowed
    values of a code field (``""`` = none) for the JSON Schema, or None."""

    key: str
    label: object
    meaning: object
    unit: object
    source: object
    kind: str
    value: Callable[[object], object]
    enum: tuple[str, ...] | None = None


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

    for chunk in _chunks(queryset):
        fees: dict[int, dict[str, Decimal]] = {}
        for facility_id, service, fee in FacilityService.objects.filter(
            facility_id__in=[f.pk for f in chunk]
        ).values_list("facility_id", "service_type", "monthly_fee"):
            fees.setdefault(facility_id, {})[service] = fee
        for facility in chunk:
            facility.open_fees = fees.get(facility.pk, {})
            yield facility


def _chunks(queryset) -> Iterator[list]:
    """The rows of ordered ``queryset`` as lists of at most :data:`CHUNK` (one query each)."""
    done = 0
    total = queryset.count()
    while done < total:
        chunk = list(queryset[done:done + CHUNK])
        if not chunk:
            break
        yield chunk
        done += len(chunk)


# --- inspection results (检查结果公示) ------------------------------------------------------


def _choices_enum(choices) -> tuple[str, ...]:
    return ("", *(value for value, _label in choices))


def _inspection_fields() -> tuple[OpenField, ...]:
    from tuoyu.supervision.models import InspectionOrigin
    from tuoyu.supervision.workflow import LadderStep, RectificationStatus

    origin_codes = tuple(InspectionOrigin.values)
    status_codes = _choices_enum(RectificationStatus.choices)
    ladder_codes = _choices_enum(LadderStep.choices)
    return (
        OpenField("facility_id", _("机构编号"), _("平台内的机构编号，与公示名录的 id 相同"), "",
                  REGISTER_SOURCE, "integer", lambda i: i.facility_id),
        OpenField("facility_name", _("机构名称"), _("备案的托育机构名称"), "", REGISTER_SOURCE,
                  "string", lambda i: i.facility.name),
        OpenField("division_code", _("县（区）代码"), _("机构所在县级行政区划代码（GB/T 2260）"), "",
                  _("GB/T 2260 行政区划代码"), "string", lambda i: i.facility.division.code),
        OpenField("visit_date", _("检查日期"), _("现场检查的日期"), _("日期（YYYY-MM-DD）"),
                  INSPECTION_SOURCE, "date", lambda i: i.public.visit_date),
        OpenField("published_on", _("公开日期"),
                  _("检查结束后按设定的工作日数（默认20个工作日）确定的结果公开日期"),
                  _("日期（YYYY-MM-DD）"), INSPECTION_SOURCE, "date", lambda i: i.public.published_on),
        OpenField("origin", _("检查来源代码"),
                  _("draw = 双随机抽查抽中后开展的检查；ad_hoc = 卫生健康部门直接安排的专项检查；"
                    "complaint = 由平台受理的投诉转为的检查"), "",
                  INSPECTION_SOURCE, "string", lambda i: i.public.origin, enum=origin_codes),
        OpenField("origin_label", _("检查来源"), _("检查来源的名称"), "", INSPECTION_SOURCE,
                  "string", lambda i: i.public.get_origin_display()),
        OpenField("findings_count", _("发现问题数"), _("检查中判定为不符合的检查项数"), _("项"),
                  INSPECTION_SOURCE, "integer", lambda i: i.public.findings_count),
        OpenField("rectification_status", _("整改状态代码"),
                  _("空 = 无需整改，issued = 待整改，responded = 已提交整改材料，verified = 整改已核实"),
                  "", RECTIFICATION_SOURCE, "string", lambda i: i.public.rectification_status,
                  enum=status_codes),
        OpenField("rectification_status_label", _("整改状态"), _("整改状态的名称（无需整改时为空）"), "",
                  RECTIFICATION_SOURCE, "string", lambda i: i.public.get_rectification_status_display()),
        OpenField("ladder_step", _("逾期处理阶段代码"),
                  _("逾期未整改时已采取的最高处理阶段：空 = 无，notice = 督促提醒，order = 责令限期改正，"
                    "suspension = 暂停备案，cancellation = 注销备案"),
                  "", RECTIFICATION_SOURCE, "string", lambda i: i.public.ladder_step, enum=ladder_codes),
        OpenField("ladder_step_label", _("逾期处理阶段"), _("逾期处理阶段的名称（无时为空）"), "",
                  RECTIFICATION_SOURCE, "string", lambda i: i.public.get_ladder_step_display()),
        OpenField("overdue", _("整改已逾期"), _("数据日期当天整改通知仍为待整改且已过整改期限时为 true"),
                  _("true/false"), RECTIFICATION_SOURCE, "boolean", lambda i: i.public.overdue),
    )


def _inspection_rows(filters: Mapping | None):
    """Inspection results public today (:func:`inspections_published`) of facilities in the
    place of ``filters`` (``province``/``city``/``county``; other filters are ignored),
    ordered by facility, newest visit first."""
    from tuoyu.core.dates import local_today
    from tuoyu.disclosure.selectors import division_prefix
    from tuoyu.supervision.selectors import inspections_published

    return (
        inspections_published(local_today(), division_prefix=division_prefix(filters or {}))
        .select_related("facility__division")
        .order_by("facility_id", "-visit_date", "-id")
    )


def _inspection_records(queryset) -> Iterator[object]:
    """Yield the inspections of ``queryset`` with their public result attached (``public``,
    a :class:`~tuoyu.supervision.selectors.PublicInspectionResult` as of today): one query
    per chunk of :data:`CHUNK`. Only the whitelisted result and the facility's published
    name and place are read by the fields — never names, notes or item texts."""
    from tuoyu.core.dates import local_today
    from tuoyu.supervision.selectors import PublicInspectionResult

    today = local_today()
    for chunk in _chunks(queryset):
        for inspection in chunk:
            inspection.public = PublicInspectionResult.of(inspection, today)
            yield inspection


def _inspection_data_date() -> date | None:
    """The latest publication date among the results public today (None when none)."""
    return _inspection_rows({}).order_by("-published_on").values_list("published_on", flat=True).first()


def _register_rows(filters: Mapping | None):
    from tuoyu.disclosure.selectors import public_facilities

    return public_facilities(filters or {})


def _register_data_date() -> date | None:
    from tuoyu.disclosure.selectors import data_date

    return data_date()


# --- datasets and their writers ----------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """One published dataset: ``slug`` (file names, URLs, XLSX sheet), ``title`` (English,
    the JSON Schema's title), ``fields`` (:class:`OpenField` in column order), ``rows``
    (filters → ordered queryset), ``records`` (that queryset → row objects the fields
    read, in chunks) and ``data_date`` (→ the date of the data or None)."""

    slug: str
    title: str
    fields: tuple[OpenField, ...]
    rows: Callable[[Mapping | None], object]
    records: Callable[[object], Iterator[object]]
    data_date: Callable[[], date | None]

    @property
    def keys(self) -> list[str]:
        """The field keys in column order."""
        return [field.key for field in self.fields]


REGISTER = Dataset(
    "register", "Tuoyu public register of filed childcare facilities", FIELDS,
    _register_rows, records, _register_data_date,
)
INSPECTIONS = Dataset(
    "inspections", "Tuoyu published results of inspections of filed childcare facilities",
    _inspection_fields(), _inspection_rows, _inspection_records, _inspection_data_date,
)
#: The datasets by slug.
DATASETS = {dataset.slug: dataset for dataset in (REGISTER, INSPECTIONS)}


def row_values(row, dataset: Dataset = REGISTER) -> list[object]:
    """The typed values of one row of ``dataset`` in field order."""
    return [field.value(row) for field in dataset.fields]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return neutralize(str(value))


def csv_chunks(dataset: Dataset, queryset) -> Iterator[str]:
    """Yield the CSV text of ``dataset``: BOM, header of keys, then one row per record,
    text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(dataset.keys)
    yield "\ufeff" + _drain(buffer)
    for n, row in enumerate(dataset.records(queryset), 1):
        writer.writerow([_text(v) for v in row_values(row, dataset)])
        if n % 500 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def xlsx_bytes(dataset: Dataset, queryset) -> bytes:
    """``dataset`` as an XLSX workbook (write-only, one sheet named after its slug): header
    of keys, typed cells, text neutralised."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(dataset.slug)
    sheet.append(dataset.keys)
    for row in dataset.records(queryset):
        sheet.append([
            neutralize(v) if isinstance(v, str) else (float(v) if isinstance(v, Decimal) else v)
            for v in row_values(row, dataset)
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


def json_chunks(dataset: Dataset, queryset, *, data_date: date | None) -> Iterator[str]:
    """Yield the JSON document ``{"data_date", "count", "records"}`` of ``dataset`` piece by piece."""
    count = queryset.count()
    head = {"data_date": data_date.isoformat() if data_date else None, "count": count}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['
    keys = dataset.keys
    for n, row in enumerate(dataset.records(queryset)):
        record = dict(zip(keys, (_json_value(v) for v in row_values(row, dataset)), strict=True))
        yield ("," if n else "") + json.dumps(record, ensure_ascii=False)
    yield "]}"


_JSON_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer", "minimum": 0},
    "number": {"type": ["number", "null"], "minimum": 0},
    "date": {"type": ["string", "null"], "format": "date"},
    "boolean": {"type": "boolean"},
}


def json_schema(dataset: Dataset, schema_url: str = "") -> dict:
    """The JSON Schema (draft 2020-12) of ``dataset``'s JSON export, built from its fields."""
    properties = {}
    for field in dataset.fields:
        spec = dict(_JSON_TYPES[field.kind])
        spec["title"] = str(field.label)
        spec["description"] = str(field.meaning) + (f" ({field.unit})" if field.unit else "")
        if field.enum is not None:
            spec["enum"] = list(field.enum)
        properties[field.key] = spec
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url or f"{dataset.slug}.schema.json",
        "title": dataset.title,
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
                    "required": dataset.keys,
                    "additionalProperties": False,
                    "properties": properties,
                },
            },
        },
    }
