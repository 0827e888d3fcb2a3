"""Helpers of the survey creation, distribution and answering tests."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import org_of
from tuoyu.core.dates import local_today
from tuoyu.surveys import services
from tuoyu.surveys.services import AnswerData, ChildEntry, QuestionSpec


def make_survey(user, *, status="open", questions=(), days_before=5, days_after=20, **kwargs):
    """A survey of ``user``'s employer, open from ``days_before`` days ago for ``days_after`` days."""
    today = local_today()
    survey = services.survey_create(
        actor=user, employer=org_of(user), title=kwargs.pop("title", "职工托育需求调查"),
        opens_on=today - timedelta(days=days_before), closes_on=today + timedelta(days=days_after),
        questions=list(questions), **kwargs,
    )
    if status in ("open", "closed"):
        survey = services.survey_transition(actor=user, survey=survey, action="open")
    if status == "closed":
        survey = services.survey_transition(actor=user, survey=survey, action="close")
    return survey


def make_link(user, survey, label="E001"):
    """One personal link of ``survey`` labelled ``label``."""
    return services.invitations_create(actor=user, survey=survey, text=label).created[0]


def months_ago(n: int, today: date | None = None) -> date:
    """The 1st of the month ``n`` months before ``today``'s month (negative: ahead)."""
    today = today or local_today()
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def answers(**kwargs) -> AnswerData:
    """A typical answer: one child of 10 months, full-day care wanted, would use on site."""
    base = {
        "children": [ChildEntry(months_ago(10))], "current_care": "grandparents",
        "wanted_services": ["full_day"], "days_per_week": 5, "fee_band": "2000_2999",
        "would_use": "on_site", "commute_minutes": 30,
    }
    base.update(kwargs)
    return AnswerData(**base)


def form_answers(**kwargs) -> dict:
    """POST data of the questionnaire with a typical answer."""
    data = {
        "step": "answer", "child_1": months_ago(10).strftime("%Y-%m"), "current_care": "parents",
        "wanted_services": ["full_day"], "days_per_week": "5", "hours_from": "08:00",
        "hours_to": "18:00", "fee_band": "2000_2999", "would_use": "on_site", "commute_minutes": "25",
    }
    data.update(kwargs)
    return data


QUESTIONS = [
    QuestionSpec(text="您所在的园区", kind="single", choices=("东区", "西区"), required=True),
    QuestionSpec(text="其他建议", kind="text"),
]
