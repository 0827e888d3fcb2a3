"""Survey results (调查结果): aggregation and small-number suppression (小数抑制), in one place.

Every figure shown to anyone — on the results page, in the results CSV/XLSX, on the
officers' demand page and its CSV, and in plan exports that show answer counts — is built
here and passes through :func:`suppression_mask`. Nothing else decides what is hidden.

Suppression rule (docs/adr/0053-survey-result-suppression.md; Valssi's anonymity floor):

1. *Primary*: a figure built from 1 … ``settings.SURVEY_MIN_CELL`` − 1 answers (default
   floor 5) is hidden. A zero is shown: it names nobody. A breakdown whose base (the
   answers it is built from) is below the floor is hidden whole, total included.
2. *Secondary*: when a breakdown's total is shown and any cell is hidden, further cells
   are hidden (smallest shown non-zero first) until at least two cells are hidden AND the
   hidden cells together hold at least the floor of answers — so subtracting the shown
   cells from the total yields a sum that cannot be split into single answers. When no
   cell is left to hide, the total is hidden (the breakdown is then hidden whole).
3. *Whole survey*: with fewer answers than the floor only the count band (``<5``, true
   by construction) is shown.

Every hidden cell carries the same neutral marker :func:`suppressed_marker` (``—``) and the
page and exports say why in a footnote: a cell hidden to protect another is never shown
as "<5".

"Not answered" (未作答) is a cell of each single-choice breakdown, so the cells add up to
the number of answers and that count is protected like any other.

Children by age band (子女月龄段) use the one age function
:func:`tuoyu.core.ages.age_in_months` with the **last day** of the birth month as the
representative birth date (the same convention as the planning projection), as of an
explicit date: under 6 months, infant 6–11, toddler 12–23, older 24–35, 36 months and
over, and expected births (预产) apart. A children cell counts children but is built from
the answers that reported them, and it is that number of answers that decides
suppression.

Aggregation runs in the database: one conditional-count query over the answers, one
grouped query over the children; extra choice questions are counted in one pass over
their answers only when the survey has such questions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tuoyu.core.ages import age_in_months
from tuoyu.surveys.dates import DATE_MAX, DATE_MIN, add_months, month_end

#: Age bands of children, months of completed age (half-open), in display order.
AGE_BANDS: tuple[tuple[str, object, int | None, int | None], ...] = (
    ("under6", _("6个月以下"), None, 6),
    ("infant", _("6–12个月（乳儿）"), 6, 12),
    ("toddler", _("12–24个月（托小）"), 12, 24),
    ("older", _("24–36个月（托大）"), 24, 36),
    ("over36", _("36个月及以上"), 36, None),
    ("expected", _("预产"), None, None),
)
#: Bands that count as "under 3" (三岁以下) in demand figures.
UNDER_THREE_BANDS = ("under6", "infant", "toddler", "older")

#: Start-of-day bands (开始时间), minutes after midnight, half-open.
HOURS_FROM_BANDS = (
    ("before7", _("7:00前"), None, 7 * 60),
    ("7", _("7:00–7:59"), 7 * 60, 8 * 60),
    ("8", _("8:00–8:59"), 8 * 60, 9 * 60),
    ("9plus", _("9:00及以后"), 9 * 60, None),
)
#: End-of-day bands (结束时间), minutes after midnight, half-open.
HOURS_TO_BANDS = (
    ("before16", _("16:00前"), None, 16 * 60),
    ("16", _("16:00–16:59"), 16 * 60, 17 * 60),
    ("17", _("17:00–17:59"), 17 * 60, 18 * 60),
    ("18", _("18:00–18:59"), 18 * 60, 19 * 60),
    ("19plus", _("19:00及以后"), 19 * 60, None),
)
#: One-way commute bands (单程通勤), minutes, half-open.
COMMUTE_BANDS = (
    ("lt15", _("15分钟以内"), None, 15),
    ("15_29", _("15–29分钟"), 15, 30),
    ("30_44", _("30–44分钟"), 30, 45),
    ("45_59", _("45–59分钟"), 45, 60),
    ("ge60", _("60分钟及以上"), 60, None),
)
NOT_ANSWERED = "none"
_NOT_ANSWERED_LABEL = _("未作答")
_PERCENT = Decimal("0.1")


def age_date(survey) -> dt.date:
    """The fixed date children's ages are taken on in the results of ``survey``.

    The survey's close date (截止日期), kept within :data:`DATE_MIN` … :data:`DATE_MAX`.
    It is not a parameter: a free date would let a reader step month by month and watch
    single children change band, revealing birth months (ADR 0053 §11).
    """
    return min(max(survey.closes_on, DATE_MIN), DATE_MAX)


def min_cell() -> int:
    """The anonymity floor: the fewest answers a shown figure may be built from (≥ 1)."""
    return max(int(getattr(settings, "SURVEY_MIN_CELL", 5)), 1)


def suppressed_marker() -> str:
    """The neutral text shown instead of any hidden figure: ``"—"``.

    The same marker whatever the reason (primary or secondary suppression), so a cell
    hidden to protect another is never labelled as small.
    """
    return "—"


def count_band() -> str:
    """The band shown for a whole survey with fewer answers than the floor, e.g. ``"<5"``."""
    return f"<{min_cell()}"


def suppression_note() -> str:
    """The footnote explaining the marker (page, CSV and XLSX)."""
    return gettext(
        "“%(marker)s”表示为保护职工隐私不予显示的数字：由少于%(n)s份答卷得出的数字，"
        "以及为防止相减推算而一并隐藏的数字（可能大于或等于%(n)s）。"
    ) % {"marker": suppressed_marker(), "n": min_cell()}


def suppression_plan(
    answers: Sequence[int],
    *,
    base: int,
    floor: int | None = None,
    total_shown: bool = True,
    forced: Sequence[bool] | None = None,
) -> tuple[list[bool], bool]:
    """Decide what one breakdown hides: ``(cell mask, total hidden)``.

    ``answers``: per cell, the number of answers the cell is built from; ``base``: the
    number of answers the whole breakdown (its total) is built from; ``floor`` defaults to
    :func:`min_cell`; ``total_shown``: whether the breakdown's total may be published
    (False when another rule hides it — then at least one non-zero cell is hidden so the
    total cannot be added up from the cells); ``forced``: cells another rule hides
    (e.g. the would-use complement on the demand page, ADR 0053).

    Rules (module docstring, ADR 0053): everything when ``base < floor``; else cells with
    1 … floor−1 answers (primary); then, while the total is shown and the hidden cells
    are fewer than two or hold fewer than ``floor`` answers, the smallest shown non-zero
    cell (ties: the first in display order) is hidden too (secondary). When no cell is
    left to hide, the total is hidden instead.
    """
    floor = min_cell() if floor is None else floor
    if base < floor:
        return [True] * len(answers), True
    mask = [0 < n < floor or bool(forced and forced[i]) for i, n in enumerate(answers)]
    if not total_shown:
        if not any(m and n > 0 for m, n in zip(mask, answers, strict=True)):
            candidates = [(n, i) for i, n in enumerate(answers) if n > 0]
            if candidates:
                mask[min(candidates)[1]] = True
        return mask, True
    if not any(mask):
        return mask, False

    def safe() -> bool:
        hidden = [n for n, m in zip(answers, mask, strict=True) if m]
        return len(hidden) >= 2 and sum(hidden) >= floor

    while not safe():
        candidates = [(n, i) for i, n in enumerate(answers) if not mask[i] and n > 0]
        if not candidates:
            return mask, True
        mask[min(candidates)[1]] = True
    return mask, False


def suppression_mask(answers: Sequence[int], *, base: int, floor: int | None = None) -> list[bool]:
    """Return, for each cell of one breakdown, True when it must be hidden.

    The cell part of :func:`suppression_plan` with the total shown; see there.
    """
    return suppression_plan(answers, base=base, floor=floor)[0]


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(_PERCENT, rounding=ROUND_HALF_UP)


@dataclass
class Cell:
    """One shown cell: ``count`` (answers, or children for age bands) and ``share`` (%).

    Both are None when ``suppressed``; ``answers`` (the answers behind the cell) is kept
    for suppression only and is never rendered.
    """

    key: str
    label: object
    count: int | None
    share: Decimal | None = None
    suppressed: bool = False
    answers: int = field(default=0, repr=False)

    @property
    def count_text(self) -> str:
        """The count as shown: a number or the suppressed marker."""
        return suppressed_marker() if self.suppressed else str(self.count)

    @property
    def share_text(self) -> str:
        """The share as shown: ``"12.5%"``, ``"—"`` when suppressed or not applicable."""
        if self.suppressed or self.share is None:
            return "—"
        return f"{self.share}%"


@dataclass
class Breakdown:
    """A table of cells for one question (e.g. fee bands) after suppression.

    ``total`` is the number of answers (or children) the table covers, None when
    suppressed; ``multiple`` marks multiple-choice tables whose cells do not add up to the
    total; ``unit`` is ``"answers"`` or ``"children"``.
    """

    key: str
    title: object
    cells: list[Cell]
    total: int | None
    suppressed: bool = False
    multiple: bool = False
    unit: str = "answers"

    @property
    def total_text(self) -> str:
        """The total as shown: a number or the suppressed marker."""
        return suppressed_marker() if self.total is None else str(self.total)

    @property
    def any_suppressed(self) -> bool:
        """True when at least one cell is hidden (the page then explains why)."""
        return self.suppressed or any(c.suppressed for c in self.cells)


def build_breakdown(
    key: str,
    title,
    rows: Sequence[tuple[str, object, int, int]],
    *,
    base: int,
    total: int | None = None,
    multiple: bool = False,
    unit: str = "answers",
    with_share: bool = True,
    total_shown: bool = True,
    forced: Sequence[bool] | None = None,
) -> Breakdown:
    """Apply suppression to raw cells and return a :class:`Breakdown`.

    ``rows``: ``(key, label, count, answers)`` per cell, where ``answers`` is the number of
    answers the cell is built from (equal to ``count`` for answer counts). ``base``:
    answers behind the table; ``total``: the figure shown as the table's total (defaults to
    ``base``). Shares are ``count / base`` in percent, 1 decimal, half-up; they are not
    shown when the total is hidden (a share would give the total away).
    ``total_shown``/``forced``: see :func:`suppression_plan`.
    """
    floor = min_cell()
    mask, total_hidden = suppression_plan(
        [r[3] for r in rows], base=base, floor=floor, total_shown=total_shown, forced=forced
    )
    whole = base < floor
    with_share = with_share and not total_hidden
    cells = [
        Cell(
            key=k,
            label=label,
            count=None if hidden else count,
            share=None if hidden or not with_share else _percent(count, base),
            suppressed=hidden,
            answers=answers,
        )
        for (k, label, count, answers), hidden in zip(rows, mask, strict=True)
    ]
    shown_total = None if total_hidden else (base if total is None else total)
    return Breakdown(key, title, cells, shown_total, whole, multiple, unit)


# --- reading answers from the database --------------------------------------------------------


def _band_q(field_name: str, lower, upper) -> Q:
    q = Q(**{f"{field_name}__isnull": False})
    if lower is not None:
        q &= Q(**{f"{field_name}__gte": lower})
    if upper is not None:
        q &= Q(**{f"{field_name}__lt": upper})
    return q


def _time(minutes: int | None) -> dt.time | None:
    return None if minutes is None else dt.time(minutes // 60, minutes % 60)


def _single_choice_specs():
    """``(field, title, choices class)`` of the single-choice questions of the standard form."""
    from tuoyu.surveys.choices import CareArrangement, FeeBand, WouldUse

    return (
        ("current_care", _("目前照料方式"), CareArrangement),
        ("would_use", _("是否愿意使用单位托育"), WouldUse),
        ("fee_band", _("可承受月托育费"), FeeBand),
    )


def _banded_specs():
    """``(key, title, field, bands, to_value)`` of the banded numeric questions."""
    days = tuple((str(d), _("%(d)s天") % {"d": d}, d, d + 1) for d in range(1, 8))
    return (
        ("days_per_week", _("每周所需天数"), "days_per_week", days, lambda v: v),
        ("hours_from", _("每日开始时间"), "hours_from", HOURS_FROM_BANDS, _time),
        ("hours_to", _("每日结束时间"), "hours_to", HOURS_TO_BANDS, _time),
        ("commute", _("单程通勤时间"), "commute_minutes", COMMUTE_BANDS, lambda v: v),
    )


def answer_counts(responses) -> dict[str, int]:
    """Count answers per choice and band in ONE query over ``responses`` (a queryset).

    Returns ``{"total": n, "<field>:<value>": n, ...}`` for the single-choice fields,
    ``"wanted:<service>"`` and ``"wanted:none"`` for wanted services (multiple choice), and
    ``"<key>:<band>"`` for days, hours and commute bands.
    """
    from tuoyu.facilities.choices import ServiceType

    aggregates = {"total": Count("id")}
    for field_name, _title, choices in _single_choice_specs():
        for value in choices.values:
            aggregates[f"{field_name}:{value}"] = Count("id", filter=Q(**{field_name: value}))
    any_service = Q()
    postgres = connection.vendor == "postgresql"
    for value in ServiceType.values:
        # jsonb containment on PostgreSQL; elsewhere the JSON text holds the code in quotes.
        q = (
            Q(wanted_services__contains=[value])
            if postgres
            else Q(wanted_services__icontains=f'"{value}"')
        )
        aggregates[f"wanted:{value}"] = Count("id", filter=q)
        any_service |= q
    aggregates[f"wanted:{NOT_ANSWERED}"] = Count("id", filter=~any_service)
    for key, _title, field_name, bands, convert in _banded_specs():
        for band, _label, lower, upper in bands:
            aggregates[f"{key}:{band}"] = Count(
                "id", filter=_band_q(field_name, convert(lower), convert(upper))
            )
    return responses.aggregate(**aggregates)


def age_band_of(birth_month: dt.date, *, expected: bool, as_of: dt.date) -> str:
    """The age band key (:data:`AGE_BANDS`) of a child on ``as_of``.

    ``birth_month``: any date in the birth (or due) month; its last day is the
    representative birth date. An expected birth is always ``"expected"``; a child not yet
    born on ``as_of`` falls in ``"under6"``.
    """
    if expected:
        return "expected"
    months = age_in_months(month_end(birth_month), as_of=as_of)
    for key, _label, lower, upper in AGE_BANDS[:5]:
        if (lower is None or months >= lower) and (upper is None or months < upper):
            return key
    return "under6"


def age_band_case(as_of: dt.date, prefix: str = "") -> Case:
    """A SQL ``CASE`` giving the age band of a ResponseChild row on ``as_of``.

    The band of each birth month in the 40 months up to ``as_of`` is computed with
    :func:`age_band_of` (so with the one age function); older months are ``over36``, later
    ones ``under6``. ``prefix`` is the lookup path to the child (e.g. ``"children__"``).
    """
    first = add_months(as_of, -40)
    whens = [
        When(**{f"{prefix}expected": True}, then=Value("expected")),
        When(**{f"{prefix}birth_month__lt": first}, then=Value("over36")),
    ]
    month, run_start, run_band = first, first, None
    last = add_months(as_of, 1)
    while month <= last:
        band = age_band_of(month, expected=False, as_of=as_of)
        if band != run_band:
            if run_band is not None:
                whens.append(
                    When(
                        **{
                            f"{prefix}birth_month__gte": run_start,
                            f"{prefix}birth_month__lt": month,
                        },
                        then=Value(run_band),
                    )
                )
            run_start, run_band = month, band
        month = add_months(month, 1)
    whens.append(When(**{f"{prefix}birth_month__gte": run_start}, then=Value(run_band)))
    return Case(*whens, default=Value("under6"), output_field=CharField())


def children_counts(responses, *, as_of: dt.date) -> dict[str, tuple[int, int]]:
    """Children of ``responses`` per age band on ``as_of``: ``{band: (children, answers)}``.

    Also ``"total"``: all children and expected births with the number of answers that
    reported any. One grouped query plus one aggregate.
    """
    from tuoyu.surveys.models import ResponseChild

    children = ResponseChild.objects.filter(response__in=responses)
    rows = (
        children.annotate(band=age_band_case(as_of))
        .values("band")
        .annotate(n=Count("id"), answers=Count("response_id", distinct=True))
        .order_by()
    )
    result = {row["band"]: (row["n"], row["answers"]) for row in rows}
    total = children.aggregate(n=Count("id"), answers=Count("response_id", distinct=True))
    result["total"] = (total["n"], total["answers"])
    return result


def _extra_breakdowns(survey, responses) -> list[Breakdown]:
    """Choice counts of the survey's single and multiple choice extra questions."""
    from tuoyu.surveys.choices import QuestionKind

    questions = [
        q
        for q in survey.questions.all().order_by("position")
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    ]
    if not questions:
        return []
    counts = {q.position: dict.fromkeys([*q.choices, NOT_ANSWERED], 0) for q in questions}
    total = 0
    for answers in responses.values_list("extra_answers", flat=True).iterator(chunk_size=2000):
        total += 1
        answers = answers if isinstance(answers, dict) else {}
        for q in questions:
            value = answers.get(str(q.position))
            chosen = value if isinstance(value, list) else [value] if value not in (None, "") else []
            chosen = [c for c in chosen if c in counts[q.position] and c != NOT_ANSWERED]
            if not chosen:
                counts[q.position][NOT_ANSWERED] += 1
            for c in set(chosen):
                counts[q.position][c] += 1
    result = []
    for q in questions:
        rows = [(f"c{i}", choice, counts[q.position][choice], counts[q.position][choice])
                for i, choice in enumerate(q.choices)]
        rows.append((NOT_ANSWERED, _NOT_ANSWERED_LABEL, counts[q.position][NOT_ANSWERED],
                     counts[q.position][NOT_ANSWERED]))
        result.append(
            build_breakdown(
                f"extra{q.position}", q.text, rows, base=total,
                multiple=q.kind == QuestionKind.MULTIPLE,
            )
        )
    return result


@dataclass
class SurveyResults:
    """The suppressed results of one survey as of a date (see :func:`survey_results`).

    ``answers`` is None when below the floor (then ``shown`` is False and only
    ``answers_text`` — the count band — may be displayed). ``response_rate`` is a percent
    (1 decimal) or None when unknown or suppressed; ``rate_basis`` says what it divides
    by: ``"links"`` (personal links issued), ``"staff"`` (staff surveyed) or ``""``.
    """

    survey: object
    as_of: dt.date
    answers: int | None
    shown: bool
    response_rate: Decimal | None = None
    rate_basis: str = ""
    rate_denominator: int | None = None
    breakdowns: list[Breakdown] = field(default_factory=list)
    rate_exceeded: bool = False

    @property
    def answers_text(self) -> str:
        """The number of answers as shown: a number or the count band ``<5``."""
        return str(self.answers) if self.shown else count_band()


def response_breakdowns(responses, *, as_of: dt.date, survey=None) -> tuple[int, list[Breakdown]]:
    """Return ``(number of answers, suppressed breakdowns)`` for a queryset of answers.

    Breakdowns in order: children by age band on ``as_of``, wanted services, fee bands,
    would use, current care, days per week, start and end times, commute, then the extra
    choice questions of ``survey`` (when given).
    """
    from tuoyu.facilities.choices import ServiceType

    counts = answer_counts(responses)
    total = counts["total"]
    kids = children_counts(responses, as_of=as_of)
    breakdowns = []
    child_rows = [
        (key, label, kids.get(key, (0, 0))[0], kids.get(key, (0, 0))[1])
        for key, label, _lower, _upper in AGE_BANDS
    ]
    children = build_breakdown(
        "children", _("子女月龄段（人）"), child_rows,
        base=kids["total"][1], total=kids["total"][0], unit="children", with_share=False,
    )
    if total < min_cell():
        children = build_breakdown(
            "children", children.title, child_rows, base=0, unit="children", with_share=False
        )
    breakdowns.append(children)
    wanted_rows = [
        (v, label, counts[f"wanted:{v}"], counts[f"wanted:{v}"]) for v, label in ServiceType.choices
    ]
    wanted_rows.append(
        (NOT_ANSWERED, _NOT_ANSWERED_LABEL, counts[f"wanted:{NOT_ANSWERED}"],
         counts[f"wanted:{NOT_ANSWERED}"])
    )
    breakdowns.append(
        build_breakdown("wanted_services", _("需要的托育服务（可多选）"), wanted_rows,
                        base=total, multiple=True)
    )
    singles = {f: (t, c) for f, t, c in _single_choice_specs()}
    for field_name in ("fee_band", "would_use", "current_care"):
        title, choices = singles[field_name]
        rows = [(v, label, counts[f"{field_name}:{v}"], counts[f"{field_name}:{v}"])
                for v, label in choices.choices]
        rows.append(_not_answered(rows, total))
        breakdowns.append(build_breakdown(field_name, title, rows, base=total))
    for key, title, _field, bands, _convert in _banded_specs():
        rows = [(band, label, counts[f"{key}:{band}"], counts[f"{key}:{band}"])
                for band, label, _lo, _hi in bands]
        rows.append(_not_answered(rows, total))
        breakdowns.append(build_breakdown(key, title, rows, base=total))
    if survey is not None:
        breakdowns.extend(_extra_breakdowns(survey, responses))
    return total, breakdowns


def _not_answered(rows, total: int) -> tuple[str, object, int, int]:
    missing = max(total - sum(r[2] for r in rows), 0)
    return (NOT_ANSWERED, _NOT_ANSWERED_LABEL, missing, missing)


def survey_results(survey, *, as_of: dt.date | None = None) -> SurveyResults:
    """Compute the suppressed results of ``survey`` with ages as of ``as_of``.

    ``as_of`` defaults to, and on every page and export is, :func:`age_date` (the
    survey's close date); it is not taken from the request.

    Response rate: answers through personal links ÷ personal links issued, or, when the
    survey has no personal links, all answers ÷ ``staff_count`` (when known); percent, 1
    decimal, half-up; suppressed like any figure built from fewer answers than the floor.
    With fewer answers than the floor in total, nothing but the count band is returned.
    """
    as_of = age_date(survey) if as_of is None else as_of
    responses = survey.responses.all()
    floor = min_cell()
    total, breakdowns = response_breakdowns(responses, as_of=as_of, survey=survey)
    if total < floor:
        return SurveyResults(survey, as_of, None, False)
    result = SurveyResults(survey, as_of, total, True, breakdowns=breakdowns)
    links = survey.invitations.count()
    if links:
        answered = responses.filter(invitation__isnull=False).count()
        result.rate_basis, result.rate_denominator = "links", links
        if answered >= floor:
            result.response_rate = _percent(answered, links)
    elif survey.staff_count:
        result.rate_basis, result.rate_denominator = "staff", survey.staff_count
        # More answers than staff (a wrong staff count or the open link shared beyond
        # the staff): a rate above 100 % means nothing, so none is shown.
        if total <= survey.staff_count:
            result.response_rate = _percent(total, survey.staff_count)
        else:
            result.rate_exceeded = True
    return result


# --- rows for the exports ---------------------------------------------------------------------


def results_rows(results: SurveyResults) -> list[list[object]]:
    """The suppressed results as table rows for CSV/XLSX: header, summary, then each table.

    Columns: 分组 (table), 项目 (cell), 数量 (count or the suppressed marker), 占比 (share
    or ``—``). Only suppressed aggregates: nothing per answer.
    """
    rows: list[list[object]] = [[gettext("分组"), gettext("项目"), gettext("数量"), gettext("占比")]]
    rows.append([gettext("答卷"), gettext("答卷数"), results.answers if results.shown else results.answers_text, ""])
    if results.rate_basis:
        rows.append([
            gettext("答卷"),
            gettext("个人链接数") if results.rate_basis == "links" else gettext("调查职工人数"),
            results.rate_denominator, "",
        ])
        rows.append([
            gettext("答卷"), gettext("回复率"), "", _rate_text(results),
        ])
    rows.append([gettext("答卷"), gettext("月龄计算日期"), results.as_of.isoformat(), ""])
    for b in results.breakdowns if results.shown else []:
        for c in b.cells:
            rows.append([str(b.title), str(c.label), c.count_text if c.suppressed else c.count,
                         c.share_text])
        rows.append([str(b.title), gettext("合计"), b.total if b.total is not None else b.total_text, ""])
    rows.append([gettext("说明"), suppression_note(), "", ""])
    return rows


def _rate_text(results: SurveyResults) -> str:
    if results.rate_exceeded:
        return gettext("不适用（答卷数多于调查职工人数）")
    return f"{results.response_rate}%" if results.response_rate is not None else "—"


def _decimal_cell(ws, value: Decimal):
    """An XLSX cell for a Decimal (money, ¥): a number with 2 decimals when a spreadsheet
    number (15 significant digits) holds it exactly, else the exact text."""
    from openpyxl.cell import WriteOnlyCell

    if value.is_finite():
        digits = value.as_tuple()
        exponent = digits.exponent if isinstance(digits.exponent, int) else 0
        if len(digits.digits) <= 15 and exponent >= -2:
            cell = WriteOnlyCell(ws, value=float(value))
            cell.number_format = "0.00"
            return cell
    cell = WriteOnlyCell(ws, value=str(value))
    cell.data_type = "s"
    return cell


def write_xlsx(rows: list[list[object]], target, *, sheet: str, extra_sheets: dict | None = None) -> None:
    """Write ``rows`` to ``target`` (path or binary file) as an XLSX sheet named ``sheet``.

    Text cells are neutralised against formula injection with the facility export's
    :func:`tuoyu.facilities.exporting.neutralize` and stored as strings; integers and
    floats below 10¹⁵ stay numbers; Decimals (money, ¥) are numbers with 2 decimals when a
    spreadsheet number holds them exactly, otherwise exact text. ``extra_sheets`` maps further sheet names to their rows.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    from tuoyu.facilities.exporting import neutralize

    workbook = openpyxl.Workbook(write_only=True)
    for name, sheet_rows in {sheet: rows, **(extra_sheets or {})}.items():
        ws = workbook.create_sheet(name)
        for row in sheet_rows:
            out = []
            for value in row:
                if value is None or value == "":
                    out.append(None)
                elif isinstance(value, Decimal):
                    out.append(_decimal_cell(ws, value))
                elif isinstance(value, bool):
                    out.append(str(value))
                elif isinstance(value, int | float) and abs(value) < 10**15:  # NaN: False
                    out.append(value)
                else:
                    cell = WriteOnlyCell(ws, value=neutralize(str(value)))
                    cell.data_type = "s"
                    out.append(cell)
            ws.append(out)
    workbook.save(target)
