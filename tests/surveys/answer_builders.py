"""Builders of surveys and answers for the results, import and demand tests.

Answers are written straight to the models (not through the answering service) so a test
can state exactly the set of answers it aggregates.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.conftest import org_of
from tests.factories import OrganizationFactory, division
from tuoyu.surveys.models import ResponseChild, Survey, SurveyInvitation, SurveyResponse


def make_survey(owner, *, status: str = "open", staff_count: int | None = None, **kwargs) -> Survey:
    """A survey of ``owner``'s organisation (a persona) or of an Organization."""
    employer = owner if hasattr(owner, "kind") else org_of(owner)
    creator = kwargs.pop("created_by", None) or _any_user(owner)
    return Survey.objects.create(
        employer=employer,
        title=kwargs.pop("title", "职工托育需求调查"),
        opens_on=kwargs.pop("opens_on", dt.date(2026, 11, 1)),
        closes_on=kwargs.pop("closes_on", dt.date(2026, 12, 31)),
        status=status,
        staff_count=staff_count,
        created_by=creator,
        **kwargs,
    )


def _any_user(owner):
    from tests.factories import UserFactory

    return owner if hasattr(owner, "username") else UserFactory()


def add_answer(survey, *, children=(), invitation=None, source="open", **fields) -> SurveyResponse:
    """One answer with ``children`` as ``(YYYY-MM, expected)`` pairs or ``"YYYY-MM"`` strings."""
    now = timezone.now()
    response = SurveyResponse.objects.create(
        survey=survey, invitation=invitation, source=source, consent_at=now, submitted_at=now,
        **fields,
    )
    for child in children:
        month, expected = (child, False) if isinstance(child, str) else child
        year, mon = map(int, month.split("-"))
        ResponseChild.objects.create(
            response=response, birth_month=dt.date(year, mon, 1), expected=expected
        )
    return response


def add_answers(survey, n: int, **fields) -> list[SurveyResponse]:
    """``n`` identical answers."""
    return [add_answer(survey, **fields) for _ in range(n)]


def add_links(survey, n: int) -> list[SurveyInvitation]:
    """``n`` personal links labelled S001, S002 …"""
    return [SurveyInvitation.objects.create(survey=survey, label=f"S{i:03d}") for i in range(1, n + 1)]


def employer_in(code: str, **kwargs):
    """An employer organisation in division ``code``."""
    return OrganizationFactory(division=division(code), **kwargs)
