"""``tuoyu export facilities --format csv|xlsx --output F [--user U] [--status S]`` (机构数据导出)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Export facilities with classes and staff in the import template (re-importable).

    Without ``--user`` every facility is exported (an operator's command); with it, only
    what that user may see, as on the export page. ``--status`` (repeatable or comma-
    separated filing statuses), ``--county`` (division-code prefix) and ``--q`` (name
    search) filter. Text cells that could run as spreadsheet formulas are neutralised.

    Exit status 2 (with a message, no traceback) for an unknown user, a user without the
    ``export_facilities`` capability, an unknown status, a county that is not a 2-, 4- or
    6-digit division-code prefix, or an output file that cannot be written.
    """

    help = "Export facilities (with classes and staff) to CSV (UTF-8 BOM) or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument("--user", default="", help="export only what this user may see")
        parser.add_argument("--status", action="append", default=[], help="filing status to keep")
        parser.add_argument("--county", default="", help="division-code prefix, e.g. 110108")
        parser.add_argument("--q", default="", help="search in facility names")

    def handle(self, *args, **options):
        from django.contrib.auth import get_user_model

        from tuoyu.accounts.permissions import can_export_facilities
        from tuoyu.facilities import exporting
        from tuoyu.facilities.workflow import FilingStatus

        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"unknown user {options['user']!r}", returncode=2)
            if not can_export_facilities(user):
                raise CommandError(
                    f"user {options['user']!r} may not export facilities", returncode=2
                )
        statuses = [s.strip() for value in options["status"] for s in value.split(",")]
        unknown = [s for s in statuses if s and s not in FilingStatus.values]
        if unknown:
            raise CommandError(
                f"unknown status {', '.join(unknown)} (one of {', '.join(FilingStatus.values)})",
                returncode=2,
            )
        county = options["county"].strip()
        if county and not (county.isdigit() and len(county) in (2, 4, 6)):
            raise CommandError(
                f"--county must be a 2-, 4- or 6-digit division code prefix, not {county!r}",
                returncode=2,
            )
        output = Path(options["output"])
        if output.is_dir() or not output.parent.is_dir() or not os.access(output.parent, os.W_OK):
            raise CommandError(f"cannot write {output}: no such writable folder", returncode=2)
        queryset = exporting.facilities_for_export(
            user, status=statuses, county=county, q=options["q"]
        )
        rows = exporting.export_rows(queryset, user=user)
        count = 0

        def counted():
            nonlocal count
            for row in rows:
                count += 1
                yield row

        try:
            if options["format"] == "csv":
                with open(output, "wb") as fh:
                    for chunk in exporting.export_csv(counted()):
                        fh.write(chunk)
            else:
                exporting.export_xlsx(counted(), str(output))
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}", returncode=2) from exc
        self.stdout.write(f"{max(count - 1, 0)} rows written to {options['output']}")
