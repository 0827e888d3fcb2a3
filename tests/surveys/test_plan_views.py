"""Plan page, its XLSX and scenario pages: permissions, suppression, figures, scenarios."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.surveys.plan_support import AS_OF, SCENARIO, plan_survey
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.standards.models import Rule
from tuoyu.surveys.models import PlanScenario
from tuoyu.surveys.planning import services
from tuoyu.surveys.planning.selectors import plan_rules, survey_plan

pytestmark = pytest.mark.django_db


def _plan_url(survey, **query):
    url = reverse("surveys:plan", args=[survey.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _inputs(**changes):
    data = {k: v for k, v in SCENARIO.items() if k != "name"}
    data.update(changes)
    return data


def test_employer_admin_sees_projection_and_capacity_plan(client, alice):
    survey = plan_survey(alice)
    client.force_login(alice)
    body = client.get(_plan_url(survey, as_of=AS_OF)).content.decode()
    # 5 children born Jan 2026: 5 infants in Dec 2026; one infant class, ceil(5/3) = 2 carers
    assert ("2026-12" in body, "<svg" in body, 'id="capacity"' in body) == (True, True, True)


def test_plan_of_five_infants_needs_one_class_and_two_carers(alice):
    plan = survey_plan(plan_survey(alice), as_of=date(2026, 11, 29))
    infant = plan.capacity.phases[0].classes[0]
    assert (infant.places, infant.classes, infant.carers) == (5, 1, 2)


def test_one_cohort_gets_one_phase_of_its_own_number_of_places(alice):
    # 5 children born 2026-01 (aged M − B − 1 on the 1st of month M): infants 2026-12 and
    # 2027-01, toddlers 2027-02…2028-01, older 2028-02…2029-01. At most 5 present in any
    # month → one phase of 5 places driven by 2026-12 (the first such month), 5 × 8 = 40 m²,
    # not 5 per class type.
    plan = survey_plan(plan_survey(alice), as_of=date(2026, 11, 29))
    assert [(p.number, p.places, p.places_month, p.building_m2) for p in plan.capacity.phases] == [
        (1, 5, date(2026, 12, 1), Decimal("40.00")),
    ]


def test_plan_page_names_the_month_driving_each_figure(client, alice):
    survey = plan_survey(alice)
    client.force_login(alice)
    body = client.get(_plan_url(survey, as_of=AS_OF)).content.decode()
    # places, classes and carers are all driven by 2026-12 (5 infants, ceil(5/3) = 2 carers)
    assert ("按2026-12（在托幼儿最多的月份）" in body, "按2026-12（所需保育人员最多的月份）" in body) == (
        True, True,
    )


def test_phase_totals_are_hidden_when_the_month_driving_classes_has_hidden_cells(alice):
    # 5 children born 2026-01 and 2 born 2026-09. 2026-12: 5 infants (2 carers, 1 class;
    # the 2 are under 6 months). 2027-04: 5 toddlers + 2 infants (1 + 1 = 2 carers, a tie
    # with 2026-12, and 2 classes) — its infant cell (2 answers) and, secondarily, its
    # toddler cell are hidden. The rows (2026-12) are shown; the class total of 2027-04
    # would tell that both hidden cells are non-zero, so the totals are hidden.
    survey = plan_survey(alice)
    _add(survey, 2, date(2026, 9, 1))
    plan = survey_plan(survey, as_of=date(2026, 11, 29))
    phase = plan.capacity.phases[0]
    assert (phase.carers_month, phase.rooms_month, len(phase.shown_classes), phase.totals_shown) == (
        date(2026, 12, 1), date(2027, 4, 1), 3, False,
    )


def test_employer_admin_of_another_employer_gets_404(client, alice, bob):
    survey = plan_survey(alice)
    client.force_login(bob)
    assert client.get(_plan_url(survey)).status_code == 404


def test_health_officer_in_jurisdiction_gets_403(client, alice, hana):
    survey = plan_survey(alice)
    client.force_login(hana)
    assert client.get(_plan_url(survey)).status_code == 403


def test_anonymous_user_is_sent_to_log_in(client, alice):
    survey = plan_survey(alice)
    response = client.get(_plan_url(survey))
    assert (response.status_code, "login" in response["Location"]) == (302, True)


def test_plan_built_from_four_answers_is_suppressed(client, alice):
    survey = plan_survey(alice, answers=4)
    client.force_login(alice)
    body = client.get(_plan_url(survey, as_of=AS_OF)).content.decode()
    assert ("<svg" in body, 'class="projection"' in body, "少于5份" in body) == (False, False, True)


def test_answers_that_would_not_use_do_not_lift_the_floor(alice):
    survey = plan_survey(alice, answers=6, would_use="no")
    assert survey_plan(survey, as_of=date(2026, 11, 29)).suppressed is True


def test_extrapolation_scales_counts_by_staff_over_answers(alice):
    # 5 answers of 20 staff → scale 4; 5 infants × 4 = 20.00
    survey = plan_survey(alice, staff_count=20)
    plan = survey_plan(survey, as_of=date(2026, 11, 29), extrapolate=True)
    assert (plan.scale, plan.projection.months[0].counts["infant"]) == (Decimal("4.0000"), Decimal("20.00"))


def test_plan_reads_class_caps_from_the_rule_table(alice):
    rule = Rule.objects.filter(code="STD-CAP-INFANT").order_by("-effective_from").first()
    rule.parameters = {**rule.parameters, "max_children": 4}
    rule.save()
    # 5 infants with cap 4 → ceil(5/4) = 2 classes (sizes 3 + 2 at 1:3 → 1 + 1 carers)
    _bands, rules = plan_rules(as_of=date(2026, 11, 29), province_code="110108")
    plan = survey_plan(plan_survey(alice), as_of=date(2026, 11, 29))
    assert (rules.caps["infant"], plan.capacity.final.classes[0].classes) == (4, 2)


def test_plan_page_query_count_is_bounded(client, alice, django_assert_max_num_queries):
    survey = plan_survey(alice, answers=8)
    services.scenario_create(actor=alice, survey=survey, name="A", inputs=_inputs())
    client.force_login(alice)
    with django_assert_max_num_queries(20):
        assert client.get(_plan_url(survey, as_of=AS_OF)).status_code == 200


def test_xlsx_export_holds_projection_capacity_and_scenarios(client, alice):
    survey = plan_survey(alice)
    services.scenario_create(actor=alice, survey=survey, name="租赁场地", inputs=_inputs())
    client.force_login(alice)
    response = client.get(reverse("surveys:plan_export", args=[survey.pk]) + f"?as_of={AS_OF}")
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    projection = list(wb.worksheets[0].iter_rows(values_only=True))
    scenarios = {row[0]: row[1] for row in wb.worksheets[2].iter_rows(values_only=True)}
    assert (len(wb.worksheets), projection[1][:2], scenarios["月运营成本（满员，元）"]) == (
        3, ("2026-12", 5), 61536,
    )


def test_xlsx_export_neutralises_formula_in_scenario_name(client, alice):
    survey = plan_survey(alice)
    services.scenario_create(actor=alice, survey=survey, name="=HYPERLINK(\"x\")", inputs=_inputs())
    client.force_login(alice)
    response = client.get(reverse("surveys:plan_export", args=[survey.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.worksheets[2].cell(row=1, column=2).value == "'=HYPERLINK(\"x\")"


def test_xlsx_export_of_other_employer_is_404(client, alice, bob):
    survey = plan_survey(alice)
    client.force_login(bob)
    assert client.get(reverse("surveys:plan_export", args=[survey.pk])).status_code == 404


def test_scenario_form_starts_from_the_capacity_plan(client, alice):
    survey = plan_survey(alice)
    client.force_login(alice)
    response = client.get(reverse("surveys:plan_scenario_create", args=[survey.pk]) + f"?as_of={AS_OF}")
    # one cohort of 5: the month needing the most carers has 5 infants, ceil(5/3) = 2
    # (toddler months need ceil(5/5) = 1, older months ceil(5/7) = 1)
    assert response.context["form"].initial["carers"] == 2


def test_employer_creates_scenario_through_the_form(client, alice):
    survey = plan_survey(alice)
    client.force_login(alice)
    response = client.post(reverse("surveys:plan_scenario_create", args=[survey.pk]), SCENARIO)
    stored = PlanScenario.objects.get(survey=survey)
    assert (response.status_code, stored.inputs["carer_salary"], stored.inputs["places"]) == (
        302, "6000.00", 20,
    )


def test_duplicate_scenario_name_is_a_form_error(client, alice):
    survey = plan_survey(alice)
    services.scenario_create(actor=alice, survey=survey, name="租赁场地", inputs=_inputs())
    client.force_login(alice)
    response = client.post(reverse("surveys:plan_scenario_create", args=[survey.pk]), SCENARIO)
    assert (response.status_code, PlanScenario.objects.count(), "租赁场地" in str(response.context["form"].errors)) == (200, 1, True)


def test_employer_edits_scenario(client, alice):
    survey = plan_survey(alice)
    scenario = services.scenario_create(actor=alice, survey=survey, name="A", inputs=_inputs())
    client.force_login(alice)
    client.post(
        reverse("surveys:plan_scenario_edit", args=[survey.pk, scenario.pk]),
        {**SCENARIO, "name": "B", "premises_provided": "on"},
    )
    scenario.refresh_from_db()
    assert (scenario.name, scenario.inputs["premises_provided"]) == ("B", True)


def test_other_employer_cannot_delete_scenario(client, alice, bob):
    survey = plan_survey(alice)
    scenario = services.scenario_create(actor=alice, survey=survey, name="A", inputs=_inputs())
    client.force_login(bob)
    response = client.post(reverse("surveys:plan_scenario_delete", args=[survey.pk, scenario.pk]))
    assert (response.status_code, PlanScenario.objects.filter(pk=scenario.pk).exists()) == (404, True)


def test_employer_deletes_scenario_and_it_is_audited(client, alice):
    survey = plan_survey(alice)
    scenario = services.scenario_create(actor=alice, survey=survey, name="A", inputs=_inputs())
    client.force_login(alice)
    client.post(reverse("surveys:plan_scenario_delete", args=[survey.pk, scenario.pk]))
    assert (
        PlanScenario.objects.filter(pk=scenario.pk).exists(),
        AuditEvent.objects.filter(action="survey.scenario_delete", object_id=str(scenario.pk)).count(),
    ) == (False, 1)


def test_service_refuses_scenario_from_another_employer(alice, bob):
    survey = plan_survey(alice)
    with pytest.raises(DomainError) as exc:
        services.scenario_create(actor=bob, survey=survey, name="A", inputs=_inputs())
    assert exc.value.code == "GEN-002"


def test_service_refuses_more_scenarios_than_allowed(alice, settings):
    settings.SURVEY_PLAN_MAX_SCENARIOS = 1
    survey = plan_survey(alice)
    services.scenario_create(actor=alice, survey=survey, name="A", inputs=_inputs())
    with pytest.raises(DomainError) as exc:
        services.scenario_create(actor=alice, survey=survey, name="B", inputs=_inputs())
    assert exc.value.code == "SUR-065"


def test_scenarios_are_compared_side_by_side_on_the_page(client, alice):
    survey = plan_survey(alice)
    services.scenario_create(actor=alice, survey=survey, name="租赁场地", inputs=_inputs())
    services.scenario_create(
        actor=alice, survey=survey, name="单位提供", inputs=_inputs(premises_provided=True)
    )
    client.force_login(alice)
    rows = dict((str(label), values) for label, _kind, values in
                client.get(_plan_url(survey, as_of=AS_OF)).context["summary_rows"])
    # break-even occupancy 63.91 % rented, 62.61 % with premises provided (see test_costs)
    assert rows["收支平衡入托率（%）"] == [Decimal("63.91"), Decimal("62.61")]


def test_date_before_the_rule_table_falls_back_to_today_with_an_error(client, alice):
    survey = plan_survey(alice)
    client.force_login(alice)
    response = client.get(_plan_url(survey, as_of="2019-01-01"))
    assert (response.status_code, "as_of" in response.context["options"].errors) == (200, True)


def test_database_counts_give_the_same_projection_as_single_answers(alice):
    from django.utils import timezone

    from tuoyu.surveys.models import ResponseChild, SurveyResponse
    from tuoyu.surveys.planning.projection import project
    from tuoyu.surveys.planning.selectors import respondents_of

    survey = plan_survey(alice, answers=5)
    now = timezone.now()
    for would_use, months in (("no", [date(2025, 6, 1)]), ("either", [date(2024, 2, 1), date(2027, 3, 1)]), ("", [date(2026, 5, 1)])):
        response = SurveyResponse.objects.create(
            survey=survey, source="paper", consent_at=now, submitted_at=now, would_use=would_use
        )
        for month in months:
            ResponseChild.objects.create(response=response, birth_month=month, expected=month.year == 2027)
    by_answer = project(respondents_of(survey), as_of=date(2026, 11, 29))
    plan = survey_plan(survey, as_of=date(2026, 11, 29))
    assert (
        [(m.counts, m.under) for m in plan.projection.months],
        plan.projection.respondents_counted,
    ) == ([(m.counts, m.under) for m in by_answer.months], by_answer.respondents_counted)


# --- suppression of the plan (ADR 0055) -------------------------------------------------------


def _add(survey, n, birth_month, would_use="on_site"):
    from django.utils import timezone

    from tuoyu.surveys.models import ResponseChild, SurveyResponse

    now = timezone.now()
    for _ in range(n):
        response = SurveyResponse.objects.create(
            survey=survey, source="open", consent_at=now, submitted_at=now, would_use=would_use
        )
        if birth_month:
            ResponseChild.objects.create(response=response, birth_month=birth_month)


def test_projection_cell_built_from_fewer_than_floor_answers_is_hidden(alice):
    survey = plan_survey(alice)  # 5 infants (born 2026-01)
    _add(survey, 2, date(2025, 6, 1))  # 2 toddlers
    first = survey_plan(survey, as_of=date(2026, 11, 29)).months[0]
    # toddler 2 is hidden; 2 < 5 so the infant cell goes too; the total 7 stays.
    assert (first.cells["toddler"], first.cells["infant"], first.total) == (None, None, Decimal("7.00"))


def test_projection_cells_of_enough_answers_are_shown(alice):
    first = survey_plan(plan_survey(alice), as_of=date(2026, 11, 29)).months[0]
    assert (first.cells["infant"], first.cells["toddler"]) == (Decimal("5.00"), Decimal("0.00"))


def test_would_use_count_is_hidden_when_its_complement_is_small(client, alice):
    survey = plan_survey(alice, answers=13)
    _add(survey, 1, None, would_use="no")
    client.force_login(alice)
    response = client.get(_plan_url(survey, as_of=AS_OF))
    assert (response.context["plan"].using_shown, "<dd>13</dd>" in response.content.decode()) == (
        False, False
    )


def test_capacity_row_is_hidden_when_its_peak_cell_is_hidden(alice):
    survey = plan_survey(alice)
    _add(survey, 2, date(2025, 6, 1))
    phase = survey_plan(survey, as_of=date(2026, 11, 29)).capacity.phases[0]
    infant = next(c for c in phase.classes if c.class_type == "infant")
    assert (infant in phase.shown_classes, phase.totals_shown) == (False, False)


def test_scenario_defaults_are_empty_when_phase_totals_are_hidden(alice):
    survey = plan_survey(alice)
    _add(survey, 2, date(2025, 6, 1))
    assert survey_plan(survey, as_of=date(2026, 11, 29)).scenario_defaults() == {}


def test_plan_page_marks_hidden_cells(client, alice):
    survey = plan_survey(alice)
    _add(survey, 2, date(2025, 6, 1))
    client.force_login(alice)
    body = client.get(_plan_url(survey, as_of=AS_OF)).content.decode()
    assert ">2.00<" not in body and "为保护隐私不予显示" in body


def test_xlsx_export_hides_what_the_page_hides(client, alice):
    survey = plan_survey(alice)
    _add(survey, 2, date(2025, 6, 1))
    client.force_login(alice)
    response = client.get(reverse("surveys:plan_export", args=[survey.pk]) + f"?as_of={AS_OF}")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    first = next(r for r in book.worksheets[0].iter_rows(values_only=True) if r[0] == "2026-12")
    assert first[1:5] == ("—", "—", 0, 7)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "abc", "2026-13-01"])
def test_out_of_range_or_invalid_date_is_a_form_error(client, alice, value):
    survey = plan_survey(alice)
    client.force_login(alice)
    response = client.get(_plan_url(survey, as_of=value))
    assert (response.status_code, "as_of" in response.context["options"].errors) == (200, True)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_xlsx_export_with_out_of_range_date_does_not_fail(client, alice, value):
    survey = plan_survey(alice)
    client.force_login(alice)
    assert client.get(reverse("surveys:plan_export", args=[survey.pk]) + f"?as_of={value}").status_code == 200


def test_date_before_the_rule_table_names_the_date_used(client, alice):
    from tuoyu.core.dates import local_today

    survey = plan_survey(alice)
    client.force_login(alice)
    response = client.get(_plan_url(survey, as_of="2019-01-01"))
    today = local_today()
    assert (response.context["plan"].as_of, today.isoformat() in str(response.context["options"].errors)) == (
        today, True
    )


def test_date_input_value_is_iso(client, alice):
    survey = plan_survey(alice)
    client.force_login(alice)
    body = client.get(_plan_url(survey, as_of=AS_OF), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="2026-11-29"' in body


def test_xlsx_capacity_sheet_names_the_month_driving_each_total(client, alice):
    survey = plan_survey(alice)
    client.force_login(alice)
    response = client.get(reverse("surveys:plan_export", args=[survey.pk]) + f"?as_of={AS_OF}")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = {r[0]: r[1:3] for r in book.worksheets[1].iter_rows(values_only=True)}
    # one cohort of 5: 5 places and 2 carers, both driven by 2026-12 (5 infants)
    assert (rows["托位合计"], rows["保育人员合计"]) == ((5, "2026-12"), (2, "2026-12"))
