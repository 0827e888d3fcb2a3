"""``tuoyu calendar_load``: enter a year from the command line or a CSV file."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuoyu.reference.calendar import LIBRARY_YEARS, is_working_day, is_year_known
from tuoyu.reference.models import CalendarDay, CalendarYear

UNKNOWN = max(LIBRARY_YEARS) + 1


def _first(weekday: int, month: int) -> dt.date:
    return next(
        dt.date(UNKNOWN, month, d) for d in range(1, 8) if dt.date(UNKNOWN, month, d).weekday() == weekday
    )


def test_command_loads_holiday_ranges_and_workdays(db):
    saturday = _first(5, 2)
    out = StringIO()
    call_command(
        "calendar_load", str(UNKNOWN),
        "--holidays", f"{UNKNOWN}-01-01", f"{UNKNOWN}-02-10..{UNKNOWN}-02-12",
        "--workdays", saturday.isoformat(), "--notice", "国办发明电（测试）", stdout=out,
    )
    assert is_year_known(UNKNOWN)
    assert CalendarYear.objects.get(year=UNKNOWN).notice == "国办发明电（测试）"
    assert CalendarDay.objects.filter(kind="holiday").count() == 4
    assert is_working_day(saturday)
    assert "4 holidays, 1 make-up workdays" in out.getvalue()


def test_command_reads_a_csv_file(db, tmp_path):
    sunday = _first(6, 3)
    path = tmp_path / "days.csv"
    path.write_text(
        f"date,kind,name\n{UNKNOWN}-01-01,holiday,元旦\n{sunday.isoformat()},上班,调休\n",
        encoding="utf-8-sig",
    )
    call_command("calendar_load", str(UNKNOWN), "--csv", str(path), stdout=StringIO())
    assert CalendarDay.objects.get(date=dt.date(UNKNOWN, 1, 1)).name == "元旦"
    assert CalendarDay.objects.get(date=sunday).kind == "workday"


def test_command_refuses_a_library_year_with_the_error_code(db):
    with pytest.raises(CommandError, match="REF-010"):
        call_command("calendar_load", "2025", "--holidays", "2025-01-01", stdout=StringIO())


def test_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError):
        call_command("calendar_load", str(UNKNOWN), "--holidays", "not-a-date", stdout=StringIO())


def test_command_reads_chinese_headers(db, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text(f"日期,类型,名称\n{UNKNOWN}-01-01,放假,元旦\n", encoding="utf-8")
    call_command("calendar_load", str(UNKNOWN), "--csv", str(path), stdout=StringIO())
    assert CalendarDay.objects.get(date=dt.date(UNKNOWN, 1, 1)).kind == "holiday"


def test_command_reports_the_bad_line_of_a_csv(db, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text(f"date,kind\n{UNKNOWN}-01-01,holiday\n{UNKNOWN}-01-02,maybe\n", encoding="utf-8")
    with pytest.raises(CommandError, match=":3:"):
        call_command("calendar_load", str(UNKNOWN), "--csv", str(path), stdout=StringIO())
