"""Builders of the plan page and command tests: a survey with answers written straight
to the models, so each test states exactly the answers its plan is built from."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.conftest import org_of
from tuoyu.surveys.models import ResponseChild, Survey, SurveyResponse

AS_OF = "2026-11-29"


def plan_survey(user, *, answers=5, birth_month=dt.date(2026, 1, 1), would_use="on_site", **kwargs):
    """A survey of ``user``'s employer with ``answers`` answers, each with one child of
    ``birth_month`` and the given ``would_use``."""
    survey = Survey.objects.create(
        employer=org_of(user), title=kwargs.pop("title", "职工托育需求调查"),
        opens_on=dt.date(2026, 11, 1), closes_on=dt.date(2026, 11, 30), status="closed",
        created_by=user, **kwargs,
    )
    now = timezone.now()
    for _ in range(answers):
        response = SurveyResponse.objects.create(
            survey=survey, source="open", consent_at=now, submitted_at=now, would_use=would_use
        )
        ResponseChild.objects.create(response=response, birth_month=birth_month)
    return survey


SCENARIO = {
    "name": "租赁场地",
    "places": "20", "carers": "5", "carer_salary": "6000", "other_staff": "3",
    "other_salary": "5000", "area_m2": "160", "rent_per_m2_month": "3.35",
    "meals_per_child_month": "450", "utilities_month": "1200", "fitout_cost": "300000",
    "depreciation_months": "60", "other_month": "800", "employer_month": "20000",
    "union_month": "3000", "subsidy_per_child_month": "500", "subsidy_per_new_place": "10000",
    "parent_fee_month": "2000", "price_cap_month": "1800",
}
