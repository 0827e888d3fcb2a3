"""Import of answers collected on paper (纸质答卷导入), CSV or XLSX, all or nothing.

The template is documented in ``docs/survey-import-format.md``; :data:`COLUMNS` is the
source of truth. Reading (encoding detection, XLSX zip-bomb guard, row limit, formula
cells) is the facility import's :func:`tuoyu.facilities.importing.reading.open_import_file`;
the row-level report has the facility import's shape ``{"row", "column", "code",
"message"}`` (row numbers as Excel shows them, header = row 1; row 0 = the file).

Rules (the same as an answer given online, docs/adr/0054-paper-answer-import.md):

- every row needs a paper reference 问卷编号 (≤ 50 characters, unique in the file); the
  import is idempotent on it: a second import of the same reference updates that answer
  (children replaced), an identical row is left unchanged;
- birth months ``YYYY-MM`` (also ``2025/3``, ``2025年3月``, an Excel date) separated by
  ``;`` — not after the answer month (``SUR-009``) and not 36 or more months before it
  (``SUR-010``); due months of expected births from the answer month to
  ``TUOYU_SURVEY_DUE_MONTHS`` (default 12) months after it (``SUR-011``); at most 10 in
  all (``SUR-014``) — the online answer's rules, checked by the same function; a
  malformed month is ``SUR-021``;
- choices accept the Chinese label, the English label or the code;
- the answer date 填写日期 (default: the day of the import) is the date the month rules
  are checked against.

Any error in any row: nothing is written. One audit event records the run.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from tuoyu.core.errors import message_for
from tuoyu.facilities.importing import codes as imp
from tuoyu.facilities.importing.parsing import cell_text
from tuoyu.facilities.importing.reading import (
    FormulaWithoutValue,
    ImportFileError,
    open_import_file,
)
from tuoyu.surveys import importing_errors as codes
from tuoyu.surveys.importing.checking import (
    PaperRecord,
    RowChecker,
    parse_month,
)
from tuoyu.surveys.importing.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    map_headers,
    template_help_rows,
    template_rows,
)

__all__ = [
    "COLUMNS",
    "PaperImportReport",
    "paper_answers_import",
    "parse_month",
    "template_help_rows",
    "template_rows",
]


@dataclass
class PaperImportReport:
    """Outcome of one paper import; :meth:`as_dict` is the JSON report.

    ``errors``: ``{"row", "column", "code", "message"}`` per problem (row 0 = the file);
    ``created``/``updated``/``unchanged`` answers (would-be counts when nothing was written).
    """

    file: str = ""
    format: str = ""
    encoding: str = ""
    dry_run: bool = False
    rows: int = 0
    valid: int = 0
    errors: list[dict] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    file_error: bool = False
    written: bool = False
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        """0 clean, 1 some row invalid (nothing written), 2 the file cannot be used."""
        if self.file_error:
            return 2
        return 1 if self.errors else 0

    def as_dict(self) -> dict:
        """The JSON report (same leading keys as the facility import's)."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "errors": self.errors,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "dry_run": self.dry_run,
            "written": self.written,
            "ignored_columns": self.ignored_columns,
            "seconds": round(self.seconds, 3),
        }

    def fail(self, code: str, params: dict | None = None, *, row: int = 0, column: str = "") -> PaperImportReport:
        """Record a file-level error (exit status 2) and return the report."""
        self.file_error = True
        self.errors.append(
            {"row": row, "column": column, "code": code, "message": message_for(code, params or {})}
        )
        return self


def paper_answers_import(
    *, survey, path: str | Path, actor, dry_run: bool = False, today: dt.date | None = None
) -> PaperImportReport:
    """Import paper answers of ``survey`` from ``path`` (.csv or .xlsx); all or nothing.

    ``actor``: the User importing (None = the system, e.g. the command without
    ``--user``); the caller has checked that they manage the survey. ``today``: the local
    date rows are checked against (default: today). Never raises for bad input: a file
    that cannot be read, lacks the 问卷编号 column, or belongs to a draft survey gives
    ``exit_status`` 2; row errors give 1 and nothing is written. A dry run checks and
    counts, then rolls back. Writes one audit event ``survey.paper_import``.
    """
    from tuoyu.surveys.choices import SurveyStatus

    started = time.perf_counter()
    path = Path(path)
    report = PaperImportReport(file=path.name, dry_run=dry_run)
    today = today or timezone.localdate()
    try:
        if survey.status == SurveyStatus.DRAFT:
            return report.fail(codes.SUR_IMPORT_DRAFT)
        try:
            opened = open_import_file(path)
        except ImportFileError as exc:
            return report.fail(exc.code, exc.params)
        report.format, report.encoding = opened.format, opened.encoding
        positions = set(survey.questions.values_list("position", flat=True))
        mapping, report.ignored_columns = map_headers(opened.headers, positions)
        if "paper_ref" not in mapping.values():
            return report.fail(
                imp.IMP_MISSING_HEADERS, {"columns": COLUMN_BY_KEY["paper_ref"].zh}, row=1
            )
        headers = {key: str(opened.headers[i]).strip() for i, key in mapping.items()}
        checker = RowChecker(survey, today=today, headers=headers)
        records: list[PaperRecord] = []
        try:
            for number, cells in opened.rows:
                report.rows += 1
                values = {}
                for index, key in mapping.items():
                    cell = cells[index] if index < len(cells) else None
                    if isinstance(cell, FormulaWithoutValue):
                        checker._error(report.errors, number, key, imp.IMP_FORMULA_WITHOUT_VALUE)
                        cell = None
                    values[key] = cell_text(cell)
                record = checker.check(number, values, report.errors)
                if record is not None:
                    records.append(record)
        except ImportFileError as exc:  # a limit reached while streaming rows
            return report.fail(exc.code, exc.params)
        report.valid = report.rows - len({e["row"] for e in report.errors})
        try:
            with transaction.atomic():
                _write(survey, records, report, today=today)
                if report.errors or dry_run:
                    transaction.set_rollback(True)
                else:
                    report.written = True
                    _audit(survey, report, actor=actor)
        except DatabaseError as exc:
            report.written = False
            return report.fail(imp.IMP_WRITE_FAILED, {"detail": str(exc)[:300]})
        report.errors.sort(key=lambda e: e["row"])
        return report
    finally:
        report.seconds = time.perf_counter() - started


def _snapshot(response, children) -> tuple:
    return (
        response.current_care,
        list(response.wanted_services or []),
        response.days_per_week,
        response.hours_from,
        response.hours_to,
        response.fee_band,
        response.would_use,
        response.commute_minutes,
        dict(response.extra_answers or {}),
        sorted(children),
    )


def _write(survey, records: list[PaperRecord], report: PaperImportReport, *, today: dt.date) -> None:
    """Upsert the answers of ``records`` by paper reference (counts even when not writing)."""
    from tuoyu.surveys.choices import ResponseSource
    from tuoyu.surveys.models import ResponseChild, Survey, SurveyResponse

    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # one import at a time
    existing = {
        r.paper_ref: r
        for r in SurveyResponse.objects.filter(survey=survey, paper_ref__in=[r.paper_ref for r in records])
    }
    kids: dict[int, list] = {}
    for rid, month, expected in ResponseChild.objects.filter(
        response__in=list(existing.values())
    ).values_list("response_id", "birth_month", "expected"):
        kids.setdefault(rid, []).append((month, expected))
    now = timezone.now()
    tz = timezone.get_current_timezone()
    for record in records:
        stamp = (
            dt.datetime.combine(record.answered_on, dt.time(12), tzinfo=tz)
            if record.answered_on
            else None
        )
        response = existing.get(record.paper_ref)
        if response is not None:
            before = _snapshot(response, kids.get(response.pk, []))
            same_date = stamp is None or stamp == response.submitted_at
            for name, value in record.values.items():
                setattr(response, name, value)
            if stamp is not None:
                response.submitted_at = response.consent_at = stamp
            if same_date and _snapshot(response, record.children) == before:
                report.unchanged += 1
                continue
            report.updated += 1
        else:
            response = SurveyResponse(
                survey=survey,
                source=ResponseSource.PAPER,
                paper_ref=record.paper_ref,
                consent_at=stamp or now,
                submitted_at=stamp or now,
                **record.values,
            )
            report.created += 1
        if report.errors:
            continue  # counting only: nothing is written when any row is invalid
        response.full_clean(validate_unique=False, validate_constraints=False)
        response.save()
        ResponseChild.objects.filter(response=response).delete()
        ResponseChild.objects.bulk_create(
            [ResponseChild(response=response, birth_month=m, expected=e) for m, e in record.children]
        )


def _audit(survey, report: PaperImportReport, *, actor) -> None:
    """One audit event for the whole run (not one per answer), on the survey."""
    from tuoyu.audit.services import audit_record

    audit_record(
        actor=actor,
        action="survey.paper_import",
        obj=survey,
        organization=survey.employer,
        after={
            "file": report.file,
            "format": report.format,
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
        note=f"paper answers import of {report.file}",
    )
