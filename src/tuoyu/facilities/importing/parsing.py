"""Turning one row of cells into a checked record (逐行校验), with reference data looked up once.

A :class:`RowParser` holds the reference tables as dicts (active county divisions,
retired codes with their successors, industries, choice labels) so that checking a row
never queries the database. Each problem becomes one error entry
``{"row", "column", "code", "message"}``; a row with any error gives no record.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from django.utils import translation

from tuoyu.core.errors import DomainError, message_for
from tuoyu.core.identifiers import validate_credit_code
from tuoyu.facilities.choices import ServiceType
from tuoyu.facilities.importing import codes
from tuoyu.facilities.importing.columns import (
    CHOICE_CLASSES,
    COLUMN_BY_KEY,
    FEE_COLUMNS,
    OPERATOR_KINDS,
    RECORD_CLASS,
    RECORD_FACILITY,
    RECORD_STAFF,
    RECORD_TYPES,
    header_key,
)
from tuoyu.facilities.models import (
    AREA_MAX,
    CAPACITY_MAX,
    CAPACITY_MIN,
    EXPERIENCE_MAX,
    FLOOR_MAX,
    FLOOR_MIN,
    PLACES_MAX,
)

# Characters a spreadsheet treats as the start of a formula; the export prefixes such a
# cell with an apostrophe, which is taken off again here so a round trip is lossless.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LIST_SPLIT = re.compile(r"[;；,，、|/\n]+")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "已完成"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "未完成"}
_CENT = Decimal("0.01")
_MISSING = object()
_MEMO_LIMIT = 50_000  # distinct texts kept per column
_DECIMAL_MAX = Decimal("99999999.99")


def cell_text(value: object) -> str:
    """Return a cell as stripped text (``None`` → ``""``; 12.0 → ``"12"``; dates ISO).

    A leading apostrophe before a formula character (written by our export) is removed.
    """
    if value.__class__ is str:
        text = value.strip()
    elif value is None:
        return ""
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        text = str(value).strip()
    if (
        text[:1] == "'"
        and len(text) > 1
        and unicodedata.normalize("NFKC", text[1])[:1] in FORMULA_STARTS
    ):
        text = text[1:]
    return text


@dataclass(slots=True)
class FacilityRecord:
    """A checked facility row: model field values plus the organisations it names."""

    row: int
    key: tuple[str, str]
    values: dict
    operator_code: str
    operator_name: str
    operator_kind: str
    operator_industry: str | None
    sponsor_codes: list[str] | None  # None: default (the operator, if an employer)
    services: dict[str, Decimal | None]


@dataclass(slots=True)
class ClassRecord:
    """A checked class row (班级) of the facility with ``key``."""

    row: int
    key: tuple[str, str]
    name: str
    class_type: str
    capacity: int


@dataclass(slots=True)
class StaffRecord:
    """A checked staff row (工作人员) of the facility with ``key``; ``class_name`` may be ''."""

    row: int
    key: tuple[str, str]
    staff_id: str
    name: str
    values: dict = field(default_factory=dict)
    class_name: str = ""


class CellError(Exception):
    """One cell is wrong: ``code`` and message parameters (or a ready ``message``)."""

    def __init__(self, code: str, params: dict | None = None, *, message: str | None = None):
        super().__init__(code)
        self.code = code
        self.params = params or {}
        self.message = message


def _choice_map(choices_cls) -> tuple[dict[str, str], str]:
    mapping: dict[str, str] = {}
    for value, label in choices_cls.choices:
        mapping[value] = value
        mapping[header_key(value)] = value
        with translation.override("zh-hans"):
            mapping[str(label)] = value
            mapping[header_key(str(label))] = value
        with translation.override("en"):
            mapping[header_key(str(label))] = value
    with translation.override("zh-hans"):
        allowed = "、".join(str(label) for _, label in choices_cls.choices)
    return mapping, allowed


class ReferenceData:
    """Reference tables loaded once per import (a few thousand rows, a few hundred KB)."""

    def __init__(self) -> None:
        from tuoyu.reference.models import Division, Industry

        self.county_ids: dict[str, int] = {}
        self.other_active: set[str] = set()
        self.inactive: dict[str, tuple[str, int | None, list]] = {}
        rows = Division.objects.order_by("code", "valid_from").values_list(
            "id", "code", "name", "level", "status", "valid_to", "successors"
        )
        for pk, code, name, level, status, valid_to, successors in rows:
            if status == "active":
                if level == "county":
                    self.county_ids[code] = pk
                else:
                    self.other_active.add(code)
            else:
                self.inactive[code] = (name, valid_to, successors or [])
        self.industries = set(Industry.objects.values_list("code", flat=True))
        self.choices = {key: _choice_map(cls) for key, cls in CHOICE_CLASSES.items()}

    def active_successors(self, code: str) -> list[str]:
        """Follow the successor chain of a retired ``code`` to codes in use (at most 10 steps)."""
        result: list[str] = []
        frontier, seen = [code], {code}
        for _ in range(10):
            following: list[str] = []
            for c in frontier:
                for s in self.inactive.get(c, ("", None, []))[2]:
                    s_code = s.get("code") if isinstance(s, dict) else str(s)
                    if not s_code or s_code in seen:
                        continue
                    seen.add(s_code)
                    if s_code in self.county_ids or s_code in self.other_active:
                        result.append(s_code)
                    else:
                        following.append(s_code)
            if not following:
                break
            frontier = following
        return result


class RowParser:
    """Checks rows against the template and the reference data; see :meth:`parse`."""

    def __init__(self, ref: ReferenceData, *, default_source: str = "") -> None:
        # Operators and sponsors repeat across rows: each credit code is checked once.
        self._credit_cache: dict[str, str | dict] = {}
        self.ref = ref
        self.default_source = default_source
        self._spec = self._facility_spec()
        self._memo: dict[str, dict] = defaultdict(dict)
        self._services_memo: dict[tuple, dict] = {}
        self._errors: list[dict] = []
        # (record type, key) of the row parsed last, even when it had errors.
        self.last: tuple[str | None, tuple[str, str]] = (None, ("", ""))

    # -- cells -------------------------------------------------------------------------

    def text(self, value: str, *, limit: int, required: bool = False) -> str:
        if not value:
            if required:
                raise CellError(codes.IMP_REQUIRED)
            return ""
        if len(value) > limit:
            raise CellError(codes.IMP_TOO_LONG, {"limit": limit})
        return value

    def choice(self, key: str, value: str, *, required: bool = False, default: str = "") -> str:
        if not value:
            if required:
                raise CellError(codes.IMP_REQUIRED)
            return default
        mapping, allowed = self.ref.choices[key]
        found = mapping.get(value) or mapping.get(header_key(value))
        if found is None:
            raise CellError(codes.IMP_CHOICE, {"value": value, "allowed": allowed})
        return found

    @staticmethod
    def integer(value: str, *, low: int, high: int, default: int | None = 0) -> int | None:
        if not value:
            return default
        if value.isascii() and value.isdigit():
            number = int(value)
            if not low <= number <= high:
                raise CellError(codes.IMP_OUT_OF_RANGE, {"value": value, "low": low, "high": high})
            return number
        try:
            number = Decimal(unicodedata.normalize("NFKC", value).replace(",", ""))
        except InvalidOperation as exc:
            raise CellError(codes.IMP_NUMBER, {"value": value, "kind": "整数/integer"}) from exc
        if number != number.to_integral_value():
            raise CellError(codes.IMP_NUMBER, {"value": value, "kind": "整数/integer"})
        if not low <= number <= high:
            raise CellError(codes.IMP_OUT_OF_RANGE, {"value": value, "low": low, "high": high})
        return int(number)

    @staticmethod
    def decimal(value: str) -> Decimal | None:
        if not value:
            return None
        text = value if value.isascii() else unicodedata.normalize("NFKC", value)
        text = text.replace(",", "").replace("¥", "").replace("元", "")
        try:
            number = Decimal(text).quantize(_CENT, rounding=ROUND_HALF_UP)
        except InvalidOperation as exc:
            raise CellError(codes.IMP_NUMBER, {"value": value, "kind": "数字/number"}) from exc
        if not Decimal(0) <= number <= _DECIMAL_MAX:
            raise CellError(
                codes.IMP_OUT_OF_RANGE, {"value": value, "low": 0, "high": _DECIMAL_MAX}
            )
        return number

    @classmethod
    def area(cls, value: str) -> Decimal | None:
        """An area in m², 0 … ``AREA_MAX`` (the model's limit), rounded half-up to 0.01."""
        number = cls.decimal(value)
        if number is not None and number > AREA_MAX:
            raise CellError(codes.IMP_OUT_OF_RANGE, {"value": value, "low": 0, "high": AREA_MAX})
        return number

    @staticmethod
    def date(value: str) -> dt.date | None:
        if not value:
            return None
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        text = unicodedata.normalize("NFKC", value)
        if " " in text:  # "2025-09-01 00:00:00" from a spreadsheet
            text = text.split(" ", 1)[0]
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    return dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    break
        raise CellError(codes.IMP_DATE, {"value": value})

    @staticmethod
    def boolean(value: str, *, default: bool) -> bool:
        if not value:
            return default
        text = unicodedata.normalize("NFKC", value).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellError(codes.IMP_BOOLEAN, {"value": value})

    def credit_code(self, value: str, *, required: bool = False) -> str:
        if not value:
            if required:
                raise CellError(codes.IMP_REQUIRED)
            return ""
        cached = self._credit_cache.get(value)
        if cached is None:
            try:
                cached = validate_credit_code(value)
            except DomainError as exc:
                cached = {"detail": exc.message}
            if len(self._credit_cache) < 500_000:
                self._credit_cache[value] = cached
        if isinstance(cached, dict):
            raise CellError(codes.IMP_CREDIT_CODE, cached)
        return cached

    def division(self, value: str) -> int:
        if not value:
            raise CellError(codes.IMP_REQUIRED)
        pk = self.ref.county_ids.get(value)
        if pk is not None:
            return pk
        code = unicodedata.normalize("NFKC", value).strip()
        pk = self.ref.county_ids.get(code)
        if pk is not None:
            return pk
        if code in self.ref.inactive and code not in self.ref.other_active:
            raise self._retired(code)
        raise CellError(codes.IMP_DIVISION_UNKNOWN, {"code": code})

    def _retired(self, code: str) -> CellError:
        name, year, _ = self.ref.inactive[code]
        successors = self.ref.active_successors(code)
        params = {
            "code": code,
            "name": name,
            "year": year or "?",
            "successors": "、".join(successors) or "—",
        }
        message = None
        try:
            from tuoyu.reference.selectors import division_get_active
        except ImportError:
            division_get_active = None
        if division_get_active is not None:
            try:
                division_get_active(code)
            except DomainError as exc:
                # The reference app's wording names the successors' codes and names; the
                # code stays ours (IMP-017), the fallback message names the codes only.
                message = exc.message
        return CellError(codes.IMP_DIVISION_RETIRED, params, message=message)

    # -- rows --------------------------------------------------------------------------

    def record_type(self, value: str) -> str:
        if not value:
            return RECORD_FACILITY
        found = RECORD_TYPES.get(header_key(value))
        if found is None:
            raise CellError(codes.IMP_RECORD_TYPE, {"value": value})
        return found

    def parse(self, row: int, cells: dict[str, str], errors: list[dict], headers: dict[str, str]):
        """Check one row. ``cells`` maps column key → text; ``headers`` key → header as written.

        Returns a FacilityRecord, ClassRecord or StaffRecord, or None (errors appended).
        """
        before = len(errors)
        self._errors = errors

        def run(column: str, fn, *args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except CellError as exc:
                entry = {
                    "row": row,
                    "column": headers.get(column, COLUMN_BY_KEY[column].zh),
                    "code": exc.code,
                    "message": exc.message or message_for(exc.code, exc.params),
                }
                errors.append(entry)
                return None

        get = cells.get
        record_type = run("record_type", self.record_type, get("record_type", ""))
        source = run(
            "source_system", self.text, get("source_system", "") or self.default_source, limit=50
        )
        external_id = run(
            "external_id", self.text, get("external_id", ""), limit=100, required=True
        )
        key = (source or "", external_id or "")
        self.last = (record_type, key)
        if record_type == RECORD_CLASS:
            record = self._class(row, key, get, run)
        elif record_type == RECORD_STAFF:
            record = self._staff(row, key, get, run)
        elif record_type == RECORD_FACILITY:
            record = self._facility(row, key, get, run)
        else:
            record = None
        return record if len(errors) == before else None

    def _facility_spec(self) -> list[tuple[str, str, object, bool]]:
        """(column, model attname, parser, memoisable) for the plain facility fields."""
        return [
            ("name", "name", partial(self.text, limit=200, required=True), False),
            ("credit_code", "credit_code", self.credit_code, True),
            (
                "provision_model",
                "provision_model",
                partial(self.choice, "provision_model", required=True),
                True,
            ),
            ("address", "address", partial(self.text, limit=300, required=True), False),
            ("division_code", "division_id", self.division, True),
            ("building_area", "building_area", self.area, True),
            ("outdoor_area", "outdoor_area", self.area, True),
            (
                "children_floor",
                "children_floor",
                partial(self.integer, low=FLOOR_MIN, high=FLOOR_MAX, default=1),
                True,
            ),
            (
                "premises_tenure",
                "premises_tenure",
                partial(self.choice, "premises_tenure", default="owned"),
                True,
            ),
            ("lease_start", "lease_start", self.date, True),
            ("lease_end", "lease_end", self.date, True),
            ("opening_date", "opening_date", self.date, True),
            ("contact_phone", "contact_phone", partial(self.text, limit=30), False),
            *(
                (place, place, partial(self.integer, low=0, high=PLACES_MAX), True)
                for place in ("places_infant", "places_toddler", "places_older", "places_mixed")
            ),
        ]

    def _facility(self, row, key, get, run) -> FacilityRecord:
        values = {"source_system": key[0], "external_id": key[1]}
        memo = self._memo
        for column, attname, parse, memoisable in self._spec:
            raw = get(column, "")
            if memoisable:
                # Most cells repeat (codes, dates, numbers): parse each distinct text once.
                cache = memo[column]
                hit = cache.get(raw, _MISSING)
                if hit is not _MISSING:
                    values[attname] = hit
                    continue
            try:
                value = parse(raw)
            except CellError as exc:
                run(column, self._reraise, exc)
                value = None
            else:
                if memoisable and len(cache) < _MEMO_LIMIT:
                    cache[raw] = value
            values[attname] = value
        if (
            values["lease_start"]
            and values["lease_end"]
            and values["lease_end"] < values["lease_start"]
        ):
            run(
                "lease_end",
                self._raise,
                codes.IMP_DATE_ORDER,
                {"later": "租赁终止日", "earlier": "租赁起始日"},
            )
        operator_code = run(
            "operator_credit_code", self.credit_code, get("operator_credit_code", ""), required=True
        )
        operator_name = run("operator_name", self.text, get("operator_name", ""), limit=200)
        kind_text = get("operator_kind", "")
        operator_kind = OPERATOR_KINDS.get(header_key(kind_text)) if kind_text else "employer"
        if operator_kind is None:
            run(
                "operator_kind",
                self._raise,
                codes.IMP_CHOICE,
                {"value": kind_text, "allowed": "用人单位、托育机构"},
            )
        industry = get("operator_industry", "")
        if industry and industry not in self.ref.industries:
            run("operator_industry", self._raise, codes.IMP_INDUSTRY, {"value": industry})
        sponsors = None
        if get("sponsor_credit_codes", ""):
            sponsors = []
            for part in _LIST_SPLIT.split(get("sponsor_credit_codes", "")):
                if part.strip():
                    code = run("sponsor_credit_codes", self.credit_code, part.strip())
                    if code and code not in sponsors:
                        sponsors.append(code)
        services = self._services(get, run)
        return FacilityRecord(
            row,
            key,
            values,
            operator_code or "",
            operator_name or "",
            operator_kind or "employer",
            industry or None,
            sponsors,
            services or {},
        )

    def _services(self, get, run) -> dict[str, Decimal | None]:
        memo_key = (get("service_types", ""), *(get(c, "") for c in FEE_COLUMNS.values()))
        hit = self._services_memo.get(memo_key)
        if hit is not None:
            return hit
        errors_before = self._error_count()
        result = self._parse_services(get, run)
        if self._error_count() == errors_before and len(self._services_memo) < _MEMO_LIMIT:
            self._services_memo[memo_key] = result
        return result

    def _parse_services(self, get, run) -> dict[str, Decimal | None]:
        listed = None
        if get("service_types", ""):
            listed = []
            for part in _LIST_SPLIT.split(get("service_types", "")):
                if part.strip():
                    value = run("service_types", self.choice, "service_types", part.strip())
                    if value and value not in listed:
                        listed.append(value)
        fees: dict[str, Decimal | None] = {}
        for service, column in FEE_COLUMNS.items():
            fee = run(column, self.decimal, get(column, ""))
            if fee is not None:
                fees[service] = fee
        if listed is None:
            return fees
        for service in fees:
            if service not in listed:
                with translation.override("zh-hans"):
                    label = str(ServiceType(service).label)
                run(
                    FEE_COLUMNS[service],
                    self._raise,
                    codes.IMP_FEE_WITHOUT_SERVICE,
                    {"service": label},
                )
        return {s: fees.get(s) for s in listed}

    def _class(self, row, key, get, run) -> ClassRecord:
        name = run("class_name", self.text, get("class_name", ""), limit=100, required=True)
        class_type = run(
            "class_type", self.choice, "class_type", get("class_type", ""), required=True
        )
        capacity = run(
            "capacity", self.integer, get("capacity", ""), low=CAPACITY_MIN, high=CAPACITY_MAX, default=None
        )
        if capacity is None and not get("capacity", ""):
            run("capacity", self._raise, codes.IMP_REQUIRED)
        return ClassRecord(row, key, name or "", class_type or "", capacity or 0)

    def _staff(self, row, key, get, run) -> StaffRecord:
        values = {
            "role": run("role", self.choice, "role", get("role", ""), required=True),
            "education": run("education", self.choice, "education", get("education", "")),
            "qualification": run("qualification", self.text, get("qualification", ""), limit=200),
            "years_experience": run(
                "years_experience", self.integer, get("years_experience", ""), low=0, high=EXPERIENCE_MAX
            ),
            "trained": run("trained", self.boolean, get("trained", ""), default=False),
            "health_certificate_expiry": run(
                "health_certificate_expiry", self.date, get("health_certificate_expiry", "")
            ),
            "no_criminal_record": run(
                "no_criminal_record", self.boolean, get("no_criminal_record", ""), default=False
            ),
            "full_time": run("full_time", self.boolean, get("full_time", ""), default=True),
            "start_date": run("start_date", self.date, get("start_date", "")),
            "end_date": run("end_date", self.date, get("end_date", "")),
        }
        if (
            values["start_date"]
            and values["end_date"]
            and values["end_date"] < values["start_date"]
        ):
            run(
                "end_date",
                self._raise,
                codes.IMP_DATE_ORDER,
                {"later": "离职日期", "earlier": "入职日期"},
            )
        staff_id = run("staff_id", self.text, get("staff_id", ""), limit=100)
        name = run("staff_name", self.text, get("staff_name", ""), limit=100, required=True)
        class_name = run("class_name", self.text, get("class_name", ""), limit=100)
        return StaffRecord(row, key, staff_id or "", name or "", values, class_name or "")

    @staticmethod
    def _raise(code: str, params: dict | None = None):
        raise CellError(code, params)

    def _error_count(self) -> int:
        return len(self._errors)

    @staticmethod
    def _reraise(exc: CellError):
        raise exc
