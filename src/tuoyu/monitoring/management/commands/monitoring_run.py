"""``tuoyu monitoring run [--date YYYY-MM-DD]``: run the alert rules and update the alerts."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tuoyu.core.errors import DomainError
from tuoyu.monitoring.rules import RULES_BY_CODE
from tuoyu.monitoring.services import run_alerts


class Command(BaseCommand):
    """Run every alert rule (动态监管预警) on a date and raise, keep or resolve alerts.

    Prints one line per rule as it finishes (alerts raised, still open, resolved, or the
    error) and a total. Safe to run daily and to run twice. Exit status 0; 1 when a rule
    failed (the other rules still ran); 2 for a bad ``--date`` (not a date, after today, or
    before the last run: MON-104).
    """

    help = "Run the alert rules and raise, keep or resolve alerts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="local date to run as (default: today)")

    def handle(self, *args, **options):
        as_of = None
        if options.get("date"):
            try:
                as_of = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"not a date: {options['date']}", returncode=2) from None

        def progress(result):
            title = RULES_BY_CODE[result.code].title
            if result.error:
                self.stderr.write(f"{result.code} {title}: failed: {result.error}")
            else:
                self.stdout.write(
                    f"{result.code} {title}: {result.raised} raised, {result.kept} still open, "
                    f"{result.resolved} resolved"
                )

        try:
            run = run_alerts(as_of, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        raised = sum(r.raised for r in run.rules)
        resolved = sum(r.resolved for r in run.rules)
        self.stdout.write(f"{raised} alert(s) raised, {resolved} resolved on {run.as_of.isoformat()}")
        if not run.ok:
            raise CommandError("some alert rules failed", returncode=1)
