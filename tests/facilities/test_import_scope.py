"""Import with a user is limited to what that user may change; formulas; report path."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import org_of
from tests.facilities.test_import import run_command, sample_rows, write_csv, write_xlsx
from tuoyu.facilities.importing import facilities_import
from tuoyu.facilities.models import Facility

pytestmark = pytest.mark.django_db


def rows_operated_by(user, n=1, **kwargs):
    rows = sample_rows(n, **kwargs)
    org = org_of(user)
    for row in rows:
        if row[0] == "机构":
            row[3], row[4] = org.credit_code, org.name
    return rows


def error_codes(report):
    return {e["code"] for e in report.errors}


def test_employer_may_import_facilities_it_operates(alice, tmp_path):
    path = write_csv(tmp_path / "f.csv", rows_operated_by(alice, 2))
    report = facilities_import(path, actor=alice)
    assert (report.errors, report.facilities.created) == ([], 2)


def test_employer_may_not_create_a_facility_of_another_operator(bob, tmp_path):
    path = write_csv(tmp_path / "f.csv", sample_rows(1))
    report = facilities_import(path, actor=bob)
    assert error_codes(report) == {"IMP-032"}
    assert not Facility.objects.exists()


def test_employer_may_not_update_another_employers_facility(alice, bob, tmp_path):
    facilities_import(write_csv(tmp_path / "a.csv", rows_operated_by(alice, 1)), actor=alice)
    rows = rows_operated_by(bob, 1, division="310115")  # same key, now claims bob's operator
    report = facilities_import(write_csv(tmp_path / "b.csv", rows), actor=bob)
    assert "IMP-032" in error_codes(report)
    assert Facility.objects.get().operator == org_of(alice)


def test_class_rows_for_another_employers_facility_are_refused(alice, bob, tmp_path):
    facilities_import(write_csv(tmp_path / "a.csv", rows_operated_by(alice, 1)), actor=alice)
    class_rows = [r for r in sample_rows(1) if r[0] == "班级"]
    report = facilities_import(write_csv(tmp_path / "b.csv", class_rows), actor=bob)
    assert error_codes(report) == {"IMP-032"}


def test_official_may_import_within_the_jurisdiction(hana, tmp_path):
    report = facilities_import(write_csv(tmp_path / "f.csv", sample_rows(1)), actor=hana)
    assert report.errors == []


def test_official_may_not_import_outside_the_jurisdiction(pudong, tmp_path):
    report = facilities_import(write_csv(tmp_path / "f.csv", sample_rows(1)), actor=pudong)
    assert error_codes(report) == {"IMP-032"}


def test_import_without_a_user_is_not_limited(db, tmp_path):
    report = facilities_import(write_csv(tmp_path / "f.csv", sample_rows(1)), actor=None)
    assert report.errors == []


def test_formula_without_a_cached_value_is_a_row_error(db, tmp_path):
    rows = sample_rows(1)
    rows[0][12] = "=5+10"  # 乳儿班托位, saved by openpyxl without a computed value
    status, report = run_command(write_xlsx(tmp_path / "f.xlsx", rows))
    assert status == 1
    assert [(e["column"], e["code"]) for e in report["errors"]] == [("乳儿班托位", "IMP-033")]
    assert not Facility.objects.exists()


def test_unwritable_report_path_stops_before_importing(db, tmp_path):
    path = write_csv(tmp_path / "f.csv", sample_rows(1))
    with pytest.raises(CommandError) as exc:
        call_command(
            "import_facilities", str(path), "--report", str(tmp_path / "no" / "r.json"),
            "--no-progress",
        )
    assert exc.value.returncode == 2
    assert not Facility.objects.exists()
