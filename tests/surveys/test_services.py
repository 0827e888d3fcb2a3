"""Services of surveys: creation, lifecycle, links and answers (one per personal link)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from tests.conftest import org_of
from tests.surveys.survey_support import QUESTIONS, answers, make_link, make_survey, months_ago
from tuoyu.audit.models import AuditEvent
from tuoyu.core.dates import local_today
from tuoyu.core.errors import DomainError
from tuoyu.surveys import services
from tuoyu.surveys.models import ResponseChild, SurveyResponse
from tuoyu.surveys.services import ChildEntry

pytestmark = pytest.mark.django_db


def _code(exc_info):
    return exc_info.value.code


# --------------------------------------------------------------------------- surveys


def test_create_writes_an_audit_event(alice):
    survey = make_survey(alice, status="draft")
    event = AuditEvent.objects.get(action="survey.create", object_id=str(survey.pk))
    assert event.actor == alice


def test_create_stores_extra_questions_in_order(alice):
    survey = make_survey(alice, status="draft", questions=QUESTIONS)
    assert [(q.position, q.kind, q.choices) for q in survey.questions.all()] == [
        (1, "single", ["东区", "西区"]), (2, "text", []),
    ]


def test_administrator_of_another_employer_cannot_create(alice, bob):
    today = local_today()
    with pytest.raises(DomainError) as exc:
        services.survey_create(actor=bob, employer=org_of(alice), title="t", opens_on=today, closes_on=today)
    assert _code(exc) == "GEN-002"


def test_only_employers_run_surveys(otto):
    today = local_today()
    with pytest.raises(DomainError) as exc:
        services.survey_create(actor=None, employer=org_of(otto), title="t", opens_on=today, closes_on=today)
    assert _code(exc) == "SUR-002"


def test_reversed_dates_are_refused(alice):
    today = local_today()
    with pytest.raises(DomainError) as exc:
        services.survey_create(actor=alice, employer=org_of(alice), title="t", opens_on=today,
                               closes_on=today - timedelta(days=1))
    assert _code(exc) == "SUR-019"


def test_open_and_close_are_audited(alice):
    survey = make_survey(alice, status="closed")
    actions = set(AuditEvent.objects.filter(object_id=str(survey.pk)).values_list("action", flat=True))
    assert {"survey.open", "survey.close"} <= actions


def test_closing_a_draft_is_not_in_the_workflow(alice):
    survey = make_survey(alice, status="draft")
    with pytest.raises(DomainError) as exc:
        services.survey_transition(actor=alice, survey=survey, action="close")
    assert _code(exc) == "GEN-005"


def test_opening_after_the_close_date_is_refused(alice):
    survey = make_survey(alice, status="draft", days_before=30, days_after=-1)
    with pytest.raises(DomainError) as exc:
        services.survey_transition(actor=alice, survey=survey, action="open")
    assert _code(exc) == "SUR-020"


def test_questions_of_an_open_survey_cannot_change(alice):
    survey = make_survey(alice)
    with pytest.raises(DomainError) as exc:
        services.survey_update(actor=alice, survey=survey, title="x", opens_on=survey.opens_on,
                               closes_on=survey.closes_on, questions=QUESTIONS)
    assert _code(exc) == "SUR-001"


def test_stale_status_is_a_conflict(alice):
    survey = make_survey(alice, status="draft")
    stale = type(survey).objects.get(pk=survey.pk)
    services.survey_transition(actor=alice, survey=survey, action="open")
    with pytest.raises(DomainError) as exc:
        services.survey_transition(actor=alice, survey=stale, action="open")
    assert _code(exc) == "GEN-003"


def test_open_link_gets_a_token_and_loses_it_when_disabled(alice):
    survey = make_survey(alice)
    survey = services.survey_open_link_set(actor=alice, survey=survey, enabled=True)
    assert len(survey.open_token) >= 32
    survey = services.survey_open_link_set(actor=alice, survey=survey, enabled=False)
    assert survey.open_token is None


# --------------------------------------------------------------------------- links


def test_links_report_duplicates_in_the_list(alice):
    survey = make_survey(alice)
    result = services.invitations_create(actor=alice, survey=survey, text="E001\nE002\n\nE001\n")
    assert [i.label for i in result.created] == ["E001", "E002"]
    assert result.duplicates == [("E001", [1, 4])]


def test_links_skip_labels_that_already_have_one(alice):
    survey = make_survey(alice)
    make_link(alice, survey, "E001")
    result = services.invitations_create(actor=alice, survey=survey, text="E001\nE002")
    assert result.existing == ["E001"]
    assert survey.invitations.count() == 2


def test_links_are_capped_per_survey(alice, settings):
    settings.TUOYU_SURVEY_MAX_LINKS = 3
    survey = make_survey(alice)
    with pytest.raises(DomainError) as exc:
        services.invitations_create(actor=alice, survey=survey, text="a\nb\nc\nd")
    assert _code(exc) == "SUR-004"
    assert survey.invitations.count() == 0


def test_links_audit_counts_but_does_not_copy_labels(alice):
    survey = make_survey(alice)
    services.invitations_create(actor=alice, survey=survey, text="工号-7788\nE2")
    event = AuditEvent.objects.get(action="survey.links_create")
    assert event.after == {"created": 2}
    assert "7788" not in str(event.before) + str(event.after) + event.note


def test_blank_label_list_is_refused(alice):
    survey = make_survey(alice)
    with pytest.raises(DomainError) as exc:
        services.invitations_create(actor=alice, survey=survey, text="\n  \n")
    assert _code(exc) == "SUR-005"


def test_tokens_are_unique_and_unguessable_length(alice):
    survey = make_survey(alice)
    result = services.invitations_create(actor=alice, survey=survey, text="\n".join(f"E{i}" for i in range(50)))
    tokens = {i.token for i in result.created}
    assert len(tokens) == 50 and min(len(t) for t in tokens) == 32


# --------------------------------------------------------------------------- children


def test_future_birth_month_is_refused():
    with pytest.raises(DomainError) as exc:
        services.child_month_validate(months_ago(-1), expected=False, answered_on=local_today())
    assert _code(exc) == "SUR-009"


def test_birth_month_whose_last_day_is_36_months_back_is_not_under_three():
    with pytest.raises(DomainError) as exc:
        services.child_month_validate(date(2023, 11, 1), expected=False, answered_on=date(2026, 11, 30))
    assert _code(exc) == "SUR-010"


def test_birth_month_whose_last_day_is_35_months_back_is_accepted():
    # 29 Nov 2026: a child born on 30 Nov 2023 is 35 months old, so 2023-11 is under 3.
    assert services.child_month_validate(
        date(2023, 11, 1), expected=False, answered_on=date(2026, 11, 29)
    ) == date(2023, 11, 1)


def test_birth_month_37_months_back_is_refused_on_the_first_of_the_month():
    with pytest.raises(DomainError) as exc:
        services.child_month_validate(date(2023, 10, 1), expected=False, answered_on=date(2026, 11, 1))
    assert _code(exc) == "SUR-010"


def test_birth_month_35_months_ago_is_accepted():
    assert services.child_month_validate(months_ago(35), expected=False, answered_on=local_today()) == months_ago(35)


def test_due_month_twelve_months_ahead_is_accepted():
    assert services.child_month_validate(months_ago(-12), expected=True, answered_on=local_today()) == months_ago(-12)


def test_due_month_more_than_twelve_months_ahead_is_refused():
    with pytest.raises(DomainError) as exc:
        services.child_month_validate(months_ago(-13), expected=True, answered_on=local_today())
    assert _code(exc) == "SUR-011"


def test_past_due_month_is_refused_as_past():
    with pytest.raises(DomainError) as exc, translation.override("zh-hans"):
        services.child_month_validate(months_ago(1), expected=True, answered_on=local_today())
    with translation.override("zh-hans"):
        assert _code(exc) == "SUR-022" and "已过" in exc.value.message


def test_children_errors_reports_every_bad_month_at_once():
    today = date(2026, 11, 29)
    entries = [
        ChildEntry(date(2027, 1, 1)), ChildEntry(date(2026, 1, 1)),
        ChildEntry(date(2020, 1, 1)), ChildEntry(date(2026, 10, 1), expected=True),
    ]
    errors = services.children_errors(entries, answered_on=today)
    assert [e.code if e else None for e in errors] == ["SUR-009", None, "SUR-010", "SUR-022"]


def test_due_month_window_is_a_setting(settings):
    settings.TUOYU_SURVEY_DUE_MONTHS = 6
    with pytest.raises(DomainError):
        services.child_month_validate(months_ago(-7), expected=True, answered_on=local_today())


def test_month_is_stored_as_its_first_day():
    day = months_ago(3).replace(day=17)
    assert services.child_month_validate(day, expected=False, answered_on=local_today()).day == 1


# --------------------------------------------------------------------------- answers


def _submit(survey, link=None, **kwargs):
    return services.response_submit(
        survey=survey, data=kwargs.pop("data", answers()), source="personal" if link else "open",
        consented=kwargs.pop("consented", True), invitation=link, **kwargs,
    )


def test_submitting_twice_through_one_link_updates_the_same_answer(alice):
    survey = make_survey(alice)
    link = make_link(alice, survey)
    first = _submit(survey, link)
    second = _submit(survey, link, data=answers(would_use="nearby", children=[]))
    assert first.pk == second.pk
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    second.refresh_from_db()
    assert second.would_use == "nearby"
    assert ResponseChild.objects.filter(response=second).count() == 0


def test_a_lost_insert_race_is_retried_as_an_update(alice, monkeypatch):
    """Two first submissions of one link at once: the second sees no row, its insert hits
    the OneToOne constraint, and it goes round again as an update."""
    survey = make_survey(alice)
    link = make_link(alice, survey)
    _submit(survey, link)  # the concurrent submission that committed first
    real = services._existing
    calls = []

    def blind_first_time(**kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(services, "_existing", blind_first_time)
    _submit(survey, link, data=answers(would_use="either"))
    assert len(calls) == 2
    assert SurveyResponse.objects.get(survey=survey).would_use == "either"


def test_first_answer_marks_the_link_answered(alice):
    survey = make_survey(alice)
    link = make_link(alice, survey)
    _submit(survey, link)
    link.refresh_from_db()
    assert link.answered_at is not None


def test_answer_without_consent_is_refused(alice):
    survey = make_survey(alice)
    with pytest.raises(DomainError) as exc:
        _submit(survey, consented=False)
    assert _code(exc) == "SUR-008"


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_survey_not_open_takes_no_answer(alice, status):
    survey = make_survey(alice, status=status)
    with pytest.raises(DomainError) as exc:
        _submit(survey)
    assert _code(exc) == "SUR-007"
    assert not SurveyResponse.objects.exists()


def test_answer_after_the_close_date_is_refused(alice):
    survey = make_survey(alice, days_after=1)
    with pytest.raises(DomainError) as exc:
        _submit(survey, now=timezone.now() + timedelta(days=3))
    assert _code(exc) == "SUR-007"


def test_required_extra_question_must_be_answered(alice):
    survey = make_survey(alice, questions=QUESTIONS)
    with pytest.raises(DomainError) as exc:
        _submit(survey)
    assert _code(exc) == "SUR-013"


def test_single_choice_answer_must_be_an_option(alice):
    survey = make_survey(alice, questions=QUESTIONS)
    with pytest.raises(DomainError) as exc:
        _submit(survey, data=answers(extra_answers={"1": "北区"}))
    assert _code(exc) == "SUR-012"


def test_extra_answers_are_stored_by_position(alice):
    survey = make_survey(alice, questions=QUESTIONS)
    response = _submit(survey, data=answers(extra_answers={"1": "西区", "2": " 希望延长时间 "}))
    assert response.extra_answers == {"1": "西区", "2": "希望延长时间"}


def test_children_and_expected_births_are_stored_by_month(alice):
    survey = make_survey(alice)
    data = answers(children=[ChildEntry(months_ago(5).replace(day=20)), ChildEntry(months_ago(-3), expected=True)])
    response = _submit(survey, data=data)
    assert sorted((c.birth_month, c.expected) for c in response.children.all()) == [
        (months_ago(5), False), (months_ago(-3), True),
    ]


def test_unknown_service_type_is_refused(alice):
    survey = make_survey(alice)
    with pytest.raises(DomainError) as exc:
        _submit(survey, data=answers(wanted_services=["weekend"]))
    assert _code(exc) == "GEN-004"


def test_open_form_resubmitted_replaces_its_own_answer(alice):
    survey = make_survey(alice)
    first = _submit(survey)
    again = _submit(survey, replace=first.pk, data=answers(would_use="no"))
    assert again.pk == first.pk
    assert SurveyResponse.objects.count() == 1


def test_answers_write_no_audit_event(alice):
    survey = make_survey(alice)
    before = AuditEvent.objects.count()
    _submit(survey, make_link(alice, survey))
    assert AuditEvent.objects.count() == before + 1  # the link creation only


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_first_submissions_of_one_link_store_one_answer(reference_rows, alice):
    """Two threads submit the same link's first answer at once (PostgreSQL: real row locks)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    survey = make_survey(alice)
    link = make_link(alice, survey)
    barrier = threading.Barrier(2)
    errors = []

    def submit(would_use):
        try:
            barrier.wait()
            _submit(survey, link, data=answers(would_use=would_use))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(w,)) for w in ("on_site", "nearby")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert SurveyResponse.objects.filter(invitation=link).count() == 1


# --------------------------------------------------------------------------- pages calling the services


def test_create_page_makes_a_draft_with_its_extra_questions(client, alice):
    from django.urls import reverse

    today = local_today()
    client.force_login(alice)
    response = client.post(reverse("surveys:create"), {
        "employer": org_of(alice).pk, "title": "托育需求", "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=10)).isoformat(),
        "q1_text": "园区", "q1_kind": "single", "q1_choices": "东区\n西区", "q1_required": "on",
        "q2_text": "", "q2_kind": "text",
    })
    survey = org_of(alice).surveys.get()
    assert response.status_code == 302 and survey.status == "draft"
    assert [(q.text, q.choices, q.required) for q in survey.questions.all()] == [("园区", ["东区", "西区"], True)]


def test_create_page_shows_a_bad_choice_question_as_an_error(client, alice):
    from django.urls import reverse

    today = local_today()
    client.force_login(alice)
    response = client.post(reverse("surveys:create"), {
        "employer": org_of(alice).pk, "title": "托育需求", "opens_on": today.isoformat(),
        "closes_on": today.isoformat(), "q1_text": "园区", "q1_kind": "single", "q1_choices": "东区",
    })
    assert response.status_code == 200 and "附加问题1无效" in response.content.decode()
    assert not org_of(alice).surveys.exists()


def test_open_button_opens_the_survey(client, alice):
    from django.urls import reverse

    survey = make_survey(alice, status="draft")
    client.force_login(alice)
    client.post(reverse("surveys:transition", args=[survey.pk, "open"]))
    survey.refresh_from_db()
    assert survey.status == "open"


def test_edit_page_of_an_open_survey_moves_the_close_date_and_keeps_questions(client, alice):
    from django.urls import reverse

    survey = make_survey(alice, questions=QUESTIONS)
    client.force_login(alice)
    new_close = survey.closes_on + timedelta(days=7)
    response = client.post(reverse("surveys:edit", args=[survey.pk]), {
        "employer": survey.employer_id, "title": survey.title, "opens_on": survey.opens_on.isoformat(),
        "closes_on": new_close.isoformat(),
    })
    survey.refresh_from_db()
    assert response.status_code == 302 and survey.closes_on == new_close
    assert survey.questions.count() == 2


# --------------------------------------------------------------------------- fixes after the trial


def test_label_variants_of_case_width_and_zero_width_are_one_label():
    parsed = services.labels_parse("E001\ne001\nＥ００１\nE00\u200b1\nE002")
    assert parsed.labels == ["E001", "E002"] and parsed.duplicates == [("E001", [1, 2, 3, 4])]


def test_cyrillic_lookalike_label_is_a_duplicate_of_the_latin_one():
    parsed = services.labels_parse("E001\n\u0435001")
    assert parsed.labels == ["E001"] and parsed.duplicates == [("E001", [1, 2])]


def test_label_with_cyrillic_letters_is_reported():
    assert services.labels_parse("\u0415002").lookalikes == ["\u0415002"]


def test_header_word_on_the_first_line_is_skipped():
    parsed = services.labels_parse("工号\nE001")
    assert parsed.labels == ["E001"] and parsed.header == "工号"


def test_header_word_after_the_first_line_is_a_label():
    assert services.labels_parse("E001\n部门").labels == ["E001", "部门"]


def test_chinese_name_is_warned_but_department_is_not():
    parsed = services.labels_parse("张三\n欧阳娜娜\n研发部\n二车间")
    assert parsed.names == ["张三", "欧阳娜娜"] and len(parsed.labels) == 4


def test_existing_link_matches_a_differently_written_label(alice):
    survey = make_survey(alice)
    make_link(alice, survey, "E001")
    result = services.invitations_create(actor=alice, survey=survey, text="e001\nＥ００２")
    assert result.existing == ["e001"] and [i.label for i in result.created] == ["E002"]


def test_links_of_a_closed_survey_are_refused(alice):
    survey = make_survey(alice, status="closed")
    with pytest.raises(DomainError) as exc:
        services.invitations_create(actor=alice, survey=survey, text="E001")
    assert _code(exc) == "SUR-028"


def _update(user, survey, **kwargs):
    base = {"title": survey.title, "opens_on": survey.opens_on, "closes_on": survey.closes_on,
            "staff_count": survey.staff_count}
    base.update(kwargs)
    return services.survey_update(actor=user, survey=survey, **base)


def test_open_date_after_the_earliest_answer_is_refused(alice):
    survey = make_survey(alice)
    services.response_submit(survey=survey, data=answers(), source="open", consented=True)
    with pytest.raises(DomainError) as exc:
        _update(alice, survey, opens_on=local_today() + timedelta(days=1))
    assert _code(exc) == "SUR-023"


def test_close_date_before_the_latest_answer_is_refused(alice):
    survey = make_survey(alice)
    services.response_submit(survey=survey, data=answers(), source="open", consented=True)
    with pytest.raises(DomainError) as exc:
        _update(alice, survey, closes_on=local_today() - timedelta(days=1))
    assert _code(exc) == "SUR-024"


def test_period_still_containing_the_answers_can_be_changed(alice):
    survey = make_survey(alice)
    services.response_submit(survey=survey, data=answers(), source="open", consented=True)
    assert _update(alice, survey, closes_on=local_today()).closes_on == local_today()


def test_staff_count_below_the_answers_is_refused(alice):
    survey = make_survey(alice)
    for _ in range(3):
        services.response_submit(survey=survey, data=answers(), source="open", consented=True)
    with pytest.raises(DomainError) as exc:
        _update(alice, survey, staff_count=2)
    assert _code(exc) == "SUR-025" and exc.value.params == {"count": 2, "answers": 3}


@pytest.mark.parametrize("opens_on, closes_on", [
    (date(1900, 1, 1), date(2026, 12, 31)), (date(2026, 1, 1), date(9999, 12, 31)),
])
def test_dates_outside_2000_to_2100_are_refused(alice, opens_on, closes_on):
    with pytest.raises(DomainError) as exc:
        services.survey_create(actor=alice, employer=org_of(alice), title="t", opens_on=opens_on,
                               closes_on=closes_on)
    assert _code(exc) == "SUR-026"


def test_period_longer_than_the_setting_is_refused(alice, settings):
    settings.TUOYU_SURVEY_MAX_DAYS = 30
    with pytest.raises(DomainError) as exc:
        services.survey_create(actor=alice, employer=org_of(alice), title="t",
                               opens_on=date(2026, 1, 1), closes_on=date(2026, 2, 1))
    assert _code(exc) == "SUR-027"


def test_question_without_text_is_refused(alice):
    with pytest.raises(DomainError) as exc:
        make_survey(alice, status="draft", questions=[services.QuestionSpec("", "single", ("a", "b"), True)])
    assert _code(exc) == "SUR-029"


def test_early_close_reason_names_the_day_it_closed(alice):
    survey = make_survey(alice, status="closed")
    with translation.override("zh-hans"):
        reason = services.survey_closed_reason(survey, local_today() + timedelta(days=3))
    assert reason == f"已于{local_today().isoformat()}结束"


def _survey_form(**data):
    from tuoyu.surveys.forms import SurveyForm

    base = {"employer": "1", "title": "t", "opens_on": "2026-11-01", "closes_on": "2026-12-31"}
    base.update(data)

    class _Org:
        pk, name = 1, "x"

    return SurveyForm(base, employers=[_Org()])


def test_form_question_row_with_options_but_no_text_is_an_error():
    with translation.override("zh-hans"):
        form = _survey_form(q1_kind="single", q1_choices="是\n否", q1_required="on")
        assert not form.is_valid() and "附加问题1" in str(form.errors["q1_text"])


def test_form_refuses_a_year_9999_close_date():
    form = _survey_form(closes_on="9999-12-31")
    assert not form.is_valid() and "closes_on" in form.errors
