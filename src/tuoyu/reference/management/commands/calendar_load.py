"""``tuoyu calendar_load YEAR``: enter the working-day calendar of a year the library lacks."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuoyu.core.errors import DomainError
from tuoyu.reference.calendar import calendar_year_load, parse_date_list
from tuoyu.reference.choices import CalendarDayKind

_KINDS = {
    "holiday": CalendarDayKind.HOLIDAY,
    "假": CalendarDayKind.HOLIDAY,
    "休": CalendarDayKind.HOLIDAY,
    "放假": CalendarDayKind.HOLIDAY,
    "workday": CalendarDayKind.WORKDAY,
    "班": CalendarDayKind.WORKDAY,
    "上班": CalendarDayKind.WORKDAY,
}


def read_calendar_csv(path: Path) -> tuple[list[dt.date], list[dt.date], dict[dt.date, str]]:
    """Read a calendar CSV (UTF-8, optional BOM) with columns ``date,kind[,name]`` (or 日期,类型,名称).

    ``kind`` is ``holiday`` (or 放假/休) or ``workday`` (or 上班/班); ``date`` is ISO.
    Returns (holidays, workdays, names). Raises CommandError naming the bad line.
    """
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []
    names: dict[dt.date, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            try:
                day = dt.date.fromisoformat((row.get("date") or row.get("日期") or "").strip())
                kind = _KINDS[(row.get("kind") or row.get("类型") or "").strip().lower()]
            except (ValueError, KeyError) as exc:
                raise CommandError(f"{path}:{line_no}: {exc}") from exc
            (holidays if kind == CalendarDayKind.HOLIDAY else workdays).append(day)
            name = (row.get("name") or row.get("名称") or "").strip()
            if name:
                names[day] = name
    return holidays, workdays, names


class Command(BaseCommand):
    """Enter or replace a year's holidays and make-up workdays (国务院办公厅节假日安排).

    ``tuoyu calendar_load 2027 --holidays 2027-01-01 2027-02-05..2027-02-11
    --workdays 2027-02-14 --notice "国办发明电〔2026〕N号"`` or
    ``tuoyu calendar_load 2027 --csv days.csv`` (columns ``date,kind,name``).
    Provisional deadlines running through the year are recomputed afterwards. Exit status
    1 with the error code and message when the input is refused.
    """

    help = "Enter the working-day calendar of a year the chinese-calendar library does not know."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--holidays", nargs="*", default=[],
                            help="ISO dates or ranges A..B of days off")
        parser.add_argument("--workdays", nargs="*", default=[],
                            help="ISO dates of make-up working days (weekend days)")
        parser.add_argument("--csv", type=Path, help="CSV file with columns date,kind[,name]")
        parser.add_argument("--notice", default="", help="the State Council notice it follows")

    def handle(self, *args, **options):
        try:
            holidays = parse_date_list(" ".join(options["holidays"]))
            workdays = parse_date_list(" ".join(options["workdays"]))
        except ValueError as exc:
            raise CommandError(f"not a date or range: {exc}") from exc
        names: dict[dt.date, str] = {}
        if options["csv"]:
            csv_holidays, csv_workdays, names = read_calendar_csv(options["csv"])
            holidays += csv_holidays
            workdays += csv_workdays
        try:
            year = calendar_year_load(
                actor=None, year=options["year"], holidays=holidays, workdays=workdays,
                notice=options["notice"], names=names,
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(
            f"{year.year}: {len(set(holidays))} holidays, {len(set(workdays))} make-up workdays"
        )
