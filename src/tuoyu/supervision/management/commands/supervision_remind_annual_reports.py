"""``tuoyu supervision remind-annual-reports [--date YYYY-MM-DD] [--year YYYY]``: record
reminders for annual reports not yet submitted."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tuoyu.supervision.annual_reports import annual_reports_remind


class Command(BaseCommand):
    """Record one reminder (催报提醒) per filed facility without a submitted annual report,
    when the day lies from ``TUOYU_ANNUAL_REPORT_REMINDER_DAYS`` working days (default
    10) before the deadline up to the deadline. Safe to run daily and twice a day: at most
    one reminder per facility, year and day. Prints the facilities reminded and a total.
    Exit status 0; 2 for a bad ``--date`` (not YYYY-MM-DD) or ``--year`` (not a
    four-digit year), with a message naming the option and the value given."""

    help = "Record reminders for annual reports not yet submitted (idempotent per day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="local date to run as (default: today)")
        parser.add_argument("--year", help="year reported (default: the year before --date)")

    def handle(self, *args, **options):
        as_of = year = None
        if options.get("date"):
            try:
                as_of = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date {options['date']!r} is not a date; give it as YYYY-MM-DD", returncode=2
                ) from None
        if options.get("year"):
            try:
                year = int(options["year"])
            except ValueError:
                year = None
            if year is None or not 1000 <= year <= 9999:
                raise CommandError(
                    f"--year {options['year']!r} is not a year; give it as four digits, e.g. 2025", returncode=2
                )
        run = annual_reports_remind(as_of=as_of, year=year)
        if not run.in_window:
            self.stdout.write(
                f"{run.as_of.isoformat()} is outside the reminder window of the {run.year} "
                f"reports (deadline {run.deadline.isoformat()})"
            )
        for pk in run.reminded:
            self.stdout.write(f"facility {pk}: reminded")
        self.stdout.write(f"{len(run.reminded)} reminder(s) recorded on {run.as_of.isoformat()} for {run.year}")
