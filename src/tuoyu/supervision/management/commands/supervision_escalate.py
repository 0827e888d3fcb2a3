"""``tuoyu supervision escalate [--date YYYY-MM-DD]``: escalate overdue rectification orders."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tuoyu.supervision.rectification import rectifications_escalate


class Command(BaseCommand):
    """Take the due compliance-ladder step (notice → order → suspension → cancellation)
    of every overdue rectification order; each step once, audited. Safe to run daily and
    to run twice. Prints one line per step taken and the orders awaiting a filing
    decision. Exit status 0; 2 for a bad ``--date``."""

    help = "Escalate overdue rectification orders one due step each (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="local date to run as (default: today)")

    def handle(self, *args, **options):
        as_of = None
        if options.get("date"):
            try:
                as_of = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"not a date: {options['date']}", returncode=2) from None
        run = rectifications_escalate(as_of=as_of)
        for pk, step in run.escalated:
            self.stdout.write(f"order {pk}: {step}")
        for pk in run.for_decision:
            self.stdout.write(f"order {pk}: awaits a filing decision by the health commission")
        self.stdout.write(f"{len(run.escalated)} step(s) taken on {run.as_of.isoformat()}")
