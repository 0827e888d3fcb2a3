"""Distribution: personal links (paste or upload), printable QR page, CSV, and the open
link with its flood defences (per-IP limit, burst limit, honeypot, minimum fill time)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.surveys.survey_support import form_answers, make_link, make_survey
from tuoyu.surveys import flood, services
from tuoyu.surveys.models import SurveyResponse

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- personal links


def test_pasted_labels_become_links_and_duplicates_are_reported(client, alice):
    survey = make_survey(alice)
    client.force_login(alice)
    response = client.post(reverse("surveys:links", args=[survey.pk]), {"labels": "E001\nE002\nE001"})
    html = response.content.decode()
    assert survey.invitations.count() == 2
    assert "以下标识重复" in html and "1, 3" in html


def test_uploaded_gb18030_label_file_is_read(client, alice):
    survey = make_survey(alice)
    client.force_login(alice)
    upload = SimpleUploadedFile("staff.csv", "研发部-01\n研发部-02\n".encode("gb18030"), "text/csv")
    client.post(reverse("surveys:links", args=[survey.pk]), {"labels": "", "file": upload})
    assert sorted(survey.invitations.values_list("label", flat=True)) == ["研发部-01", "研发部-02"]


def test_print_page_has_an_inline_svg_qr_code_per_link_and_no_script(client, alice):
    survey = make_survey(alice)
    services.invitations_create(actor=alice, survey=survey, text="E001\nE002")
    client.force_login(alice)
    html = client.get(reverse("surveys:links_print", args=[survey.pk])).content.decode()
    assert html.count("<svg") == 2
    assert "<script" not in html and "<img" not in html and "http://testserver/surveys/a/" in html


def test_links_csv_lists_label_and_link_with_formulas_neutralised(client, alice):
    survey = make_survey(alice)
    link = make_link(alice, survey, "=HYPERLINK(1)")
    client.force_login(alice)
    response = client.get(reverse("surveys:links_csv", args=[survey.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][1] == f"http://testserver/surveys/a/{link.token}/"


def test_open_link_shows_with_its_qr_code_once_enabled(client, alice):
    survey = make_survey(alice)
    client.force_login(alice)
    client.post(reverse("surveys:open_link", args=[survey.pk]), {"enabled": "1"})
    survey.refresh_from_db()
    html = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert f"/surveys/o/{survey.open_token}/" in html and "<svg" in html


def test_disabled_open_link_is_not_found(client, alice):
    survey = services.survey_open_link_set(actor=alice, survey=make_survey(alice), enabled=True)
    token = survey.open_token
    services.survey_open_link_set(actor=alice, survey=survey, enabled=False)
    assert client.get(reverse("surveys:open_answer", args=[token])).status_code == 404


# --------------------------------------------------------------------------- open link


@pytest.fixture
def open_survey(alice):
    return services.survey_open_link_set(actor=alice, survey=make_survey(alice), enabled=True)


@pytest.fixture
def no_wait(settings):
    settings.TUOYU_SURVEY_MIN_FILL_SECONDS = 0


def _open_url(survey):
    return reverse("surveys:open_answer", args=[survey.open_token])


def _open_stamp(client, survey):
    consent = client.post(_open_url(survey), {"step": "consent", "consent": "on"})
    html = client.get(consent["Location"]).content.decode()
    return re.search(r'name="stamp" value="([^"]+)"', html).group(1)


def test_open_link_answer_is_stored_as_open(client, open_survey, no_wait):
    response = client.post(_open_url(open_survey), form_answers(stamp=_open_stamp(client, open_survey)))
    assert response.status_code == 302
    assert SurveyResponse.objects.get().source == "open"


def test_open_form_has_a_hidden_honeypot(client, open_survey):
    html = client.get(client.post(_open_url(open_survey), {"step": "consent", "consent": "on"})["Location"]).content.decode()
    assert re.search(r'aria-hidden="true">.*name="website"', html, re.S)


def test_filled_honeypot_is_refused_with_a_form_error(client, open_survey, no_wait):
    data = form_answers(stamp=_open_stamp(client, open_survey), website="http://spam")
    response = client.post(_open_url(open_survey), data)
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_submission_faster_than_three_seconds_is_refused(client, open_survey):
    response = client.post(_open_url(open_survey), form_answers(stamp=_open_stamp(client, open_survey)))
    assert response.status_code == 400
    assert "提交过快" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_submission_after_three_seconds_is_accepted(client, open_survey, monkeypatch):
    stamp = _open_stamp(client, open_survey)
    real = flood.time.time
    monkeypatch.setattr(flood.time, "time", lambda: real() + 3.5)
    response = client.post(_open_url(open_survey), form_answers(stamp=stamp))
    assert response.status_code == 302


def test_resubmitting_the_same_open_form_keeps_one_answer(client, open_survey, no_wait):
    stamp = _open_stamp(client, open_survey)
    client.post(_open_url(open_survey), form_answers(stamp=stamp))
    client.post(_open_url(open_survey), form_answers(stamp=stamp, would_use="no"))
    assert SurveyResponse.objects.get().would_use == "no"


def test_one_client_over_its_limit_gets_429(client, open_survey, no_wait, settings):
    settings.TUOYU_SURVEY_OPEN_IP_RATE = "2/600"
    statuses = [
        client.post(_open_url(open_survey), form_answers(stamp=_open_stamp(client, open_survey))).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert SurveyResponse.objects.count() == 2


def test_throttled_answer_says_so_and_gives_retry_after(client, open_survey, no_wait, settings):
    settings.TUOYU_SURVEY_OPEN_IP_RATE = (0, 600)
    response = client.post(_open_url(open_survey), form_answers(stamp=_open_stamp(client, open_survey)))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "提交过于频繁" in response.content.decode()


def test_burst_over_the_survey_limit_gets_429_from_any_client(client, open_survey, no_wait, settings):
    settings.TUOYU_SURVEY_OPEN_BURST_RATE = "2/60"
    codes = []
    for n in range(3):
        stamp = _open_stamp(client, open_survey)
        codes.append(client.post(_open_url(open_survey), form_answers(stamp=stamp),
                                 REMOTE_ADDR=f"10.0.0.{n + 1}").status_code)
    assert codes == [302, 302, 429]


def test_personal_links_are_not_throttled(client, alice, settings):
    settings.TUOYU_SURVEY_OPEN_IP_RATE = (0, 600)
    survey = make_survey(alice)
    link = make_link(alice, survey)
    url = reverse("surveys:answer", args=[link.token])
    consent = client.post(url, {"step": "consent", "consent": "on"})
    stamp = re.search(r'name="stamp" value="([^"]+)"', client.get(consent["Location"]).content.decode()).group(1)
    assert client.post(url, form_answers(stamp=stamp)).status_code == 302


def test_garbage_post_to_open_link_never_errors(client, open_survey):
    response = client.post(_open_url(open_survey), {"step": "answer", "stamp": "x", "child_1": "\x00"})
    assert response.status_code == 400


# --------------------------------------------------------------------------- fixes after the trial


def test_refused_open_submits_do_not_use_up_the_answer_limit(client, open_survey, no_wait, settings):
    settings.TUOYU_SURVEY_OPEN_IP_RATE = "2/600"
    settings.TUOYU_SURVEY_OPEN_IP_REFUSED_RATE = "20/600"
    stamp = _open_stamp(client, open_survey)
    for _ in range(5):
        assert client.post(_open_url(open_survey), form_answers(stamp=stamp, would_use="")).status_code == 400
    assert client.post(_open_url(open_survey), form_answers(stamp=stamp)).status_code == 302


def test_refused_open_submits_have_their_own_limit(client, open_survey, no_wait, settings):
    settings.TUOYU_SURVEY_OPEN_IP_REFUSED_RATE = "3/600"
    stamp = _open_stamp(client, open_survey)
    codes = [client.post(_open_url(open_survey), form_answers(stamp=stamp, would_use="")).status_code
             for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_links_page_shows_counts_but_not_which_label_answered(client, alice):
    survey = make_survey(alice)
    services.invitations_create(actor=alice, survey=survey, text="E001\nE002")
    link = survey.invitations.get(label="E001")
    services.response_submit(survey=survey, data=services.AnswerData(would_use="no"), source="personal",
                             consented=True, invitation=link)
    client.force_login(alice)
    html = client.get(reverse("surveys:links", args=[survey.pk])).content.decode()
    assert "共 2 个链接，已有 1 个链接提交了答卷" in html
    assert "已答" not in html and "<th scope=\"col\">" in html and html.count("<tr>") == 3


def test_links_csv_has_no_answered_column(client, alice):
    survey = make_survey(alice)
    link = make_link(alice, survey)
    services.response_submit(survey=survey, data=services.AnswerData(would_use="no"), source="personal",
                             consented=True, invitation=link)
    client.force_login(alice)
    response = client.get(reverse("surveys:links_csv", args=[survey.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [len(r) for r in rows] == [2, 2]


def test_labels_posted_to_a_closed_survey_get_a_clear_error(client, alice):
    survey = make_survey(alice, status="closed")
    client.force_login(alice)
    response = client.post(reverse("surveys:links", args=[survey.pk]), {"labels": "E001"}, follow=True)
    assert "调查已结束，不能再生成个人链接" in response.content.decode()
    assert not survey.invitations.exists()


def test_xlsx_staff_list_first_column_becomes_links(client, alice):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["工号", "部门"], [1001, "研发部"], ["E002", "财务部"]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    survey = make_survey(alice)
    client.force_login(alice)
    upload = SimpleUploadedFile("staff.xlsx", buffer.getvalue(), "application/octet-stream")
    html = client.post(reverse("surveys:links", args=[survey.pk]), {"labels": "", "file": upload}).content.decode()
    assert sorted(survey.invitations.values_list("label", flat=True)) == ["1001", "E002"]
    assert "是表头，已跳过" in html


def test_broken_xlsx_staff_list_says_it_is_not_a_workbook(client, alice):
    survey = make_survey(alice)
    client.force_login(alice)
    upload = SimpleUploadedFile("staff.xlsx", b"PK\x03\x04not a zip", "application/octet-stream")
    html = client.post(reverse("surveys:links", args=[survey.pk]), {"labels": "", "file": upload}).content.decode()
    assert "无法识别文件编码" not in html and not survey.invitations.exists()


def test_links_page_warns_about_labels_that_look_like_names(client, alice):
    survey = make_survey(alice)
    client.force_login(alice)
    html = client.post(reverse("surveys:links", args=[survey.pk]), {"labels": "张三\n研发部\nE001"}).content.decode()
    assert "看起来像姓名" in html and "<li>张三</li>" in html and "<li>研发部</li>" not in html
    assert survey.invitations.count() == 3


def test_print_view_is_paginated(client, alice, monkeypatch):
    from tuoyu.surveys import views

    monkeypatch.setattr(views, "PRINT_PAGE_SIZE", 2)
    survey = make_survey(alice)
    services.invitations_create(actor=alice, survey=survey, text="E001\nE002\nE003")
    client.force_login(alice)
    html = client.get(reverse("surveys:links_print", args=[survey.pk]) + "?page=2").content.decode()
    assert html.count("<svg") == 1 and "E003" in html and "E001" not in html


def test_open_link_url_wraps_on_a_phone(client, alice):
    survey = services.survey_open_link_set(actor=alice, survey=make_survey(alice), enabled=True)
    client.force_login(alice)
    html = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert '<p class="url"><a href=' in html
