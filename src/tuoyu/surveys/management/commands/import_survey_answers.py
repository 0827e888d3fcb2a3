"""``tuoyu import survey-answers SURVEY_ID PATH [--dry-run] [--user NAME] [--report OUT.json]`` (纸质答卷导入)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Import answers collected on paper into survey ``SURVEY_ID``, all or nothing.

    The template is documented in docs/survey-import-format.md. Exit status: 0 clean
    (written, or checked in a dry run); 1 some row is invalid (nothing written; each
    error is printed as row, column, code and message); 2 the file cannot be used
    (unknown format, undecodable, too large, no 问卷编号 column, draft survey) or the
    command cannot run (unknown survey or user, or ``--user`` does not manage the survey).
    Re-importing updates answers with the same 问卷编号.
    """

    help = "Import paper answers of a survey from CSV or XLSX; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("survey_id", type=int, help="the survey's number")
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--user", default="", help="import as this user (must manage the survey)")
        parser.add_argument("--report", metavar="OUT.json", help="write the JSON report here")

    def handle(self, *args, **options):
        from tuoyu.surveys.importing import paper_answers_import
        from tuoyu.surveys.models import Survey
        from tuoyu.surveys.permissions import can_manage_survey

        survey = Survey.objects.select_related("employer").filter(pk=options["survey_id"]).first()
        if survey is None:
            raise CommandError(f"no survey {options['survey_id']}", returncode=2)
        actor = None
        if options["user"]:
            from django.contrib.auth import get_user_model

            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"unknown user {options['user']!r}", returncode=2)
            if not can_manage_survey(actor, survey):
                raise CommandError(
                    f"{options['user']!r} does not manage survey {survey.pk}", returncode=2
                )
        report = paper_answers_import(
            survey=survey, path=options["path"], actor=actor, dry_run=options["dry_run"]
        )
        data = report.as_dict()
        if options["report"]:
            try:
                Path(options["report"]).write_text(
                    json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
            except OSError as exc:
                self.stderr.write(f"cannot write the report {options['report']}: {exc}")
        for error in report.errors:
            if not error["row"] and not error["column"]:  # a file-level problem (e.g. SUR-036)
                self.stderr.write(f"file {report.file}: {error['code']}: {error['message']}")
                continue
            where = f"row {error['row']}" + (f" [{error['column']}]" if error["column"] else "")
            self.stderr.write(f"{where} {error['code']}: {error['message']}")
        state = (
            "dry run, nothing written" if report.dry_run
            else "written" if report.written else "nothing written"
        )
        self.stdout.write(
            f"rows={data['rows']} valid={data['valid']} errors={len(data['errors'])} "
            f"created={data['created']} updated={data['updated']} "
            f"unchanged={data['unchanged']} {state}"
        )
        if report.exit_status:
            raise CommandError(
                "the file cannot be used" if report.exit_status == 2
                else "invalid rows; nothing written",
                returncode=report.exit_status,
            )
