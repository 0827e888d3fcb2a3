"""Yearly re-assessment of named units: reports, rules DES-R01 … R04, withdrawal (撤销)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction

from tests.designation.reassessment_support import named_unit, safety_complaint, safety_inspection
from tuoyu.audit.models import AuditEvent
from tuoyu.core.dates import local_today
from tuoyu.core.errors import DomainError
from tuoyu.designation import reassessment as svc
from tuoyu.designation.models import DesignationReport, DesignationWithdrawal, Reassessment
from tuoyu.facilities.models import Enrolment

pytestmark = pytest.mark.django_db

#: A day after the 2025 report deadline (31 March 2026), local time.
AFTER_DEADLINE = "2026-06-01 12:00 +0800"
BEFORE_DEADLINE = "2026-02-01 12:00 +0800"


@pytest.fixture
def unit(alice, campaign):
    """alice's named unit: 4 of 5 children are own-staff children (80 %)."""
    return named_unit(alice, campaign)


def _finding(row: Reassessment, code: str) -> dict:
    return next(f for f in row.findings if f["rule_code"] == code)


def _reassess(unit, year=None, **kw) -> Reassessment:
    return svc.designation_reassess(actor=None, designation=unit,
                                    year=year or local_today().year, **kw)


# --------------------------------------------------------------------------- report


def test_a_second_report_for_the_same_year_is_refused(alice, unit):
    year = local_today().year
    svc.report_file(actor=alice, designation=unit, year=year, narrative="运行良好")
    with pytest.raises(DomainError) as exc:
        svc.report_file(actor=alice, designation=unit, year=year, narrative="再次报送")
    assert exc.value.code == "DES-071"
    assert DesignationReport.objects.filter(designation=unit, year=year).count() == 1


def test_the_database_refuses_two_reports_for_one_designation_and_year(alice, unit):
    year = local_today().year
    svc.report_file(actor=alice, designation=unit, year=year)
    with pytest.raises(IntegrityError), transaction.atomic():
        DesignationReport.objects.create(designation=unit, year=year, enrolled=1,
                                         own_staff_children=1)


def test_prefill_equals_the_registry(unit):
    facility = unit.application.facility
    prefill = svc.report_prefill(unit, year=local_today().year)
    assert prefill["enrolled"] == Enrolment.objects.filter(facility=facility).count() == 5
    assert prefill["own_staff_children"] == Enrolment.objects.filter(
        facility=facility, employee_child=True).count() == 4
    assert prefill["enrolment_source"] == "records"
    assert prefill["filing_status"] == facility.filing_status
    assert str(prefill["highest_monthly_fee"]) == "1800.00"


def test_a_report_without_figures_takes_them_from_the_registry(alice, unit):
    report = svc.report_file(actor=alice, designation=unit, year=local_today().year)
    assert (report.enrolled, report.own_staff_children, report.enrolment_source) == (5, 4, "records")


def test_changed_figures_are_recorded_as_declared(alice, unit):
    report = svc.report_file(actor=alice, designation=unit, year=local_today().year,
                             enrolled=6, own_staff_children=5)
    assert report.enrolment_source == "declared"


def test_an_incident_without_description_is_refused(alice, unit):
    with pytest.raises(DomainError) as exc:
        svc.report_file(actor=alice, designation=unit, year=local_today().year,
                        safety_incident=True, safety_incident_description=" ")
    assert (exc.value.code, exc.value.field) == ("GEN-004", "safety_incident_description")
    assert not DesignationReport.objects.exists()


def test_another_employer_cannot_file_the_report(bob, unit):
    with pytest.raises(DomainError) as exc:
        svc.report_file(actor=bob, designation=unit, year=local_today().year)
    assert exc.value.code == "DES-075"


def test_a_report_for_a_year_before_naming_is_refused(alice, unit):
    with pytest.raises(DomainError) as exc:
        svc.report_file(actor=alice, designation=unit, year=local_today().year - 1)
    assert exc.value.code == "DES-070"


# --------------------------------------------------------------------------- rules


def test_r01_flags_a_cancelled_filing(unit):
    facility = unit.application.facility
    facility.filing_status = "cancelled"
    facility.save(update_fields=["filing_status"])
    row = _reassess(unit)
    assert _finding(row, "DES-R01")["severity"] == "block"
    assert row.flagged


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_r01_flags_a_suspended_or_revoked_filing(unit, status):
    facility = unit.application.facility
    facility.filing_status = status
    facility.save(update_fields=["filing_status"])
    row = _reassess(unit)
    assert (_finding(row, "DES-R01")["severity"], row.flagged) == ("block", True)


def test_prefill_says_a_suspended_facility_is_not_operating(unit):
    facility = unit.application.facility
    facility.filing_status = "suspended"
    facility.save(update_fields=["filing_status"])
    assert svc.report_prefill(unit, year=local_today().year)["still_operating"] is False


def test_r01_flags_a_facility_reported_closed(alice, unit):
    svc.report_file(actor=alice, designation=unit, year=local_today().year, still_operating=False)
    row = Reassessment.objects.get(designation=unit)
    assert _finding(row, "DES-R01")["severity"] == "block"


def test_r01_passes_an_operating_filed_facility(unit):
    assert _finding(_reassess(unit), "DES-R01")["severity"] == "pass"


def test_r02_flags_a_share_at_the_threshold(alice, campaign):
    unit = named_unit(alice, campaign, own=3, others=2)  # 60 % is not above 60 %
    row = _reassess(unit)
    assert _finding(row, "DES-R02")["severity"] == "block"
    assert Decimal(_finding(row, "DES-R02")["detail"]["threshold"]) == Decimal("60")


def test_r02_passes_a_share_above_the_threshold(unit):
    assert _finding(_reassess(unit), "DES-R02")["severity"] == "pass"


def test_r02_uses_the_campaign_threshold(alice, acftu, campaign):
    from tuoyu.designation import services

    services.campaign_update(actor=acftu, campaign=campaign, min_own_staff_share_pct="85")
    unit = named_unit(alice, campaign)  # 80 %
    assert _finding(_reassess(unit), "DES-R02")["severity"] == "block"


def test_r03_flags_a_reported_incident(alice, unit):
    svc.report_file(actor=alice, designation=unit, year=local_today().year, safety_incident=True,
                    safety_incident_description="一名幼儿摔伤送医")
    row = Reassessment.objects.get(designation=unit)
    assert _finding(row, "DES-R03")["severity"] == "block"


def test_r03_flags_a_substantiated_safety_complaint(unit):
    safety_complaint(unit.application.facility, received_on=local_today())
    assert _finding(_reassess(unit), "DES-R03")["severity"] == "block"


def test_r03_ignores_an_unsubstantiated_or_other_category_complaint(unit):
    facility = unit.application.facility
    safety_complaint(facility, received_on=local_today(), substantiated=False)
    safety_complaint(facility, received_on=local_today(), category="fees")
    assert _finding(_reassess(unit), "DES-R03")["severity"] == "pass"


def test_r03_flags_a_safety_item_not_met_in_an_inspection(hana, unit):
    safety_inspection(unit.application.facility, officer=hana, closed_on=local_today())
    assert _finding(_reassess(unit), "DES-R03")["severity"] == "block"


def test_r03_ignores_a_met_safety_item_and_a_rule_item_not_met(hana, unit):
    facility = unit.application.facility
    safety_inspection(facility, officer=hana, closed_on=local_today(), result="met")
    safety_inspection(facility, officer=hana, closed_on=local_today(), source="rule")
    assert _finding(_reassess(unit), "DES-R03")["severity"] == "pass"


def test_r04_flags_a_report_missing_after_the_deadline(alice, campaign):
    unit = named_unit(alice, campaign, named_on=dt.date(2025, 5, 1))
    row = _reassess(unit, year=2025, as_of=dt.date(2026, 4, 1))
    assert _finding(row, "DES-R04")["severity"] == "block"


def test_r04_does_not_flag_a_missing_report_on_the_deadline(alice, campaign):
    unit = named_unit(alice, campaign, named_on=dt.date(2025, 5, 1))
    row = _reassess(unit, year=2025, as_of=dt.date(2026, 3, 31))
    assert _finding(row, "DES-R04")["severity"] == "pass"


def test_r04_flags_a_late_report(alice, campaign):
    unit = named_unit(alice, campaign, named_on=dt.date(2025, 5, 1))
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        svc.report_file(actor=alice, designation=unit, year=2025)
    row = Reassessment.objects.get(designation=unit, year=2025)
    assert _finding(row, "DES-R04")["severity"] == "block"


def test_r04_passes_a_report_filed_in_time(alice, campaign):
    unit = named_unit(alice, campaign, named_on=dt.date(2025, 5, 1))
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        svc.report_file(actor=alice, designation=unit, year=2025)
    row = Reassessment.objects.get(designation=unit, year=2025)
    assert _finding(row, "DES-R04")["severity"] == "pass"


def test_the_deadline_is_a_setting(settings):
    settings.DESIGNATION_REPORT_DEADLINE = "01-15"
    assert svc.report_deadline(2025) == dt.date(2026, 1, 15)


def test_a_run_replaces_the_stored_result(unit):
    _reassess(unit)
    facility = unit.application.facility
    facility.filing_status = "cancelled"
    facility.save(update_fields=["filing_status"])
    _reassess(unit)
    assert Reassessment.objects.get(designation=unit).flagged


# --------------------------------------------------------------------------- withdrawal


def test_withdrawal_needs_a_reason(acftu, unit):
    with pytest.raises(DomainError) as exc:
        svc.designation_withdraw(actor=acftu, designation=unit, reason="   ")
    assert exc.value.code == "DES-073"
    assert not DesignationWithdrawal.objects.exists()


def test_withdrawal_records_who_when_why_and_the_flagged_codes(acftu, unit):
    facility = unit.application.facility
    facility.filing_status = "cancelled"
    facility.save(update_fields=["filing_status"])
    _reassess(unit)
    withdrawal = svc.designation_withdraw(actor=acftu, designation=unit, reason="托育机构已注销备案")
    assert (withdrawal.withdrawn_by, withdrawal.withdrawn_on, withdrawal.rule_codes) == (
        acftu, local_today(), ["DES-R01"])


def test_withdrawal_is_audited(acftu, unit):
    svc.designation_withdraw(actor=acftu, designation=unit, reason="托育机构已停止运营")
    event = AuditEvent.objects.get(action="designation.designation.withdraw")
    assert (event.actor, event.object_id, event.after["reason"]) == (
        acftu, str(unit.pk), "托育机构已停止运营")


def test_withdrawn_unit_shows_on_the_yearly_list_with_date_and_reason(client, acftu, unit):
    svc.designation_withdraw(actor=acftu, designation=unit, reason="托育机构已停止运营")
    page = client.get(f"/designation/named/{unit.year}/").content.decode()
    assert "托育机构已停止运营" in page
    assert f"已于 {local_today():%Y-%m-%d} 撤销命名" in page


def test_certificate_of_a_withdrawn_unit_says_so(client, acftu, unit):
    svc.designation_withdraw(actor=acftu, designation=unit, reason="托育机构已停止运营")
    page = client.get(f"/designation/certificates/{unit.certificate_number}/").content.decode()
    assert "本证书不再有效" in page


def test_active_unit_is_listed_as_valid(client, unit):
    page = client.get(f"/designation/named/{unit.year}/").content.decode()
    assert "撤销" not in page


@pytest.mark.parametrize("persona", ["shunion", "una", "alice"])
def test_only_national_officers_may_withdraw(request, persona, unit):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError) as exc:
        svc.designation_withdraw(actor=user, designation=unit, reason="不符合条件")
    assert exc.value.code == "DES-074"
    assert not DesignationWithdrawal.objects.exists()


def test_withdrawing_twice_is_refused(acftu, unit):
    svc.designation_withdraw(actor=acftu, designation=unit, reason="托育机构已停止运营")
    with pytest.raises(DomainError) as exc:
        svc.designation_withdraw(actor=acftu, designation=unit, reason="再次撤销")
    assert (exc.value.code, exc.value.params["date"]) == ("DES-072", local_today().isoformat())
    assert DesignationWithdrawal.objects.get().reason == "托育机构已停止运营"


def test_a_withdrawn_unit_files_no_report_and_is_not_reassessed(alice, acftu, unit):
    svc.designation_withdraw(actor=acftu, designation=unit, reason="托育机构已停止运营")
    with pytest.raises(DomainError) as exc:
        svc.report_file(actor=alice, designation=unit, year=local_today().year)
    assert exc.value.code == "DES-072"
    assert svc.reassess_year(actor=None, year=local_today().year) == []
