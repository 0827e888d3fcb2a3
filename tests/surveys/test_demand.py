"""Officers' demand view: jurisdiction, suppression of demand cells, supply beside it, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from tests.conftest import org_of
from tests.factories import FacilityFactory
from tests.surveys.answer_builders import add_answers, employer_in, make_survey
from tuoyu.surveys.demand import demand_tables


@pytest.fixture
def demand(alice, bob):
    """Haidian (alice): 6 would-use answers with a toddler each, 2 "no";
    Chaoyang: 5 answers with a toddler, 3 of them would use; Pudong (bob): 7 answers.
    A filed facility in Haidian (45 places) and one in Pudong; a draft facility in Haidian."""
    haidian = make_survey(alice)
    add_answers(haidian, 6, would_use="on_site", children=["2025-06"])
    add_answers(haidian, 2, would_use="no", children=["2025-06"])
    chaoyang = make_survey(employer_in("110105"))
    add_answers(chaoyang, 3, would_use="nearby", children=["2025-06", ("2027-03", True)])
    add_answers(chaoyang, 2, would_use="no", children=["2025-06"])
    pudong = make_survey(bob)
    add_answers(pudong, 7, would_use="either", children=["2024-12"])
    FacilityFactory(operator=org_of(alice), filing_status="filed")
    FacilityFactory(operator=org_of(alice), filing_status="draft")
    FacilityFactory(operator=org_of(bob), filing_status="filed")


def _county(user):
    return {row.code: row for row in demand_tables(user)[0].rows}


def test_union_officer_sees_beijing_counties_only(demand, una):
    assert set(_county(una)) == {"110108", "110105"}


def test_pudong_officer_sees_shanghai_only(demand, pudong):
    assert set(_county(pudong)) == {"310115"}


def test_county_officer_sees_own_county_only(demand, hana):
    assert set(_county(hana)) == {"110108"}


def test_demand_counts_children_of_respondents_who_would_use(demand, hana):
    row = _county(hana)["110108"]
    assert (row.cells["answers"].count, row.cells["under3"].count) == (8, 6)


def test_would_use_is_hidden_when_those_who_would_not_use_are_fewer_than_floor(demand, hana):
    # Haidian: 8 answers, 6 would use → 2 would not; showing 6 would reveal the 2.
    assert _county(hana)["110108"].cells["would_use"].suppressed is True


def test_would_use_total_is_hidden_when_its_complement_is_small(demand, una):
    # Beijing: 13 answers, 9 would use → 4 would not.
    assert demand_tables(una)[0].totals["would_use"] is None


def test_would_use_is_shown_when_everyone_would_use(demand, pudong):
    assert _county(pudong)["310115"].cells["would_use"].count == 7


def test_demand_cells_below_floor_are_suppressed(demand, una):
    row = _county(una)["110105"]
    # 3 would-use answers, 3 toddlers, 3 expected births: each built from 3 answers.
    assert [row.cells[f].suppressed for f in ("would_use", "under3", "expected")] == [True] * 3


def test_complementary_suppression_within_a_column(demand, una):
    table = demand_tables(una)[0]
    under3 = {r.code: r.cells["under3"] for r in table.rows}
    # Chaoyang's 3 is hidden; the total (9) is shown, so Haidian's 6 is hidden too.
    assert (under3["110105"].suppressed, under3["110108"].suppressed, table.totals["under3"]) == (
        True, True, 9
    )


def test_supply_counts_places_of_filed_facilities(demand, una):
    row = _county(una)["110108"]
    assert (row.facilities, row.places) == (1, 45)


def test_demand_by_industry_section(demand, una):
    industry = demand_tables(una)[1]
    section = next(r for r in industry.rows if r.code == "I")
    assert (section.cells["answers"].count, section.places) == (13, 45)


def test_only_latest_survey_of_an_employer_counts(demand, una, alice):
    later = make_survey(alice, opens_on=dt.date(2026, 11, 20))
    add_answers(later, 5, would_use="on_site")
    assert _county(una)["110108"].cells["answers"].count == 5


def test_new_survey_without_enough_answers_does_not_replace_the_last_usable_one(demand, una, alice):
    newer = make_survey(alice, opens_on=dt.date(2026, 12, 10), closes_on=dt.date(2027, 1, 31))
    add_answers(newer, 2, would_use="on_site")
    assert _county(una)["110108"].cells["answers"].count == 8


def test_survey_closing_later_wins_over_a_higher_id(demand, una, alice):
    earlier = make_survey(alice, opens_on=dt.date(2026, 6, 1), closes_on=dt.date(2026, 6, 30))
    add_answers(earlier, 5, would_use="on_site")
    assert _county(una)["110108"].cells["answers"].count == 8


def test_children_are_aged_on_the_close_date_of_their_survey(una, alice):
    survey = make_survey(alice, closes_on=dt.date(2026, 12, 31))
    # Born 2023-12 (taken as 2023-12-31): 36 months on 2026-12-31, no longer under 3.
    add_answers(survey, 5, would_use="on_site", children=["2023-12"])
    add_answers(survey, 5, would_use="on_site", children=["2024-01"])
    assert _county(una)["110108"].cells["under3"].count == 5


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "abc"])
def test_page_and_csv_do_not_fail_on_odd_as_of(client, demand, una, value):
    client.force_login(una)
    assert {client.get(reverse("surveys:demand"), {"as_of": value}).status_code,
            client.get(reverse("surveys:demand_export"), {"as_of": value}).status_code} == {200}


def test_draft_survey_is_not_demand(demand, una, alice):
    make_survey(alice, status="draft")
    assert _county(una)["110108"].cells["answers"].count == 8


@pytest.mark.parametrize("persona", ["alice", "bob", "otto", "dora"])
def test_page_refuses_users_without_view_demand(client, demand, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("surveys:demand")).status_code == 403


def test_page_shows_union_officer_beijing_only(client, demand, una):
    client.force_login(una)
    page = client.get(reverse("surveys:demand")).content.decode()
    assert "海淀区" in page and "浦东新区" not in page


def test_page_anonymous_is_sent_to_login(client):
    assert client.get(reverse("surveys:demand")).status_code == 302


def _csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_suppresses_like_the_page(client, demand, una):
    client.force_login(una)
    rows = _csv(client.get(reverse("surveys:demand_export")))
    chaoyang = next(r for r in rows if r[1] == "110105")
    assert chaoyang[3:7] == ["5", "—", "—", "—"]


def test_csv_of_pudong_officer_has_no_beijing_rows(client, demand, pudong):
    client.force_login(pudong)
    rows = _csv(client.get(reverse("surveys:demand_export")))
    assert not any(r[1].startswith("11") for r in rows)


def test_navigation_links_demand_page_for_officers(client, una):
    client.force_login(una)
    assert reverse("surveys:demand") in client.get(reverse("home")).content.decode()


def test_navigation_hides_demand_page_from_employers(client, alice):
    client.force_login(alice)
    assert reverse("surveys:demand") not in client.get(reverse("home")).content.decode()
