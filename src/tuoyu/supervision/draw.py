"""The verifiable double-random draw (双随机抽取), algorithm ``tuoyu-draw/1``.

A pure, deterministic function of its inputs: the same entity list, inspector list, seed
and parameters give byte-identical output on any machine. The algorithm is specified in
``docs/draw-algorithm.md`` so that anyone can re-implement it from the published lists
and seed; this module follows that text step by step. In short:

1. both lists are canonicalised (fixed field order, tab-separated, rows sorted by id,
   UTF-8, ``\\n`` after every line) and hashed with SHA-256;
2. the random stream is HMAC-SHA256 in counter mode, keyed with the seed, over the
   algorithm name and both hashes; 8-byte big-endian chunks become uniform integers by
   rejection sampling (no modulo bias);
3. the number of targets (ratio rounded up, at least 1, or a count) is allocated to
   strata by the largest-remainder method;
4. within each stratum, targets are drawn one at a time without replacement with
   probability proportional to their integer risk weight (cumulative integer weights);
5. each target, in draw order, gets ``per_target`` inspectors: never one in conflict
   (member of the entity or its organisation, or assigned to it last time), always one
   with the fewest assignments so far, ties broken by the random stream.

Source of the rules: 国办发〔2015〕58号 (targets and inspectors both drawn at random,
"reasonable ratio"); SAMR 2018 (about 5 % a year); local practice (at least two
inspectors; recusal for conflicts of interest); SAMR credit-risk classes A–D (2022).
The numbers of the risk-weight table are not fixed by any of them and are configurable
(setting ``TUOYU_DRAW_WEIGHTS``).
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from itertools import accumulate
from operator import attrgetter
from typing import Any, NamedTuple

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tuoyu.core.errors import DomainError
from tuoyu.supervision.errors import (
    SUP_DUPLICATE_ID,
    SUP_EMPTY_POPULATION,
    SUP_INVALID_PARAMETER,
    SUP_INVALID_VALUE,
    SUP_NOT_ENOUGH_INSPECTORS,
)

ALGORITHM = "tuoyu-draw/1"
DEFAULT_RATIO = Decimal("0.05")
DEFAULT_PER_TARGET = 2
CREDIT_CLASSES = ("A", "B", "C", "D")
_CHUNK = 8
_SPACE = 1 << (8 * _CHUNK)

ENTITY_FIELDS = (
    "id",
    "organisation",
    "credit_class",
    "complaints",
    "open_rectifications",
    "annual_report_missing",
    "weight",
)
INSPECTOR_FIELDS = ("id", "organisations", "last_assigned")

DEFAULT_WEIGHTS: dict[str, Any] = {
    # 信用风险分类 A 低 / B 一般 / C 较高 / D 高; blank = not classified, treated as B.
    "credit_class": {"A": 1, "B": 2, "C": 3, "D": 4, "": 2},
    "per_complaint": 1,
    "complaints_cap": 3,
    "per_open_rectification": 2,
    "open_rectifications_cap": 2,
    "annual_report_missing": 2,
}


class DrawImpossible(DomainError):
    """The inputs are valid but no draw exists (e.g. too few eligible inspectors)."""


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_OR_SEMICOLON = re.compile("[\x00-\x1f\x7f-\x9f;]")
_CREDIT_VALUES = frozenset({"A", "B", "C", "D", ""})


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a burst of allocations (restored afterwards).

    A draw allocates a few hundred thousand small tuples and strings, none of them in a
    reference cycle; without the pause the collector walks them again and again (about a
    third of the time of a national draw). Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _text(value: object, *, column: str, row: int | None, ident: bool = False) -> str:
    """Return ``value`` trimmed; refuse control characters (and ``;`` in identifiers)."""
    text = "" if value is None else str(value).strip()
    bad = (_CONTROL_OR_SEMICOLON if ident else _CONTROL).search(text)
    if bad:
        raise DomainError(
            SUP_INVALID_VALUE,
            {
                "row": row or "-",
                "column": column,
                "detail": format_lazy(_("含有不允许的字符 {char}"), char=repr(bad.group())),
            },
            field=column,
        )
    return text


@dataclass(frozen=True)
class WeightTable:
    """The risk-weight table (风险权重表): how an entity's risk factors become an integer.

    ``weight = credit_class[class] + per_complaint × min(complaints, complaints_cap)
    + per_open_rectification × min(open_rectifications, open_rectifications_cap)
    + (annual_report_missing if the last annual report is missing)``.
    Every credit-class weight is ≥ 1 and every other term ≥ 0, so every weight is ≥ 1.
    The numbers are a policy choice (policy-facts §9: ratio per class UNVERIFIED).
    """

    credit_class: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS["credit_class"]))
    per_complaint: int = DEFAULT_WEIGHTS["per_complaint"]
    complaints_cap: int = DEFAULT_WEIGHTS["complaints_cap"]
    per_open_rectification: int = DEFAULT_WEIGHTS["per_open_rectification"]
    open_rectifications_cap: int = DEFAULT_WEIGHTS["open_rectifications_cap"]
    annual_report_missing: int = DEFAULT_WEIGHTS["annual_report_missing"]

    def __post_init__(self) -> None:
        classes = set(self.credit_class)
        if classes != {*CREDIT_CLASSES, ""}:
            raise DomainError(
                SUP_INVALID_PARAMETER,
                {"name": "weights.credit_class", "detail": _("须且只能包含A、B、C、D和空白五项")},
            )
        for key, value in self.credit_class.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise DomainError(
                    SUP_INVALID_PARAMETER,
                    {"name": f"weights.credit_class.{key or 'blank'}", "detail": _("须为不小于1的整数")},
                )
        for name in (
            "per_complaint",
            "complaints_cap",
            "per_open_rectification",
            "open_rectifications_cap",
            "annual_report_missing",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise DomainError(
                    SUP_INVALID_PARAMETER, {"name": f"weights.{name}", "detail": _("须为不小于0的整数")}
                )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> WeightTable:
        """Build a table from a mapping shaped like :data:`DEFAULT_WEIGHTS` (missing keys default)."""
        merged = {**DEFAULT_WEIGHTS, **dict(data or {})}
        merged["credit_class"] = {
            **DEFAULT_WEIGHTS["credit_class"],
            **dict((data or {}).get("credit_class", {})),
        }
        unknown = set(merged) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise DomainError(
                SUP_INVALID_PARAMETER, {"name": "weights", "detail": format_lazy(_("未知的项：{keys}"), keys=", ".join(sorted(unknown)))}
            )
        return cls(**merged)

    def as_dict(self) -> dict[str, Any]:
        """The table as plain JSON data, credit classes in the order A, B, C, D, blank."""
        return {
            "credit_class": {k: self.credit_class[k] for k in (*CREDIT_CLASSES, "")},
            "per_complaint": self.per_complaint,
            "complaints_cap": self.complaints_cap,
            "per_open_rectification": self.per_open_rectification,
            "open_rectifications_cap": self.open_rectifications_cap,
            "annual_report_missing": self.annual_report_missing,
        }

    def weight(self, entity: Entity) -> int:
        """The integer risk weight (≥ 1) of ``entity`` by this table."""
        return (
            self.credit_class[entity.credit_class]
            + self.per_complaint * min(entity.complaints, self.complaints_cap)
            + self.per_open_rectification
            * min(entity.open_rectifications, self.open_rectifications_cap)
            + (self.annual_report_missing if entity.annual_report_missing else 0)
        )


def weights_from_settings() -> WeightTable:
    """The weight table from the setting ``TUOYU_DRAW_WEIGHTS`` (defaults: :data:`DEFAULT_WEIGHTS`)."""
    from django.conf import settings

    return WeightTable.from_mapping(getattr(settings, "TUOYU_DRAW_WEIGHTS", None))


@dataclass(frozen=True)
class Entity:
    """One inspection target candidate (检查对象).

    ``id``: the entity's identifier (e.g. the facility's USCC or filing number), unique in
    the list; ``organisation``: its operating organisation's id (blank if none);
    ``strata``: its values of the stratum columns, in the order the draw names them;
    ``credit_class``: A–D or blank; ``complaints``: complaints in the look-back period;
    ``open_rectifications``: rectification orders not yet closed;
    ``annual_report_missing``: the last annual report is missing. ``row`` is the input row
    number, for error messages only (not part of the canonical list).
    """

    id: str
    organisation: str = ""
    strata: tuple[str, ...] = ()
    credit_class: str = ""
    complaints: int = 0
    open_rectifications: int = 0
    annual_report_missing: bool = False
    row: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Fast acceptance of values that are already clean (the usual case): plain strings
        # without surrounding white space or control characters (no ";" in identifiers),
        # whole numbers ≥ 0, a flag, a valid class. Every check of :meth:`_check` would
        # leave such values unchanged; anything else takes those checks.
        ident, organisation, strata = self.id, self.organisation, self.strata
        complaints, rectifications = self.complaints, self.open_rectifications
        if (
            ident.__class__ is str
            and organisation.__class__ is str
            and strata.__class__ is tuple
            and complaints.__class__ is int
            and rectifications.__class__ is int
            and self.annual_report_missing.__class__ is bool
            and self.credit_class in _CREDIT_VALUES
            and complaints >= 0
            and rectifications >= 0
            and ident
            and ident.strip() == ident
            and organisation.strip() == organisation
            and not _CONTROL_OR_SEMICOLON.search(ident + organisation)
        ):
            for value in strata:
                if value.__class__ is not str or value.strip() != value or _CONTROL.search(value):
                    break
            else:
                return
        self._check()

    def _check(self) -> None:
        """The full checks and normalisation of every field (raises DomainError SUP-001)."""
        object.__setattr__(self, "id", _text(self.id, column="id", row=self.row, ident=True))
        if not self.id:
            raise DomainError(
                SUP_INVALID_VALUE, {"row": self.row or "-", "column": "id", "detail": _("不能为空")}, field="id"
            )
        object.__setattr__(
            self, "organisation", _text(self.organisation, column="organisation", row=self.row, ident=True)
        )
        object.__setattr__(
            self, "strata", tuple(_text(v, column="strata", row=self.row) for v in self.strata)
        )
        credit = _text(self.credit_class, column="credit_class", row=self.row).upper()
        if credit not in (*CREDIT_CLASSES, ""):
            raise DomainError(
                SUP_INVALID_VALUE,
                {"row": self.row or "-", "column": "credit_class", "detail": _("须为A、B、C、D或空白")},
                field="credit_class",
            )
        object.__setattr__(self, "credit_class", credit)
        for name in ("complaints", "open_rectifications"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise DomainError(
                    SUP_INVALID_VALUE,
                    {"row": self.row or "-", "column": name, "detail": _("须为不小于0的整数")},
                    field=name,
                )
        object.__setattr__(self, "annual_report_missing", bool(self.annual_report_missing))


@dataclass(frozen=True)
class Inspector:
    """One inspector (执法检查人员) in the pool.

    ``id``: unique in the list (e.g. the licence number); ``organisations``: ids of the
    organisations they belong to (they never inspect an entity whose id or organisation is
    among them); ``last_assigned``: ids of the entities they were assigned to last time
    (never again this time). Both are kept sorted and without duplicates.
    """

    id: str
    organisations: tuple[str, ...] = ()
    last_assigned: tuple[str, ...] = ()
    row: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", _text(self.id, column="id", row=self.row, ident=True))
        if not self.id:
            raise DomainError(
                SUP_INVALID_VALUE, {"row": self.row or "-", "column": "id", "detail": _("不能为空")}, field="id"
            )
        for name in ("organisations", "last_assigned"):
            values = {_text(v, column=name, row=self.row, ident=True) for v in getattr(self, name)}
            values.discard("")
            object.__setattr__(self, name, tuple(sorted(values)))


def _canonical(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    lines = ["\t".join(header)]
    lines.extend("\t".join(r) for r in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


class PreparedEntities(NamedTuple):
    """A checked, weighted entity list in id order (准备好的对象名录), as parallel columns.

    Only the fields the draw reads: ``ids``, ``organisations``, ``strata`` (equal stratum
    tuples are one shared object) and integer ``weights``. Columns rather than one tuple per
    entity keep the number of objects the garbage collector tracks small.
    """

    ids: list[str]
    organisations: list[str]
    strata: list[tuple[str, ...]]
    weights: list[int]


def entity_header(strata_columns: Sequence[str]) -> str:
    """The header line of the canonical entity list (without its ``\\n``)."""
    return "\t".join((*ENTITY_FIELDS, *(f"stratum:{c}" for c in strata_columns)))


#: One entity as :func:`prepare_rows` reads it: id, organisation, credit class, complaints,
#: open rectifications, annual report missing, stratum values.
EntityRow = tuple[str, str, str, int, int, bool, tuple[str, ...]]


def prepare_rows(
    rows: Iterable[EntityRow], strata_columns: Sequence[str], weights: WeightTable
) -> tuple[str, PreparedEntities]:
    """The canonical entity list (§3) of ``rows``, taken in the order given, and its columns.

    Computes each weight as :meth:`WeightTable.weight` does (written out here: this loop
    runs once per entity of a national list). Returns ``(canonical text, PreparedEntities)``;
    the text ends in ``\\n``. Raises KeyError for a credit class the table lacks.
    """
    by_class = weights.credit_class
    per_complaint, complaints_cap = weights.per_complaint, weights.complaints_cap
    per_rectification, rectifications_cap = weights.per_open_rectification, weights.open_rectifications_cap
    missing_weight = weights.annual_report_missing
    lines = [entity_header(strata_columns)]
    prepared = PreparedEntities([], [], [], [])
    add_line = lines.append
    add_id, add_organisation = prepared.ids.append, prepared.organisations.append
    add_strata, add_weight = prepared.strata.append, prepared.weights.append
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    for ident, organisation, credit, complaints, rectifications, missing, strata in rows:
        weight = (
            by_class[credit]
            + per_complaint * (complaints if complaints < complaints_cap else complaints_cap)
            + per_rectification * (rectifications if rectifications < rectifications_cap else rectifications_cap)
            + (missing_weight if missing else 0)
        )
        line = (
            f"{ident}\t{organisation}\t{credit}\t{complaints}\t{rectifications}"
            f"\t{'1' if missing else '0'}\t{weight}"
        )
        add_line(line + "\t" + "\t".join(strata) if strata else line)
        add_id(ident)
        add_organisation(organisation)
        add_strata(shared.setdefault(strata, strata))
        add_weight(weight)
    lines.append("")
    return "\n".join(lines), prepared


def prepare_entities(
    entities: Sequence[Entity], strata_columns: Sequence[str], weights: WeightTable
) -> tuple[bytes, PreparedEntities]:
    """The canonical entity list (§3) and the prepared columns, both in id order.

    One sort and one weight per entity. Returns ``(canonical UTF-8 bytes,
    PreparedEntities)``. Equal ids keep their input order.
    """
    text, prepared = prepare_rows(
        (
            (e.id, e.organisation, e.credit_class, e.complaints, e.open_rectifications,
             e.annual_report_missing, e.strata)
            for e in sorted(entities, key=attrgetter("id"))
        ),
        strata_columns,
        weights,
    )
    return text.encode("utf-8"), prepared


def canonical_entities(
    entities: Sequence[Entity], strata_columns: Sequence[str], weights: WeightTable
) -> bytes:
    """The canonical entity list (规范化对象名录) as UTF-8 bytes.

    A header line ``id, organisation, credit_class, complaints, open_rectifications,
    annual_report_missing, weight, stratum:<col>…`` then one line per entity, sorted by
    id (code-point order, which equals UTF-8 byte order); fields separated by a tab, every
    line ending in ``\\n``; numbers in decimal, the flag as ``1``/``0``.
    """
    return prepare_entities(entities, strata_columns, weights)[0]


def canonical_inspectors(inspectors: Sequence[Inspector]) -> bytes:
    """The canonical inspector list (规范化检查人员名录) as UTF-8 bytes.

    A header line ``id, organisations, last_assigned`` then one line per inspector sorted
    by id; the two sets are sorted and joined with ``;``; tab-separated, ``\\n`` after
    every line.
    """
    return _canonical_pool(sorted(inspectors, key=attrgetter("id")))


def _canonical_pool(pool: Sequence[Inspector]) -> bytes:
    """:func:`canonical_inspectors` of a pool already sorted by id."""
    rows = ([i.id, ";".join(i.organisations), ";".join(i.last_assigned)] for i in pool)
    return _canonical(INSPECTOR_FIELDS, rows)


def sha256_hex(data: bytes) -> str:
    """Lower-case hexadecimal SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


class RandomStream:
    """The draw's random stream: HMAC-SHA256 counter mode keyed with the seed.

    Block ``k`` (k = 0, 1, …) is ``HMAC-SHA256(key=UTF-8(seed), msg=ASCII(algorithm "\\n"
    entities_sha256 "\\n" inspectors_sha256 "\\n" k))`` with ``k`` in decimal; the blocks
    are read in order as 8-byte big-endian unsigned integers (4 per block).
    """

    def __init__(self, seed: str, entities_sha256: str, inspectors_sha256: str) -> None:
        self._key = seed.encode("utf-8")
        self._prefix = f"{ALGORITHM}\n{entities_sha256}\n{inspectors_sha256}\n".encode("ascii")
        self._counter = 0
        self._buffer = b""

    def _chunk(self) -> int:
        if not self._buffer:
            msg = self._prefix + str(self._counter).encode("ascii")
            self._buffer = hmac.new(self._key, msg, hashlib.sha256).digest()
            self._counter += 1
        chunk, self._buffer = self._buffer[:_CHUNK], self._buffer[_CHUNK:]
        return int.from_bytes(chunk, "big")

    def below(self, n: int) -> int:
        """A uniform integer in ``[0, n)``; always reads at least one chunk, even for n = 1.

        Rejection sampling: a chunk ``u ≥ 2⁶⁴ − (2⁶⁴ mod n)`` is discarded and the next read.
        """
        if n < 1:
            raise ValueError("n must be ≥ 1")
        limit = _SPACE - (_SPACE % n)
        while True:
            u = self._chunk()
            if u < limit:
                return u % n


def target_count(population: int, *, ratio: Decimal | str | None, count: int | None) -> int:
    """The number of targets to draw from ``population`` entities.

    With ``count``: that number, 1 ≤ count ≤ population. Otherwise
    ``ceil(ratio × population)`` computed exactly, at least 1 (ratio default 5 %, 0 < ratio ≤ 1).
    Raises DomainError SUP-004 for a bad ratio or count, SUP-006 for an empty population.
    """
    if population < 1:
        raise DomainError(SUP_EMPTY_POPULATION)
    if count is not None:
        if ratio is not None:
            raise DomainError(SUP_INVALID_PARAMETER, {"name": "count", "detail": _("抽查比例和抽查数量只能填写一项")})
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= population:
            raise DomainError(
                SUP_INVALID_PARAMETER,
                {"name": "count", "detail": format_lazy(_("须为1至{population}之间的整数"), population=population)},
            )
        return count
    exact = Fraction(parse_ratio(DEFAULT_RATIO if ratio is None else ratio)) * population
    return max(1, -(-exact.numerator // exact.denominator))


def parse_ratio(value: Decimal | str) -> Decimal:
    """``value`` as a Decimal in (0, 1]; ``"5%"`` is accepted as 0.05. Raises SUP-004."""
    try:
        text = str(value).strip()
        ratio = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        ratio = Decimal("NaN")
    if not ratio.is_finite() or not Decimal(0) < ratio <= 1:
        raise DomainError(SUP_INVALID_PARAMETER, {"name": "ratio", "detail": _("须大于0且不超过1")})
    return ratio


def allocate(
    sizes: Mapping[tuple[str, ...], int],
    total: int,
    *,
    ordered_keys: Sequence[tuple[str, ...]] | None = None,
) -> dict[tuple[str, ...], int]:
    """Largest-remainder (Hamilton) allocation of ``total`` targets to strata.

    ``sizes`` maps a stratum key to its population. Each stratum gets
    ``floor(total × size / N)``; the targets left over go one each to the strata with the
    largest remainders ``(total × size) mod N``, equal remainders in ascending key order.
    ``ordered_keys``: the keys of ``sizes`` already sorted, if the caller has them.
    Returns stratum → count (sums to ``total``; no stratum gets more than its size).
    """
    population = sum(sizes.values())
    result = {key: total * size // population for key, size in sizes.items()}
    left = total - sum(result.values())
    if left:
        remainders = {key: total * size % population for key, size in sizes.items()}
        # A stable sort by remainder alone keeps equal remainders in ascending key order.
        keys = sorted(sizes) if ordered_keys is None else ordered_keys
        by_remainder = sorted(keys, key=remainders.__getitem__, reverse=True)
        for key in by_remainder[:left]:
            result[key] += 1
    return result


class _Fenwick:
    """Prefix sums of integer weights; finds the first index whose cumulative weight > r."""

    def __init__(self, weights: Sequence[int]) -> None:
        self.n = len(weights)
        tree = [0, *weights]
        for i in range(1, self.n + 1):
            j = i + (i & -i)
            if j <= self.n:
                tree[j] += tree[i]
        self.tree = tree
        self.total = sum(weights)
        self.step = 1 << self.n.bit_length()

    def add(self, index: int, delta: int) -> None:
        self.total += delta
        i = index + 1
        while i <= self.n:
            self.tree[i] += delta
            i += i & -i

    def find(self, r: int) -> int:
        """The smallest index i with weights[0] + … + weights[i] > r (0 ≤ r < total)."""
        pos, step, tree = 0, self.step, self.tree
        while step:
            nxt = pos + step
            if nxt <= self.n and tree[nxt] <= r:
                pos = nxt
                r -= tree[nxt]
            step >>= 1
        return pos


@dataclass(frozen=True)
class Target:
    """One drawn target: its place in draw order (1-based), entity id, stratum, weight and inspectors."""

    order: int
    entity: str
    stratum: tuple[str, ...]
    weight: int
    inspectors: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "order": self.order,
            "entity": self.entity,
            "stratum": list(self.stratum),
            "weight": self.weight,
            "inspectors": list(self.inspectors),
        }


@dataclass(frozen=True)
class DrawResult:
    """The outcome of a draw with everything needed to check it (see :meth:`as_dict`)."""

    seed: str
    entities_sha256: str
    inspectors_sha256: str
    entity_count: int
    inspector_count: int
    parameters: dict[str, Any]
    allocation: list[dict[str, Any]]
    targets: tuple[Target, ...]
    algorithm: str = ALGORITHM

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON data, keys in a fixed order."""
        return {
            "algorithm": self.algorithm,
            "seed": self.seed,
            "entities": {"count": self.entity_count, "sha256": self.entities_sha256},
            "inspectors": {"count": self.inspector_count, "sha256": self.inspectors_sha256},
            "parameters": self.parameters,
            "allocation": self.allocation,
            "targets": [t.as_dict() for t in self.targets],
        }

    def to_json(self) -> str:
        """The canonical JSON text of the result (UTF-8 characters kept, 2-space indent, final newline)."""
        import json

        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"


def _check_unique(items: Sequence[Entity] | Sequence[Inspector]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise DomainError(SUP_DUPLICATE_ID, {"row": item.row or "-", "id": item.id}, field="id")
        seen.add(item.id)


def _check_parameters(seed: str, strata_columns: Sequence[str], per_target: int) -> tuple[str, ...]:
    """Check the seed, stratum column names and ``per_target``; return the column names."""
    strata_columns = tuple(_text(c, column="strata", row=None) for c in strata_columns)
    if len(set(strata_columns)) != len(strata_columns) or "" in strata_columns:
        raise DomainError(SUP_INVALID_PARAMETER, {"name": "strata", "detail": _("分层列名为空或重复")})
    if not seed or seed != _text(seed, column="seed", row=None):
        raise DomainError(
            SUP_INVALID_PARAMETER,
            {"name": "seed", "detail": _("不能为空，首尾不能有空格，不能含控制字符")},
        )
    if isinstance(per_target, bool) or not isinstance(per_target, int) or per_target < 1:
        raise DomainError(SUP_INVALID_PARAMETER, {"name": "per_target", "detail": _("须为不小于1的整数")})
    return strata_columns


def draw(
    entities: Sequence[Entity],
    inspectors: Sequence[Inspector],
    seed: str,
    *,
    ratio: Decimal | str | None = None,
    count: int | None = None,
    strata_columns: Sequence[str] = (),
    per_target: int = DEFAULT_PER_TARGET,
    weights: WeightTable | None = None,
) -> DrawResult:
    """Run the double-random draw ``tuoyu-draw/1`` (see docs/draw-algorithm.md).

    ``entities``/``inspectors``: the lists (any order; they are canonicalised); ``seed``:
    the published seed text, used exactly as given (non-empty, no control characters);
    ``ratio`` (default 5 %) or ``count``: how many targets; ``strata_columns``: names of the
    values in ``Entity.strata``; ``per_target``: inspectors per target (default 2, ≥ 1);
    ``weights``: the risk-weight table (default :data:`DEFAULT_WEIGHTS`).

    Returns a :class:`DrawResult`. Raises DomainError SUP-001/003/004/006 for bad input and
    :class:`DrawImpossible` SUP-005 when a target has fewer than ``per_target`` inspectors
    without a conflict (the error's ``details`` list every such target).
    """
    weights = weights or WeightTable()
    strata_columns = _check_parameters(seed, strata_columns, per_target)
    width = len(strata_columns)
    for e in entities:
        if len(e.strata) != width:
            raise DomainError(
                SUP_INVALID_VALUE,
                {"row": e.row or "-", "column": "strata", "detail": format_lazy(_("须有{count}个分层值"), count=width)},
            )
    with gc_paused():
        _check_unique(entities)
        _check_unique(inspectors)
        total = target_count(len(entities), ratio=ratio, count=count)
        entity_bytes, prepared = prepare_entities(entities, strata_columns, weights)
        return _draw_rows(
            prepared,
            sha256_hex(entity_bytes),
            inspectors,
            seed,
            total=total,
            ratio=ratio,
            count=count,
            strata_columns=strata_columns,
            per_target=per_target,
            weights=weights,
        )


def draw_prepared(
    prepared: PreparedEntities,
    entities_sha256: str,
    inspectors: Sequence[Inspector],
    seed: str,
    *,
    ratio: Decimal | str | None = None,
    count: int | None = None,
    strata_columns: Sequence[str] = (),
    per_target: int = DEFAULT_PER_TARGET,
    weights: WeightTable | None = None,
) -> DrawResult:
    """:func:`draw` on an entity list already checked, weighted and hashed (trusted input).

    ``prepared``: the entities' ids, organisations, strata and weights in strictly
    ascending id order, exactly the records of the canonical list whose SHA-256 is
    ``entities_sha256`` (e.g. a frozen list that still hashes to its published hash, see
    :func:`tuoyu.supervision.draw_lists.frozen_entity_rows`). The other arguments and the
    result are those of :func:`draw`; the same inputs give the same result as :func:`draw`
    on the entities. Raises what :func:`draw` raises, except the checks of the entities.
    """
    weights = weights or WeightTable()
    strata_columns = _check_parameters(seed, strata_columns, per_target)
    with gc_paused():
        _check_unique(inspectors)
        total = target_count(len(prepared.ids), ratio=ratio, count=count)
        return _draw_rows(
            prepared,
            entities_sha256,
            inspectors,
            seed,
            total=total,
            ratio=ratio,
            count=count,
            strata_columns=strata_columns,
            per_target=per_target,
            weights=weights,
        )


# Within a stratum, a Fenwick tree pays off only for many draws from many members; otherwise
# the cumulative weights are recomputed (in C) for each draw. Both give the same member.
_FENWICK_MIN_MEMBERS = 512
_FENWICK_MIN_DRAWS = 4


def _draw_rows(
    prepared: PreparedEntities,
    entities_sha: str,
    inspectors: Sequence[Inspector],
    seed: str,
    *,
    total: int,
    ratio: Decimal | str | None,
    count: int | None,
    strata_columns: tuple[str, ...],
    per_target: int,
    weights: WeightTable,
) -> DrawResult:
    """Steps 3–5 of the algorithm on prepared entities sorted by id (see :func:`draw`)."""
    pool = sorted(inspectors, key=attrgetter("id"))
    inspectors_sha = sha256_hex(_canonical_pool(pool))
    stream = RandomStream(seed, entities_sha, inspectors_sha)
    ids, organisations, strata, entity_weights = prepared

    # Step 3: strata and allocation. Members are entity positions, in id order.
    by_stratum: dict[tuple[str, ...], list[int]] = {}
    for position, key in enumerate(strata):
        members = by_stratum.get(key)
        if members is None:
            by_stratum[key] = [position]
        else:
            members.append(position)
    keys = sorted(by_stratum)
    allocation = allocate({k: len(v) for k, v in by_stratum.items()}, total, ordered_keys=keys)

    # Step 4: weighted sampling without replacement, stratum by stratum in key order.
    below = stream.below
    drawn: list[int] = []
    for key in keys:
        wanted = allocation[key]
        if not wanted:
            continue
        members = by_stratum[key]
        member_weights = [entity_weights[m] for m in members]
        if wanted >= _FENWICK_MIN_DRAWS and len(members) >= _FENWICK_MIN_MEMBERS:
            tree = _Fenwick(member_weights)
            for _position in range(wanted):
                index = tree.find(below(tree.total))
                drawn.append(members[index])
                tree.add(index, -member_weights[index])
            continue
        members = list(members)
        for _position in range(wanted):
            cumulative = list(accumulate(member_weights))
            # The first remaining member whose running sum of weights exceeds r.
            index = bisect_right(cumulative, below(cumulative[-1]))
            drawn.append(members.pop(index))
            del member_weights[index]

    # Step 5: inspectors.
    assigned = _assign([(ids[i], organisations[i]) for i in drawn], pool, per_target, stream)

    targets = tuple(
        Target(n, ids[i], strata[i], entity_weights[i], tuple(assigned[n - 1]))
        for n, i in enumerate(drawn, start=1)
    )
    parameters = {
        "ratio": None if count is not None else str(parse_ratio(DEFAULT_RATIO if ratio is None else ratio)),
        "count": count,
        "targets": total,
        "strata": list(strata_columns),
        "per_target": per_target,
        "weights": weights.as_dict(),
    }
    return DrawResult(
        seed=seed,
        entities_sha256=entities_sha,
        inspectors_sha256=inspectors_sha,
        entity_count=len(ids),
        inspector_count=len(pool),
        parameters=parameters,
        allocation=[
            {"stratum": list(k), "population": len(by_stratum[k]), "drawn": allocation[k]}
            for k in keys
        ],
        targets=targets,
    )


def _assign(
    drawn: Sequence[tuple[str, str]],
    pool: Sequence[Inspector],
    per_target: int,
    stream: RandomStream,
) -> list[list[str]]:
    """Inspectors for each drawn target, in draw order (docs/draw-algorithm.md, step 5).

    ``drawn``: (entity id, organisation) of each target. For each target and each of its ``per_target`` places: the eligible inspectors are those
    without a conflict and not yet chosen for this target; among them those with the fewest
    assignments so far in this draw, in id order, and ``stream.below(len(tied))`` picks one.
    Buckets by load keep this fast; the result equals the plain definition.
    """
    by_org: dict[str, list[int]] = {}
    by_last: dict[str, list[int]] = {}
    for index, inspector in enumerate(pool):
        for org in inspector.organisations:
            by_org.setdefault(org, []).append(index)
        for entity_id in inspector.last_assigned:
            by_last.setdefault(entity_id, []).append(index)

    def conflicts(entity_id: str, organisation: str) -> set[int]:
        found = set(by_org.get(entity_id, ())) | set(by_last.get(entity_id, ()))
        if organisation:
            found |= set(by_org.get(organisation, ()))
        return found

    conflict_sets = [conflicts(row[0], row[1]) for row in drawn]
    impossible = [
        {"entity": row[0], "eligible": len(pool) - len(c), "needed": per_target}
        for row, c in zip(drawn, conflict_sets, strict=True)
        if len(pool) - len(c) < per_target
    ]
    if impossible:
        first = impossible[0]
        raise DrawImpossible(SUP_NOT_ENOUGH_INSPECTORS, dict(first), details={"targets": impossible})

    below = stream.below
    load = [0] * len(pool)
    # buckets[level]: the inspectors with that load, in id order; levels are visited from
    # the lowest non-empty one up (loads only grow, one at a time).
    buckets: dict[int, list[int]] = {0: list(range(len(pool)))}
    lowest = highest = 0
    result: list[list[str]] = []
    for excluded in conflict_sets:
        chosen: list[int] = []
        for _place in range(per_target):
            blocked = excluded.union(chosen) if chosen else excluded
            for level in range(lowest, highest + 1):
                bucket = buckets.get(level)
                if not bucket:
                    continue
                skip = sorted(bisect_left(bucket, x) for x in blocked if load[x] == level)
                eligible = len(bucket) - len(skip)
                if eligible == 0:
                    continue
                position = below(eligible)
                for p in skip:
                    if p <= position:
                        position += 1
                    else:
                        break
                pick = bucket.pop(position)
                load[pick] += 1
                upper = buckets.get(level + 1)
                if upper is None:
                    buckets[level + 1] = [pick]
                    highest = max(highest, level + 1)
                else:
                    insort(upper, pick)
                if not bucket:
                    del buckets[level]
                    while lowest not in buckets:
                        lowest += 1
                chosen.append(pick)
                break
        result.append([pool[i].id for i in chosen])
    return result
