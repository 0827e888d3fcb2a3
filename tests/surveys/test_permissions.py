"""Who may do what with surveys: alice manages her own; bob (another employer) gets 404;
officers see aggregate demand in their jurisdiction but never single answers; anonymous
users reach a survey only through a token."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.surveys.survey_support import make_link, make_survey
from tuoyu.core.errors import DomainError
from tuoyu.surveys import permissions as perms
from tuoyu.surveys import selectors

pytestmark = pytest.mark.django_db

MANAGER_PAGES = ["surveys:detail", "surveys:edit", "surveys:links", "surveys:links_print", "surveys:links_csv"]


@pytest.fixture
def survey(alice):
    return make_survey(alice)


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_administrator_sees_her_own_survey_pages(client, alice, survey, name):
    client.force_login(alice)
    assert client.get(reverse(name, args=[survey.pk])).status_code == 200


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_administrator_of_another_employer_gets_404(client, bob, survey, name):
    client.force_login(bob)
    assert client.get(reverse(name, args=[survey.pk])).status_code == 404


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_officer_in_jurisdiction_gets_no_manager_page(client, hana, survey, name):
    client.force_login(hana)
    assert client.get(reverse(name, args=[survey.pk])).status_code in (403, 404)


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_anonymous_user_is_sent_to_login(client, survey, name):
    response = client.get(reverse(name, args=[survey.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_other_employer_cannot_open_or_close(client, bob, alice):
    survey = make_survey(alice, status="draft")
    client.force_login(bob)
    assert client.post(reverse("surveys:transition", args=[survey.pk, "open"])).status_code == 404
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_other_employer_cannot_create_links(client, bob, survey):
    client.force_login(bob)
    assert client.post(reverse("surveys:links", args=[survey.pk]), {"labels": "E1"}).status_code == 404
    assert survey.invitations.count() == 0


def test_survey_list_shows_only_own_surveys(client, alice, bob, survey):
    make_survey(bob, title="浦东调查")
    client.force_login(alice)
    html = client.get(reverse("surveys:list")).content.decode()
    assert survey.title in html and "浦东调查" not in html


@pytest.mark.parametrize("persona", ["otto", "hana", "una"])
def test_users_without_manage_surveys_cannot_create(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("surveys:create")).status_code == 403


@pytest.mark.parametrize("persona", ["hana", "bjhealth", "una"])
def test_officers_in_jurisdiction_see_aggregate_demand(request, survey, persona):
    user = request.getfixturevalue(persona)
    assert selectors.survey_get_for_user(user, survey.pk, action="demand") == survey


@pytest.mark.parametrize("persona", ["hana", "bjhealth", "una"])
def test_officers_never_see_single_answers(request, survey, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError) as exc:
        selectors.survey_get_for_user(user, survey.pk, action="answers")
    assert exc.value.code == "GEN-002"


@pytest.mark.parametrize("persona", ["chen", "pudong", "dora", "bob"])
def test_others_outside_jurisdiction_do_not_see_the_survey(request, survey, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError) as exc:
        selectors.survey_get_for_user(user, survey.pk, action="demand")
    assert exc.value.code == "GEN-001"


def test_manager_may_see_single_answers(alice, survey):
    assert perms.can_view_survey_answers(alice, survey)


def test_anonymous_user_answers_through_a_token_only(client, alice, survey):
    link = make_link(alice, survey)
    assert client.get(reverse("surveys:answer", args=[link.token])).status_code == 200
    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 302


def test_navigation_links_surveys_for_employer_administrators_only(client, alice, hana):
    client.force_login(alice)
    link = f'href="{reverse("surveys:list")}"'
    assert link in client.get("/").content.decode()
    client.force_login(hana)
    assert link not in client.get("/").content.decode()


# --------------------------------------------------------------------------- Django admin


@pytest.fixture
def staff(db):
    from tests.factories import UserFactory

    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def answered(alice, survey):
    from tuoyu.surveys import services
    from tuoyu.surveys.services import AnswerData

    link = make_link(alice, survey, "E001")
    return services.response_submit(survey=survey, data=AnswerData(would_use="no"), source="personal",
                                    consented=True, invitation=link)


def test_admin_answer_page_does_not_show_the_label(client, staff, answered):
    client.force_login(staff)
    response = client.get(reverse("admin:surveys_surveyresponse_change", args=[answered.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "E001" not in html and 'name="invitation"' not in html
    assert "个人答题链接:" not in html and "个人答题链接：" not in html


def test_admin_cannot_delete_an_answer(client, staff, answered):
    client.force_login(staff)
    assert client.get(reverse("admin:surveys_surveyresponse_delete", args=[answered.pk])).status_code == 403


def test_admin_link_list_does_not_say_which_label_answered(client, staff, answered):
    client.force_login(staff)
    html = client.get(reverse("admin:surveys_surveyinvitation_changelist")).content.decode()
    assert "E001" in html and "answered_at" not in html and "答题时间" not in html
