"""Reading an import file (读取导入文件): CSV in four encodings, or XLSX read-only.

Encoding of a CSV (编码识别), in this order of preference:

1. a byte-order mark decides: UTF-8 BOM → ``utf-8-sig``; GB18030 BOM (``84 31 95 33``) →
   ``gb18030``;
2. the whole file decodes as strict UTF-8 → ``utf-8`` (pure ASCII is also UTF-8);
3. otherwise charset-normalizer is asked, restricted to the encodings Chinese offices
   actually produce (``gb18030``, ``gbk``, ``gb2312``, ``big5``, ``utf_16``). Any answer of
   the GB family is decoded as **GB18030**, the superset of GBK and GB2312, so a file
   guessed as GBK that holds a character outside GBK (e.g. 㐀) still decodes. Short GBK
   files are often scored as Big5 or Shift-JIS by statistical detectors; because GB18030
   is tried before Big5 and a strict GB18030 decode of Big5 text usually fails, the GB
   family wins whenever the bytes are valid GB18030 — Chinese Excel on Windows saves "CSV"
   in GBK, so that is the right bet.
4. nothing decodes → ``IMP-002`` (exit status 2).

XLSX (防压缩炸弹): before openpyxl sees the file, the zip directory is checked: the sum of
the members' uncompressed sizes must not exceed ``MAX_UNCOMPRESSED_BYTES`` and no member
larger than 1 MiB may be compressed more than ``MAX_COMPRESSION_RATIO`` to 1. Python's
zipfile stops each member at its declared size, so a member that lies about its size
cannot inflate beyond the checked total. The workbook is then opened with
``read_only=True`` (rows streamed, not loaded) and ``data_only=True`` (cached formula
results, never formulas). When a sheet holds formulas, a second read-only pass gives the
formulas, and a formula cell without a cached result becomes :class:`FormulaWithoutValue`
(row error ``IMP-033``) instead of an empty cell. Both formats stop at ``MAX_ROWS`` data rows (``IMP-004``); a
CSV larger than ``MAX_UNCOMPRESSED_BYTES`` is refused before it is read (``IMP-003``).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from tuoyu.core.errors import DomainError
from tuoyu.facilities.importing.codes import (
    IMP_ENCODING,
    IMP_FORMAT,
    IMP_TOO_LARGE,
    IMP_TOO_MANY_ROWS,
    IMP_UNREADABLE,
)

MAX_ROWS = int(getattr(settings, "TUOYU_IMPORT_MAX_ROWS", 200_000))
MAX_UNCOMPRESSED_BYTES = int(getattr(settings, "TUOYU_IMPORT_MAX_UNCOMPRESSED", 512 * 1024 * 1024))
MAX_COMPRESSION_RATIO = int(getattr(settings, "TUOYU_IMPORT_MAX_RATIO", 200))
_RATIO_FLOOR_BYTES = 1024 * 1024
_GB18030_BOM = b"\x84\x31\x95\x33"
_GB_FAMILY = {"gb18030", "gbk", "gb2312", "hz", "cp936"}
_CANDIDATES = ["gb18030", "gbk", "gb2312", "big5", "utf_16"]


@dataclass(frozen=True)
class FormulaWithoutValue:
    """An XLSX cell holding a formula but no cached result (saved by a program that does
    not compute formulas): reported as row error ``IMP-033``, never read as empty or 0."""

    formula: str

    def __str__(self) -> str:
        return self.formula


_FORMULA_MARKS = (b"<f>", b"<f ", b":f>", b":f ")


def has_formulas(path: Path) -> bool:
    """True when a worksheet of the XLSX at ``path`` may hold a formula (cheap byte scan)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                continue
            with archive.open(name) as fh:
                tail = b""
                for block in iter(lambda fh=fh: fh.read(1024 * 1024), b""):
                    chunk = tail + block
                    if any(mark in chunk for mark in _FORMULA_MARKS):
                        return True
                    tail = chunk[-3:]
    return False


class ImportFileError(DomainError):
    """The file as a whole cannot be read (exit status 2). ``field`` names a column if any."""


@dataclass
class OpenedFile:
    """An opened import file: its format, detected encoding, header cells and data rows.

    ``rows`` yields ``(row_number, cells)`` with the row number as Excel shows it (the
    header is row 1). ``total`` is the number of data rows when known in advance (CSV:
    counted while decoding; XLSX: from the sheet dimension, may be None).
    """

    format: str
    encoding: str
    headers: list[object]
    rows: Iterator[tuple[int, list[object]]]
    total: int | None = None
    extra: dict = field(default_factory=dict)


def detect_encoding(data: bytes) -> str:
    """Return the codec name to decode CSV ``data`` with (see the module docstring).

    Raises ImportFileError IMP-002 if no supported encoding fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(_GB18030_BOM):
        return "gb18030"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from charset_normalizer import from_bytes

    matches = from_bytes(data[: 4 * 1024 * 1024], cp_isolation=_CANDIDATES)
    names = [m.encoding for m in matches]
    if any(n in _GB_FAMILY for n in names) or not names:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError as exc:
            if not names:
                raise ImportFileError(IMP_ENCODING, {"detail": str(exc)[:120]}) from exc
        else:
            return "gb18030"
    best = matches.best()
    if best is None:
        raise ImportFileError(IMP_ENCODING, {"detail": "no encoding fits"})
    return best.encoding


def open_import_file(path: str | Path) -> OpenedFile:
    """Open ``path`` (.csv, .txt or .xlsx; the content decides, not only the name).

    Returns an :class:`OpenedFile`. Raises ImportFileError IMP-001 (unknown format),
    IMP-002 (undecodable), IMP-003 (zip bomb / too large), IMP-004 (too many rows) or
    IMP-006 (unreadable).
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFileError(IMP_UNREADABLE, {"detail": exc.strerror or str(exc)}) from exc
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix in {".xlsx", ".xlsm"}:
        return _open_xlsx(path)
    if suffix in {".csv", ".txt", ""}:
        return _open_csv(path)
    raise ImportFileError(IMP_FORMAT, {"detail": suffix or path.name})


def _open_csv(path: Path) -> OpenedFile:
    size = path.stat().st_size
    if size > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(IMP_TOO_LARGE, {"detail": f"{size} bytes > {MAX_UNCOMPRESSED_BYTES}"})
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(IMP_FORMAT, {"detail": "binary content"})
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ImportFileError(IMP_ENCODING, {"detail": str(exc)[:120]}) from exc
    del data
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = max(",\t;", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration as exc:
        raise ImportFileError(IMP_UNREADABLE, {"detail": "empty file"}) from exc
    total = max(text.count("\n") - 1, 0)

    def rows() -> Iterator[tuple[int, list[object]]]:
        count = 0
        try:
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                count += 1
                if count > MAX_ROWS:
                    raise ImportFileError(IMP_TOO_MANY_ROWS, {"limit": MAX_ROWS})
                yield reader.line_num, cells
        except csv.Error as exc:
            raise ImportFileError(IMP_UNREADABLE, {"detail": str(exc)}) from exc

    return OpenedFile("csv", encoding.replace("-sig", " BOM").upper(), headers, rows(), total)


def check_zip(path: Path) -> None:
    """Refuse an XLSX whose members would inflate too much (zip bomb). Raises IMP-001/IMP-003."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(IMP_FORMAT, {"detail": f"not an XLSX workbook ({exc})"}) from exc
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            IMP_TOO_LARGE,
            {"detail": f"{total} bytes uncompressed > {MAX_UNCOMPRESSED_BYTES}"},
        )
    for m in members:
        if m.file_size > _RATIO_FLOOR_BYTES:
            ratio = m.file_size / max(m.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise ImportFileError(
                    IMP_TOO_LARGE,
                    {
                        "detail": f"{m.filename} compressed {ratio:.0f}:1 > {MAX_COMPRESSION_RATIO}:1"
                    },
                )


def _open_xlsx(path: Path) -> OpenedFile:
    check_zip(path)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ImportFileError(
            IMP_FORMAT, {"detail": f"not an XLSX workbook ({exc.__class__.__name__})"}
        ) from exc
    sheet = workbook.worksheets[0]
    declared = sheet.max_row if isinstance(sheet.max_row, int) else None
    if declared is not None and declared - 1 > MAX_ROWS:
        workbook.close()
        raise ImportFileError(IMP_TOO_MANY_ROWS, {"limit": MAX_ROWS})
    iterator = sheet.iter_rows(values_only=True)
    formulas = formula_book = None
    if has_formulas(path):
        # A second pass over the same sheet gives the formulas, to tell a formula without
        # a cached result from an empty cell.
        formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        formulas = formula_book.worksheets[0].iter_rows(values_only=True)
        iterator = _with_formulas(iterator, formulas)
    try:
        headers = list(next(iterator))
    except StopIteration as exc:
        workbook.close()
        raise ImportFileError(IMP_UNREADABLE, {"detail": "empty sheet"}) from exc

    def rows() -> Iterator[tuple[int, list[object]]]:
        count = 0
        try:
            for number, cells in enumerate(iterator, start=2):
                if not any(c is not None and str(c).strip() for c in cells):
                    continue
                count += 1
                if count > MAX_ROWS:
                    raise ImportFileError(IMP_TOO_MANY_ROWS, {"limit": MAX_ROWS})
                yield number, list(cells)
        finally:
            workbook.close()
            if formula_book is not None:
                formula_book.close()

    total = declared - 1 if declared else None
    return OpenedFile(
        "xlsx", "", headers, rows(), total, {"sheet": sheet.title, "formulas": formulas is not None}
    )


def _with_formulas(values, formulas):
    """Yield the cached-value rows, a formula cell without a value as :class:`FormulaWithoutValue`."""
    for row, formula_row in zip(values, formulas, strict=False):
        if any(v is None for v in row):
            row = tuple(
                FormulaWithoutValue(f)
                if v is None and isinstance(f, str) and f.startswith("=")
                else v
                for v, f in zip(row, formula_row, strict=False)
            ) + tuple(row[len(formula_row):])
        yield row
