"""Survey results: figures for a hand-made set of answers, suppression, exports, access."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.surveys.answer_builders import add_answer, add_answers, add_links, make_survey
from tuoyu.surveys.results import (
    age_band_of,
    build_breakdown,
    results_rows,
    suppression_mask,
    survey_results,
)

AS_OF = dt.date(2026, 11, 29)


def _breakdown(results, key):
    return next(b for b in results.breakdowns if b.key == key)


def _cell(breakdown, key):
    return next(c for c in breakdown.cells if c.key == key)


# --- the rule on plain numbers ---------------------------------------------------------------


def test_mask_suppresses_a_cell_of_four_answers():
    assert suppression_mask([4, 10, 12], base=26, floor=5)[0] is True


def test_mask_shows_a_cell_of_five_answers():
    assert suppression_mask([5, 0, 3, 4, 12], base=24, floor=5)[0] is False


def test_mask_shows_zero_cells():
    assert suppression_mask([0, 10, 12, 2, 3], base=27, floor=5) == [False, False, False, True, True]


def test_mask_suppresses_next_smallest_when_one_cell_is_hidden():
    assert suppression_mask([3, 20, 8, 12], base=43, floor=5) == [True, False, True, False]


def test_mask_leaves_others_when_two_cells_are_already_hidden():
    assert suppression_mask([3, 20, 4, 12], base=39, floor=5) == [True, False, True, False]


def test_mask_hides_further_cells_until_hidden_sum_reaches_floor():
    # The tester's case: 9 answers, 6 / 1 / 1 / 1 — three hidden cells summing to 3 would
    # each be exactly 1 once zeros are shown; the 6 must go too.
    assert suppression_mask([0, 6, 1, 1, 0, 1], base=9, floor=5) == [
        False, True, True, True, False, True
    ]


def test_mask_hides_a_second_cell_when_one_hidden_cell_already_reaches_floor_alone():
    assert suppression_mask([4, 1, 20], base=25, floor=5) == [True, True, False]


def test_mask_hides_the_smallest_shown_cells_first():
    assert suppression_mask([1, 9, 6, 30], base=46, floor=5) == [True, False, True, False]


def test_plan_hides_the_total_when_no_cell_is_left_to_hide():
    from tuoyu.surveys.results import suppression_plan

    # Multiple choice: one option chosen by 2 of 10 answers, nothing else chosen.
    assert suppression_plan([2, 0, 0], base=10, floor=5) == ([True, False, False], True)


def test_plan_with_hidden_total_hides_one_cell_so_the_total_cannot_be_added_up():
    from tuoyu.surveys.results import suppression_plan

    assert suppression_plan([6, 9], base=15, floor=5, total_shown=False) == ([True, False], True)


def test_breakdown_with_hidden_total_shows_no_shares():
    b = build_breakdown("x", "x", [("a", "a", 2, 2), ("b", "b", 0, 0)], base=10, multiple=True)
    assert (b.total, [c.share for c in b.cells]) == (None, [None, None])


def test_recovery_by_subtraction_is_impossible_in_the_testers_fee_table(alice):
    survey = make_survey(alice)
    add_answers(survey, 6, fee_band="2000_2999")
    add_answers(survey, 1, fee_band="3000_3999")
    add_answers(survey, 1, fee_band="4000_5999")
    add_answers(survey, 1)
    b = _breakdown(survey_results(survey, as_of=AS_OF), "fee_band")
    hidden = [c for c in b.cells if c.suppressed]
    assert (len(hidden), sum(c.answers for c in hidden) >= 5, _cell(b, "2000_2999").count) == (
        4, True, None
    )


def test_cell_hidden_to_protect_another_is_marked_neutrally_not_as_small():
    b = build_breakdown("x", "x", [("a", "a", 3, 3), ("b", "b", 8, 8), ("c", "c", 20, 20)], base=31)
    assert [c.count_text for c in b.cells] == ["—", "—", "20"]


def test_mask_suppresses_everything_when_base_below_floor():
    assert suppression_mask([4, 0], base=4, floor=5) == [True, True]


def test_breakdown_of_four_answers_hides_total_and_cells():
    b = build_breakdown("x", "x", [("a", "a", 4, 4), ("b", "b", 0, 0)], base=4)
    assert (b.suppressed, b.total, b.total_text, [c.count for c in b.cells]) == (
        True, None, "—", [None, None]
    )


def test_breakdown_share_is_percent_half_up():
    b = build_breakdown("x", "x", [("a", "a", 5, 5), ("b", "b", 5, 5), ("c", "c", 6, 6)], base=16)
    assert _cell(b, "a").share == Decimal("31.3")  # 5/16 = 31.25 %


def test_floor_follows_the_setting(settings):
    settings.SURVEY_MIN_CELL = 3
    b = build_breakdown("x", "x", [("a", "a", 3, 3), ("b", "b", 3, 3)], base=6)
    assert [c.count for c in b.cells] == [3, 3]


# --- age bands --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "band"),
    [
        ("2026-06", "under6"),   # 30 Jun → 4 months on 29 Nov 2026
        ("2026-05", "under6"),   # 31 May completes 6 months on 1 Dec (no 31 Nov)
        ("2026-04", "infant"),   # 30 Apr → 6 months on 30 Oct
        ("2025-11", "infant"),   # 30 Nov 2025 → 11 months on 29 Nov 2026
        ("2025-10", "toddler"),  # 31 Oct 2025 → 12 months on 31 Oct 2026
        ("2024-11", "toddler"),  # 30 Nov 2024 → 23 months
        ("2024-10", "older"),    # 31 Oct 2024 → 24 months
        ("2023-11", "older"),    # 30 Nov 2023 → 35 months
        ("2023-10", "over36"),   # 31 Oct 2023 → 36 months
    ],
)
def test_age_band_uses_last_day_of_birth_month(month, band):
    year, mon = map(int, month.split("-"))
    assert age_band_of(dt.date(year, mon, 1), expected=False, as_of=AS_OF) == band


def test_age_band_of_expected_birth_is_expected():
    assert age_band_of(dt.date(2027, 3, 1), expected=True, as_of=AS_OF) == "expected"


# --- figures of a hand-made set of answers ----------------------------------------------------


@pytest.fixture
def hand_made(alice):
    """12 answers through 20 personal links.

    - 6 answers: toddler born 2025-06, would use on site, fee 2000–2999, full day, 5 days,
      08:00–17:30, commute 20 min, care by grandparents;
    - 4 answers: infant born 2026-03 + an expected birth 2027-02, nearby, fee 1000–1999,
      full day + hourly, 5 days, 07:30–18:30, commute 40 min, care by parents;
    - 2 answers: nothing but would use = no.
    """
    survey = make_survey(alice)
    links = add_links(survey, 20)
    for i in range(6):
        add_answer(
            survey, invitation=links[i], source="personal", children=["2025-06"],
            would_use="on_site", fee_band="2000_2999", wanted_services=["full_day"],
            days_per_week=5, hours_from=dt.time(8), hours_to=dt.time(17, 30),
            commute_minutes=20, current_care="grandparents",
        )
    for i in range(6, 10):
        add_answer(
            survey, invitation=links[i], source="personal",
            children=["2026-03", ("2027-02", True)], would_use="nearby", fee_band="1000_1999",
            wanted_services=["full_day", "hourly"], days_per_week=5,
            hours_from=dt.time(7, 30), hours_to=dt.time(18, 30), commute_minutes=40,
            current_care="parents",
        )
    for i in range(10, 12):
        add_answer(survey, invitation=links[i], source="personal", would_use="no")
    return survey


def test_results_count_answers(hand_made):
    assert survey_results(hand_made, as_of=AS_OF).answers == 12


def test_results_response_rate_is_answers_over_personal_links(hand_made):
    r = survey_results(hand_made, as_of=AS_OF)
    assert (r.response_rate, r.rate_basis, r.rate_denominator) == (Decimal("60.0"), "links", 20)


def test_results_children_by_age_band(hand_made):
    b = _breakdown(survey_results(hand_made, as_of=AS_OF), "children")
    assert {c.key: c.count for c in b.cells} == {
        "under6": 0, "infant": None, "toddler": 6, "older": 0, "over36": 0, "expected": None,
    }


def test_results_children_total_counts_children(hand_made):
    assert _breakdown(survey_results(hand_made, as_of=AS_OF), "children").total == 14


def test_results_wanted_services_count_each_choice(hand_made):
    b = _breakdown(survey_results(hand_made, as_of=AS_OF), "wanted_services")
    assert {c.key: c.count for c in b.cells} == {
        "full_day": 10, "half_day": 0, "hourly": None, "occasional": 0, "none": None,
    }


def test_results_fee_bands_with_complementary_suppression(hand_made):
    b = _breakdown(survey_results(hand_made, as_of=AS_OF), "fee_band")
    # 1000–1999 has 4 answers, "not answered" 2: both hidden; 2000–2999 (6) shown.
    assert [(c.key, c.count) for c in b.cells if c.count] == [("2000_2999", 6)]
    assert _cell(b, "1000_1999").suppressed and _cell(b, "none").suppressed


def test_results_would_use_hides_next_smallest_when_one_cell_is_small(hand_made):
    b = _breakdown(survey_results(hand_made, as_of=AS_OF), "would_use")
    # on_site 6, nearby 4 (primary), no 2 (primary): two hidden already, 6 shown.
    assert {c.key: c.count for c in b.cells} == {
        "on_site": 6, "nearby": None, "either": 0, "no": None, "none": 0,
    }


def test_results_share_of_shown_cell(hand_made):
    b = _breakdown(survey_results(hand_made, as_of=AS_OF), "current_care")
    assert _cell(b, "grandparents").share == Decimal("50.0")


def test_results_commute_bands(hand_made):
    b = _breakdown(survey_results(hand_made, as_of=AS_OF), "commute")
    assert (_cell(b, "15_29").count, _cell(b, "30_44").suppressed, _cell(b, "none").suppressed) == (
        6, True, True
    )


def test_results_days_per_week_hide_the_complement_of_a_lone_small_cell(hand_made):
    b = _breakdown(survey_results(hand_made, as_of=AS_OF), "days_per_week")
    # "not answered" (2) is the only small cell; 12 − 10 would reveal it, so 5 days is hidden too.
    assert (_cell(b, "5").suppressed, _cell(b, "none").suppressed, b.total) == (True, True, 12)


def test_results_hours_bands(hand_made):
    r = survey_results(hand_made, as_of=AS_OF)
    assert (_cell(_breakdown(r, "hours_from"), "8").count,
            _cell(_breakdown(r, "hours_to"), "17").count) == (6, 6)


def test_single_choice_complement_hides_next_smallest_cell(alice):
    survey = make_survey(alice)
    add_answers(survey, 3, would_use="nearby")
    add_answers(survey, 6, would_use="on_site")
    add_answers(survey, 9, would_use="either")
    b = _breakdown(survey_results(survey, as_of=AS_OF), "would_use")
    assert {c.key: c.count for c in b.cells} == {
        "on_site": None, "nearby": None, "either": 9, "no": 0, "none": 0,
    }


def test_response_rate_over_staff_count_without_links(alice):
    survey = make_survey(alice, staff_count=40)
    add_answers(survey, 10, would_use="on_site")
    r = survey_results(survey, as_of=AS_OF)
    assert (r.response_rate, r.rate_basis) == (Decimal("25.0"), "staff")


def test_response_rate_is_not_applicable_when_answers_exceed_staff_count(alice):
    survey = make_survey(alice, staff_count=3)
    add_answers(survey, 6, would_use="on_site")
    r = survey_results(survey, as_of=AS_OF)
    assert (r.response_rate, r.rate_exceeded) == (None, True)


def test_results_page_says_not_applicable_for_rate_above_hundred_percent(client, alice):
    survey = make_survey(alice, staff_count=3)
    add_answers(survey, 6, would_use="on_site")
    client.force_login(alice)
    page = client.get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    assert "不适用" in page and "200.0%" not in page


def test_response_rate_unknown_without_links_or_staff_count(alice):
    survey = make_survey(alice)
    add_answers(survey, 6, would_use="on_site")
    assert survey_results(survey, as_of=AS_OF).rate_basis == ""


def test_extra_choice_question_counts(alice):
    from tuoyu.surveys.models import SurveyQuestion

    survey = make_survey(alice)
    SurveyQuestion.objects.create(survey=survey, position=1, text="是否需要夜间托育", kind="single",
                                  choices=["需要", "不需要"])
    add_answers(survey, 5, extra_answers={"1": "需要"})
    add_answers(survey, 7, extra_answers={"1": "不需要"})
    b = _breakdown(survey_results(survey, as_of=AS_OF), "extra1")
    assert [c.count for c in b.cells] == [5, 7, 0]


# --- the whole survey below the floor ---------------------------------------------------------


def test_four_answers_show_only_the_count_band(alice):
    survey = make_survey(alice)
    add_answers(survey, 4, would_use="on_site", children=["2025-06"])
    r = survey_results(survey, as_of=AS_OF)
    assert (r.shown, r.answers, r.answers_text, r.breakdowns) == (False, None, "<5", [])


def test_five_answers_are_shown(alice):
    survey = make_survey(alice)
    add_answers(survey, 5, would_use="on_site")
    r = survey_results(survey, as_of=AS_OF)
    assert (r.shown, r.answers) == (True, 5)


# --- page -------------------------------------------------------------------------------------


def test_results_page_with_four_answers_shows_suppressed_band(client, alice):
    survey = make_survey(alice)
    add_answers(survey, 4, would_use="on_site")
    client.force_login(alice)
    page = client.get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    assert "&lt;5" in page and "单位内" not in page


def test_results_page_shows_breakdown_of_five_answers(client, alice):
    survey = make_survey(alice)
    add_answers(survey, 5, would_use="on_site")
    client.force_login(alice)
    page = client.get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    assert "单位内" in page and "<td class=\"num\">5</td>" in page


def test_results_ages_are_taken_on_the_close_date(alice):
    survey = make_survey(alice, closes_on=dt.date(2026, 12, 31))
    assert survey_results(survey).as_of == dt.date(2026, 12, 31)


def test_results_page_ignores_an_as_of_parameter(client, alice):
    survey = make_survey(alice, closes_on=dt.date(2026, 12, 31))
    add_answers(survey, 5, would_use="on_site", children=["2025-06"])
    client.force_login(alice)
    url = reverse("surveys:results", kwargs={"pk": survey.pk})
    assert (client.get(url, {"as_of": "2029-02-01"}).context["as_of"]) == dt.date(2026, 12, 31)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "abc"])
def test_results_page_and_exports_do_not_fail_on_odd_as_of(client, alice, value):
    survey = make_survey(alice)
    add_answers(survey, 5, would_use="on_site", children=["2025-06"])
    client.force_login(alice)
    codes = {client.get(reverse("surveys:results", kwargs={"pk": survey.pk}), {"as_of": value}).status_code}
    for fmt in ("csv", "xlsx"):
        codes.add(client.get(reverse("surveys:results_export", args=[survey.pk, fmt]),
                             {"as_of": value}).status_code)
    assert codes == {200}


def test_xlsx_writes_money_as_a_two_decimal_number(tmp_path):
    from tuoyu.surveys.results import write_xlsx

    write_xlsx([[Decimal("1234.50")]], tmp_path / "m.xlsx", sheet="s")
    cell = openpyxl.load_workbook(tmp_path / "m.xlsx").active["A1"]
    assert (cell.value, cell.number_format) == (1234.5, "0.00")


def test_xlsx_writes_money_too_precise_for_a_spreadsheet_number_as_exact_text(tmp_path):
    from tuoyu.surveys.results import write_xlsx

    write_xlsx([[Decimal("12345678901234567.89")]], tmp_path / "m.xlsx", sheet="s")
    assert openpyxl.load_workbook(tmp_path / "m.xlsx").active["A1"].value == "12345678901234567.89"


def test_results_page_of_other_employer_is_404(client, alice, bob):
    survey = make_survey(alice)
    client.force_login(bob)
    assert client.get(reverse("surveys:results", kwargs={"pk": survey.pk})).status_code == 404


def test_results_page_for_officer_is_not_shown(client, alice, hana):
    survey = make_survey(alice)
    add_answers(survey, 5, would_use="on_site")
    client.force_login(hana)
    assert client.get(reverse("surveys:results", kwargs={"pk": survey.pk})).status_code in (403, 404)


def test_results_page_anonymous_is_sent_to_login(client, alice):
    survey = make_survey(alice)
    response = client.get(reverse("surveys:results", kwargs={"pk": survey.pk}))
    assert response.status_code == 302


# --- exports ----------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_suppresses_like_the_page(client, hand_made, alice):
    client.force_login(alice)
    rows = _csv_rows(client.get(reverse("surveys:results_export", args=[hand_made.pk, "csv"])))
    nearby = next(r for r in rows if r[1] == "单位附近")
    assert nearby[2:] == ["—", "—"]


def test_csv_export_of_four_answers_holds_only_the_count_band(client, alice):
    survey = make_survey(alice)
    add_answers(survey, 4, would_use="on_site", fee_band="lt1000")
    client.force_login(alice)
    rows = _csv_rows(client.get(reverse("surveys:results_export", args=[survey.pk, "csv"])))
    assert [r[:3] for r in rows[1:-1]] == [["答卷", "答卷数", "<5"], ["答卷", "月龄计算日期", "2026-12-31"]]


def test_xlsx_export_suppresses_like_the_page(client, hand_made, alice):
    client.force_login(alice)
    response = client.get(reverse("surveys:results_export", args=[hand_made.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    nearby = next(r for r in values if r[1] == "单位附近")
    assert nearby[2:] == ["—", "—"]


def test_export_neutralises_formula_in_extra_choice(alice):
    from tuoyu.surveys.models import SurveyQuestion

    survey = make_survey(alice)
    SurveyQuestion.objects.create(survey=survey, position=1, text="=HYPERLINK(\"x\")", kind="single",
                                  choices=["是", "否"])
    add_answers(survey, 5, extra_answers={"1": "是"})
    from tuoyu.facilities.exporting import export_csv

    body = b"".join(export_csv(results_rows(survey_results(survey, as_of=AS_OF)))).decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_results_page_queries_do_not_grow_with_answers(client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = make_survey(alice)
    add_answers(survey, 5, would_use="on_site", children=["2025-06"])
    client.force_login(alice)
    url = reverse("surveys:results", kwargs={"pk": survey.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_answers(survey, 20, would_use="nearby", children=["2025-01", "2026-02"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_results_page_in_english(client, hand_made, alice):
    client.force_login(alice)
    page = client.get(reverse("surveys:results", kwargs={"pk": hand_made.pk}),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Survey results" in page and "Children by age band" in page and "Near the workplace" in page
