"""Reads of reference data (参考数据查询): divisions, credit-code categories.

Division codes (行政区划代码, GB/T 2260) are data with validity years. A code is *active*
when one of its rows is in use today (a code that was retired and later reused for
another area counts as active); otherwise it is *retired* and the rows' ``successors``
(新代码) are followed, through codes that were themselves retired, to the codes in use
today. Every function here normalises its input with
:func:`tuoyu.core.identifiers.normalize_division_code` (NFKC, separators removed), so
full-width digits are accepted.

Query cost: one indexed query for an active code; one more per step of a successor
chain (chains are short, at most a few steps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from tuoyu.core.errors import DomainError, register
from tuoyu.core.identifiers import normalize_division_code
from tuoyu.core.text import normalize_identifier
from tuoyu.reference.choices import DivisionLevel, DivisionStatus
from tuoyu.reference.models import Division, OrganizationCategory

REF_DIVISION_UNKNOWN = register(
    "REF-001",
    "行政区划代码“{code}”不存在。",
    "There is no division code “{code}”.",
)
REF_DIVISION_RETIRED = register(
    "REF-002",
    "行政区划代码“{code}”（{name}）已于{year}年停用，请改用：{successors}。",
    "Division code “{code}” ({name}) was retired in {year}; use instead: {successors}.",
)
REF_DIVISION_RETIRED_NO_SUCCESSOR = register(
    "REF-003",
    "行政区划代码“{code}”（{name}）已于{year}年停用，且没有在用的新代码。",
    "Division code “{code}” ({name}) was retired in {year} and has no successor in use.",
)

# Special administrative regions and Taiwan carry province-level codes but are outside the
# mainland programme (the 31 provinces of the 2020 census).
NON_MAINLAND_PROVINCE_PREFIXES = ("71", "81", "82")


@dataclass(frozen=True)
class DivisionResolution:
    """What a division code stands for (行政区划代码解析结果).

    - ``code``: the normalised 6-digit code;
    - ``status``: ``"active"`` (in use today), ``"retired"`` (no row in use) or
      ``"unknown"`` (never existed);
    - ``row``: the row valid in ``as_of_year`` (``valid_from ≤ year < valid_to``) when a
      year was asked for, else the row in use (active) or the last row (retired); None
      when unknown or when the code did not exist in that year;
    - ``current``: the row in use today, or None;
    - ``latest``: the most recent row of the code (for a retired code, its last name);
    - ``retired_in``: the year the code went out of use (retired codes only);
    - ``successors``: the rows in use today that took over a retired code's area (empty
      for an active code), in the order the sources list them.
    """

    code: str
    status: str
    row: Division | None = None
    current: Division | None = None
    latest: Division | None = None
    retired_in: int | None = None
    successors: tuple[Division, ...] = field(default_factory=tuple)

    @property
    def is_active(self) -> bool:
        """True when the code is in use today."""
        return self.status == "active"

    def error(self, *, field: str = "division") -> DomainError | None:
        """Return the DomainError for a code that is not active (REF-001/002/003), else None.

        ``field`` names the input the error is attached to.
        """
        if self.status == "unknown":
            return DomainError(REF_DIVISION_UNKNOWN, {"code": self.code}, field=field)
        if self.status == "retired":
            params = {
                "code": self.code,
                "name": self.latest.name if self.latest else "",
                "year": self.retired_in or "",
            }
            if not self.successors:
                return DomainError(REF_DIVISION_RETIRED_NO_SUCCESSOR, params, field=field)
            params["successors"] = "、".join(f"{d.code} {d.name}" for d in self.successors)
            return DomainError(
                REF_DIVISION_RETIRED,
                params,
                field=field,
                details={"successors": [d.code for d in self.successors]},
            )
        return None


def _row_valid_in(rows: list[Division], year: int) -> Division | None:
    for row in rows:
        if row.valid_from <= year and (row.valid_to is None or year < row.valid_to):
            return row
    return None


def _active_successors(start: Division) -> tuple[Division, ...]:
    """Follow ``successors`` from ``start`` to codes in use today (breadth first, no cycles)."""
    result: dict[str, Division] = {}
    seen = {start.code}
    frontier = [s["code"] for s in start.successors]
    while frontier:
        frontier = [c for c in dict.fromkeys(frontier) if c not in seen]
        if not frontier:
            break
        seen.update(frontier)
        rows: dict[str, list[Division]] = {}
        for row in Division.objects.filter(code__in=frontier).order_by("code", "-valid_from"):
            rows.setdefault(row.code, []).append(row)
        next_frontier: list[str] = []
        for code in frontier:
            code_rows = rows.get(code, [])
            active = next((r for r in code_rows if r.status == DivisionStatus.ACTIVE), None)
            if active is not None:
                result.setdefault(code, active)
            elif code_rows:
                next_frontier.extend(s["code"] for s in code_rows[0].successors)
        frontier = next_frontier
    return tuple(result.values())


def division_resolve(code: str | None, *, as_of_year: int | None = None) -> DivisionResolution:
    """Resolve a division code to its status, its row and (when retired) its successors.

    ``code``: a 6-digit code, full-width digits and separators allowed. ``as_of_year``: pick
    the row valid in that year (e.g. 1985 for 120110 gives 东郊区, today 东丽区).
    Returns a :class:`DivisionResolution`; never raises for an unknown or retired code.
    Raises DomainError IDN-005 when ``code`` is not 6 digits.
    """
    normalized = normalize_division_code(code)
    rows = list(Division.objects.filter(code=normalized).order_by("-valid_from"))
    if not rows:
        return DivisionResolution(code=normalized, status="unknown")
    current = next((r for r in rows if r.status == DivisionStatus.ACTIVE), None)
    row = _row_valid_in(rows, as_of_year) if as_of_year is not None else (current or rows[0])
    if current is not None:
        return DivisionResolution(
            code=normalized, status="active", row=row, current=current, latest=rows[0]
        )
    return DivisionResolution(
        code=normalized,
        status="retired",
        row=row,
        latest=rows[0],
        retired_in=rows[0].valid_to,
        successors=_active_successors(rows[0]),
    )


def division_get_active(code: str | None, *, field: str = "division") -> Division:
    """Return the row in use today for ``code`` (行政区划代码校验).

    Raises DomainError IDN-005 (not 6 digits), REF-001 (unknown code), REF-002 (retired; the
    message names the successor codes and names in use today, ``details["successors"]``
    lists their codes) or REF-003 (retired, no successor in use); ``field`` names the input
    in the error.
    """
    try:
        resolution = division_resolve(code)
    except DomainError as exc:
        exc.field = field
        raise
    error = resolution.error(field=field)
    if error is not None:
        raise error
    assert resolution.current is not None
    return resolution.current


def active_divisions() -> QuerySet[Division]:
    """All rows in use today (3,213 in the shipped data), ordered by code."""
    return Division.objects.filter(status=DivisionStatus.ACTIVE).order_by("code")


def active_division_ids() -> dict[str, int]:
    """Map every code in use to the primary key of its row (one query, 3,213 entries).

    For bulk work (imports) that checks many codes: look a code up here first and call
    :func:`division_resolve` only for the codes that are missing, to explain them.
    """
    return dict(active_divisions().values_list("code", "pk"))


def divisions_in(prefix: str, level: str | None = None) -> QuerySet[Division]:
    """Active divisions whose code starts with ``prefix`` (``""`` = the whole country).

    ``prefix`` is a jurisdiction prefix of 0, 2, 4 or 6 digits (``"11"`` = 北京市,
    ``"1101"``, ``"110108"``); full-width digits are accepted. ``level`` filters by
    :class:`~tuoyu.reference.choices.DivisionLevel` (``province``/``prefecture``/``county``).
    Returns a queryset ordered by code.
    """
    qs = active_divisions()
    prefix = normalize_identifier(prefix)
    if prefix:
        qs = qs.filter(code__startswith=prefix)
    if level:
        qs = qs.filter(level=level)
    return qs


def provinces(*, mainland_only: bool = True) -> QuerySet[Division]:
    """Province-level divisions in use (省级), ordered by code.

    By default the 31 mainland provinces; ``mainland_only=False`` adds 台湾省, 香港 and 澳门
    (34 rows).
    """
    qs = active_divisions().filter(level=DivisionLevel.PROVINCE)
    if mainland_only:
        for p in NON_MAINLAND_PROVINCE_PREFIXES:
            qs = qs.exclude(code__startswith=p)
    return qs


def province_code_of(code: str | None) -> str:
    """Return the 6-digit province code (``XX0000``) of a division code.

    Raises DomainError IDN-005 when ``code`` is not 6 digits. Does not query the database.
    """
    return normalize_division_code(code)[:2] + "0000"


def division_parent_code(code: str, active_codes: set[str] | None = None) -> str | None:
    """Return the code of the level above ``code`` (county → prefecture or province, …).

    A county whose ``XXYY00`` prefecture is not in ``active_codes`` (municipal districts
    such as 110108, 省直辖县级 units such as 419001) hangs directly under its province.
    ``active_codes`` None means "assume the prefecture exists". None for a province.
    """
    if code.endswith("0000"):
        return None
    province = code[:2] + "0000"
    if code.endswith("00"):
        return province
    prefecture = code[:4] + "00"
    if active_codes is None or prefecture in active_codes:
        return prefecture
    return province


def division_children(code: str | None) -> list[Division]:
    """Active divisions directly below ``code`` (下级行政区划), ordered by code.

    For a province: its prefectures plus the counties that sit directly under it
    (districts of 北京/上海/天津/重庆, 省直辖县级 units). For a prefecture: its counties.
    For a county: ``[]``. Raises DomainError IDN-005 for a malformed code. One query.
    """
    code = normalize_division_code(code)
    if not code.endswith("00"):
        return []
    prefix = code[:2] if code.endswith("0000") else code[:4]
    rows = list(divisions_in(prefix).exclude(code=code))
    active_codes = {r.code for r in rows} | {code}
    return [r for r in rows if division_parent_code(r.code, active_codes) == code]


def organization_category_for(credit_code: str | None) -> OrganizationCategory | None:
    """Return the registration department and organisation category of a credit code.

    Looks up the first two characters (登记管理部门 + 机构类别, GB 32100-2015 Annex A) of
    the normalised code in :class:`OrganizationCategory`. Returns None when the code is
    shorter than two characters or the prefix is not in the table. Does not validate
    the check character (use :func:`tuoyu.core.identifiers.validate_credit_code`).
    """
    prefix = normalize_identifier(credit_code)[:2]
    if len(prefix) < 2:
        return None
    return OrganizationCategory.objects.filter(code=prefix).first()
