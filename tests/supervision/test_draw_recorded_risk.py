"""The frozen candidate list takes open rectifications and missing annual reports from the
platform's own records (supervision.services._recorded_risk_factors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import org_of
from tests.factories import FacilityFactory
from tests.supervision.inspection_support import closed_with_findings, make_team
from tuoyu.supervision.draw_lists import entity_from_record
from tuoyu.supervision.selectors import entity_key
from tuoyu.supervision.services import draw_lists_freeze, inspection_plan_create

#: After the 2025 report's deadline (31 March 2026).
FREEZE_DAY = dt.date(2026, 4, 15)


@pytest.fixture
def team(hana, otto):
    return make_team(hana, otto)


def _frozen(hana, *, risk_factors=None) -> dict:
    plan = inspection_plan_create(
        actor=hana, organization=org_of(hana), title="抽查", year=2026, scope_prefix="110108", count=1,
    )
    now = timezone.make_aware(dt.datetime.combine(FREEZE_DAY, dt.time(9)))
    draw_list = draw_lists_freeze(actor=hana, plan=plan, risk_factors=risk_factors, now=now)
    return {r["id"]: entity_from_record(r, ()) for r in draw_list.entities}


def test_open_rectification_order_is_counted(team, hana):
    closed_with_findings(team, today=dt.date(2026, 2, 13))
    assert _frozen(hana)[entity_key(team["facility"].pk)].open_rectifications == 1


def test_facility_owing_last_years_report_is_marked_missing(team, hana):
    owing = FacilityFactory(operator=team["facility"].operator, filing_status="filed",
                            opening_date=dt.date(2025, 6, 1))
    assert _frozen(hana)[entity_key(owing.pk)].annual_report_missing is True


def test_facility_opened_this_year_owes_no_report(team, hana):
    new = FacilityFactory(operator=team["facility"].operator, filing_status="filed",
                          opening_date=dt.date(2026, 1, 5))
    assert _frozen(hana)[entity_key(new.pk)].annual_report_missing is False


def test_factor_given_by_the_officer_wins_over_the_records(team, hana):
    closed_with_findings(team, today=dt.date(2026, 2, 13))
    given = {team["facility"].pk: {"open_rectifications": 0}}
    assert _frozen(hana, risk_factors=given)[entity_key(team["facility"].pk)].open_rectifications == 0
