"""The import/export template (导入模板): one sheet, one row per facility, class or staff member.

Every row carries the facility's external key (来源系统 + 外部编号); the column 记录类型
says what the row is: 机构 (facility), 班级 (class) or 人员 (staff). Class and staff rows
repeat the key of their facility and fill only their own columns. Headers are matched in
Chinese (primary) or English, after NFKC, case folding and removal of spaces, so
``所在县（区）代码`` and ``所在县(区)代码`` are the same header. ``docs/import-format.md``
documents every column; this table is its source.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tuoyu.facilities.choices import (
    ClassType,
    Education,
    PremisesTenure,
    ProvisionModel,
    ServiceType,
    StaffRole,
)


@dataclass(frozen=True)
class Column:
    """One column: ``key`` (English header), ``zh`` (Chinese header), the record it belongs to."""

    key: str
    zh: str
    record: str  # "common", "facility", "class", "staff" or "export" (written, never read)


RECORD_FACILITY = "facility"
RECORD_CLASS = "class"
RECORD_STAFF = "staff"

# Fee columns: service type → column key.
FEE_COLUMNS = {
    ServiceType.FULL_DAY: "fee_full_day",
    ServiceType.HALF_DAY: "fee_half_day",
    ServiceType.HOURLY: "fee_hourly",
    ServiceType.OCCASIONAL: "fee_occasional",
}

COLUMNS: tuple[Column, ...] = (
    Column("record_type", "记录类型", "common"),
    Column("source_system", "来源系统", "common"),
    Column("external_id", "外部编号", "common"),
    # Facility (机构)
    Column("name", "机构名称", RECORD_FACILITY),
    Column("operator_credit_code", "运营单位统一社会信用代码", RECORD_FACILITY),
    Column("operator_name", "运营单位名称", RECORD_FACILITY),
    Column("operator_kind", "运营单位类型", RECORD_FACILITY),
    Column("operator_industry", "运营单位行业代码", RECORD_FACILITY),
    Column("sponsor_credit_codes", "举办用人单位统一社会信用代码", RECORD_FACILITY),
    Column("credit_code", "机构统一社会信用代码", RECORD_FACILITY),
    Column("provision_model", "举办模式", RECORD_FACILITY),
    Column("service_types", "服务形式", RECORD_FACILITY),
    Column("fee_full_day", "全日托月收费（元）", RECORD_FACILITY),
    Column("fee_half_day", "半日托月收费（元）", RECORD_FACILITY),
    Column("fee_hourly", "计时托月收费（元）", RECORD_FACILITY),
    Column("fee_occasional", "临时托月收费（元）", RECORD_FACILITY),
    Column("address", "地址", RECORD_FACILITY),
    Column("division_code", "所在县（区）代码", RECORD_FACILITY),
    Column("building_area", "建筑面积（㎡）", RECORD_FACILITY),
    Column("outdoor_area", "户外活动面积（㎡）", RECORD_FACILITY),
    Column("children_floor", "婴幼儿生活用房所在楼层", RECORD_FACILITY),
    Column("premises_tenure", "场地性质", RECORD_FACILITY),
    Column("lease_start", "租赁起始日", RECORD_FACILITY),
    Column("lease_end", "租赁终止日", RECORD_FACILITY),
    Column("opening_date", "开办日期", RECORD_FACILITY),
    Column("places_infant", "乳儿班托位", RECORD_FACILITY),
    Column("places_toddler", "托小班托位", RECORD_FACILITY),
    Column("places_older", "托大班托位", RECORD_FACILITY),
    Column("places_mixed", "混合编班托位", RECORD_FACILITY),
    Column("contact_phone", "联系电话", RECORD_FACILITY),
    Column("filing_status", "备案状态", "export"),
    Column("receipt_number", "备案回执编号", "export"),
    # Class (班级); for a staff row, 班级名称 is the class the person works in.
    Column("class_name", "班级名称", "class"),
    Column("class_type", "班型", RECORD_CLASS),
    Column("capacity", "额定人数", RECORD_CLASS),
    # Staff (工作人员)
    Column("staff_id", "人员编号", RECORD_STAFF),
    Column("staff_name", "姓名", RECORD_STAFF),
    Column("role", "岗位", RECORD_STAFF),
    Column("education", "学历", RECORD_STAFF),
    Column("qualification", "资格证书", RECORD_STAFF),
    Column("years_experience", "相关工作年限", RECORD_STAFF),
    Column("trained", "已完成岗位培训", RECORD_STAFF),
    Column("health_certificate_expiry", "健康证有效期至", RECORD_STAFF),
    Column("no_criminal_record", "无犯罪记录证明", RECORD_STAFF),
    Column("full_time", "专职", RECORD_STAFF),
    Column("start_date", "入职日期", RECORD_STAFF),
    Column("end_date", "离职日期", RECORD_STAFF),
)

COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# Without these headers the file is not an import file at all (exit status 2).
REQUIRED_HEADERS = (
    "external_id",
    "name",
    "operator_credit_code",
    "provision_model",
    "address",
    "division_code",
)

RECORD_TYPES = {
    "机构": RECORD_FACILITY,
    "facility": RECORD_FACILITY,
    "班级": RECORD_CLASS,
    "class": RECORD_CLASS,
    "人员": RECORD_STAFF,
    "工作人员": RECORD_STAFF,
    "staff": RECORD_STAFF,
}
RECORD_LABELS = {RECORD_FACILITY: "机构", RECORD_CLASS: "班级", RECORD_STAFF: "人员"}

OPERATOR_KINDS = {
    "用人单位": "employer",
    "employer": "employer",
    "托育机构": "provider",
    "服务机构": "provider",
    "托育机构/服务机构": "provider",
    "provider": "provider",
}

CHOICE_CLASSES = {
    "provision_model": ProvisionModel,
    "premises_tenure": PremisesTenure,
    "class_type": ClassType,
    "role": StaffRole,
    "education": Education,
    "service_types": ServiceType,
}


def header_key(text: object) -> str:
    """Return the comparable form of a header: NFKC, case-folded, without spaces."""
    value = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return "".join(value.split())


HEADER_LOOKUP: dict[str, str] = {}
for _c in COLUMNS:
    HEADER_LOOKUP[header_key(_c.zh)] = _c.key
    HEADER_LOOKUP[header_key(_c.key)] = _c.key
# A few natural English spellings.
HEADER_LOOKUP.update(
    {
        header_key("facility_name"): "name",
        header_key("division"): "division_code",
        header_key("county_code"): "division_code",
        header_key("source"): "source_system",
        header_key("external_key"): "external_id",
    }
)


def map_headers(headers: list[object]) -> tuple[dict[int, str], list[str]]:
    """Map header cells to column keys. Returns ({position: key}, [unknown header texts]).

    A header that appears twice keeps its first position; unknown headers are ignored
    (clerks often add a notes column) and returned so the report can list them.
    """
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for position, cell in enumerate(headers):
        text = str(cell or "").strip()
        if not text:
            continue
        key = HEADER_LOOKUP.get(header_key(text))
        if key is None:
            unknown.append(text)
        elif key not in seen:
            seen.add(key)
            mapping[position] = key
    return mapping, unknown
