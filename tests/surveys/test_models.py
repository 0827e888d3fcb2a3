"""Model rules and database constraints of surveys (职工托育需求调查)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.conftest import org_of
from tests.surveys.survey_support import make_link, make_survey
from tuoyu.surveys.choices import FEE_BAND_RANGES, FeeBand, SurveyStatus
from tuoyu.surveys.models import ResponseChild, Survey, SurveyQuestion, SurveyResponse

pytestmark = pytest.mark.django_db


def _response(survey, **kwargs):
    now = timezone.now()
    return SurveyResponse.objects.create(
        survey=survey, source=kwargs.pop("source", "personal"), consent_at=now, submitted_at=now, **kwargs
    )


def test_database_rejects_close_date_before_open_date(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(
            employer=org_of(alice), title="t", opens_on=date(2026, 5, 2), closes_on=date(2026, 5, 1),
            created_by=alice,
        )


def test_one_answer_per_personal_link_is_a_database_constraint(alice):
    survey = make_survey(alice)
    link = make_link(alice, survey)
    _response(survey, invitation=link)
    with pytest.raises(IntegrityError), transaction.atomic():
        _response(survey, invitation=link)


def test_paper_reference_is_unique_per_survey(alice):
    survey = make_survey(alice)
    _response(survey, source="paper", paper_ref="P-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        _response(survey, source="paper", paper_ref="P-1")


def test_blank_paper_references_do_not_clash(alice):
    survey = make_survey(alice)
    _response(survey, source="open")
    _response(survey, source="open")
    assert survey.responses.count() == 2


@pytest.mark.parametrize(
    ("status", "offset", "expected"),
    [("open", 0, True), ("open", -6, False), ("open", 21, False), ("draft", 0, False), ("closed", 0, False)],
)
def test_is_answerable_needs_open_status_and_a_day_inside_the_period(alice, status, offset, expected):
    survey = make_survey(alice, status="draft")
    survey.status = status
    assert survey.is_answerable(survey.opens_on + timedelta(days=5 + offset)) is expected


def test_birth_month_must_be_first_of_month(alice):
    survey = make_survey(alice)
    child = ResponseChild(response=_response(survey), birth_month=date(2025, 6, 15))
    with pytest.raises(ValidationError):
        child.full_clean()


def test_every_fee_band_has_a_range_in_yuan():
    assert set(FEE_BAND_RANGES) == set(FeeBand.values)
    assert FEE_BAND_RANGES[FeeBand.LT1000] == (0, 999)
    assert FEE_BAND_RANGES[FeeBand.GE6000] == (6000, None)


def test_choice_question_needs_two_distinct_options(alice):
    survey = make_survey(alice, status="draft")
    q = SurveyQuestion(survey=survey, position=1, text="园区", kind="single", choices=["东区", "东区"])
    with pytest.raises(ValidationError):
        q.full_clean()


def test_new_survey_is_a_draft(alice):
    assert make_survey(alice, status="draft").status == SurveyStatus.DRAFT


def test_survey_of_a_non_employer_fails_validation(otto):
    survey = Survey(employer=org_of(otto), title="t", opens_on=date(2026, 1, 1),
                    closes_on=date(2026, 1, 2), created_by=otto)
    with pytest.raises(ValidationError):
        survey.full_clean()
