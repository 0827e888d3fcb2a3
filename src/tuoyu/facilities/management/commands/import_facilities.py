"""``tuoyu import facilities PATH [--dry-run] [--report OUT.json]`` (机构批量导入)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Import facilities with classes and staff from a CSV or XLSX file, all or nothing.

    Exit status: 0 clean (written, or checked in a dry run), 1 some row is invalid
    (nothing written; the report lists row, column, code and message), 2 the file cannot
    be read (unknown format, undecodable, zip bomb, too many rows, required headers
    missing), or the command cannot run: unknown ``--user``, or a ``--report`` path that
    cannot be written (checked before anything is imported). With ``--user`` the rows are
    limited to the facilities that user may change (see docs/import-format.md).
    The template is documented in docs/import-format.md.
    """

    help = "Import facilities (with classes and staff) from CSV or XLSX; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--report", metavar="OUT.json", help="write the JSON report here")
        parser.add_argument("--source", default="", help="来源系统 for rows that leave it blank")
        parser.add_argument(
            "--user",
            default="",
            help="import as this user: only facilities they may change; recorded as the actor",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    def handle(self, *args, **options):
        from tuoyu.facilities.importing import facilities_import

        actor = None
        if options["user"]:
            from django.contrib.auth import get_user_model

            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"unknown user {options['user']!r}", returncode=2)
        if options["report"]:
            _check_writable(Path(options["report"]))
        report = facilities_import(
            options["path"],
            actor=actor,
            dry_run=options["dry_run"],
            source_system=options["source"],
            progress=not options["no_progress"] and sys.stderr.isatty(),
        )
        data = report.as_dict()
        if options["report"]:
            try:
                Path(options["report"]).write_text(
                    json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
            except OSError as exc:  # checked before importing; only a race gets here
                self.stderr.write(f"cannot write the report {options['report']}: {exc}")
        for error in report.errors[:50]:
            self.stderr.write(
                f"row {error['row']} [{error['column']}] {error['code']}: {error['message']}"
            )
        if len(report.errors) > 50:
            self.stderr.write(f"... {len(report.errors) - 50} more errors (see --report)")
        self.stdout.write(
            f"rows={data['rows']} valid={data['valid']} errors={len(data['errors'])} "
            f"created={data['created']} updated={data['updated']} unchanged={data['unchanged']} "
            f"classes={data['classes']} staff={data['staff']} "
            f"{'dry run, nothing written' if report.dry_run else ('written' if report.written else 'nothing written')} "
            f"({data['seconds']} s)"
        )
        if report.exit_status:
            raise CommandError(
                "the file cannot be read"
                if report.exit_status == 2
                else "invalid rows; nothing written",
                returncode=report.exit_status,
            )


def _check_writable(path: Path) -> None:
    """Raise CommandError (exit 2) unless a file can be written at ``path``."""
    if path.is_dir():
        raise CommandError(f"cannot write the report {path}: it is a folder", returncode=2)
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise CommandError(
            f"cannot write the report {path}: no such writable folder; nothing imported",
            returncode=2,
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise CommandError(f"cannot write the report {path}: not writable", returncode=2)
