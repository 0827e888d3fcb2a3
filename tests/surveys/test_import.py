"""Paper-answer import: whole-file rejection with row-level errors, idempotency, page, command."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.surveys.answer_builders import make_survey
from tuoyu.surveys.importing import paper_answers_import, parse_month
from tuoyu.surveys.models import ResponseChild, SurveyResponse

TODAY = dt.date(2026, 11, 29)
HEADER = "问卷编号,子女出生月份,预产月份,目前照料方式,需要的托育服务,每周天数,每日时段,可承受月费,是否愿意使用,单程通勤分钟\n"
GOOD = (
    HEADER
    + "P001,2025-03;2024-11,,祖辈照料,全日托;计时托,5,08:00-17:30,2000–2999元,单位内,20\n"
    + "P002,,2027-02,parents,full_day,5,8:00-18:00,1000_1999,nearby,45\n"
)
BAD = (
    HEADER
    + "P001,2025-03,,祖辈照料,全日托,5,08:00-17:30,2000–2999元,单位内,20\n"
    + "P002,2024-13,,父母照料,全日托,5,08:00-17:30,2000–2999元,单位内,20\n"
    + "P003,2027-01,,父母照料,全日托,5,08:00-17:30,2000–2999元,单位内,20\n"
)


@pytest.fixture
def survey(alice):
    return make_survey(alice)


def _write(tmp_path, text, name="answers.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def _run(survey, path, actor=None, **kwargs):
    return paper_answers_import(survey=survey, path=path, actor=actor, today=TODAY, **kwargs)


def test_parse_month_rejects_month_thirteen():
    assert parse_month("2024-13") is None


@pytest.mark.parametrize("text", ["2025-03", "2025/3", "2025年3月", "202503", "2025-03-01"])
def test_parse_month_accepts_common_spellings(text):
    assert parse_month(text) == dt.date(2025, 3, 1)


def test_good_file_creates_answers_with_children(survey, tmp_path):
    report = _run(survey, _write(tmp_path, GOOD))
    assert (report.exit_status, report.created, SurveyResponse.objects.count(),
            ResponseChild.objects.count()) == (0, 2, 2, 3)


def test_good_file_reads_labels_and_codes(survey, tmp_path):
    _run(survey, _write(tmp_path, GOOD))
    first = SurveyResponse.objects.get(paper_ref="P001")
    second = SurveyResponse.objects.get(paper_ref="P002")
    assert (first.current_care, first.wanted_services, first.fee_band, first.hours_to,
            second.current_care, second.would_use) == (
        "grandparents", ["full_day", "hourly"], "2000_2999", dt.time(17, 30), "parents", "nearby"
    )


def test_imported_answers_are_paper_answers(survey, tmp_path):
    _run(survey, _write(tmp_path, GOOD))
    assert set(SurveyResponse.objects.values_list("source", flat=True)) == {"paper"}


def test_bad_and_future_birth_months_reject_the_whole_file(survey, tmp_path):
    report = _run(survey, _write(tmp_path, BAD))
    assert (report.exit_status, report.written, SurveyResponse.objects.count()) == (1, False, 0)


def test_bad_and_future_birth_months_are_reported_by_row_and_column(survey, tmp_path):
    report = _run(survey, _write(tmp_path, BAD))
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [
        (3, "子女出生月份", "SUR-021"),
        (4, "子女出生月份", "SUR-009"),
    ]


def test_row_errors_carry_a_message(survey, tmp_path):
    report = _run(survey, _write(tmp_path, BAD))
    assert "2024-13" in report.errors[0]["message"]


def test_reimport_of_same_file_changes_nothing(survey, tmp_path):
    path = _write(tmp_path, GOOD)
    _run(survey, path)
    report = _run(survey, path)
    assert (report.created, report.updated, report.unchanged, SurveyResponse.objects.count()) == (
        0, 0, 2, 2
    )


def test_reimport_with_changed_row_updates_the_answer(survey, tmp_path):
    _run(survey, _write(tmp_path, GOOD))
    changed = GOOD.replace("P001,2025-03;2024-11,,祖辈照料", "P001,2025-04,,保姆")
    report = _run(survey, _write(tmp_path, changed, "again.csv"))
    answer = SurveyResponse.objects.get(paper_ref="P001")
    assert (report.updated, answer.current_care,
            list(answer.children.values_list("birth_month", flat=True))) == (
        1, "nanny", [dt.date(2025, 4, 1)]
    )


def test_duplicate_paper_ref_in_file_is_a_row_error(survey, tmp_path):
    text = HEADER + "P001,,,,,,,,,\nP001,,,,,,,,,\n"
    report = _run(survey, _write(tmp_path, text))
    assert [(e["row"], e["code"]) for e in report.errors] == [(3, "SUR-030")]


def test_missing_paper_ref_column_is_a_file_error(survey, tmp_path):
    report = _run(survey, _write(tmp_path, "子女出生月份\n2025-03\n"))
    assert (report.exit_status, report.errors[0]["code"]) == (2, "IMP-005")


def test_draft_survey_refuses_import(alice, tmp_path):
    draft = make_survey(alice, status="draft")
    assert _run(draft, _write(tmp_path, GOOD)).errors[0]["code"] == "SUR-036"


def test_due_month_beyond_twelve_months_is_rejected(survey, tmp_path):
    report = _run(survey, _write(tmp_path, HEADER + "P001,,2028-01,,,,,,,\n"))
    assert report.errors[0]["code"] == "SUR-011"


def test_unknown_choice_is_rejected(survey, tmp_path):
    report = _run(survey, _write(tmp_path, HEADER + "P001,,,,,,,,也许,\n"))
    assert (report.errors[0]["column"], report.errors[0]["code"]) == ("是否愿意使用", "IMP-011")


def test_dry_run_writes_nothing(survey, tmp_path):
    report = _run(survey, _write(tmp_path, GOOD), dry_run=True)
    assert (report.created, SurveyResponse.objects.count()) == (2, 0)


def test_import_writes_one_audit_event(survey, tmp_path, alice):
    from tuoyu.audit.models import AuditEvent

    _run(survey, _write(tmp_path, GOOD), actor=alice)
    assert AuditEvent.objects.filter(action="survey.paper_import").count() == 1


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_excel_date_cells_imports(survey, tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(_xlsx([["问卷编号", "子女出生月份"], ["X1", dt.datetime(2025, 3, 1)]]))
    _run(survey, path)
    assert ResponseChild.objects.get().birth_month == dt.date(2025, 3, 1)


def test_extra_question_column_is_imported(survey, tmp_path):
    from tuoyu.surveys.models import SurveyQuestion

    SurveyQuestion.objects.create(survey=survey, position=1, text="夜间托育", kind="single",
                                  choices=["需要", "不需要"])
    _run(survey, _write(tmp_path, "问卷编号,附加问题1\nP1,需要\n"))
    assert SurveyResponse.objects.get().extra_answers == {"1": "需要"}


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC))


def test_command_rejects_bad_file_whole_with_exit_one(survey, tmp_path, frozen_today, capsys):
    with pytest.raises(CommandError) as info:
        call_command("import_survey_answers", str(survey.pk), str(_write(tmp_path, BAD)))
    assert (info.value.returncode, SurveyResponse.objects.count()) == (1, 0)


def test_command_prints_row_level_errors(survey, tmp_path, frozen_today, capsys):
    with pytest.raises(CommandError):
        call_command("import_survey_answers", str(survey.pk), str(_write(tmp_path, BAD)))
    err = capsys.readouterr().err
    assert "row 3 [子女出生月份] SUR-021" in err and "row 4 [子女出生月份] SUR-009" in err


def test_command_writes_json_report(survey, tmp_path, frozen_today):
    out = tmp_path / "report.json"
    call_command("import_survey_answers", str(survey.pk), str(_write(tmp_path, GOOD)),
                 "--report", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["created"] == 2


def test_command_refuses_user_who_does_not_manage_survey(survey, tmp_path, bob):
    with pytest.raises(CommandError) as info:
        call_command("import_survey_answers", str(survey.pk), str(_write(tmp_path, GOOD)),
                     "--user", "bob")
    assert info.value.returncode == 2


def test_cli_joins_import_survey_answers():
    from tuoyu.cli import _resolve

    assert _resolve(["tuoyu", "import", "survey-answers", "1", "f.csv"])[1] == "import_survey_answers"


# --- the page ---------------------------------------------------------------------------------


def _upload(client, survey, text, name="answers.csv", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")
    return client.post(reverse("surveys:paper_import", args=[survey.pk]),
                       {"file": upload, **extra})


def test_page_rejects_bad_file_whole_with_row_errors(client, alice, survey, frozen_today):
    client.force_login(alice)
    response = _upload(client, survey, BAD)
    page = response.content.decode()
    assert (response.status_code, SurveyResponse.objects.count()) == (422, 0)
    assert "SUR-021" in page and "SUR-009" in page


def test_page_imports_good_file(client, alice, survey, frozen_today):
    client.force_login(alice)
    assert _upload(client, survey, GOOD).status_code == 200
    assert SurveyResponse.objects.count() == 2


def test_page_of_other_employer_is_404(client, bob, survey):
    client.force_login(bob)
    assert client.get(reverse("surveys:paper_import", args=[survey.pk])).status_code == 404


def test_template_xlsx_has_headers_and_help_sheet(client, alice, survey):
    client.force_login(alice)
    response = client.get(reverse("surveys:paper_import_template", args=[survey.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert (book.sheetnames, book["答卷"]["A1"].value) == (["答卷", "说明"], "问卷编号")


def test_template_csv_reimports_cleanly_as_empty_file(client, alice, survey, tmp_path):
    client.force_login(alice)
    body = client.get(reverse("surveys:paper_import_template", args=[survey.pk, "csv"])).content
    path = tmp_path / "t.csv"
    path.write_bytes(body)
    assert _run(survey, path).exit_status == 0


# --- answer dates, numbers and messages -------------------------------------------------------


def _errors(report, code):
    return [e for e in report.errors if e["code"] == code]


def test_answer_date_before_the_survey_opens_is_a_row_error(survey, tmp_path):
    report = _run(survey, _write(tmp_path, "问卷编号,填写日期,子女出生月份\nP1,2020-01-01,2019-06\n"))
    assert [e["row"] for e in _errors(report, "SUR-040")] == [2]


def test_answer_date_within_the_period_is_accepted(survey, tmp_path):
    report = _run(survey, _write(tmp_path, "问卷编号,填写日期,子女出生月份\nP1,2026-11-20,2025-06\n"))
    assert (report.errors, SurveyResponse.objects.count()) == ([], 1)


def test_answer_date_after_the_close_date_is_a_row_error(alice, tmp_path):
    survey = make_survey(alice, opens_on=dt.date(2026, 10, 1), closes_on=dt.date(2026, 10, 31))
    report = _run(survey, _write(tmp_path, "问卷编号,填写日期\nP1,2026-11-05\n"))
    assert len(_errors(report, "SUR-040")) == 1


def test_children_are_checked_against_the_answer_date(survey, tmp_path):
    # On 2026-11-02 a child born 2023-11 (taken as 30 Nov 2023) is 35 months: accepted;
    # born 2023-10 it is 36 months: too old.
    report = _run(survey, _write(
        tmp_path, "问卷编号,填写日期,子女出生月份\nP1,2026-11-02,2023-11\nP2,2026-11-02,2023-10\n"
    ))
    assert [(e["row"], e["code"]) for e in report.errors] == [(3, "SUR-010")]


@pytest.mark.parametrize("value", ["inf", "-Infinity", "NaN", "1e5000", "1e400", "1e308", "1E3",
                                   "12345678901", "1.23456", "0x10"])
def test_number_answers_outside_the_online_rules_are_row_errors(survey, tmp_path, value):
    from tuoyu.surveys.models import SurveyQuestion

    SurveyQuestion.objects.create(survey=survey, position=1, text="人数", kind="number")
    report = _run(survey, _write(tmp_path, f"问卷编号,附加问题1\nP1,{value}\n"))
    assert ([e["code"] for e in report.errors], SurveyResponse.objects.count()) == (["SUR-041"], 0)


@pytest.mark.parametrize(("value", "stored"), [("12", 12), ("-3.25", -3.25), ("１０", 10),
                                               ("1000000000", 1000000000)])
def test_plain_number_answers_are_imported(survey, tmp_path, value, stored):
    from tuoyu.surveys.models import SurveyQuestion

    SurveyQuestion.objects.create(survey=survey, position=1, text="人数", kind="number")
    _run(survey, _write(tmp_path, f"问卷编号,附加问题1\nP1,{value}\n"))
    assert SurveyResponse.objects.get().extra_answers == {"1": stored}


def test_number_error_message_is_a_sentence_in_chinese(survey, tmp_path):
    from tuoyu.surveys.models import SurveyQuestion

    SurveyQuestion.objects.create(survey=survey, position=1, text="人数", kind="number")
    message = _run(survey, _write(tmp_path, "问卷编号,附加问题1\nP1,abc\n")).errors[0]["message"]
    assert "number" not in message and "科学计数法" in message


def test_allowed_values_are_listed_in_english_when_the_language_is_english(survey, tmp_path):
    from django.utils import translation

    with translation.override("en"):
        report = _run(survey, _write(tmp_path, "问卷编号,是否愿意使用\nP1,maybe\n"))
    assert "On site" in report.errors[0]["message"] or "on site" in report.errors[0]["message"].lower()


def test_command_prints_a_file_level_error_without_row_zero(alice, tmp_path, frozen_today, capsys):
    draft = make_survey(alice, status="draft")
    with pytest.raises(CommandError):
        call_command("import_survey_answers", str(draft.pk), str(_write(tmp_path, GOOD)))
    err = capsys.readouterr().err
    assert ("row 0" not in err, "SUR-036" in err) == (True, True)
