"""Answering through a personal link: notice and consent first, one answer per link,
editing until the close date, closed and not-yet-open surveys, validation messages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.surveys.survey_support import QUESTIONS, form_answers, make_link, make_survey, months_ago
from tuoyu.core.dates import local_today
from tuoyu.surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db


def _url(link):
    return reverse("surveys:answer", args=[link.token])


def _consent(client, link):
    """Give consent; return the questionnaire URL (with its consent stamp)."""
    response = client.post(_url(link), {"step": "consent", "consent": "on"})
    assert response.status_code == 302
    return response["Location"]


def _stamp(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="stamp" value="([^"]+)"', html).group(1)


def _answer(client, link, **overrides):
    url = _consent(client, link)
    return client.post(_url(link), form_answers(stamp=_stamp(client, url), **overrides))


@pytest.fixture
def link(alice):
    return make_link(alice, make_survey(alice))


def test_link_opens_on_the_privacy_notice_with_a_consent_box(client, link):
    response = client.get(_url(link))
    html = response.content.decode()
    assert "个人信息保护说明" in html and 'name="consent"' in html
    assert 'name="would_use"' not in html


def test_privacy_notice_says_only_aggregates_of_five_are_shown(client, link):
    assert "少于5份答卷" in client.get(_url(link)).content.decode()


def test_questionnaire_needs_consent(client, link):
    response = client.post(_url(link), {"step": "consent"})
    assert response.status_code == 400
    assert "同意后再答题" in response.content.decode()


def test_questionnaire_offers_four_child_rows_and_two_due_rows_without_script(client, link):
    html = client.get(_consent(client, link)).content.decode()
    assert all(f'name="child_{i}"' in html for i in range(1, 5))
    assert all(f'name="due_{i}"' in html for i in range(1, 3))
    assert "<script" not in html and 'style="' not in html


def test_answer_is_stored_and_thanked(client, link):
    response = _answer(client, link)
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    stored = SurveyResponse.objects.get(invitation=link)
    assert stored.source == "personal" and stored.would_use == "on_site"
    assert [c.birth_month for c in stored.children.all()] == [months_ago(10)]
    assert "感谢" in client.get(response["Location"]).content.decode()


def test_submitting_the_same_form_twice_keeps_one_answer(client, link):
    url = _consent(client, link)
    stamp = _stamp(client, url)
    client.post(_url(link), form_answers(stamp=stamp))
    client.post(_url(link), form_answers(stamp=stamp, would_use="nearby"))
    assert SurveyResponse.objects.filter(invitation=link).count() == 1
    assert SurveyResponse.objects.get(invitation=link).would_use == "nearby"


def test_answered_link_does_not_show_the_stored_answer(client, link):
    _answer(client, link, commute_minutes="47", child_1=months_ago(7).strftime("%Y-%m"))
    first = client.get(_url(link)).content.decode()
    form = client.get(_consent(client, link)).content.decode()
    for html in (first, form):
        assert 'value="47"' not in html and months_ago(7).strftime("%Y-%m") not in html


def test_answered_link_opens_on_the_privacy_notice_like_a_new_link(client, link):
    _answer(client, link)
    html = client.get(_url(link)).content.decode()
    assert 'name="consent"' in html and 'name="would_use"' not in html


def test_personal_form_says_a_new_submission_replaces_the_earlier_one(client, link):
    assert "再次提交会替换之前的答卷" in client.get(_consent(client, link)).content.decode()


def test_resubmitting_an_answered_link_replaces_its_answer(client, link):
    _answer(client, link)
    response = _answer(client, link, fee_band="ge6000", child_1="")
    assert response.status_code == 302
    stored = SurveyResponse.objects.get(invitation=link)
    assert stored.fee_band == "ge6000" and not stored.children.exists()


def test_thanks_page_does_not_offer_to_show_the_answer(client, link):
    response = _answer(client, link)
    html = client.get(response["Location"]).content.decode()
    assert "替换之前的答卷" in html and "查看" not in html


def test_privacy_notice_says_what_the_platform_administrator_can_see(client, link):
    html = client.get(_url(link)).content.decode()
    assert "平台管理员" in html and "看不到它对应的个人链接" in html


def test_every_bad_month_is_reported_next_to_its_row_at_once(client, link):
    response = _answer(
        client, link, child_1=months_ago(-2).strftime("%Y-%m"), child_2=months_ago(40).strftime("%Y-%m"),
        due_1=months_ago(1).strftime("%Y-%m"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    rows = re.findall(r'<div class="field has-error">(.*?)</div>\s*</div>', html, re.S)
    names = [re.search(r'name="(\w+)"', r).group(1) for r in rows]
    assert names == ["child_1", "child_2", "due_1"]


def test_past_due_month_says_it_is_in_the_past(client, link):
    response = _answer(client, link, child_1="", due_1=months_ago(1).strftime("%Y-%m"))
    assert response.status_code == 400 and "已过" in response.content.decode()


def test_form_labels_have_no_ascii_colon(client, link):
    html = client.get(_consent(client, link)).content.decode()
    assert not re.search(r":</label>", html)


def test_birth_month_over_three_years_ago_says_the_child_is_not_under_three(client, link):
    response = _answer(client, link, child_1=months_ago(40).strftime("%Y-%m"))
    assert response.status_code == 400
    assert "已不在3岁以下" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_future_birth_month_points_to_the_due_month(client, link):
    response = _answer(client, link, child_1=months_ago(-2).strftime("%Y-%m"))
    assert response.status_code == 400
    assert "预产月份" in response.content.decode()


def test_malformed_month_is_a_form_error(client, link):
    response = _answer(client, link, child_1="June")
    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()


def test_expected_birth_is_stored_with_its_due_month(client, link):
    _answer(client, link, child_1="", due_1=months_ago(-4).strftime("%Y-%m"))
    child = SurveyResponse.objects.get(invitation=link).children.get()
    assert child.expected and child.birth_month == months_ago(-4)


def test_closed_survey_shows_a_clear_page_and_takes_no_answer(client, alice):
    survey = make_survey(alice)
    link = make_link(alice, survey)
    url = _consent(client, link)
    stamp = _stamp(client, url)
    from tuoyu.surveys import services

    services.survey_transition(actor=alice, survey=survey, action="close")
    html = client.get(_url(link)).content.decode()
    assert f"已于{local_today().isoformat()}结束" in html and survey.closes_on.isoformat() not in html
    response = client.post(_url(link), form_answers(stamp=stamp))
    assert response.status_code == 403
    assert not SurveyResponse.objects.exists()


def test_survey_not_yet_open_says_when_it_starts(client, alice):
    survey = make_survey(alice, days_before=-3)
    link = make_link(alice, survey)
    html = client.get(_url(link)).content.decode()
    assert "尚未开始" in html and survey.opens_on.isoformat() in html


def test_unknown_token_is_not_found(client, link):
    assert client.get(reverse("surveys:answer", args=["x" * 32])).status_code == 404


def test_forged_stamp_sends_back_to_the_notice(client, link):
    response = client.post(_url(link), form_answers(stamp="forged"))
    assert response.status_code == 400
    assert "表单已失效" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_stamp_of_another_link_is_refused(client, alice, link):
    other = make_link(alice, link.survey, "E999")
    stamp = _stamp(client, _consent(client, other))
    response = client.post(_url(link), form_answers(stamp=stamp))
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_extra_questions_are_asked_and_stored(client, alice):
    survey = make_survey(alice, questions=QUESTIONS)
    link = make_link(alice, survey)
    html = client.get(_consent(client, link)).content.decode()
    assert "您所在的园区" in html
    response = _answer(client, link, q1="西区")
    assert response.status_code == 302
    assert SurveyResponse.objects.get(invitation=link).extra_answers == {"1": "西区"}


def test_answer_pages_are_not_cached_indexed_or_referred(client, link):
    response = client.get(_url(link))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]


def test_answering_works_in_english(client, link):
    client.cookies["django_language"] = "en"
    html = client.get(_url(link), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Privacy notice" in html and "Agree and start" in html
