"""Import of facilities with their classes and staff (机构批量导入).

The one entry point is :func:`facilities_import`. It reads a CSV or XLSX file in the
template of ``docs/import-format.md`` (see :mod:`.columns`), checks every row against the
template and the reference data (:mod:`.parsing`), and upserts facilities, classes and
staff in batches (:mod:`.writing`) inside one transaction: all or nothing. Re-importing
the same file changes nothing (stable external keys 来源系统 + 外部编号). One audit event
summarises the run (docs/adr/0020-bulk-import-audit.md).
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from django.db import DatabaseError, connection, transaction

from tuoyu.core.errors import message_for
from tuoyu.facilities.importing import codes
from tuoyu.facilities.importing.columns import (
    COLUMN_BY_KEY,
    RECORD_FACILITY,
    REQUIRED_HEADERS,
    map_headers,
)
from tuoyu.facilities.importing.parsing import (
    ClassRecord,
    FacilityRecord,
    ReferenceData,
    RowParser,
    StaffRecord,
    cell_text,
)
from tuoyu.facilities.importing.reading import (
    FormulaWithoutValue,
    ImportFileError,
    open_import_file,
)
from tuoyu.facilities.importing.scope import ActorScope
from tuoyu.facilities.importing.writing import Counts, Writer

__all__ = ["ImportReport", "ImportFileError", "facilities_import"]

CHUNK_ROWS = 2000


@dataclass
class ImportReport:
    """The outcome of one import run; :meth:`as_dict` is the JSON report.

    ``rows`` data rows read, ``valid`` rows without any error, ``errors`` one entry per
    problem ``{"row", "column", "code", "message"}`` (row numbers as Excel shows them,
    header = row 1; row 0 = the file as a whole). ``file_error`` is True when the file
    could not be read at all. Counts are what was (or, in a dry run or with errors, would
    have been) created / updated / left unchanged.
    """

    file: str = ""
    format: str = ""
    encoding: str = ""
    dry_run: bool = False
    rows: int = 0
    valid: int = 0
    errors: list[dict] = field(default_factory=list)
    facilities: Counts = field(default_factory=Counts)
    classes: Counts = field(default_factory=Counts)
    staff: Counts = field(default_factory=Counts)
    organizations_created: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    file_error: bool = False
    written: bool = False
    seconds: float = 0.0

    @property
    def exit_status(self) -> int:
        """0 clean, 1 some row invalid (nothing written), 2 the file cannot be read."""
        if self.file_error:
            return 2
        return 1 if self.errors else 0

    def as_dict(self) -> dict:
        """The JSON report: ``rows``, ``valid``, ``errors`` first, then counts and details."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "errors": self.errors,
            "created": self.facilities.created,
            "updated": self.facilities.updated,
            "unchanged": self.facilities.unchanged,
            "classes": self.classes.as_dict(),
            "staff": self.staff.as_dict(),
            "organizations_created": self.organizations_created,
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "dry_run": self.dry_run,
            "written": self.written,
            "ignored_columns": self.ignored_columns,
            "seconds": round(self.seconds, 3),
        }

    def fail(self, exc: ImportFileError, *, row: int = 0) -> ImportReport:
        """Record a file-level error (exit status 2)."""
        self.file_error = True
        column = COLUMN_BY_KEY[exc.field].zh if exc.field in COLUMN_BY_KEY else (exc.field or "")
        self.errors.append({"row": row, "column": column, "code": exc.code, "message": exc.message})
        return self


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def facilities_import(
    path: str | Path,
    *,
    actor,
    dry_run: bool = False,
    source_system: str = "",
    progress: bool = False,
) -> ImportReport:
    """Import facilities, classes and staff from ``path`` (.csv or .xlsx); all or nothing.

    ``actor`` is the User running the import (None = the system, e.g. a command run by an
    operator, not limited); with a user, only facilities that user may change are
    created or updated (their organisation operates or sponsors them; officials: in their
    jurisdiction), other rows get ``IMP-032`` (see :mod:`.scope`); ``source_system`` fills 来源系统 where the file leaves it blank;
    ``progress`` shows a tqdm bar on stderr. Returns an :class:`ImportReport`; never
    raises for bad input: file-level problems give ``exit_status`` 2, row problems 1 (and
    nothing is written). In a dry run everything is checked and counted, then rolled back.
    A database failure while writing (e.g. a concurrent import of the same keys) is
    reported as IMP-007 with exit status 2, everything rolled back.
    """
    started = time.perf_counter()
    path = Path(path)
    report = ImportReport(file=path.name, dry_run=dry_run)
    try:
        opened = open_import_file(path)
    except ImportFileError as exc:
        return report.fail(exc)
    report.format, report.encoding = opened.format, opened.encoding
    positions, report.ignored_columns = map_headers(opened.headers)
    present = set(positions.values())
    missing = [COLUMN_BY_KEY[k].zh for k in REQUIRED_HEADERS if k not in present]
    if missing:
        return report.fail(
            ImportFileError(codes.IMP_MISSING_HEADERS, {"columns": "、".join(missing)}), row=1
        )
    headers = {key: str(opened.headers[pos]).strip() for pos, key in positions.items()}
    parser = RowParser(ReferenceData(), default_source=source_system)
    errors = report.errors
    writer = Writer(
        errors=errors, headers=headers, scope=ActorScope(actor) if actor is not None else None
    )
    class_records: list[ClassRecord] = []
    staff_records: list[StaffRecord] = []
    items = list(positions.items())
    check_formulas = bool(opened.extra.get("formulas"))
    rows = opened.rows
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, total=opened.total, file=sys.stderr, unit=" rows", mininterval=0.5)
    try:
        with transaction.atomic():
            _lock_imports()
            chunk: list[FacilityRecord] = []
            for number, cells in rows:
                report.rows += 1
                if check_formulas:
                    values = _row_values(number, cells, items, headers, errors)
                else:
                    values = {key: cell_text(cells[pos]) for pos, key in items if pos < len(cells)}
                record = parser.parse(number, values, errors, headers)
                if isinstance(record, FacilityRecord):
                    chunk.append(record)
                    if len(chunk) >= CHUNK_ROWS:
                        writer.write_facilities(chunk, write=not errors)
                        chunk = []
                elif isinstance(record, ClassRecord):
                    class_records.append(record)
                elif isinstance(record, StaffRecord):
                    staff_records.append(record)
                elif parser.last[0] == RECORD_FACILITY:
                    # Its class and staff rows are not also reported as orphans.
                    writer.invalid_keys.add(parser.last[1])
            writer.write_facilities(chunk, write=not errors)
            writer.write_classes(class_records, write=not errors)
            writer.write_staff(staff_records, write=not errors)
            if errors or dry_run:
                transaction.set_rollback(True)
            else:
                report.written = True
                _audit(report, writer, actor=actor, path=path)
    except ImportFileError as exc:  # a limit reached while streaming rows
        report.written = False
        return report.fail(exc)
    except DatabaseError as exc:
        report.written = False
        return report.fail(ImportFileError(codes.IMP_WRITE_FAILED, {"detail": str(exc)[:300]}))
    finally:
        report.seconds = time.perf_counter() - started
    errors.sort(key=lambda e: e["row"])  # stable: columns keep their order within a row
    report.valid = report.rows - len({e["row"] for e in errors})
    report.facilities, report.classes, report.staff = (
        writer.facilities,
        writer.classes,
        writer.staff,
    )
    report.organizations_created = writer.orgs_created
    return report


def _row_values(number, cells, items, headers, errors) -> dict[str, str]:
    """The row's cells as text; a formula without a cached value is row error IMP-033."""
    values = {}
    for pos, key in items:
        if pos >= len(cells):
            continue
        cell = cells[pos]
        if isinstance(cell, FormulaWithoutValue):
            errors.append(
                {
                    "row": number,
                    "column": headers.get(key, COLUMN_BY_KEY[key].zh),
                    "code": codes.IMP_FORMULA_WITHOUT_VALUE,
                    "message": message_for(codes.IMP_FORMULA_WITHOUT_VALUE, {}),
                }
            )
            cell = None
        values[key] = cell_text(cell)
    return values


def _lock_imports() -> None:
    """Serialise imports on PostgreSQL (transaction-level advisory lock).

    Two imports of overlapping keys at once would both see the keys as new and the second
    would fail on the unique constraint; with the lock the second waits and then finds
    the first one's rows (and reports them unchanged).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('tuoyu.facilities.import'))")


def _audit(report: ImportReport, writer: Writer, *, actor, path: Path) -> None:
    """One audit event for the whole run (not one per row): see docs/adr/0020."""
    from tuoyu.audit.services import audit_record

    # The run itself is the audited object: type facilities.import, id = the file's SHA-256.
    run = SimpleNamespace(
        pk=_file_digest(path), _meta=SimpleNamespace(label_lower="facilities.import")
    )
    audit_record(
        actor=actor,
        action="facility.import",
        obj=run,
        after={
            "file": report.file,
            "format": report.format,
            "encoding": report.encoding,
            "rows": report.rows,
            "facilities": writer.facilities.as_dict(),
            "classes": writer.classes.as_dict(),
            "staff": writer.staff.as_dict(),
            "organizations_created": writer.orgs_created,
        },
        note=f"import of {report.file}",
    )
