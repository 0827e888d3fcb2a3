"""``tuoyu export facilities --format csv|xlsx --output F [--user U] [--status S]`` (机构数据导出)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Export facilities with classes and staff in the import template (re-importable).

    Without ``--user`` every facility is exported (an operator's command); with it, only
    what that user may see, as on the export page. ``--status`` (repeatable or comma-
    separated filing statuses), ``--county`` (division-code prefix) and ``--q`` (name
    search) filter. Text cells that could run as spreadsheet formulas are neutralised.
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

        from tuoyu.facilities import exporting

        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"unknown user {options['user']!r}")
        statuses = [s for value in options["status"] for s in value.split(",")]
        queryset = exporting.facilities_for_export(
            user, status=statuses, county=options["county"], q=options["q"]
        )
        rows = exporting.export_rows(queryset, user=user)
        count = 0

        def counted():
            nonlocal count
            for row in rows:
                count += 1
                yield row

        if options["format"] == "csv":
            with open(options["output"], "wb") as fh:
                for chunk in exporting.export_csv(counted()):
                    fh.write(chunk)
        else:
            exporting.export_xlsx(counted(), options["output"])
        self.stdout.write(f"{max(count - 1, 0)} rows written to {options['output']}")
