"""Reading the draw's two lists from files (抽查名录文件): entities and inspectors.

The files are read by the facility import's reader (:func:`open_import_file`): CSV in
UTF-8 (with or without BOM), GB18030/GBK, or XLSX (first sheet). The first row holds the
column names; English or Chinese names are accepted, in any order (docs/draw-algorithm.md,
"Input files"):

Entities (检查对象名录): ``id``/``编号`` (required), ``organisation``/``所属单位``,
``credit_class``/``信用风险分类`` (A–D or blank), ``complaints``/``投诉数`` (whole number,
blank = 0), ``open_rectifications``/``未完成整改数``, ``annual_report_missing``/``年报缺报``
(是/否, yes/no, 1/0, blank = no), plus the stratum columns named by the draw (a column
``stratum:<name>`` also counts as ``<name>``, so a published canonical list reads back as
it is; its ``weight`` column is ignored, the weight being recomputed from the factors).

Inspectors (执法检查人员名录): ``id``/``编号`` (required), ``organisations``/``所属单位``
and ``last_assigned``/``上次检查对象`` (lists separated by ``;``, ``；``, ``,``, ``，`` or ``、``).

Every problem is reported with its row (as a spreadsheet shows it: the header is row 1)
and column; a file with any problem gives :class:`DrawInputError` listing them all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from tuoyu.core.errors import DomainError
from tuoyu.facilities.importing.parsing import cell_text
from tuoyu.supervision.draw import (
    ENTITY_FIELDS,
    Entity,
    Inspector,
    PreparedEntities,
    WeightTable,
    entity_header,
    prepare_rows,
    sha256_hex,
)
from tuoyu.supervision.errors import (
    SUP_DUPLICATE_ID,
    SUP_FILE_UNREADABLE,
    SUP_INVALID_VALUE,
    SUP_MISSING_COLUMN,
)

ENTITY_COLUMNS = {
    "id": ("id", "编号"),
    "organisation": ("organisation", "organization", "所属单位"),
    "credit_class": ("credit_class", "信用风险分类"),
    "complaints": ("complaints", "投诉数"),
    "open_rectifications": ("open_rectifications", "未完成整改数"),
    "annual_report_missing": ("annual_report_missing", "年报缺报"),
}
INSPECTOR_COLUMNS = {
    "id": ("id", "编号"),
    "organisations": ("organisations", "organizations", "所属单位"),
    "last_assigned": ("last_assigned", "上次检查对象"),
}
_LIST_SPLIT = re.compile(r"[;；,，、]+")
_TRUE = {"1", "是", "y", "yes", "true", "有"}
_FALSE = {"", "0", "否", "n", "no", "false", "无"}


class DrawInputError(DomainError):
    """A list file cannot be used; ``details["errors"]`` lists ``{row, column, code, message}``."""


def _key(text: object) -> str:
    text = str(text or "")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip().lower()


def _cell(cells: Sequence[object], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    if value.__class__ is str and value[:1] != "'":
        return value.strip()
    return cell_text(value)


def _open(path: str | Path, *, extra: Sequence[str], columns: dict[str, tuple[str, ...]]):
    """Open ``path``; return (rows iterator, column index by name). Raises DrawInputError."""
    from tuoyu.facilities.importing.reading import ImportFileError, open_import_file

    try:
        opened = open_import_file(path)
    except ImportFileError as exc:
        raise DrawInputError(
            SUP_FILE_UNREADABLE, {"path": Path(path).name, "detail": exc.message}
        ) from exc
    headers = [_key(h) for h in opened.headers]
    index: dict[str, int | None] = {}
    for name, aliases in columns.items():
        index[name] = next((i for i, h in enumerate(headers) if h in aliases), None)
    for name in extra:
        # A published canonical list names its stratum columns "stratum:<name>".
        wanted = {_key(name), _key(f"stratum:{name}")}
        index[f"stratum:{name}"] = next((i for i, h in enumerate(headers) if h in wanted), None)
    missing = [n for n, i in index.items() if i is None and (n == "id" or n.startswith("stratum:"))]
    if missing:
        raise DrawInputError(
            SUP_MISSING_COLUMN,
            {"column": ", ".join(m.removeprefix("stratum:") for m in missing)},
            details={"errors": []},
        )
    return opened.rows, index


def _error(errors: list, row: int, column: str, code: str, params: dict) -> None:
    errors.append((row, column, DomainError(code, params, field=column)))


def _raise(errors: list) -> None:
    """Raise DrawInputError for the first problem, with every problem in ``details``."""
    if not errors:
        return
    listed = [
        {"row": row, "column": column, "code": exc.code, "message": exc.message}
        for row, column, exc in errors
    ]
    first = errors[0][2]
    raise DrawInputError(first.code, first.params, field=first.field, details={"errors": listed})


def _whole(text: str, row: int, column: str, errors: list) -> int:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.strip()
    if text == "":
        return 0
    if not text.isdigit():
        _error(errors, row, column, SUP_INVALID_VALUE, {"row": row, "column": column, "detail": _("须为不小于0的整数")})
        return 0
    return int(text)


def read_entities(path: str | Path, strata_columns: Sequence[str] = ()) -> list[Entity]:
    """Read the entity list at ``path``; ``strata_columns`` must be columns of the file.

    Returns the entities in file order. Raises :class:`DrawInputError` (SUP-007 unreadable
    file, SUP-002 missing column, SUP-001/SUP-003 with every row error in ``details``).
    """
    rows, index = _open(path, extra=strata_columns, columns=ENTITY_COLUMNS)
    errors: list = []
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    try:
        for row, cells in rows:
            before = len(errors)
            flag = _key(_cell(cells, index["annual_report_missing"]))
            if flag not in _TRUE | _FALSE:
                _error(errors, row, "annual_report_missing", SUP_INVALID_VALUE,
                       {"row": row, "column": "annual_report_missing", "detail": _("须为是/否、yes/no或1/0")})
            values = {
                "id": _cell(cells, index["id"]),
                "organisation": _cell(cells, index["organisation"]),
                "credit_class": unicodedata.normalize("NFKC", _cell(cells, index["credit_class"])),
                "complaints": _whole(_cell(cells, index["complaints"]), row, "complaints", errors),
                "open_rectifications": _whole(
                    _cell(cells, index["open_rectifications"]), row, "open_rectifications", errors
                ),
                "annual_report_missing": flag in _TRUE,
                "strata": tuple(_cell(cells, index[f"stratum:{c}"]) for c in strata_columns),
            }
            if len(errors) > before:
                continue
            try:
                entity = Entity(**values, row=row)
            except DomainError as exc:
                errors.append((row, exc.field or "", exc))
                continue
            if entity.id in seen:
                _error(errors, row, "id", SUP_DUPLICATE_ID, {"row": row, "id": entity.id})
                continue
            seen[entity.id] = row
            entities.append(entity)
    except DomainError as exc:  # the reader gave up half-way (too many rows, bad CSV)
        raise DrawInputError(SUP_FILE_UNREADABLE, {"path": Path(path).name, "detail": exc.message}) from exc
    _raise(errors)
    return entities


def read_inspectors(path: str | Path) -> list[Inspector]:
    """Read the inspector list at ``path``. Returns inspectors in file order.

    Raises :class:`DrawInputError` like :func:`read_entities`.
    """
    rows, index = _open(path, extra=(), columns=INSPECTOR_COLUMNS)
    errors: list = []
    inspectors: list[Inspector] = []
    seen: set[str] = set()
    try:
        for row, cells in rows:
            try:
                inspector = Inspector(
                    id=_cell(cells, index["id"]),
                    organisations=tuple(_LIST_SPLIT.split(_cell(cells, index["organisations"]))),
                    last_assigned=tuple(_LIST_SPLIT.split(_cell(cells, index["last_assigned"]))),
                    row=row,
                )
            except DomainError as exc:
                errors.append((row, exc.field or "", exc))
                continue
            if inspector.id in seen:
                _error(errors, row, "id", SUP_DUPLICATE_ID, {"row": row, "id": inspector.id})
                continue
            seen.add(inspector.id)
            inspectors.append(inspector)
    except DomainError as exc:
        raise DrawInputError(SUP_FILE_UNREADABLE, {"path": Path(path).name, "detail": exc.message}) from exc
    _raise(errors)
    return inspectors


# --- frozen lists (冻结名录) stored as JSON records ------------------------------------------


def entity_record(entity: Entity, strata_columns: Sequence[str]) -> dict:
    """``entity`` as the JSON record kept in a frozen list (strata as a column → value map)."""
    return {
        "id": entity.id,
        "organisation": entity.organisation,
        "credit_class": entity.credit_class,
        "complaints": entity.complaints,
        "open_rectifications": entity.open_rectifications,
        "annual_report_missing": entity.annual_report_missing,
        "strata": dict(zip(strata_columns, entity.strata, strict=True)),
    }


def entity_from_record(record: dict, strata_columns: Sequence[str]) -> Entity:
    """The :class:`Entity` of a frozen JSON record. Raises DomainError on a malformed record."""
    return Entity(
        id=record["id"],
        organisation=record.get("organisation", ""),
        strata=tuple(record.get("strata", {}).get(c, "") for c in strata_columns),
        credit_class=record.get("credit_class", ""),
        complaints=record.get("complaints", 0),
        open_rectifications=record.get("open_rectifications", 0),
        annual_report_missing=bool(record.get("annual_report_missing", False)),
    )


def inspector_record(inspector: Inspector) -> dict:
    """``inspector`` as the JSON record kept in a frozen list."""
    return {
        "id": inspector.id,
        "organisations": list(inspector.organisations),
        "last_assigned": list(inspector.last_assigned),
    }


def inspector_from_record(record: dict) -> Inspector:
    """The :class:`Inspector` of a frozen JSON record."""
    return Inspector(
        id=record["id"],
        organisations=tuple(record.get("organisations", ())),
        last_assigned=tuple(record.get("last_assigned", ())),
    )


# Characters a valid canonical list never holds: control characters other than the tab and
# line feed that structure it; white space at either end of a field; ";" in the first two
# fields (the entity's id and organisation).
_FORBIDDEN_IN_LIST = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"[^\S\t\n]")
_SPACE_AT_FIELD_EDGE = re.compile(r"(?:^|\t)[^\S\t\n]|[^\S\t\n](?:\t|$)", re.MULTILINE)
_SEMICOLON_IN_IDS = re.compile(r"^[^\t\n]*(?:\t[^\t\n]*)?;", re.MULTILINE)


class _Untrusted(Exception):
    """A frozen record that the trusted path does not take as it is."""


def frozen_entity_rows(
    records: Sequence[dict], strata_columns: Sequence[str], weights: WeightTable, published_sha256: str
) -> tuple[bytes, PreparedEntities] | None:
    """The canonical entity list and prepared rows of frozen records, if they are intact.

    The trusted fast path of a stored draw (no :class:`Entity` objects): the records
    (:func:`entity_record`, in the stored order) are written straight out as the canonical
    list of docs/draw-algorithm.md §3. When that text hashes to ``published_sha256`` and is
    a valid canonical list (one record per line, ids non-empty and strictly ascending, no
    control character, no white space around a field, no ``;`` in an id, whole numbers ≥ 0),
    returns ``(canonical UTF-8 bytes, PreparedEntities)`` ready for
    :func:`~tuoyu.supervision.draw.draw_prepared`: exactly what the
    checked path (:func:`entity_from_record`, then
    :func:`~tuoyu.supervision.draw.prepare_entities`) gives for such records. Returns None
    otherwise (altered, malformed or differently ordered records): the caller then takes the
    checked path, which reports the problem. Never raises.
    """
    columns = tuple(strata_columns)
    if len(columns) > 1:
        stratum_values = itemgetter(*columns)
    elif columns:
        column = columns[0]

        def stratum_values(values: dict) -> tuple[str, ...]:
            return (values[column],)
    else:

        def stratum_values(values: dict) -> tuple[str, ...]:
            return ()

    def rows():
        previous = ""
        # Records written by :func:`entity_record` hold every key; one that lacks a key is
        # not trusted (the checked path fills in the defaults).
        for record in records:
            ident = record["id"]
            organisation = record["organisation"]
            credit = record["credit_class"]
            complaints = record["complaints"]
            rectifications = record["open_rectifications"]
            if not (
                ident.__class__ is str
                and ident > previous  # non-empty, unique and in canonical order
                and organisation.__class__ is str
                and credit.__class__ is str
                and complaints.__class__ is int
                and rectifications.__class__ is int
                and complaints >= 0
                and rectifications >= 0
            ):
                raise _Untrusted
            previous = ident
            yield (
                ident, organisation, credit, complaints, rectifications,
                bool(record["annual_report_missing"]), stratum_values(record["strata"]),
            )

    try:
        text, prepared = prepare_rows(rows(), columns, weights)
    except (_Untrusted, KeyError, TypeError, AttributeError):
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: never in a published list
        return None
    if sha256_hex(data) != published_sha256:
        return None
    fields = len(ENTITY_FIELDS) + len(columns)
    header_end = len(entity_header(columns)) + 1
    count = len(prepared.ids)
    if (
        text.count("\n") != count + 1
        or text.count("\t") != (count + 1) * (fields - 1)
        or _FORBIDDEN_IN_LIST.search(text)
        # The precise patterns are slow on a long text; run them only when needed.
        or (_SPACE.search(text) and _SPACE_AT_FIELD_EDGE.search(text))
        or (";" in text[header_end:] and _SEMICOLON_IN_IDS.search(text, header_end))
    ):
        return None
    return data, prepared
