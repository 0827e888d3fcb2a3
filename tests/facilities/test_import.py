"""Import of facilities with classes and staff (机构批量导入): encodings, XLSX, all-or-nothing."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_credit_code
from tuoyu.accounts.models import Organization
from tuoyu.audit.models import AuditEvent
from tuoyu.facilities.importing import facilities_import
from tuoyu.facilities.importing.reading import detect_encoding
from tuoyu.facilities.models import Facility, FacilityClass, FacilityService, StaffMember

HEADERS = [
    "记录类型",
    "外部编号",
    "机构名称",
    "运营单位统一社会信用代码",
    "运营单位名称",
    "运营单位行业代码",
    "举办模式",
    "服务形式",
    "全日托月收费（元）",
    "地址",
    "所在县（区）代码",
    "建筑面积（㎡）",
    "乳儿班托位",
    "托小班托位",
    "开办日期",
    "班级名称",
    "班型",
    "额定人数",
    "人员编号",
    "姓名",
    "岗位",
    "健康证有效期至",
    "已完成岗位培训",
]
OPERATOR = make_credit_code(777, region="110108")


def sample_rows(n: int = 2, *, division: str = "110108", prefix: str = "HD") -> list[list[str]]:
    """``n`` facilities, each with one class and one carer, as rows under HEADERS."""
    rows = []
    for i in range(1, n + 1):
        key = f"{prefix}-{i:03d}"
        rows.append(
            [
                "机构",
                key,
                f"海淀第{i}托育中心（測試）",
                OPERATOR,
                "海淀示例科技有限公司",
                "65",
                "用人单位自建",
                "全日托",
                "3200",
                f"北京市海淀区学院路{i}号",
                division,
                "650.5",
                "10",
                "15",
                "2024-09-01",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
        rows.append(
            [
                "班级",
                key,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "小一班",
                "托小班",
                "15",
                "",
                "",
                "",
                "",
                "",
            ]
        )
        rows.append(
            [
                "人员",
                key,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "小一班",
                "",
                "",
                f"S{i}",
                "王老师",
                "保育人员",
                "2030-01-01",
                "是",
            ]
        )
    return rows


def write_csv(path, rows, *, encoding="utf-8", headers=HEADERS):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows, *, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run_command(path, *extra):
    """Run the command; return (exit status, report dict)."""
    report = path.with_suffix(".report.json")
    try:
        call_command(
            "import_facilities", str(path), "--report", str(report), "--no-progress", *extra
        )
        status = 0
    except CommandError as exc:
        status = exc.returncode
    return status, json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_imports_csv_in_each_encoding(db, tmp_path, encoding):
    path = write_csv(tmp_path / "f.csv", sample_rows(2), encoding=encoding)
    status, report = run_command(path)
    assert (status, report["rows"], report["valid"], report["errors"]) == (0, 6, 6, [])
    assert report["created"] == 2
    names = set(Facility.objects.values_list("name", flat=True))
    assert names == {"海淀第1托育中心（測試）", "海淀第2托育中心（測試）"}


def test_gb18030_only_character_decodes(db, tmp_path):
    rows = sample_rows(1)
    rows[0][2] = "㐀托育中心"  # U+3400 is in GB18030 but not in GBK
    path = write_csv(tmp_path / "f.csv", rows, encoding="gb18030")
    report = facilities_import(path, actor=None)
    assert report.exit_status == 0
    assert Facility.objects.get().name == "㐀托育中心"


def test_short_gbk_text_is_detected_as_gb18030():
    assert detect_encoding("机构名称,地址\n海淀托育,学院路".encode("gbk")) == "gb18030"


def test_imports_classes_and_staff_with_their_facility(db, tmp_path):
    facilities_import(write_csv(tmp_path / "f.csv", sample_rows(1)), actor=None)
    facility = Facility.objects.get(external_id="HD-001")
    cls = FacilityClass.objects.get(facility=facility)
    carer = StaffMember.objects.get(facility=facility)
    assert (cls.name, cls.class_type, cls.capacity) == ("小一班", "toddler", 15)
    assert (carer.role, carer.assigned_class_id, carer.trained, carer.external_id) == (
        "carer",
        cls.pk,
        True,
        "S1",
    )
    assert FacilityService.objects.get(facility=facility).monthly_fee == 3200
    assert list(facility.sponsors.values_list("credit_code", flat=True)) == [OPERATOR]


def test_creates_an_unknown_operator_from_its_name(db, tmp_path):
    facilities_import(write_csv(tmp_path / "f.csv", sample_rows(2)), actor=None)
    org = Organization.objects.get(credit_code=OPERATOR)
    assert (org.name, org.kind, org.division.code, org.industry_id) == (
        "海淀示例科技有限公司",
        "employer",
        "110108",
        "65",
    )


def test_imports_xlsx(db, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", sample_rows(3))
    report = facilities_import(path, actor=None)
    assert (report.exit_status, report.format, report.facilities.created) == (0, "xlsx", 3)
    assert FacilityClass.objects.count() == 3


def test_xlsx_numbers_and_dates_are_read_as_values(db, tmp_path):
    import datetime as dt

    rows = sample_rows(1)
    rows[0][12] = 10  # a number cell
    rows[0][14] = dt.datetime(2024, 9, 1)  # a date cell
    facilities_import(write_xlsx(tmp_path / "f.xlsx", rows), actor=None)
    facility = Facility.objects.get()
    assert (facility.places_infant, facility.opening_date) == (10, dt.date(2024, 9, 1))


def test_refuses_zip_bomb_with_exit_2(db, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    status, report = run_command(path)
    assert status == 2
    assert report["errors"][0]["code"] == "IMP-003"
    assert not Facility.objects.exists()


def test_refuses_workbook_over_uncompressed_limit(db, tmp_path, monkeypatch):
    from tuoyu.facilities.importing import reading

    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", 1000)
    status, report = run_command(write_xlsx(tmp_path / "f.xlsx", sample_rows(1)))
    assert (status, report["errors"][0]["code"]) == (2, "IMP-003")


def test_refuses_csv_over_size_limit_with_exit_2(db, tmp_path, monkeypatch):
    from tuoyu.facilities.importing import reading

    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", 100)
    status, report = run_command(write_csv(tmp_path / "f.csv", sample_rows(1)))
    assert (status, report["errors"][0]["code"]) == (2, "IMP-003")


def test_refuses_too_many_rows_with_exit_2(db, tmp_path, monkeypatch):
    from tuoyu.facilities.importing import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 4)
    status, report = run_command(write_csv(tmp_path / "f.csv", sample_rows(2)))
    assert (status, report["errors"][0]["code"]) == (2, "IMP-004")
    assert not Facility.objects.exists()


def test_unknown_format_exits_2(db, tmp_path):
    path = tmp_path / "f.pdf"
    path.write_bytes(b"%PDF-1.4")
    status, report = run_command(path)
    assert (status, report["errors"][0]["code"]) == (2, "IMP-001")


def test_missing_required_headers_exit_2(db, tmp_path):
    path = write_csv(tmp_path / "f.csv", [["a", "b"]], headers=["外部编号", "机构名称"])
    status, report = run_command(path)
    assert status == 2
    assert report["errors"][0]["code"] == "IMP-005"
    assert "所在县（区）代码" in report["errors"][0]["message"]


def test_invalid_rows_exit_1_and_write_nothing(db, tmp_path):
    rows = sample_rows(3)
    rows[3][3] = "91110108MA01234567"  # facility 2: wrong check character
    rows[6][10] = "999999"  # facility 3: no such county
    rows[4][17] = "十五"  # class of facility 2: capacity not a number
    status, report = run_command(write_csv(tmp_path / "f.csv", rows))
    assert status == 1
    assert (report["rows"], report["valid"]) == (9, 6)
    found = [(e["row"], e["column"], e["code"]) for e in report["errors"]]
    assert found == [
        (5, "运营单位统一社会信用代码", "IMP-015"),
        (6, "额定人数", "IMP-012"),
        (8, "所在县（区）代码", "IMP-016"),
    ]
    assert not Facility.objects.exists()
    assert not Organization.objects.filter(credit_code=OPERATOR).exists()


def test_dry_run_counts_but_writes_nothing(db, tmp_path):
    status, report = run_command(write_csv(tmp_path / "f.csv", sample_rows(2)), "--dry-run")
    assert (status, report["created"], report["classes"]["created"], report["written"]) == (
        0,
        2,
        2,
        False,
    )
    assert not Facility.objects.exists()


def test_reimport_changes_nothing(db, tmp_path):
    path = write_csv(tmp_path / "f.csv", sample_rows(2))
    facilities_import(path, actor=None)
    before = list(Facility.objects.order_by("pk").values("pk", "updated_at", "version"))
    report = facilities_import(path, actor=None)
    assert report.as_dict()["unchanged"] == 2
    assert (report.facilities.created, report.facilities.updated) == (0, 0)
    assert report.classes.unchanged == 2 and report.staff.unchanged == 2
    assert list(Facility.objects.order_by("pk").values("pk", "updated_at", "version")) == before
    assert StaffMember.objects.count() == 2


def test_reimport_with_a_changed_cell_updates_that_facility(db, tmp_path):
    facilities_import(write_csv(tmp_path / "a.csv", sample_rows(2)), actor=None)
    rows = sample_rows(2)
    rows[3][12] = "8"
    report = facilities_import(write_csv(tmp_path / "b.csv", rows), actor=None)
    assert (report.facilities.updated, report.facilities.unchanged) == (1, 1)
    assert Facility.objects.get(external_id="HD-002").places_infant == 8


def test_refuses_to_change_a_filed_facility(db, tmp_path):
    facilities_import(write_csv(tmp_path / "a.csv", sample_rows(1)), actor=None)
    Facility.objects.update(filing_status="filed")
    rows = sample_rows(1)
    rows[0][12] = "8"
    report = facilities_import(write_csv(tmp_path / "b.csv", rows), actor=None)
    assert [e["code"] for e in report.errors] == ["IMP-022"]
    assert Facility.objects.get().places_infant == 10


def test_accepts_english_headers_and_values(db, tmp_path):
    headers = [
        "record_type",
        "external_id",
        "name",
        "operator_credit_code",
        "operator_name",
        "provision_model",
        "address",
        "division_code",
        "premises_tenure",
    ]
    rows = [
        [
            "facility",
            "EN-1",
            "Haidian Care",
            OPERATOR,
            "Example Ltd",
            "park",
            "1 Xueyuan Rd",
            "110108",
            "leased",
        ]
    ]
    report = facilities_import(write_csv(tmp_path / "f.csv", rows, headers=headers), actor=None)
    assert report.exit_status == 0, report.errors
    facility = Facility.objects.get(external_id="EN-1")
    assert (facility.provision_model, facility.premises_tenure) == ("park", "leased")


def test_reports_retired_division_with_successor(db, tmp_path):
    rows = sample_rows(1, division="110103")  # 崇文区, merged into 东城区 110101 in 2010
    report = facilities_import(write_csv(tmp_path / "f.csv", rows), actor=None)
    error = report.errors[0]
    assert (error["row"], error["column"], error["code"]) == (2, "所在县（区）代码", "IMP-017")
    assert "110101" in error["message"]
    assert "东城区" in error["message"]
    assert set(error) == {"row", "column", "code", "message"}


def test_prefecture_code_is_not_a_county(db, tmp_path):
    report = facilities_import(
        write_csv(tmp_path / "f.csv", sample_rows(1, division="110000")), actor=None
    )
    assert [e["code"] for e in report.errors] == ["IMP-016"]


def test_duplicate_external_key_is_an_error(db, tmp_path):
    rows = sample_rows(1) + sample_rows(1)
    report = facilities_import(write_csv(tmp_path / "f.csv", rows), actor=None)
    assert [(e["row"], e["code"]) for e in report.errors] == [
        (5, "IMP-018"),
        (6, "IMP-023"),
        (7, "IMP-023"),
    ]


def test_class_row_of_unknown_facility_is_an_error(db, tmp_path):
    rows = sample_rows(1)[1:2]
    report = facilities_import(write_csv(tmp_path / "f.csv", rows), actor=None)
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [
        (2, "外部编号", "IMP-019")
    ]


def test_staff_in_unknown_class_is_an_error(db, tmp_path):
    rows = sample_rows(1)
    rows[2][15] = "大一班"
    report = facilities_import(write_csv(tmp_path / "f.csv", rows), actor=None)
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [
        (4, "班级名称", "IMP-024")
    ]


def test_unknown_operator_without_name_is_an_error(db, tmp_path):
    rows = sample_rows(1)
    rows[0][4] = ""
    report = facilities_import(write_csv(tmp_path / "f.csv", rows), actor=None)
    assert [(e["column"], e["code"]) for e in report.errors] == [("运营单位名称", "IMP-020")]


def test_writes_one_audit_event_per_run(db, tmp_path):
    facilities_import(write_csv(tmp_path / "f.csv", sample_rows(3)), actor=None)
    events = AuditEvent.objects.filter(action="facility.import")
    assert events.count() == 1
    assert events.get().after["facilities"] == {"created": 3, "updated": 0, "unchanged": 0}


def test_example_in_the_format_document_imports(db, tmp_path):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "import-format.md").read_text(
        encoding="utf-8"
    )
    example = doc.split("## 8. Example", 1)[1].split("```csv", 1)[1].split("```", 1)[0].strip()
    path = tmp_path / "example.csv"
    path.write_text(example + "\n", encoding="utf-8")
    report = facilities_import(path, actor=None)
    assert report.errors == []
    assert (report.facilities.created, report.classes.created, report.staff.created) == (1, 1, 1)
