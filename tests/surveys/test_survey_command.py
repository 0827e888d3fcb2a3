"""``tuoyu survey project SURVEY_ID --as-of YYYY-MM-DD --json``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.surveys.plan_support import AS_OF, plan_survey
from tuoyu.cli import _resolve

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("survey_project", *args, stdout=out)
    return out.getvalue()


def test_two_words_run_the_survey_project_command():
    assert _resolve(["tuoyu", "survey", "project", "7"]) == ["tuoyu", "survey_project", "7"]


def test_json_holds_the_projection_month_by_month(alice):
    survey = plan_survey(alice)
    data = json.loads(_run(str(survey.pk), "--as-of", AS_OF, "--json"))
    # born Jan 2026: infant in Dec 2026 and Jan 2027, toddler from Feb 2027, 36 months
    first, third = data["projection"][0], data["projection"][2]
    assert (len(data["projection"]), first["month"], first["infant"], third["toddler"]) == (
        36, "2026-12", "5.00", "5.00",
    )


def test_json_holds_the_capacity_plan(alice):
    survey = plan_survey(alice)
    phase = json.loads(_run(str(survey.pk), "--as-of", AS_OF, "--json"))["capacity"][0]
    # One cohort of 5 born 2026-01 → one phase: 5 places (2026-12, at most 5 present in
    # any month), carers 2 (5 infants in 2026-12, ceil(5/3) = 2), 1 class, 1 health
    # worker, 5 × 8 = 40 m²
    assert (phase["places"], phase["places_month"], phase["carers"], phase["carers_month"],
            phase["rooms"], phase["health_workers"], phase["building_m2"]) == (
        5, "2026-12", 2, "2026-12", 1, 1, "40.00",
    )


def test_json_of_a_plan_below_the_floor_has_no_figures(alice):
    survey = plan_survey(alice, answers=4)
    data = json.loads(_run(str(survey.pk), "--as-of", AS_OF, "--json"))
    assert (data["suppressed"], data["projection"], data["capacity"]) == (True, None, None)


def test_unknown_survey_exits_with_status_2(db):
    with pytest.raises(CommandError) as exc:
        _run("999999", "--as-of", AS_OF, "--json")
    assert (exc.value.returncode, "unknown survey" in str(exc.value)) == (2, True)


def test_bad_date_exits_with_status_2(alice):
    survey = plan_survey(alice)
    with pytest.raises(CommandError) as exc:
        _run(str(survey.pk), "--as-of", "2026-02-30", "--json")
    assert (exc.value.returncode, "2026-02-30" in str(exc.value)) == (2, True)


def test_text_summary_without_json(alice):
    survey = plan_survey(alice)
    assert "phase 1 (2026-12 to 2029-11): 5 places (2026-12), 1 classes (2026-12), 2 carers" in _run(
        str(survey.pk), "--as-of", AS_OF
    )


def test_date_before_the_rule_table_exits_with_status_2(alice):
    # the setting standard's rules take effect on 2019-10-08
    survey = plan_survey(alice)
    with pytest.raises(CommandError) as exc:
        _run(str(survey.pk), "--as-of", "2019-01-01", "--json")
    assert (exc.value.returncode, "STD-001" in str(exc.value)) == (2, True)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_date_outside_the_bounds_exits_with_status_2(alice, value):
    survey = plan_survey(alice)
    with pytest.raises(CommandError) as exc:
        _run(str(survey.pk), "--as-of", value, "--json")
    assert (exc.value.returncode, "2000-01-01" in str(exc.value)) == (2, True)


def test_json_does_not_print_what_the_page_hides(alice):
    import datetime as dt

    from django.utils import timezone

    from tuoyu.surveys.models import ResponseChild, SurveyResponse

    survey = plan_survey(alice)
    now = timezone.now()
    for _ in range(2):
        response = SurveyResponse.objects.create(
            survey=survey, source="open", consent_at=now, submitted_at=now, would_use="on_site"
        )
        ResponseChild.objects.create(response=response, birth_month=dt.date(2025, 6, 1))
    data = json.loads(_run(str(survey.pk), "--as-of", AS_OF, "--json"))
    first, phase = data["projection"][0], data["capacity"][0]
    assert (first["toddler"], first["infant"], phase["places"], phase["places_month"]) == (
        None, None, None, None,
    )


def test_json_hides_would_use_count_when_its_complement_is_small(alice):
    from django.utils import timezone

    from tuoyu.surveys.models import SurveyResponse

    survey = plan_survey(alice, answers=13)
    now = timezone.now()
    SurveyResponse.objects.create(survey=survey, source="open", consent_at=now, submitted_at=now,
                                  would_use="no")
    assert json.loads(_run(str(survey.pk), "--as-of", AS_OF, "--json"))["respondents_counted"] is None
