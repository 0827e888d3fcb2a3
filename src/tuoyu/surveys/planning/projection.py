"""Projection of respondents' children by class band (托育需求预测), month by month.

Pure calculation on plain dataclasses; :mod:`tuoyu.surveys.planning.selectors` builds the
inputs from stored answers. Conventions (ADR 0055):

- **Window**: ``months`` (default 36) months. Month 0 is the first 1st-of-month on or
  after ``as_of`` (``as_of`` 2026-11-29 → 2026-12-01; ``as_of`` 2026-12-01 → 2026-12-01),
  so no month of the window lies in the past.
- **Reference day**: ages are taken on the 1st of each month with THE age function
  :func:`tuoyu.core.ages.age_in_months`.
- **Representative birth date**: the LAST day of the birth (or due) month, so a child is
  never counted older than it may be. A February 2024 birth month is taken as 29 Feb 2024
  and follows the age function's 29 Feb rule. With this convention a child of birth
  month B is ``M − B − 1`` completed months old on the 1st of month M.
- **Bands** (half-open, completed months) come from the rule table (``STD-BAND-*``,
  托育机构设置标准（试行） Art. 19): infant [6, 12), toddler [12, 24), older [24, 36).
  Children younger than the infant band are counted as ``under`` (not placed) unless
  ``min_age_months`` lowers the youngest placed age (they then join the infant band).
  ``mixed_eligible`` counts children in the mixed band [18, 36) for the mixed-class option.
- **Expected births** count from their due month on, like any other child (their age is
  negative before; they reach a band only at its lower bound).
- **Who counts**: only children of respondents whose ``would_use`` is on-site, nearby or
  either; ``no`` and unanswered are left out (the share who would use the facility).
- **Scale**: every count is multiplied by ``scale`` (1 by default; e.g. ``staff_count /
  answers`` to extrapolate to all staff) and kept as a Decimal to 2 places, half-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tuoyu.core.ages import DEFAULT_BANDS, age_in_months
from tuoyu.core.errors import DomainError
from tuoyu.surveys.choices import WOULD_USE_DEMAND
from tuoyu.surveys.dates import add_months, month_end
from tuoyu.surveys.planning.errors import SUR_PLAN_BIRTH_MONTH, SUR_PLAN_SCALE, SUR_PLAN_WINDOW

#: The single-age class types in the order they are shown.
CLASS_TYPES = ("infant", "toddler", "older")
TWO_PLACES = Decimal("0.01")
MAX_WINDOW = 120


@dataclass(frozen=True)
class ChildRecord:
    """A child (or expected birth) of one respondent: ``birth_month`` is a 1st of month."""

    birth_month: date
    expected: bool = False


@dataclass(frozen=True)
class RespondentRecord:
    """One answer as the projection needs it: ``would_use`` value and the children."""

    would_use: str
    children: tuple[ChildRecord, ...] = ()


@dataclass(frozen=True)
class Bands:
    """Class bands in completed months, half-open ``(lower, upper)``."""

    infant: tuple[int, int] = DEFAULT_BANDS["infant"]
    toddler: tuple[int, int] = DEFAULT_BANDS["toddler"]
    older: tuple[int, int] = DEFAULT_BANDS["older"]
    mixed: tuple[int, int] = DEFAULT_BANDS["mixed"]

    def of(self, class_type: str) -> tuple[int, int]:
        """The band of ``class_type`` (infant, toddler, older, mixed)."""
        return getattr(self, class_type)


@dataclass
class ProjectionMonth:
    """One month of the projection.

    ``month``: the 1st of the month; ``index``: 0-based month of the window. ``counts``:
    class type → expected children (Decimal, 2 places, scaled); ``raw``: the same unscaled
    (int); ``under``: scaled children younger than the youngest placed age (not placed);
    ``mixed_eligible``: scaled children in the mixed band. ``answers``: per class type,
    ``"under"`` and ``"total"``, the number of distinct answers the figure is built from
    (for small-number suppression, ADR 0055); never shown.
    """

    index: int
    month: date
    counts: dict[str, Decimal]
    raw: dict[str, int]
    under: Decimal
    mixed_eligible: Decimal
    answers: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        """Children to place this month (sum over class types)."""
        return sum(self.counts.values(), Decimal("0.00"))


@dataclass
class Projection:
    """The result: ``months`` in order, and what it was built from.

    ``respondents``: answers given; ``respondents_counted``: answers whose children count
    (would use the facility); ``children_counted``: their children and expected births;
    ``scale``: the factor applied.
    """

    as_of: date
    start: date
    months: list[ProjectionMonth]
    respondents: int
    respondents_counted: int
    children_counted: int
    scale: Decimal
    bands: Bands = field(default_factory=Bands)
    min_age_months: int = 6


def first_month(as_of: date) -> date:
    """The first 1st-of-month on or after ``as_of`` (month 0 of the window)."""
    if as_of.day == 1:
        return as_of
    return add_months(as_of, 1)


def representative_birth_date(birth_month: date) -> date:
    """The last day of ``birth_month`` (the conservative birth date of a birth month)."""
    return month_end(birth_month)


def project(
    respondents: list[RespondentRecord],
    *,
    as_of: date,
    months: int = 36,
    bands: Bands | None = None,
    scale: Decimal = Decimal(1),
    min_age_months: int | None = None,
) -> Projection:
    """Project the children of ``respondents`` into class bands for ``months`` months.

    ``as_of``: the date the projection is made (month 0 is its month, or the next when
    ``as_of`` is not a 1st); ``bands``: from the rule table (defaults: the national
    bands); ``scale``: Decimal > 0 multiplying every count; ``min_age_months``: the youngest
    placed age in completed months (None = the infant band's lower bound, 6).

    Returns a :class:`Projection`. Raises DomainError ``SUR-060`` for a birth month that is
    not a 1st of month, ``SUR-061`` for a window outside 1–120 months, ``SUR-062`` for a
    scale ≤ 0. Source of the bands: 托育机构设置标准（试行） Art. 19.
    """
    counted = 0
    per_month: dict[date, int] = {}
    who: dict[date, set[int]] = {}
    for number, respondent in enumerate(respondents):
        if respondent.would_use not in WOULD_USE_DEMAND:
            continue
        counted += 1
        for child in respondent.children:
            per_month[child.birth_month] = per_month.get(child.birth_month, 0) + 1
            who.setdefault(child.birth_month, set()).add(number)
    return project_counts(
        per_month, as_of=as_of, months=months, bands=bands, scale=scale,
        min_age_months=min_age_months, respondents=len(respondents), respondents_counted=counted,
        per_month_answers={k: frozenset(v) for k, v in who.items()},
    )


def project_counts(
    per_month: dict[date, int],
    *,
    as_of: date,
    respondents: int,
    respondents_counted: int,
    months: int = 36,
    bands: Bands | None = None,
    scale: Decimal = Decimal(1),
    min_age_months: int | None = None,
    per_month_answers: dict[date, frozenset] | None = None,
) -> Projection:
    """:func:`project` from counts already made: ``per_month`` maps a birth (or due) month
    (a 1st of month) to the number of counted children born in it; ``respondents`` and
    ``respondents_counted`` are the answers given and those that would use the facility;
    ``per_month_answers`` maps a birth month to the ids of the answers reporting it (for
    the answer count behind each figure; without it each child counts as one answer).

    Children of one birth month have the same age in every month, so the age function
    runs once per distinct birth month and window month. Same errors as :func:`project`.
    """
    bands = bands or Bands()
    if not 1 <= months <= MAX_WINDOW:
        raise DomainError(SUR_PLAN_WINDOW, {"months": months}, field="months")
    scale = Decimal(scale)
    if not scale.is_finite() or scale <= 0:
        raise DomainError(SUR_PLAN_SCALE, {"value": scale}, field="scale")
    youngest = bands.infant[0] if min_age_months is None else min(min_age_months, bands.infant[0])
    start = first_month(as_of)
    days = [add_months(start, i) for i in range(months)]
    raw = [dict.fromkeys(CLASS_TYPES, 0) for _ in days]
    under = [0] * months
    mixed = [0] * months
    who: list[dict[str, set]] = [
        {k: set() for k in (*CLASS_TYPES, "under", "total")} for _ in days
    ]

    def mark(i: int, key: str, birth_month: date) -> None:
        ids = (per_month_answers or {}).get(birth_month)
        if ids is None:  # no ids: every child is its own answer
            ids = {(birth_month, j) for j in range(per_month[birth_month])}
        who[i][key] |= ids
        if key != "under":
            who[i]["total"] |= ids

    for birth_month, n in sorted(per_month.items()):
        if birth_month.day != 1:
            raise DomainError(
                SUR_PLAN_BIRTH_MONTH, {"value": birth_month.isoformat()}, field="birth_month"
            )
        born = representative_birth_date(birth_month)
        for i, day in enumerate(days):
            age = age_in_months(born, as_of=day)
            if age < 0:
                continue
            if youngest <= age < bands.infant[0]:
                raw[i]["infant"] += n
                mark(i, "infant", birth_month)
            elif age < bands.infant[0]:
                under[i] += n
                mark(i, "under", birth_month)
            else:
                for class_type in CLASS_TYPES:
                    lower, upper = bands.of(class_type)
                    if lower <= age < upper:
                        raw[i][class_type] += n
                        mark(i, class_type, birth_month)
                        break
            if bands.mixed[0] <= age < bands.mixed[1]:
                mixed[i] += n
    result = [
        ProjectionMonth(
            index=i,
            month=day,
            counts={k: _scaled(v, scale) for k, v in raw[i].items()},
            raw=raw[i],
            under=_scaled(under[i], scale),
            mixed_eligible=_scaled(mixed[i], scale),
            answers={k: len(v) for k, v in who[i].items()},
        )
        for i, day in enumerate(days)
    ]
    return Projection(
        as_of=as_of,
        start=start,
        months=result,
        respondents=respondents,
        respondents_counted=respondents_counted,
        children_counted=sum(per_month.values()),
        scale=scale,
        bands=bands,
        min_age_months=youngest,
    )


def _scaled(count: int, scale: Decimal) -> Decimal:
    return (Decimal(count) * scale).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
