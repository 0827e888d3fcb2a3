"""Each alert rule raises on a breach and not on a compliant facility."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import FacilityFactory, StaffMemberFactory
from tests.monitoring.conftest import AS_OF, complaint, toddler_class
from tests.supervision.inspection_support import closed_with_findings, make_team
from tuoyu.monitoring import rules
from tuoyu.monitoring.rules import RULES_BY_CODE
from tuoyu.supervision.annual_report_selectors import annual_report_missing


def hits(code, as_of=AS_OF):
    return list(RULES_BY_CODE[code].find(as_of))


# --- MON-001 ratio and class cap ---------------------------------------------------------------


def test_ratio_rule_raises_when_a_class_has_too_few_carers(facility):
    klass = toddler_class(facility, children=12, carers=1)  # 1:5 needs 3
    [hit] = hits("MON-001")
    assert (hit.facility_id, hit.subject_key) == (facility.pk, f"STD-RATIO-TODDLER:class:{klass.pk}")
    assert (hit.details["children"], hit.details["carers"], hit.details["carers_required"]) == (12, 1, 3)


def test_ratio_rule_is_quiet_for_a_compliant_facility(facility):
    toddler_class(facility, children=10, carers=2)
    assert hits("MON-001") == []


def test_cap_rule_raises_when_more_children_are_placed_than_the_cap(facility):
    klass = toddler_class(facility, children=16, carers=4)  # cap 15; 4 carers meet 1:5
    [hit] = hits("MON-001")
    assert hit.subject_key == f"STD-CAP-TODDLER:class:{klass.pk}"
    assert (hit.details["children"], hit.details["max_children"]) == (16, 15)


def test_cap_rule_ignores_a_registered_capacity_above_the_cap_with_few_children(facility):
    toddler_class(facility, children=5, carers=1, capacity=20)
    assert hits("MON-001") == []


def test_ratio_rule_ignores_facilities_not_filed(otto):
    from tests.conftest import org_of

    draft = FacilityFactory(operator=org_of(otto), filing_status="draft")
    toddler_class(draft, children=12, carers=1)
    assert hits("MON-001") == []


def test_ratio_rule_names_the_rule_table_source(facility):
    sources = RULES_BY_CODE["MON-001"].sources(AS_OF)
    assert any("第二十条" in s for s in sources) and any("第十九条" in s for s in sources)


# --- MON-002 expired health certificates -----------------------------------------------------------


def test_certificate_rule_raises_for_staff_in_post_with_an_expired_certificate(facility):
    member = StaffMemberFactory(facility=facility, health_certificate_expiry=AS_OF - dt.timedelta(days=1))
    [hit] = hits("MON-002")
    assert (hit.facility_id, hit.subject_key, hit.details["expiry"]) == (
        facility.pk, f"staff:{member.pk}", "2026-03-01"
    )


def test_certificate_valid_through_its_expiry_day_raises_nothing(facility):
    StaffMemberFactory(facility=facility, health_certificate_expiry=AS_OF)
    assert hits("MON-002") == []


def test_certificate_rule_ignores_staff_who_have_left(facility):
    StaffMemberFactory(facility=facility, health_certificate_expiry=dt.date(2025, 1, 1),
                       end_date=AS_OF)
    assert hits("MON-002") == []


def test_certificate_rule_cites_the_management_norms(db):
    assert any("第二十八条" in s for s in RULES_BY_CODE["MON-002"].sources(AS_OF))


# --- MON-003 annual reports -------------------------------------------------------------------------


def test_annual_report_rule_raises_for_facilities_the_reports_module_lists(facility, monkeypatch):
    calls = []

    def missing(facility_ids=None, *, year, as_of):
        calls.append((facility_ids, year, as_of))
        return {facility.pk} if year == AS_OF.year - 1 else set()

    monkeypatch.setattr(rules, "annual_report_missing", missing)
    [hit] = hits("MON-003")
    assert (hit.facility_id, hit.subject_key, hit.details) == (facility.pk, "year:2025", {"year": 2025})
    assert calls == [(None, 2024, AS_OF), (None, 2025, AS_OF)]


def test_annual_report_rule_is_quiet_when_nothing_is_missing(facility, monkeypatch):
    monkeypatch.setattr(rules, "annual_report_missing", annual_report_missing)
    # Opened in 2026: no report is owed yet for 2024 or 2025 (the fixture's stub would
    # make this test pass whatever the rule did).
    facility.opening_date = dt.date(2026, 1, 5)
    facility.save(update_fields=["opening_date"])
    assert hits("MON-003") == []


# --- MON-004 overdue rectifications --------------------------------------------------------------------


@pytest.fixture
def order(hana, otto):
    # Issued Fri 13 Feb 2026 with 20 working days: due Thu 19 Mar 2026 (tests/supervision).
    order = closed_with_findings(make_team(hana, otto), today=dt.date(2026, 2, 13)).rectification
    assert order.deadline == dt.date(2026, 3, 19)
    return order


def test_rectification_rule_raises_for_an_order_past_its_deadline(order):
    [hit] = hits("MON-004", order.deadline + dt.timedelta(days=3))
    assert (hit.facility_id, hit.subject_key) == (order.facility_id, f"order:{order.pk}")
    assert hit.details["deadline"] == order.deadline.isoformat() and hit.details["working_days_late"] >= 1


def test_rectification_rule_is_quiet_on_the_deadline_day(order):
    assert hits("MON-004", order.deadline) == []


def test_rectification_rule_ignores_an_order_the_facility_answered(order, otto):
    from tuoyu.supervision.rectification import rectification_respond

    rectification_respond(actor=otto, order=order, text="已整改")
    assert hits("MON-004", order.deadline + dt.timedelta(days=3)) == []


# --- MON-005 complaint burst --------------------------------------------------------------------------


def test_complaint_rule_raises_at_three_complaints_in_thirty_days(facility):
    for days_ago in (0, 10, 29):
        complaint(facility, received_on=AS_OF - dt.timedelta(days=days_ago))
    [hit] = hits("MON-005")
    assert (hit.facility_id, hit.subject_key, hit.details["complaints"]) == (facility.pk, "", 3)


def test_complaint_rule_is_quiet_when_one_falls_outside_the_window(facility):
    for days_ago in (0, 10, 30):
        complaint(facility, received_on=AS_OF - dt.timedelta(days=days_ago))
    assert hits("MON-005") == []


def test_complaint_rule_does_not_count_rejected_or_duplicate_complaints(facility):
    first = complaint(facility, received_on=AS_OF)
    complaint(facility, received_on=AS_OF, status="rejected")
    complaint(facility, received_on=AS_OF, duplicate_of=first)
    complaint(facility, received_on=AS_OF)
    assert hits("MON-005") == []


def test_complaint_thresholds_come_from_the_settings(facility, settings):
    settings.TUOYU_ALERT_COMPLAINT_BURST_COUNT = 2
    settings.TUOYU_ALERT_COMPLAINT_BURST_DAYS = 7
    complaint(facility, received_on=AS_OF)
    complaint(facility, received_on=AS_OF - dt.timedelta(days=6))
    [hit] = hits("MON-005")
    assert (hit.details["threshold"], hit.details["days"]) == (2, 7)


def test_annual_report_rule_uses_the_annual_reports_missing_list(facility, monkeypatch):
    monkeypatch.setattr(rules, "annual_report_missing", annual_report_missing)
    # Opened 1 Sep 2024, no report ever submitted; 15 April 2026 is after both deadlines.
    found = {h.subject_key for h in hits("MON-003", dt.date(2026, 4, 15)) if h.facility_id == facility.pk}
    assert found == {"year:2024", "year:2025"}
