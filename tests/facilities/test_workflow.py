"""The filing workflow (备案): every transition allowed and refused, deadlines, receipts, conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.facilities.conftest import make_facility
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.facilities import services
from tuoyu.facilities.models import Facility, FilingEvent
from tuoyu.facilities.workflow import FILING_WORKFLOW, FilingStatus
from tuoyu.standards.checks import Finding

pytestmark = pytest.mark.django_db

S = FilingStatus


def FakeFinding(rule_code, severity):  # noqa: N802 - reads like the class it builds
    """A finding as the standards check returns it, for a rule chosen by the test."""
    return Finding(rule_code=rule_code, severity=severity, message="问题", title="规则",
                   source_document="托育机构设置标准（试行）", source_article="Art. 19",
                   certainty="V", subject="机构")


def _at(facility, status):
    Facility.objects.filter(pk=facility.pk).update(filing_status=status)
    facility.refresh_from_db()
    return facility


@pytest.fixture
def clean_check(monkeypatch):
    """The compliance check finds nothing (the rules themselves are tested in standards)."""
    monkeypatch.setattr(services.filing, "facility_check", lambda facility, *, as_of: [])


# ---------------------------------------------------------------- submit


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))
def test_submit_moves_draft_to_submitted_with_five_working_day_deadline(alice, haidian_facility, clean_check):
    services.filing_submit(actor=alice, facility=haidian_facility)
    event = FilingEvent.objects.get(facility=haidian_facility)
    assert (haidian_facility.filing_status, event.deadline, event.deadline_provisional) == (
        S.SUBMITTED, dt.date(2026, 3, 9), False)


@time_machine.travel(dt.datetime(2026, 2, 12, 10, 0, tzinfo=dt.UTC))
def test_submit_deadline_skips_the_spring_festival(alice, haidian_facility, clean_check):
    # From Thu 12 Feb 2026: 13 Feb, Sat 14 Feb (调休上班), then 春节 15–23 Feb off, 24, 25, 26.
    services.filing_submit(actor=alice, facility=haidian_facility)
    event = FilingEvent.objects.get(facility=haidian_facility)
    assert event.deadline == dt.date(2026, 2, 26)


@time_machine.travel(dt.datetime(2026, 12, 29, 10, 0, tzinfo=dt.UTC))
def test_submit_deadline_is_provisional_in_an_unknown_year(alice, haidian_facility, clean_check):
    services.filing_submit(actor=alice, facility=haidian_facility)
    event = FilingEvent.objects.get(facility=haidian_facility)
    assert event.deadline_provisional is True


def test_submit_from_returned_is_allowed(alice, haidian_facility, clean_check):
    _at(haidian_facility, S.RETURNED)
    services.filing_submit(actor=alice, facility=haidian_facility)
    assert haidian_facility.filing_status == S.SUBMITTED


@pytest.mark.parametrize("status", [S.SUBMITTED, S.FILED, S.CHANGE_SUBMITTED, S.CANCELLED])
def test_submit_is_refused_from_other_statuses(alice, haidian_facility, clean_check, status):
    _at(haidian_facility, status)
    with pytest.raises(DomainError) as exc:
        services.filing_submit(actor=alice, facility=haidian_facility)
    assert exc.value.code == "GEN-005"


@pytest.mark.parametrize("persona", ["bob", "hana", "bjhealth", "una", "root"])
def test_submit_is_refused_to_others(request, haidian_facility, clean_check, persona):
    with pytest.raises(DomainError) as exc:
        services.filing_submit(actor=request.getfixturevalue(persona), facility=haidian_facility)
    assert exc.value.code == "GEN-002"


def test_blocking_findings_stop_submission_with_rule_codes(alice, haidian_facility, monkeypatch):
    findings = [FakeFinding("STD-CAP-INFANT", "block"), FakeFinding("STD-RATIO-TODDLER", "block"),
                FakeFinding("STD-DOC-FIRE", "warn")]
    monkeypatch.setattr(services.filing, "facility_check", lambda facility, *, as_of: findings)
    with pytest.raises(DomainError) as exc:
        services.filing_submit(actor=alice, facility=haidian_facility)
    err = exc.value
    assert err.code == "FIL-001"
    assert "STD-CAP-INFANT" in err.message and "STD-RATIO-TODDLER" in err.message
    assert [f["rule_code"] for f in err.details["findings"]] == [
        "STD-CAP-INFANT", "STD-RATIO-TODDLER", "STD-DOC-FIRE"]


def test_blocked_submission_leaves_the_facility_in_draft(alice, haidian_facility, monkeypatch):
    monkeypatch.setattr(services.filing, "facility_check",
                        lambda facility, *, as_of: [FakeFinding("STD-CAP-INFANT", "block")])
    with pytest.raises(DomainError):
        services.filing_submit(actor=alice, facility=haidian_facility)
    haidian_facility.refresh_from_db()
    assert (haidian_facility.filing_status, FilingEvent.objects.count()) == (S.DRAFT, 0)


def test_warnings_alone_do_not_stop_submission(alice, haidian_facility, monkeypatch):
    monkeypatch.setattr(services.filing, "facility_check",
                        lambda facility, *, as_of: [FakeFinding("STD-DOC-FIRE", "warn")])
    services.filing_submit(actor=alice, facility=haidian_facility)
    assert haidian_facility.filing_status == S.SUBMITTED


# ---------------------------------------------------------------- file / return


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))
def test_file_issues_a_receipt_number(hana, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    services.filing_file(actor=hana, facility=haidian_facility)
    haidian_facility.refresh_from_db()
    assert (haidian_facility.filing_status, haidian_facility.receipt_number,
            haidian_facility.filed_on) == (S.FILED, "备110108202600001", dt.date(2026, 3, 2))


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))
def test_receipt_numbers_are_unique_and_sequential_per_county(hana, alice):
    numbers = []
    for i in range(3):
        f = _at(make_facility(alice, name=f"机构{i}"), S.SUBMITTED)
        services.filing_file(actor=hana, facility=f)
        numbers.append(f.receipt_number)
    assert numbers == ["备110108202600001", "备110108202600002", "备110108202600003"]


def test_file_is_recorded_as_event_and_audit(hana, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    services.filing_file(actor=hana, facility=haidian_facility)
    event = FilingEvent.objects.get(facility=haidian_facility)
    audit = AuditEvent.objects.get(action="facility.filing.file")
    assert (event.actor, event.receipt_number, audit.actor, audit.role) == (
        hana, haidian_facility.receipt_number, hana, "health_officer")


@pytest.mark.parametrize("persona", ["chen", "pudong", "bjhealth", "una", "dora", "root", "alice"])
def test_file_is_refused_to_all_but_the_county_health_officer(request, haidian_facility, persona):
    _at(haidian_facility, S.SUBMITTED)
    with pytest.raises(DomainError) as exc:
        services.filing_file(actor=request.getfixturevalue(persona), facility=haidian_facility)
    assert exc.value.code == "GEN-002"


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.FILED, S.CHANGE_SUBMITTED, S.CANCELLED])
def test_file_is_refused_from_other_statuses(hana, haidian_facility, status):
    _at(haidian_facility, status)
    with pytest.raises(DomainError) as exc:
        services.filing_file(actor=hana, facility=haidian_facility)
    assert exc.value.code == "GEN-005"


def test_return_records_the_reason(hana, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    services.filing_return(actor=hana, facility=haidian_facility, reason="缺少消防证明")
    event = FilingEvent.objects.get(facility=haidian_facility)
    assert (haidian_facility.filing_status, event.reason) == (S.RETURNED, "缺少消防证明")


def test_return_requires_a_reason(hana, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    with pytest.raises(DomainError) as exc:
        services.filing_return(actor=hana, facility=haidian_facility, reason="  ")
    assert exc.value.code == "FIL-002"


def test_return_is_refused_to_another_county(chen, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    with pytest.raises(DomainError) as exc:
        services.filing_return(actor=chen, facility=haidian_facility, reason="x")
    assert exc.value.code == "GEN-002"


# ---------------------------------------------------------------- change filing


def test_submit_change_from_filed(alice, haidian_facility, clean_check):
    _at(haidian_facility, S.FILED)
    services.filing_submit_change(actor=alice, facility=haidian_facility, reason="新增托大班")
    event = FilingEvent.objects.get(facility=haidian_facility)
    assert (haidian_facility.filing_status, event.deadline is not None) == (S.CHANGE_SUBMITTED, True)


def test_submit_change_is_checked_too(alice, haidian_facility, monkeypatch):
    _at(haidian_facility, S.FILED)
    monkeypatch.setattr(services.filing, "facility_check",
                        lambda facility, *, as_of: [FakeFinding("STD-CAP-MIXED", "block")])
    with pytest.raises(DomainError) as exc:
        services.filing_submit_change(actor=alice, facility=haidian_facility)
    assert exc.value.code == "FIL-001"


def test_file_change_keeps_the_receipt_number(hana, haidian_facility):
    Facility.objects.filter(pk=haidian_facility.pk).update(
        filing_status=S.CHANGE_SUBMITTED, receipt_number="备110108202500007")
    haidian_facility.refresh_from_db()
    services.filing_file_change(actor=hana, facility=haidian_facility)
    haidian_facility.refresh_from_db()
    assert (haidian_facility.filing_status, haidian_facility.receipt_number) == (
        S.FILED, "备110108202500007")


def test_return_change_goes_back_to_filed(hana, haidian_facility):
    _at(haidian_facility, S.CHANGE_SUBMITTED)
    services.filing_return_change(actor=hana, facility=haidian_facility, reason="材料不全")
    assert haidian_facility.filing_status == S.FILED


def test_file_change_is_refused_to_the_employer(alice, haidian_facility):
    _at(haidian_facility, S.CHANGE_SUBMITTED)
    with pytest.raises(DomainError) as exc:
        services.filing_file_change(actor=alice, facility=haidian_facility)
    assert exc.value.code == "GEN-002"


# ---------------------------------------------------------------- cancel


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.FILED])
def test_cancel_is_allowed_from(alice, haidian_facility, status):
    _at(haidian_facility, status)
    services.filing_cancel(actor=alice, facility=haidian_facility, reason="停止服务")
    assert haidian_facility.filing_status == S.CANCELLED


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHANGE_SUBMITTED, S.CANCELLED])
def test_cancel_is_refused_from(alice, haidian_facility, status):
    _at(haidian_facility, status)
    with pytest.raises(DomainError) as exc:
        services.filing_cancel(actor=alice, facility=haidian_facility, reason="停止服务")
    assert exc.value.code == "GEN-005"


def test_cancel_requires_a_reason(alice, haidian_facility):
    with pytest.raises(DomainError) as exc:
        services.filing_cancel(actor=alice, facility=haidian_facility, reason="")
    assert exc.value.code == "FIL-002"


def test_cancel_is_refused_to_the_health_officer(hana, haidian_facility):
    with pytest.raises(DomainError) as exc:
        services.filing_cancel(actor=hana, facility=haidian_facility, reason="x")
    assert exc.value.code == "GEN-002"


def test_cancelled_facility_cannot_be_edited(alice, haidian_facility):
    _at(haidian_facility, S.CANCELLED)
    with pytest.raises(DomainError) as exc:
        services.facility_update(actor=alice, facility=haidian_facility, name="x")
    assert exc.value.code == "FIL-003"


# ---------------------------------------------------------------- concurrency


def test_second_officer_acting_on_a_stale_copy_gets_a_conflict(hana, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    first = Facility.objects.get(pk=haidian_facility.pk)
    second = Facility.objects.get(pk=haidian_facility.pk)
    services.filing_file(actor=hana, facility=first)
    with pytest.raises(DomainError) as exc:
        services.filing_return(actor=hana, facility=second, reason="x")
    assert exc.value.code == "GEN-003"


def test_stale_version_gets_a_conflict_even_with_the_same_status(alice, haidian_facility, clean_check):
    services.facility_update(actor=alice, facility=haidian_facility, name="改名")
    with pytest.raises(DomainError) as exc:
        services.filing_submit(actor=alice, facility=haidian_facility, expected_version=0)
    assert exc.value.code == "GEN-003"


def test_exactly_one_of_two_decisions_is_recorded(hana, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    first = Facility.objects.get(pk=haidian_facility.pk)
    second = Facility.objects.get(pk=haidian_facility.pk)
    services.filing_file(actor=hana, facility=first)
    with pytest.raises(DomainError):
        services.filing_file(actor=hana, facility=second)
    assert FilingEvent.objects.filter(facility=haidian_facility).count() == 1


# ---------------------------------------------------------------- table and recompute


def test_every_status_is_reachable_in_the_table():
    assert FILING_WORKFLOW.statuses() == set(FilingStatus.values)


def test_loading_a_calendar_year_recomputes_provisional_deadlines(
    alice, haidian_facility, clean_check, root, django_capture_on_commit_callbacks
):
    from tuoyu.reference.calendar import calendar_year_load

    with time_machine.travel(dt.datetime(2026, 12, 29, 10, 0, tzinfo=dt.UTC)):
        services.filing_submit(actor=alice, facility=haidian_facility)
    event = FilingEvent.objects.get(facility=haidian_facility)
    assert event.deadline_provisional
    # 2027: suppose 1 Jan (Fri) is a holiday: the deadline moves one working day later.
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=root, year=2027, holidays=[dt.date(2027, 1, 1)], workdays=[])
    event.refresh_from_db()
    assert (event.deadline, event.deadline_provisional) == (dt.date(2027, 1, 6), False)
