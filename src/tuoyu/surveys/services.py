"""Writes of the surveys app: surveys, their lifecycle, answer links and answers.

Every write is a keyword-only service in one transaction, validated with ``full_clean``.
Employer actions (create, update, open/close, links generated, open link on/off) write an
audit event. Answers are anonymous: no audit event per answer, no IP address, no name.

Configurable numbers (settings, with defaults):

- ``TUOYU_SURVEY_MAX_LINKS`` (5,000): personal links per survey.
- ``TUOYU_SURVEY_DUE_MONTHS`` (12): an expected birth's due month must lie within this many
  months from the month of answering (months, inclusive).
- ``TUOYU_SURVEY_MAX_DAYS`` (366): longest answering period, days from the open date to the
  close date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from tuoyu.accounts.choices import OrganizationKind
from tuoyu.accounts.permissions import MANAGE_SURVEYS, acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.ages import age_in_months
from tuoyu.core.dates import local_date, local_today
from tuoyu.core.errors import GEN_CONFLICT, GEN_FORBIDDEN, GEN_INVALID, DomainError
from tuoyu.surveys import permissions as perms
from tuoyu.surveys.choices import QuestionKind, SurveyStatus
from tuoyu.surveys.dates import DATE_MAX, DATE_MIN, date_in_bounds, month_end, month_start
from tuoyu.surveys.errors import (
    SUR_ANSWER_REQUIRED,
    SUR_BAD_ANSWER,
    SUR_BAD_QUESTION,
    SUR_BIRTH_MONTH_FUTURE,
    SUR_BIRTH_MONTH_TOO_OLD,
    SUR_CLOSE_BEFORE_OPEN,
    SUR_CLOSE_DATE_PASSED,
    SUR_CLOSES_BEFORE_ANSWERS,
    SUR_CONSENT_REQUIRED,
    SUR_DATE_OUT_OF_RANGE,
    SUR_DUE_MONTH_PAST,
    SUR_DUE_MONTH_RANGE,
    SUR_LABEL_TOO_LONG,
    SUR_LINKS_CLOSED,
    SUR_NO_LABELS,
    SUR_NOT_ANSWERABLE,
    SUR_NOT_EDITABLE,
    SUR_NOT_EMPLOYER,
    SUR_OPENS_AFTER_ANSWERS,
    SUR_PERIOD_TOO_LONG,
    SUR_QUESTION_NO_TEXT,
    SUR_STAFF_BELOW_ANSWERS,
    SUR_TOO_MANY_CHILDREN,
    SUR_TOO_MANY_LINKS,
)
from tuoyu.surveys.models import (
    ResponseChild,
    Survey,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    new_token,
)
from tuoyu.surveys.workflow import SURVEY_WORKFLOW

#: Default largest number of personal links per survey (setting ``TUOYU_SURVEY_MAX_LINKS``).
DEFAULT_MAX_LINKS = 5000
#: Default window for due months of expected births, months (setting ``TUOYU_SURVEY_DUE_MONTHS``).
DEFAULT_DUE_MONTHS = 12
#: Default longest answering period, days (setting ``TUOYU_SURVEY_MAX_DAYS``).
DEFAULT_MAX_DAYS = 366
#: Children under 3: a birth month 36 or more months before the answer month is refused
#: (托育 serves children under 3, 设置标准 Art. 2).
UNDER_THREE_MONTHS = 36
#: Children and expected births per answer.
MAX_CHILDREN = 10
#: Extra questions per survey, and options per choice question.
MAX_QUESTIONS = 30
MAX_QUESTION_CHOICES = 20
#: Longest text answer to an extra question, characters.
TEXT_ANSWER_MAX = 1000
#: Largest number accepted as an answer to a number question (absolute value).
NUMBER_ANSWER_MAX = Decimal("1000000000")

SURVEY_FIELDS = ["title", "description", "opens_on", "closes_on", "staff_count"]
ANSWER_FIELDS = [
    "current_care", "wanted_services", "days_per_week", "hours_from", "hours_to",
    "fee_band", "would_use", "commute_minutes", "extra_answers",
]


def max_links() -> int:
    """Personal links allowed per survey (setting ``TUOYU_SURVEY_MAX_LINKS``, default 5,000)."""
    return int(getattr(settings, "TUOYU_SURVEY_MAX_LINKS", DEFAULT_MAX_LINKS))


def due_months() -> int:
    """Months ahead a due month may lie (setting ``TUOYU_SURVEY_DUE_MONTHS``, default 12)."""
    return int(getattr(settings, "TUOYU_SURVEY_DUE_MONTHS", DEFAULT_DUE_MONTHS))


def max_days() -> int:
    """Longest answering period, days from open to close (setting ``TUOYU_SURVEY_MAX_DAYS``,
    default 366)."""
    return int(getattr(settings, "TUOYU_SURVEY_MAX_DAYS", DEFAULT_MAX_DAYS))


def period_check(opens_on: date | None, closes_on: date | None) -> None:
    """Check an answering period: both dates within 2000-01-01…2100-12-31, the close date
    not before the open date and at most :func:`max_days` days after it.

    Raises DomainError SUR-026 (date out of range), SUR-019 (reversed), SUR-027 (too long).
    """
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if day is not None and not date_in_bounds(day):
            raise DomainError(
                SUR_DATE_OUT_OF_RANGE,
                params={"first": DATE_MIN.isoformat(), "last": DATE_MAX.isoformat()},
                field=name,
            )
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError(SUR_CLOSE_BEFORE_OPEN, field="closes_on")
    if opens_on and closes_on and (closes_on - opens_on).days > max_days():
        raise DomainError(SUR_PERIOD_TOO_LONG, params={"days": max_days()}, field="closes_on")


# --------------------------------------------------------------------------- internals


def _clean_save(obj, *, db_unique: bool = False) -> None:
    """``full_clean`` then save; ``db_unique`` leaves uniqueness to the database constraints
    (so a lost insert race surfaces as IntegrityError, which the caller retries)."""
    try:
        if db_unique:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        else:
            obj.full_clean()
    except ValidationError as exc:
        if hasattr(exc, "message_dict"):
            name, messages = next(iter(exc.message_dict.items()))
            detail = "; ".join(str(m) for m in messages)
            raise DomainError(
                GEN_INVALID, params={"detail": detail},
                field=None if name == "__all__" else name,
                details={"errors": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}},
            ) from None
        raise DomainError(GEN_INVALID, params={"detail": "; ".join(exc.messages)}) from None
    obj.save()


def _audit(actor, action: str, obj, survey: Survey, *, before=None, after=None, note: str = ""):
    org, role = acting_as(actor, organization=survey.employer_id, capability=MANAGE_SURVEYS)
    return audit_record(
        actor=actor, action=action, obj=obj, before=before, after=after,
        organization=org, role=role, note=note,
    )


def _require_manager(actor, survey: Survey) -> None:
    if actor is not None and not perms.can_manage_survey(actor, survey):
        raise DomainError(GEN_FORBIDDEN)


def _lock(survey: Survey) -> Survey:
    locked = Survey.objects.select_for_update(of=("self",)).select_related("employer").get(pk=survey.pk)
    if locked.status != survey.status:
        raise DomainError(GEN_CONFLICT, params={"status": locked.get_status_display()})
    return locked


@dataclass(frozen=True)
class QuestionSpec:
    """An extra question as entered: text, kind (:class:`QuestionKind`), options, required."""

    text: str
    kind: str
    choices: tuple[str, ...] = ()
    required: bool = False


def _replace_questions(survey: Survey, questions) -> None:
    if len(questions) > MAX_QUESTIONS:
        raise DomainError(
            SUR_BAD_QUESTION, params={"position": MAX_QUESTIONS + 1, "detail": "max"}
        )
    survey.questions.all().delete()
    for position, spec in enumerate(questions, start=1):
        choices = [c.strip() for c in spec.choices if c and c.strip()]
        if not (spec.text or "").strip():
            raise DomainError(SUR_QUESTION_NO_TEXT, params={"position": position}, field="questions")
        if len(choices) > MAX_QUESTION_CHOICES:
            raise DomainError(
                SUR_BAD_QUESTION, params={"position": position, "detail": f"> {MAX_QUESTION_CHOICES}"}
            )
        q = SurveyQuestion(
            survey=survey, position=position, text=(spec.text or "").strip(), kind=spec.kind,
            choices=choices if spec.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
            required=bool(spec.required),
        )
        try:
            q.full_clean()
        except ValidationError as exc:
            raise DomainError(
                SUR_BAD_QUESTION, params={"position": position, "detail": "; ".join(exc.messages)},
                field="questions",
            ) from None
        q.save()


# --------------------------------------------------------------------------- surveys


@transaction.atomic
def survey_create(
    *, actor, employer, title: str, opens_on: date, closes_on: date, description: str = "",
    staff_count: int | None = None, questions: list[QuestionSpec] | tuple = (),
) -> Survey:
    """Create a draft survey (职工托育需求调查) for ``employer`` with optional extra questions.

    The standard questionnaire (children and expected births, care, services, days and
    hours, fee band, would use, commute) is always part of it. ``opens_on``/``closes_on``
    are inclusive local dates. ``staff_count``: persons surveyed (optional). Raises
    DomainError GEN-002 (not an administrator of ``employer``), SUR-002 (not an employer),
    SUR-019 (dates reversed), SUR-026/027 (dates outside 2000–2100, period too long; see
    :func:`period_check`), SUR-003/029 (bad extra question), GEN-004 (other invalid input).
    Audited as ``survey.create``.
    """
    if actor is not None and not perms.can_create_survey(actor, employer):
        raise DomainError(GEN_FORBIDDEN)
    if employer.kind != OrganizationKind.EMPLOYER:
        raise DomainError(SUR_NOT_EMPLOYER, field="employer")
    period_check(opens_on, closes_on)
    survey = Survey(
        employer=employer, title=(title or "").strip(), description=(description or "").strip(),
        opens_on=opens_on, closes_on=closes_on, staff_count=staff_count, created_by=actor,
    )
    _clean_save(survey)
    _replace_questions(survey, list(questions))
    _audit(actor, "survey.create", survey, survey, after=snapshot(survey, SURVEY_FIELDS + ["status"]))
    return survey


@transaction.atomic
def survey_update(
    *, actor, survey: Survey, title: str, opens_on: date, closes_on: date, description: str = "",
    staff_count: int | None = None, questions: list[QuestionSpec] | tuple | None = None,
) -> Survey:
    """Change a survey. Questions (``None`` = keep) only while draft; dates, title,
    description and staff count in any status except closed.

    Once answers exist the period must still contain them: the open date may not be after
    the local date of the earliest consent (SUR-023) and the close date not before the
    local date of the latest submission (SUR-024); ``staff_count`` (persons) may not be
    below the number of answers (SUR-025), which would give a response rate over 100 %.
    Raises GEN-002, GEN-003 (changed meanwhile), SUR-001 (closed, or questions of an open
    survey), SUR-019/026/027 (:func:`period_check`), SUR-023/024/025, SUR-003/029, GEN-004.
    Audited as ``survey.update``.
    """
    _require_manager(actor, survey)
    locked = _lock(survey)
    if locked.status == SurveyStatus.CLOSED or (
        questions is not None and locked.status != SurveyStatus.DRAFT
    ):
        raise DomainError(SUR_NOT_EDITABLE, params={"status": locked.get_status_display()})
    period_check(opens_on, closes_on)
    _check_against_answers(locked, opens_on=opens_on, closes_on=closes_on, staff_count=staff_count)
    before = snapshot(locked, SURVEY_FIELDS)
    locked.title = (title or "").strip()
    locked.description = (description or "").strip()
    locked.opens_on, locked.closes_on, locked.staff_count = opens_on, closes_on, staff_count
    _clean_save(locked)
    if questions is not None:
        _replace_questions(locked, list(questions))
    _audit(actor, "survey.update", locked, locked, before=before, after=snapshot(locked, SURVEY_FIELDS))
    return locked


def _check_against_answers(survey: Survey, *, opens_on, closes_on, staff_count) -> None:
    """Refuse a period or staff count that no longer fits the answers already received."""
    stats = SurveyResponse.objects.filter(survey=survey).aggregate(
        n=Count("id"), first=Min("consent_at"), last=Max("submitted_at"),
    )
    if not stats["n"]:
        return
    first, last = local_date(stats["first"]), local_date(stats["last"])
    if opens_on and opens_on > first:
        raise DomainError(SUR_OPENS_AFTER_ANSWERS, params={"day": first.isoformat()}, field="opens_on")
    if closes_on and closes_on < last:
        raise DomainError(SUR_CLOSES_BEFORE_ANSWERS, params={"day": last.isoformat()}, field="closes_on")
    if staff_count is not None and staff_count < stats["n"]:
        raise DomainError(
            SUR_STAFF_BELOW_ANSWERS, params={"count": staff_count, "answers": stats["n"]},
            field="staff_count",
        )


@transaction.atomic
def survey_transition(*, actor, survey: Survey, action: str, today: date | None = None) -> Survey:
    """Run lifecycle ``action`` (open, close, reopen) of ``SURVEY_WORKFLOW`` on ``survey``.

    Locks the row; opening or reopening needs a close date not before ``today`` (local
    date). Raises GEN-005 (not allowed from the status), GEN-002, GEN-003, SUR-020.
    Audited as ``survey.<action>``.
    """
    _require_manager(actor, survey)
    locked = _lock(survey)
    transition = SURVEY_WORKFLOW.transition(action, locked.status)
    today = today or local_today()
    if transition.target == SurveyStatus.OPEN and locked.closes_on < today:
        raise DomainError(
            SUR_CLOSE_DATE_PASSED, params={"closes_on": locked.closes_on.isoformat()}, field="closes_on"
        )
    before = snapshot(locked, ["status"])
    locked.status = transition.target
    _clean_save(locked)
    _audit(actor, f"survey.{action}", locked, locked, before=before, after=snapshot(locked, ["status"]))
    return locked


@transaction.atomic
def survey_open_link_set(*, actor, survey: Survey, enabled: bool) -> Survey:
    """Enable (a new ``open_token``) or disable (token cleared) the survey's open link.

    Enabling again keeps the current token. Raises GEN-002, SUR-001 (closed survey).
    Audited as ``survey.open_link_on`` / ``survey.open_link_off``.
    """
    _require_manager(actor, survey)
    locked = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if enabled and locked.status == SurveyStatus.CLOSED:
        raise DomainError(SUR_NOT_EDITABLE, params={"status": locked.get_status_display()})
    if enabled and not locked.open_token:
        locked.open_token = new_token()
    elif not enabled:
        locked.open_token = None
    else:
        return locked
    locked.save(update_fields=["open_token", "updated_at"])
    _audit(actor, "survey.open_link_on" if enabled else "survey.open_link_off", locked, locked)
    return locked


# --------------------------------------------------------------------------- links


#: First-line words that mark a header row of a staff list (compared case-folded).
LABEL_HEADER_WORDS = frozenset({
    "工号", "员工工号", "职工工号", "员工号", "员工编号", "职工编号", "编号", "序号", "部门", "标识",
    "标签", "label", "labels", "id", "no", "no.", "staff no", "staff no.", "staff id",
    "staff number", "employee id", "employee no", "employee number", "department", "dept",
})
#: Cyrillic and Greek letters that look like Latin ones (mapped to the Latin letter, lower
#: case): ``е001`` (Cyrillic е) and ``E001`` are the same label to the eye.
LOOKALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
})
_HAN_NAME_RE = re.compile(r"^[\u3400-\u9fff]{2,4}$")
#: Endings (or parts) that make a 2–4 character Chinese label a unit, not a person's name.
DEPARTMENT_WORDS = (
    "部", "科", "处", "室", "组", "中心", "车间", "办", "队", "局", "所", "院", "厂", "班", "站",
    "馆", "司", "库", "线", "段", "区", "店", "委", "会", "团", "分公司", "工会", "行政", "财务",
    "人事", "后勤", "销售", "研发", "生产", "质检", "仓储", "物流", "客服", "保卫", "门诊", "病区",
)


def label_clean(raw: str) -> str:
    """A label as stored: NFKC-normalised (full-width ``Ｅ００２`` → ``E002``), invisible
    format characters (zero-width spaces, BOM, soft hyphen: Unicode category Cf) removed,
    whitespace runs collapsed to one space and trimmed."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def label_key(label: str) -> str:
    """The comparison key of a cleaned label: look-alike Cyrillic/Greek letters mapped to
    Latin, then case-folded. Two labels with one key are duplicates (``E001``, ``e001``,
    ``Ｅ００１``, ``Е001`` with a Cyrillic Е)."""
    return label.casefold().translate(LOOKALIKES).casefold()


def label_has_lookalikes(label: str) -> bool:
    """True when ``label`` contains a Cyrillic or Greek letter that looks like a Latin one."""
    return label.casefold() != label.casefold().translate(LOOKALIKES)


def label_looks_like_name(label: str) -> bool:
    """True when ``label`` could be a Chinese personal name: 2–4 Han characters and no
    department word (部, 科, 车间, 中心…). A heuristic for a warning only: links are made
    anyway. (``tuoyu.core.identifiers.validate_child_ref`` refuses every non-ASCII
    character, which would refuse department names here, so it is not reused.)"""
    return bool(_HAN_NAME_RE.match(label)) and not any(w in label for w in DEPARTMENT_WORDS)


@dataclass
class LabelList:
    """Labels parsed from pasted text.

    ``labels``: unique cleaned labels in order (first spelling kept); ``duplicates``:
    (first spelling, line numbers) of labels repeated in the text, case, width and
    look-alike letters ignored; ``header``: the first line when it was skipped as a header
    word ('' otherwise); ``lookalikes``: labels containing Cyrillic/Greek letters that look
    Latin; ``names``: labels that look like personal names (a warning; links are made).
    """

    labels: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, list[int]]] = field(default_factory=list)
    header: str = ""
    lookalikes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def labels_parse(text: str) -> LabelList:
    """Parse one label (staff number or department) per line; blank lines ignored.

    Each label is cleaned with :func:`label_clean`; labels with the same :func:`label_key`
    are kept once (the first spelling) and reported in ``duplicates``. A first line that is
    a header word (工号, 部门, label…, :data:`LABEL_HEADER_WORDS`) is skipped and reported.
    Raises SUR-005 (no label), SUR-006 (label over 100 characters).
    """
    seen: dict[str, list[int]] = {}
    first_spelling: dict[str, str] = {}
    result = LabelList()
    limit = SurveyInvitation._meta.get_field("label").max_length
    first_line = True
    for number, raw in enumerate((text or "").splitlines(), start=1):
        label = label_clean(raw)
        if not label:
            continue
        if first_line:
            first_line = False
            if label.casefold() in LABEL_HEADER_WORDS:
                result.header = label
                continue
        if len(label) > limit:
            raise DomainError(SUR_LABEL_TOO_LONG, params={"line": number, "limit": limit}, field="labels")
        key = label_key(label)
        if key in seen:
            seen[key].append(number)
            continue
        seen[key] = [number]
        first_spelling[key] = label
        result.labels.append(label)
        if label_has_lookalikes(label):
            result.lookalikes.append(label)
        if label_looks_like_name(label):
            result.names.append(label)
    if not result.labels:
        raise DomainError(SUR_NO_LABELS, field="labels")
    result.duplicates = [(first_spelling[k], lines) for k, lines in seen.items() if len(lines) > 1]
    return result


@dataclass
class LinksResult:
    """Outcome of :func:`invitations_create`: links ``created``; labels repeated in the
    input (``duplicates``: label, lines), labels that already had a link (``existing``,
    compared by :func:`label_key`), and the warnings of :class:`LabelList` (``header``,
    ``lookalikes``, ``names``)."""

    created: list[SurveyInvitation]
    duplicates: list[tuple[str, list[int]]]
    existing: list[str]
    header: str = ""
    lookalikes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


@transaction.atomic
def invitations_create(*, actor, survey: Survey, text: str) -> LinksResult:
    """Create personal answer links (个人答题链接) for the labels in ``text`` (one per line).

    Labels are cleaned and compared as in :func:`labels_parse`. A label that already has a
    link in this survey (same :func:`label_key`) is skipped and reported; the total per
    survey is capped at :func:`max_links`. Raises GEN-002, SUR-028 (closed survey), SUR-004
    (cap exceeded; nothing created), SUR-005, SUR-006. Audited as ``survey.links_create``
    with the number created (labels are not copied into the audit trail).
    """
    _require_manager(actor, survey)
    locked = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if locked.status == SurveyStatus.CLOSED:
        raise DomainError(SUR_LINKS_CLOSED, field="labels")
    parsed = labels_parse(text)
    have = {label_key(label) for label in locked.invitations.values_list("label", flat=True)}
    new = [label for label in parsed.labels if label_key(label) not in have]
    new_set = set(new)
    existing = [label for label in parsed.labels if label_key(label) in have]
    if len(have) + len(new) > max_links():
        raise DomainError(
            SUR_TOO_MANY_LINKS,
            params={"limit": max_links(), "existing": len(have), "new": len(new)}, field="labels",
        )
    rows = [SurveyInvitation(survey=locked, label=label) for label in new]
    created = SurveyInvitation.objects.bulk_create(rows, batch_size=500)
    _audit(actor, "survey.links_create", locked, locked, after={"created": len(created)},
           note=f"{len(created)}")
    return LinksResult(
        created=created, duplicates=parsed.duplicates, existing=existing, header=parsed.header,
        lookalikes=[v for v in parsed.lookalikes if v in new_set],
        names=[v for v in parsed.names if v in new_set],
    )


@transaction.atomic
def invitation_delete(*, actor, invitation: SurveyInvitation) -> None:
    """Delete a personal link that has not been answered. Raises GEN-002, SUR-001 (answered).

    Audited as ``survey.link_delete``.
    """
    survey = invitation.survey
    _require_manager(actor, survey)
    if SurveyResponse.objects.filter(invitation=invitation).exists():
        raise DomainError(SUR_NOT_EDITABLE, params={"status": survey.get_status_display()})
    _audit(actor, "survey.link_delete", invitation, survey)
    invitation.delete()


# --------------------------------------------------------------------------- answers


@dataclass
class ChildEntry:
    """One child (``expected`` False: birth month) or expected birth (True: due month).

    ``month`` is any date in the month; it is stored as the 1st."""

    month: date
    expected: bool = False


@dataclass
class AnswerData:
    """The answers of the standard questionnaire plus extra questions.

    Units: ``days_per_week`` days (1–7); hours local clock times; ``commute_minutes``
    one-way minutes; ``fee_band`` a :class:`FeeBand` value (¥ per month);
    ``extra_answers`` maps ``str(position)`` to str (text, single), list of str
    (multiple) or a number given as str/int (number).
    """

    children: list[ChildEntry] = field(default_factory=list)
    current_care: str = ""
    wanted_services: list[str] = field(default_factory=list)
    days_per_week: int | None = None
    hours_from: dtime | None = None
    hours_to: dtime | None = None
    fee_band: str = ""
    would_use: str = ""
    commute_minutes: int | None = None
    extra_answers: dict[str, Any] = field(default_factory=dict)


def child_month_validate(month: date, *, expected: bool, answered_on: date) -> date:
    """Check one birth or due month against the answer date and return it as the 1st.

    ``answered_on`` is the local date of answering. Rules:

    - a birth month may not be after the answer month (SUR-009);
    - a child is under 3 when the LAST day of the birth month is less than 36 months
      before ``answered_on`` (:func:`tuoyu.core.ages.age_in_months` from that day), i.e.
      the youngest possible child of that month is still under 3; otherwise SUR-010
      (托育 serves children under 3, 托育机构设置标准（试行） Art. 2). On 29 Nov 2026 the
      month 2023-11 is still accepted (30 Nov 2023 is 35 months before), from 30 Nov not;
    - a due month may not be before the answer month (SUR-022) nor more than
      :func:`due_months` months after it (SUR-011).
    """
    first = month_start(month)
    current = month_start(answered_on)
    label = first.strftime("%Y-%m")
    if expected:
        ahead = age_in_months(current, as_of=first)
        if ahead < 0:
            raise DomainError(SUR_DUE_MONTH_PAST, params={"month": label}, field="children")
        if ahead > due_months():
            raise DomainError(SUR_DUE_MONTH_RANGE, params={"month": label, "months": due_months()},
                              field="children")
        return first
    if first > current:
        raise DomainError(SUR_BIRTH_MONTH_FUTURE, params={"month": label}, field="children")
    if age_in_months(month_end(first), as_of=answered_on) >= UNDER_THREE_MONTHS:
        raise DomainError(SUR_BIRTH_MONTH_TOO_OLD, params={"month": label}, field="children")
    return first


def children_errors(entries: list[ChildEntry], *, answered_on: date) -> list[DomainError | None]:
    """Check every birth/due month of ``entries`` at once (for showing each error next to
    its row): a list of the same length with the DomainError of each entry, or None."""
    errors: list[DomainError | None] = []
    for entry in entries:
        try:
            child_month_validate(entry.month, expected=entry.expected, answered_on=answered_on)
        except DomainError as exc:
            errors.append(exc)
        else:
            errors.append(None)
    return errors


def _number(value) -> int | float:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError("number") from None
    if not number.is_finite() or abs(number) > NUMBER_ANSWER_MAX:
        raise ValueError("number")
    return int(number) if number == number.to_integral_value() else float(number)


def extra_answers_clean(questions, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate answers to the extra ``questions`` (SurveyQuestion list) and return them.

    ``raw`` maps ``str(position)`` to the given value; empty values are dropped. Raises
    SUR-013 (required question unanswered), SUR-012 (not one of the options, not a number,
    text too long).
    """
    cleaned: dict[str, Any] = {}
    for q in questions:
        key = str(q.position)
        value = raw.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            if q.required:
                raise DomainError(SUR_ANSWER_REQUIRED, params={"position": q.position}, field=f"q{key}")
            continue
        try:
            if q.kind == QuestionKind.TEXT:
                value = str(value)
                if len(value) > TEXT_ANSWER_MAX:
                    raise ValueError(f"> {TEXT_ANSWER_MAX}")
            elif q.kind == QuestionKind.SINGLE:
                if value not in q.choices:
                    raise ValueError(str(value))
            elif q.kind == QuestionKind.MULTIPLE:
                values = [value] if isinstance(value, str) else list(value)
                if any(v not in q.choices for v in values):
                    raise ValueError(", ".join(map(str, values)))
                value = [c for c in q.choices if c in values]
            elif q.kind == QuestionKind.NUMBER:
                value = _number(value)
        except ValueError as exc:
            raise DomainError(
                SUR_BAD_ANSWER, params={"position": q.position, "detail": str(exc)}, field=f"q{key}"
            ) from None
        cleaned[key] = value
    return cleaned


def _apply(response: SurveyResponse, data: AnswerData, questions) -> None:
    response.current_care = data.current_care or ""
    response.wanted_services = list(dict.fromkeys(data.wanted_services or []))
    response.days_per_week = data.days_per_week
    response.hours_from = data.hours_from
    response.hours_to = data.hours_to
    response.fee_band = data.fee_band or ""
    response.would_use = data.would_use or ""
    response.commute_minutes = data.commute_minutes
    response.extra_answers = extra_answers_clean(questions, data.extra_answers or {})


def _children(data: AnswerData, answered_on: date) -> list[tuple[date, bool]]:
    if len(data.children) > MAX_CHILDREN:
        raise DomainError(SUR_TOO_MANY_CHILDREN, params={"limit": MAX_CHILDREN}, field="children")
    return [
        (child_month_validate(c.month, expected=c.expected, answered_on=answered_on), c.expected)
        for c in data.children
    ]


def _store(response: SurveyResponse, children: list[tuple[date, bool]]) -> SurveyResponse:
    _clean_save(response, db_unique=True)
    response.children.all().delete()
    ResponseChild.objects.bulk_create(
        [ResponseChild(response=response, birth_month=m, expected=e) for m, e in children]
    )
    return response


def response_submit(
    *, survey: Survey, data: AnswerData, source: str, consented: bool,
    invitation: SurveyInvitation | None = None, paper_ref: str = "",
    replace: int | None = None, now: datetime | None = None, check_open: bool = True,
    consent_at: datetime | None = None, actor=None,
) -> SurveyResponse:
    """Store one answer (答卷); anonymous, so no audit event and no IP address.

    - personal link (``invitation``): at most one answer per link. A second submission —
      resubmitted, double-clicked or concurrent — updates the same row: the link row is
      locked (``select_for_update``), and a concurrent insert that loses the race on the
      OneToOne constraint is retried as an update.
    - paper (``paper_ref``): one answer per reference, updated on re-import.
    - open link: a new answer, or the answer ``replace`` (its id) of the same survey when
      the same form is submitted again.

    ``consented`` must be True (PIPL: consent before collection). ``now`` (aware) is the
    time of answering; its local date is the reference for the children's months.
    ``consent_at`` (aware; default ``now``) is when consent was given; an update keeps the
    first consent time. ``check_open`` False (paper import by the employer) skips the
    answering period. ``actor`` is the employer user entering paper answers (None for
    anonymous answers); it is not stored on the answer.
    Returns the stored SurveyResponse. Raises SUR-007 (not answerable), SUR-008 (no
    consent), SUR-009/010/011/014 (children), SUR-012/013 (extra questions), GEN-004.
    """
    now = now or timezone.now()
    answered_on = local_date(now)
    if not consented:
        raise DomainError(SUR_CONSENT_REQUIRED, field="consent")
    if invitation is not None and invitation.survey_id != survey.pk:
        raise DomainError(GEN_INVALID, params={"detail": "invitation"}, field="invitation")
    if check_open and not survey.is_answerable(answered_on):
        raise DomainError(SUR_NOT_ANSWERABLE, params={"reason": survey_closed_reason(survey, answered_on)})
    children = _children(data, answered_on)
    questions = list(survey.questions.all())
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _submit_once(
                    survey=survey, data=data, source=source, invitation=invitation,
                    paper_ref=paper_ref, replace=replace, now=now, children=children,
                    questions=questions, consent_at=consent_at or now,
                )
        except IntegrityError:
            # A concurrent first submission of the same link (or paper reference) won the
            # insert: go round again, which finds its row and updates it.
            if attempt == 2:
                raise DomainError(GEN_CONFLICT, params={"status": ""}) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _existing(*, survey, invitation, paper_ref, replace) -> SurveyResponse | None:
    """The stored answer a submission updates (locked), or None for a new answer."""
    if invitation is not None:
        # Lock the link row first: concurrent submissions of one link queue here.
        SurveyInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
        return SurveyResponse.objects.select_for_update().filter(invitation_id=invitation.pk).first()
    if paper_ref:
        return (
            SurveyResponse.objects.select_for_update()
            .filter(survey=survey, paper_ref=paper_ref).first()
        )
    if replace is not None:
        return (
            SurveyResponse.objects.select_for_update()
            .filter(pk=replace, survey=survey, invitation__isnull=True, paper_ref="").first()
        )
    return None


def _submit_once(*, survey, data, source, invitation, paper_ref, replace, now, children, questions,
                 consent_at):
    existing = _existing(survey=survey, invitation=invitation, paper_ref=paper_ref, replace=replace)
    if invitation is not None:
        SurveyInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=now)
    if existing is None:
        response = SurveyResponse(
            survey=survey, invitation=invitation, source=source, paper_ref=paper_ref or "",
            consent_at=consent_at, submitted_at=now,
        )
    else:
        response = existing
        response.submitted_at = now
    _apply(response, data, questions)
    return _store(response, children)


def survey_closed_on(survey: Survey, today: date) -> date:
    """The local date ``survey`` stopped taking answers: the day it was last closed (from
    the audit trail) when that was before its close date, else ``closes_on``."""
    from tuoyu.audit.models import AuditEvent

    if survey.status == SurveyStatus.CLOSED:
        event = (
            AuditEvent.objects.filter(
                action="survey.close", object_type=Survey._meta.label_lower, object_id=str(survey.pk)
            ).order_by("-at").first()
        )
        if event is not None and local_date(event.at) < survey.closes_on:
            return local_date(event.at)
    return min(survey.closes_on, today)


def survey_closed_reason(survey: Survey, today: date) -> str:
    """Why ``survey`` does not take answers on ``today`` (translated text; '' when it does):
    not started yet (with its open date) or ended (with the day it actually ended, see
    :func:`survey_closed_on`)."""
    from django.utils.translation import gettext as _

    if survey.is_answerable(today):
        return ""
    if survey.status == SurveyStatus.DRAFT or (
        survey.status == SurveyStatus.OPEN and today < survey.opens_on
    ):
        return _("尚未开始，开始日期为%(day)s") % {"day": survey.opens_on.isoformat()}
    return _("已于%(day)s结束") % {"day": survey_closed_on(survey, today).isoformat()}
