"""Candidates for representative selection (候选单位) and their checked values.

A :class:`Candidate` is one recommended unit: id, name, province, score and the five
attributes that the coverage targets look at. Rows from a file (:mod:`.reading`) or from
the database (:func:`tuoyu.designation.proposals.campaign_candidates`) are checked by
:func:`candidates_parse`, which returns the candidates and a list
of row-level errors ``(row, column, code, message)`` instead of stopping at the first one.

Dimensions (维度) a target or a rule may name:

========================= =========================================================
``province``              2-digit province code (省级行政区划代码前两位, GB/T 2260)
``industry``              GB/T 4754—2017 section letter A–T (国民经济行业门类)
``provision_model``       :class:`tuoyu.facilities.choices.ProvisionModel` value
``ownership``             :class:`tuoyu.accounts.choices.OwnershipType` value
``size_band``             band of the employer's headcount (职工人数档), see below
``population_band``       band of the children served (服务婴幼儿数档), see below
========================= =========================================================

Bands are given by their lower bounds after the first (rules keys ``size_bands`` and
``population_bands``); the defaults are headcount < 300, 300–999, 1000–4999, ≥ 5000
(labels ``0-299``, ``300-999``, ``1000-4999``, ``5000+``) and children served < 30, 30–59,
60–99, ≥ 100. The thresholds are a convention of this platform, not a published
criterion (policy facts §5 names "size" and "population served" without numbers), so they
are configurable.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from django.utils import translation

from tuoyu.accounts.choices import OwnershipType
from tuoyu.core.errors import message_for
from tuoyu.designation.errors import (
    DES_CHOICE,
    DES_COUNT,
    DES_DUPLICATE_ID,
    DES_PROVINCE,
    DES_REQUIRED,
    DES_SCORE,
)
from tuoyu.facilities.choices import ProvisionModel
from tuoyu.facilities.importing.columns import header_key

DIMENSIONS: tuple[str, ...] = (
    "province",
    "industry",
    "provision_model",
    "ownership",
    "size_band",
    "population_band",
)
DIMENSION_LABELS: dict[str, tuple[str, str]] = {
    "province": ("省份", "province"),
    "industry": ("行业门类", "industry section"),
    "provision_model": ("举办模式", "provision model"),
    "ownership": ("单位性质", "ownership type"),
    "size_band": ("职工规模档", "size band"),
    "population_band": ("服务人数档", "population-served band"),
}
INDUSTRY_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRST")
DEFAULT_SIZE_BANDS: tuple[int, ...] = (300, 1000, 5000)
DEFAULT_POPULATION_BANDS: tuple[int, ...] = (30, 60, 100)
MAX_SCORE = Decimal("1000000")
MAX_SCORE_PLACES = 4
#: Province-level prefixes of GB/T 2260 (31 provinces, Taiwan, Hong Kong, Macao). Stable
#: since 1997 (Chongqing 50); kept here so the pure service needs no database.
PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate unit (候选单位).

    ``province`` is the 2-digit province prefix of its division code; ``score`` a Decimal
    (expert score, 0–1,000,000, at most 4 places); ``industry`` a GB/T 4754 section letter;
    ``provision_model`` and ``ownership`` choice values; ``headcount`` the employer's staff
    (persons); ``children_served`` the children under 3 it cares for (persons). ``row`` is
    the file row it came from (0 when it did not come from a file).
    """

    id: str
    name: str
    province: str
    score: Decimal
    industry: str
    provision_model: str
    ownership: str
    headcount: int
    children_served: int
    row: int = 0


@dataclass(frozen=True, slots=True)
class RowError:
    """A row-level input error: file row (header = 1), column key, code, message (zh-Hans)."""

    row: int
    column: str
    code: str
    params: Mapping[str, object]

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: row, column, code, and the message in zh-Hans and English."""
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": message_for(self.code, dict(self.params), "zh-hans"),
            "message_en": message_for(self.code, dict(self.params), "en"),
        }


def band_labels(bounds: Sequence[int]) -> tuple[str, ...]:
    """Labels of the bands cut at ``bounds`` (ascending lower bounds): ``0-299`` … ``5000+``."""
    return _band_labels(tuple(bounds))


@lru_cache(maxsize=64)
def _band_labels(bounds: tuple[int, ...]) -> tuple[str, ...]:
    edges = [0, *bounds]
    labels = [f"{low}-{high - 1}" for low, high in zip(edges, edges[1:], strict=False)]
    labels.append(f"{edges[-1]}+")
    return tuple(labels)


def band_of(value: int, bounds: Sequence[int]) -> str:
    """The label of the band of ``value`` (persons) among bands cut at ``bounds``."""
    bounds = tuple(bounds)
    return _band_labels(bounds)[bisect_right(bounds, value)]


@cache
def _choice_map(choices_cls) -> tuple[dict[str, str], str]:
    """Map values and zh/en labels (NFKC, case-folded, no spaces) to the choice value."""
    mapping: dict[str, str] = {}
    for value, label in choices_cls.choices:
        mapping[header_key(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                mapping[header_key(str(label))] = value
    allowed = "、".join(value for value, _ in choices_cls.choices)
    return mapping, allowed


def normalize_value(
    dimension: str,
    text: object,
    *,
    size_bands=DEFAULT_SIZE_BANDS,
    population_bands=DEFAULT_POPULATION_BANDS,
) -> str:
    """Return the canonical value of ``text`` in ``dimension`` (see the module docstring).

    Province: a 2-digit code or a 6-digit division code (its first 2 digits); industry: a
    letter A–T (full-width and lower case accepted); models and ownership: the value or
    its zh-Hans/English label; bands: a band label. Raises ValueError(code, params) with a
    ``DES-0xx`` code when the text is not allowed.
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    if dimension == "province":
        digits = raw.replace(" ", "")
        if len(digits) == 6 and digits.isdigit():
            digits = digits[:2]
        if digits not in PROVINCES:
            raise ValueError(DES_PROVINCE, {"value": raw})
        return digits
    if dimension == "industry":
        letter = raw.upper()
        if letter not in INDUSTRY_SECTIONS:
            raise ValueError(DES_CHOICE, {"value": raw, "allowed": "A–T"})
        return letter
    if dimension in ("provision_model", "ownership"):
        mapping, allowed = _choice_map(_CHOICES[dimension])
        value = mapping.get(header_key(raw))
        if value is None:
            raise ValueError(DES_CHOICE, {"value": raw, "allowed": allowed})
        return value
    if dimension in ("size_band", "population_band"):
        labels = band_labels(size_bands if dimension == "size_band" else population_bands)
        if raw.replace(" ", "") not in labels:
            raise ValueError(DES_CHOICE, {"value": raw, "allowed": "、".join(labels)})
        return raw.replace(" ", "")
    raise ValueError(DES_CHOICE, {"value": dimension, "allowed": "、".join(DIMENSIONS)})


_CHOICES = {"provision_model": ProvisionModel, "ownership": OwnershipType}


def parse_score(text: object) -> Decimal:
    """Parse a score: a decimal from 0 to 1,000,000 with at most 4 places (full-width ok).

    Raises ValueError(DES-013) otherwise.
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(DES_SCORE, {"value": str(text)}) from None
    if not value.is_finite() or value < 0 or value > MAX_SCORE:
        raise ValueError(DES_SCORE, {"value": str(text)})
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_SCORE_PLACES:
        raise ValueError(DES_SCORE, {"value": str(text)})
    return value


def parse_count(text: object) -> int:
    """Parse a whole number of persons ≥ 0 ("12", "12.0", "１２"). Raises ValueError(DES-015)."""
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(DES_COUNT, {"value": str(text)}) from None
    if not value.is_finite() or value < 0 or value != value.to_integral_value():
        raise ValueError(DES_COUNT, {"value": str(text)})
    return int(value)


#: Columns of a candidate row, in file order. All are required.
COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "province",
    "score",
    "industry",
    "provision_model",
    "ownership",
    "headcount",
    "children_served",
)


def candidates_parse(
    rows: Iterable[tuple[int, Mapping[str, object]]],
) -> tuple[list[Candidate], list[RowError]]:
    """Check candidate rows and return ``(candidates, errors)``.

    ``rows`` yields ``(row_number, {column: value})`` with the keys of :data:`COLUMNS`
    (values as text or numbers). Every cell is checked, so one pass reports all errors;
    a row with any error gives no candidate. Ids must be unique (``DES-011``, reported on
    the later row). Codes: DES-010 empty, DES-011 duplicate id, DES-012 province, DES-013
    score, DES-014 choice, DES-015 count.
    """
    candidates: list[Candidate] = []
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for number, values in rows:
        row_errors: list[RowError] = []
        cells: dict[str, object] = {}
        for column in COLUMNS:
            value = values.get(column)
            text = "" if value is None else str(value).strip()
            if not text:
                row_errors.append(RowError(number, column, DES_REQUIRED, {}))
                continue
            try:
                if column == "id":
                    cells[column] = unicodedata.normalize("NFKC", text)
                elif column == "name":
                    cells[column] = text
                elif column == "score":
                    cells[column] = parse_score(text)
                elif column in ("headcount", "children_served"):
                    cells[column] = parse_count(text)
                else:
                    cells[column] = normalize_value(column, text)
            except ValueError as exc:
                code, params = exc.args
                row_errors.append(RowError(number, column, code, params))
        if "id" in cells:
            ident = str(cells["id"])
            if ident in first_row:
                row_errors.append(
                    RowError(
                        number, "id", DES_DUPLICATE_ID, {"value": ident, "first": first_row[ident]}
                    )
                )
            else:
                first_row[ident] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        candidates.append(Candidate(row=number, **cells))  # type: ignore[arg-type]
    return candidates, errors


def id_key(ident: str) -> tuple[int, int, str]:
    """Sort key of candidate ids: numeric ids by value first, then other ids as text.

    This order is the tie-break among equal scores (plain top-K and the solver's choice).
    """
    if ident.isdigit():
        return (0, int(ident), ident)
    return (1, 0, ident)
