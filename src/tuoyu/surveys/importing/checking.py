"""Checking one row of paper answers (逐行校验): cells → a :class:`PaperRecord` or row errors."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import translation

from tuoyu.core.errors import message_for
from tuoyu.facilities.importing import codes as imp
from tuoyu.facilities.importing.columns import header_key
from tuoyu.surveys import errors as sur
from tuoyu.surveys import importing_errors as codes
from tuoyu.surveys.importing.columns import COLUMN_BY_KEY
from tuoyu.surveys.models import COMMUTE_MAX_MINUTES, DAYS_PER_WEEK_MAX, DAYS_PER_WEEK_MIN
from tuoyu.surveys.services import NUMBER_ANSWER_MAX, TEXT_ANSWER_MAX

PAPER_REF_MAX = 50
_MONTH_SPLIT = re.compile(r"[;；,，、|\s]+")
_LIST_SPLIT = re.compile(r"[;；,，、|/\n]+")
_EXTRA_SPLIT = re.compile(r"[;；、|\n]+")
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$"),
)
_DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$")
_SPAN_PATTERN = re.compile(
    r"^(\d{1,2})(?:[:：.](\d{2}))?\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})(?:[:：.](\d{2}))?$"
)
_YES = {"是", "同意", "已同意", "y", "yes", "true", "1", "√", "✓"}


#: A number as the online form takes it: plain notation, at most 4 decimals (no exponent,
#: no inf/nan), digits only after NFKC normalisation.
_NUMBER = re.compile(r"^[+-]?\d{1,10}(?:\.\d{1,4})?$")


def _choice_lookup(choices_cls) -> tuple[dict[str, str], object]:
    lookup: dict[str, str] = {}
    for value, label in choices_cls.choices:
        lookup[header_key(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[header_key(str(label))] = value
    return lookup, _Allowed(choices_cls)


class _Allowed:
    """The allowed labels of a choice, listed in the active language when shown."""

    def __init__(self, choices_cls) -> None:
        self.choices_cls = choices_cls

    def __str__(self) -> str:
        language = translation.get_language() or "zh-hans"
        separator = "、" if language.startswith("zh") else ", "
        return separator.join(str(label) for _v, label in self.choices_cls.choices)


def parse_month(text: str) -> dt.date | None:
    """``"2025-03"``, ``"2025/3"``, ``"2025年3月"``, ``"202503"`` or an ISO date → the 1st of
    that month; None when malformed (month 13, no year …)."""
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            try:
                if match.lastindex == 3:
                    dt.date(year, month, int(match.group(3)))
                return dt.date(year, month, 1)
            except ValueError:
                return None
    return None


@dataclass
class PaperRecord:
    """A checked row: ``values`` are SurveyResponse field values; ``children`` is a sorted
    list of ``(birth_month, expected)``; ``answered_on`` the answer date (None: import day)."""

    row: int
    paper_ref: str
    values: dict
    children: list[tuple[dt.date, bool]]
    answered_on: dt.date | None


class RowChecker:
    """Checks rows of one survey's paper answers; see :meth:`check`."""

    def __init__(self, survey, *, today: dt.date, headers: dict[str, str]) -> None:
        from tuoyu.facilities.choices import ServiceType
        from tuoyu.surveys.choices import CareArrangement, FeeBand, WouldUse

        self.today = today
        self.headers = headers
        # Answers can only have been given within the survey period (M3): from the open
        # date to the close date or today, whichever is earlier.
        self.period = (survey.opens_on, min(survey.closes_on, today))
        self.choices = {
            "current_care": _choice_lookup(CareArrangement),
            "fee_band": _choice_lookup(FeeBand),
            "would_use": _choice_lookup(WouldUse),
            "wanted_services": _choice_lookup(ServiceType),
        }
        self.questions = {q.position: q for q in survey.questions.all()}
        self.seen_refs: dict[str, int] = {}

    def _error(self, errors: list, row: int, key: str, code: str, params: dict | None = None):
        column = self.headers.get(key) or (COLUMN_BY_KEY[key].zh if key in COLUMN_BY_KEY else key)
        errors.append(
            {"row": row, "column": column, "code": code, "message": message_for(code, params or {})}
        )

    def check(self, row: int, values: dict[str, str], errors: list) -> PaperRecord | None:
        """Check one row's cell texts; append problems to ``errors``; the record or None."""
        before = len(errors)
        err = lambda key, code, params=None: self._error(errors, row, key, code, params)  # noqa: E731
        ref = values.get("paper_ref", "")
        if not ref:
            err("paper_ref", imp.IMP_REQUIRED)
        elif len(ref) > PAPER_REF_MAX:
            err("paper_ref", codes.SUR_IMPORT_REF_TOO_LONG, {"limit": PAPER_REF_MAX})
        elif ref in self.seen_refs:
            err("paper_ref", codes.SUR_IMPORT_DUPLICATE_REF, {"value": ref, "first": self.seen_refs[ref]})
        else:
            self.seen_refs[ref] = row
        answered_on = None
        start, end = self.period
        if values.get("answered_on"):
            answered_on = _parse_date(values["answered_on"])
            if answered_on is None or answered_on > self.today:
                err("answered_on", codes.SUR_IMPORT_ANSWER_DATE, {"value": values["answered_on"]})
                answered_on = None
            elif not start <= answered_on <= end:
                err("answered_on", codes.SUR_IMPORT_ANSWER_DATE_PERIOD, {
                    "value": values["answered_on"], "start": start.isoformat(),
                    "end": end.isoformat(),
                })
                answered_on = None
        consent = header_key(values.get("consent", ""))
        if consent and consent not in _YES:
            err("consent", codes.SUR_IMPORT_NO_CONSENT)
        # Children are checked against the answer date; without one, against the last day
        # answers could be given (the close date, or today while the survey runs).
        answer_day = answered_on or (end if end >= start else self.today)
        children = self._children(values, answer_day, err)
        out: dict = {}
        for key in ("current_care", "fee_band", "would_use"):
            text = values.get(key, "")
            out[key] = ""
            if text:
                lookup, allowed = self.choices[key]
                out[key] = lookup.get(header_key(text), "")
                if not out[key]:
                    err(key, imp.IMP_CHOICE, {"value": text, "allowed": allowed})
        out["wanted_services"] = self._services(values.get("wanted_services", ""), err)
        out["days_per_week"] = self._int(
            values, "days_per_week", DAYS_PER_WEEK_MIN, DAYS_PER_WEEK_MAX, codes.SUR_IMPORT_DAYS, err
        )
        out["commute_minutes"] = self._int(
            values, "commute_minutes", 0, COMMUTE_MAX_MINUTES, codes.SUR_IMPORT_COMMUTE, err,
            limit=COMMUTE_MAX_MINUTES,
        )
        out["hours_from"], out["hours_to"] = self._hours(values.get("hours", ""), err)
        out["extra_answers"] = self._extras(values, err)
        if len(errors) > before:
            return None
        return PaperRecord(row, ref, out, children, answered_on)

    def _children(self, values, answer_day, err) -> list[tuple[dt.date, bool]]:
        """Birth and due months checked by the online answer's rule
        (:func:`tuoyu.surveys.services.child_month_validate`) on ``answer_day``."""
        from tuoyu.core.errors import DomainError
        from tuoyu.surveys.services import MAX_CHILDREN, child_month_validate

        children: list[tuple[dt.date, bool]] = []
        for key, expected in (("children", False), ("expected", True)):
            for part in _MONTH_SPLIT.split(values.get(key, "")):
                if not part:
                    continue
                month = parse_month(part)
                if month is None:
                    err(key, sur.SUR_BAD_BIRTH_MONTH, {"value": part})
                    continue
                try:
                    child_month_validate(month, expected=expected, answered_on=answer_day)
                except DomainError as exc:
                    err(key, exc.code, exc.params)
                else:
                    children.append((month, expected))
        if len(children) > MAX_CHILDREN:
            err("children", sur.SUR_TOO_MANY_CHILDREN, {"limit": MAX_CHILDREN})
        return sorted(children)

    def _services(self, text: str, err) -> list[str]:
        lookup, allowed = self.choices["wanted_services"]
        chosen: list[str] = []
        for part in _LIST_SPLIT.split(text):
            part = part.strip()
            if not part:
                continue
            value = lookup.get(header_key(part))
            if value is None:
                err("wanted_services", imp.IMP_CHOICE, {"value": part, "allowed": allowed})
            elif value not in chosen:
                chosen.append(value)
        from tuoyu.facilities.choices import ServiceType

        return [v for v in ServiceType.values if v in chosen]  # canonical order

    def _int(self, values, key, low, high, code, err, **params) -> int | None:
        text = values.get(key, "")
        if not text:
            return None
        try:
            number = Decimal(unicodedata.normalize("NFKC", text).removesuffix("分钟").removesuffix("天"))
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or not low <= number <= high:
            err(key, code, {"value": text, **params})
            return None
        return int(number)

    def _hours(self, text: str, err) -> tuple[dt.time | None, dt.time | None]:
        if not text:
            return None, None
        match = _SPAN_PATTERN.match(unicodedata.normalize("NFKC", text).replace(" ", ""))
        try:
            if not match:
                raise ValueError(text)
            start = dt.time(int(match.group(1)), int(match.group(2) or 0))
            end = dt.time(int(match.group(3)), int(match.group(4) or 0))
            if end <= start:
                raise ValueError(text)
        except ValueError:
            err("hours", codes.SUR_IMPORT_HOURS, {"value": text})
            return None, None
        return start, end

    def _extras(self, values: dict, err) -> dict:
        from tuoyu.surveys.choices import QuestionKind

        answers: dict = {}
        for position, q in sorted(self.questions.items()):
            key = f"extra{position}"
            text = values.get(key, "")
            if not text:
                if q.required and key in self.headers:
                    err(key, sur.SUR_ANSWER_REQUIRED, {"position": position})
                continue
            params = {"value": text, "position": position}
            if q.kind == QuestionKind.TEXT:
                answers[str(position)] = text[:TEXT_ANSWER_MAX]
            elif q.kind == QuestionKind.NUMBER:
                number = _plain_number(text)
                if number is None:
                    err(key, codes.SUR_IMPORT_NUMBER, {**params, "limit": NUMBER_ANSWER_MAX})
                    continue
                answers[str(position)] = int(number) if number == number.to_integral_value() else float(number)
            else:
                options = {header_key(o): o for o in q.choices}
                parts = [p.strip() for p in _EXTRA_SPLIT.split(text) if p.strip()]
                if q.kind == QuestionKind.SINGLE:
                    parts = [text]
                chosen = [options.get(header_key(p)) for p in parts]
                if None in chosen:
                    err(key, codes.SUR_IMPORT_EXTRA, {**params, "detail": "、".join(q.choices)})
                    continue
                if q.kind == QuestionKind.SINGLE:
                    answers[str(position)] = chosen[0]
                else:
                    answers[str(position)] = [o for o in q.choices if o in chosen]
        return answers


def _plain_number(text: str) -> Decimal | None:
    """A number answer as the online form accepts it (SUR-041 otherwise): plain notation
    (no exponent, inf or nan), at most 4 decimals, absolute value at most
    :data:`tuoyu.surveys.services.NUMBER_ANSWER_MAX`; None when not."""
    text = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if not _NUMBER.match(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if abs(number) <= NUMBER_ANSWER_MAX else None


def _parse_date(text: str) -> dt.date | None:
    match = _DATE_PATTERN.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
