"""Export of facilities (机构数据导出): formula neutralisation, scope, filters, round trip."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import RequestFactory

from tests.facilities.conftest import make_facility
from tests.facilities.test_import import sample_rows, write_csv
from tests.factories import FacilityClassFactory, StaffMemberFactory
from tuoyu.audit.models import DataAccessEvent
from tuoyu.facilities.export_views import facility_export
from tuoyu.facilities.exporting import neutralize
from tuoyu.facilities.importing import facilities_import
from tuoyu.facilities.models import Facility

INJECTIONS = {
    "name": '=HYPERLINK("http://evil.example","点我")',
    "address": "+1",
    "contact_phone": "-1",
    "qualification": "@SUM(A1:A9)",
}


def download(user, fmt="csv", **params):
    request = RequestFactory().get(f"/facilities/export/{fmt}/", params)
    request.user = user
    response = facility_export(request, fmt)
    return response, b"".join(
        response.streaming_content
    ) if response.streaming else response.content


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def injected(alice):
    facility = make_facility(
        alice,
        name=INJECTIONS["name"],
        address=INJECTIONS["address"],
        contact_phone=INJECTIONS["contact_phone"],
    )
    StaffMemberFactory(facility=facility, name="＝1+1", qualification=INJECTIONS["qualification"])
    return facility


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝1", "'＝1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠x", "'＠x"),
        ("海淀", "海淀"),
        ("1-1", "1-1"),
        ("", ""),
    ],
)
def test_neutralize(text, expected):
    assert neutralize(text) == expected


def test_csv_export_neutralises_formula_cells(injected, alice):
    _, content = download(alice, "csv")
    cells = {c for row in csv_rows(content) for c in row}
    for value in [*INJECTIONS.values(), "＝1+1"]:
        assert "'" + value in cells
        assert value not in cells


def test_xlsx_export_neutralises_formula_cells(injected, alice, tmp_path):
    response, content = download(alice, "xlsx")
    path = tmp_path / "out.xlsx"
    path.write_bytes(content)
    sheet = openpyxl.load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    for value in [*INJECTIONS.values(), "＝1+1"]:
        assert "'" + value in values


def test_export_is_scoped_to_the_officers_county(hana, chen, alice, bob):
    make_facility(alice, name="海淀一号托育")
    make_facility(bob, name="浦东一号托育")
    _, content = download(hana, "csv")
    names = [row[3] for row in csv_rows(content)[1:] if row[0] == "机构"]
    assert names == ["海淀一号托育"]
    _, content = download(chen, "csv")
    assert csv_rows(content)[1:] == []


def test_export_applies_status_and_search_filters(alice):
    make_facility(alice, name="海淀甲托育", filing_status="filed", receipt_number="R-1")
    make_facility(alice, name="海淀乙托育")
    _, content = download(alice, "csv", status="filed")
    assert [row[3] for row in csv_rows(content)[1:]] == ["海淀甲托育"]
    _, content = download(alice, "csv", q="乙")
    assert [row[3] for row in csv_rows(content)[1:]] == ["海淀乙托育"]


def test_union_officer_export_has_no_staff_rows(una, alice):
    facility = make_facility(alice, name="海淀托育")
    StaffMemberFactory(facility=facility, name="李老师")
    _, content = download(una, "csv")
    kinds = [row[0] for row in csv_rows(content)[1:]]
    assert kinds == ["机构"]


def test_officials_staff_export_is_logged(hana, alice):
    facility = make_facility(alice, name="海淀托育")
    StaffMemberFactory(facility=facility, name="李老师")
    _, content = download(hana, "csv")
    assert [row[0] for row in csv_rows(content)[1:]] == ["机构", "人员"]
    assert DataAccessEvent.objects.filter(actor=hana, object_id=str(facility.pk)).count() == 1


def test_anonymous_is_sent_to_log_in(db, settings):
    settings.LOGIN_URL = "/accounts/login/"
    response, _ = download(AnonymousUser(), "csv")
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_without_changes(db, tmp_path, fmt):
    facilities_import(write_csv(tmp_path / "in.csv", sample_rows(3)), actor=None)
    out = tmp_path / f"out.{fmt}"
    call_command("export_facilities", "--format", fmt, "--output", str(out))
    report = facilities_import(out, actor=None)
    assert report.errors == []
    assert (report.facilities.unchanged, report.classes.unchanged, report.staff.unchanged) == (
        3,
        3,
        3,
    )
    assert (report.facilities.created, report.facilities.updated) == (0, 0)


def test_tuoyu_made_facility_round_trips_by_internal_number(alice, tmp_path):
    facility = make_facility(alice, name="=海淀托育", children_floor=-1)
    cls = FacilityClassFactory(facility=facility, name="小一班")
    StaffMemberFactory(facility=facility, name="王老师", assigned_class=cls)
    out = tmp_path / "out.csv"
    call_command("export_facilities", "--output", str(out), "--user", "alice")
    report = facilities_import(out, actor=None)
    assert report.errors == []
    assert (report.facilities.unchanged, report.classes.unchanged, report.staff.unchanged) == (
        1,
        1,
        1,
    )
    assert Facility.objects.get().external_id == ""


def test_unknown_format_is_404(alice):
    from django.http import Http404

    with pytest.raises(Http404):
        download(alice, "pdf")


def test_export_command_applies_user_scope_and_status(hana, alice, bob, tmp_path):
    make_facility(alice, name="海淀已备案托育", filing_status="filed", receipt_number="R-9")
    make_facility(alice, name="海淀草稿托育")
    make_facility(bob, name="浦东已备案托育", filing_status="filed", receipt_number="R-8")
    out = tmp_path / "out.csv"
    call_command("export_facilities", "--output", str(out), "--user", "hana", "--status", "filed")
    rows = csv_rows(out.read_bytes())
    assert [row[3] for row in rows[1:] if row[0] == "机构"] == ["海淀已备案托育"]
