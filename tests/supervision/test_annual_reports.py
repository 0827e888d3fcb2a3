"""Annual reports (年报): prefill, uniqueness, workflow, lateness, missing list, checks, reminders."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tests.conftest import org_of
from tests.factories import (
    EnrolmentFactory,
    FacilityClassFactory,
    FacilityFactory,
    StaffMemberFactory,
)
from tests.supervision.annual_report_support import (
    DEADLINE,
    TODAY,
    at,
    complete_figures,
    place,
    submitted,
)
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.facilities.models import ClassPlacement, FacilityService
from tuoyu.supervision.annual_report_checks import MONTHS, annual_report_findings
from tuoyu.supervision.annual_report_selectors import annual_report_missing, annual_report_overview
from tuoyu.supervision.annual_report_workflow import AnnualReportStatus
from tuoyu.supervision.annual_reports import (
    annual_report_accept,
    annual_report_create,
    annual_report_return,
    annual_report_save,
    annual_report_submit,
    annual_reports_remind,
)
from tuoyu.supervision.models import AnnualReport, AnnualReportEvent, AnnualReportReminder
from tuoyu.supervision.tasks import remind_annual_reports


@pytest.fixture
def facility(otto):
    return FacilityFactory(operator=org_of(otto), filing_status="filed", filed_on=dt.date(2024, 9, 1))


# --- prefill ---------------------------------------------------------------------------------


def test_enrolment_prefill_counts_children_placed_on_each_months_last_day(facility, otto):
    infant = FacilityClassFactory(facility=facility, class_type="infant", capacity=10, name="乳儿班")
    toddler = FacilityClassFactory(facility=facility, class_type="toddler", capacity=15, name="托小班")
    # All year in the toddler class.
    place(facility, toddler, enrolled_on=dt.date(2024, 9, 1), start=dt.date(2024, 9, 1))
    # Infant class from 31 March (counted in March), moved to toddler on 1 July.
    child = place(facility, infant, enrolled_on=dt.date(2025, 3, 31), start=dt.date(2025, 3, 31),
                  end=dt.date(2025, 7, 1)).enrolment
    ClassPlacement.objects.create(enrolment=child, facility_class=toddler, start=dt.date(2025, 7, 1))
    # Left on 30 April: not enrolled on 30 April, counted January to March.
    place(facility, infant, enrolled_on=dt.date(2025, 1, 1), start=dt.date(2025, 1, 1), left_on=dt.date(2025, 4, 30))
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    cells = {(c.class_type, c.month): c.children for c in report.enrolment.all()}
    assert [cells[("infant", m)] for m in MONTHS] == [1, 1, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert [cells[("toddler", m)] for m in MONTHS] == [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    assert all(cells[("older", m)] == 0 and cells[("mixed", m)] == 0 for m in MONTHS)


def test_enrolment_prefill_counts_a_child_in_no_class_under_the_class_type_of_its_age(facility, otto):
    # Born 1 June 2024: 7–11 months at the ends of January to May (infant), 12 months from 1 June.
    EnrolmentFactory(facility=facility, enrolled_on=dt.date(2025, 1, 1), birth_date=dt.date(2024, 6, 1))
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    cells = {(c.class_type, c.month): c.children for c in report.enrolment.all()}
    assert [cells[("infant", m)] for m in MONTHS] == [1] * 5 + [0] * 7
    assert [cells[("toddler", m)] for m in MONTHS] == [0] * 5 + [1] * 7


def test_enrolment_prefill_does_not_count_children_enrolled_after_the_year(facility, otto):
    toddler = FacilityClassFactory(facility=facility, class_type="toddler", capacity=15, name="托小班")
    place(facility, toddler, enrolled_on=dt.date(2026, 1, 5), start=dt.date(2026, 1, 5))
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    assert sum(c.children for c in report.enrolment.all()) == 0


def test_staff_prefill_counts_staff_in_post_on_31_december(facility, otto):
    StaffMemberFactory(facility=facility, role="carer", trained=True, health_certificate_expiry=dt.date(2026, 6, 1))
    StaffMemberFactory(facility=facility, role="carer", trained=False, health_certificate_expiry=dt.date(2025, 12, 30))
    StaffMemberFactory(facility=facility, role="health_worker", trained=True, health_certificate_expiry=dt.date(2025, 12, 31))
    StaffMemberFactory(facility=facility, role="carer", end_date=dt.date(2025, 12, 31))  # left on the day
    StaffMemberFactory(facility=facility, role="carer", start_date=dt.date(2026, 1, 2))  # not yet in post
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    staff = {s.role: (s.count, s.trained, s.health_certificate_valid) for s in report.staff.all()}
    assert staff["carer"] == (2, 1, 1)
    assert staff["health_worker"] == (1, 1, 1)
    assert staff["director"] == (0, 0, 0)


def test_fees_and_complaints_are_prefilled(facility, otto):
    from tuoyu.complaints.models import Complaint

    FacilityService.objects.create(facility=facility, service_type="full_day", monthly_fee=Decimal("2800.00"))
    base = {"target": "facility", "facility": facility, "division": facility.division, "office": "health",
            "category": "safety", "description": "午睡无人看护"}
    Complaint.objects.create(tracking_code="AAAA2222BBBB", status="accepted", received_on=dt.date(2025, 5, 6),
                             text_key="a", **base)
    Complaint.objects.create(tracking_code="AAAA2222CCCC", status="rejected", received_on=dt.date(2025, 5, 7),
                             text_key="b", **base)
    Complaint.objects.create(tracking_code="AAAA2222DDDD", status="closed", received_on=dt.date(2024, 12, 30),
                             text_key="c", **base)
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    assert {f.service_type: f.monthly_fee for f in report.fees.all()} == {"full_day": Decimal("2800.00")}
    assert report.complaints_count == 1


def test_deadline_is_31_march_of_the_next_year_by_default(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    assert report.deadline == DEADLINE


def test_deadline_comes_from_the_setting(facility, otto, settings):
    settings.TUOYU_ANNUAL_REPORT_DEADLINE = "04-30"
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    assert report.deadline == dt.date(2026, 4, 30)


# --- creation rules -------------------------------------------------------------------------


def test_second_report_for_the_same_facility_and_year_is_refused(facility, otto):
    annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    with pytest.raises(DomainError) as raised:
        annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    assert raised.value.code == "SUP-050"


def test_database_allows_one_report_per_facility_and_year(facility):
    AnnualReport.objects.create(facility=facility, year=2025, deadline=DEADLINE)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(facility=facility, year=2025, deadline=DEADLINE)


def test_report_for_a_year_not_ended_is_refused(facility, otto):
    with pytest.raises(DomainError) as raised:
        annual_report_create(actor=otto, facility=facility, year=2026, today=TODAY)
    assert raised.value.code == "SUP-052"


def test_report_for_a_year_before_2000_is_refused_with_the_same_rule(facility, otto):
    with pytest.raises(DomainError) as raised:
        annual_report_create(actor=otto, facility=facility, year=1999, today=TODAY)
    assert raised.value.code == "SUP-052" and "2000" in raised.value.message and "2025" in raised.value.message


def test_draft_facility_has_no_report(otto):
    draft = FacilityFactory(operator=org_of(otto), filing_status="draft")
    with pytest.raises(DomainError) as raised:
        annual_report_create(actor=otto, facility=draft, year=2025, today=TODAY)
    assert raised.value.code == "SUP-051"


def test_another_organisation_cannot_create_the_report(facility, alice):
    with pytest.raises(DomainError) as raised:
        annual_report_create(actor=alice, facility=facility, year=2025, today=TODAY)
    assert raised.value.code == "GEN-002"


# --- saving and submitting ---------------------------------------------------------------------


def test_money_is_kept_as_decimal_rounded_half_up_to_the_fen(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    annual_report_save(actor=otto, report=report, figures={"income": "100.005", "spending": "0.10"})
    report.refresh_from_db()
    assert (report.income, report.spending) == (Decimal("100.01"), Decimal("0.10"))


def test_trained_above_the_count_is_refused(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    with pytest.raises(DomainError) as raised:
        annual_report_save(actor=otto, report=report, figures={"staff": {"carer": {"count": 1, "trained": 2}}})
    assert raised.value.code == "SUP-056"


def test_submission_with_missing_figures_is_refused_and_names_them(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    with pytest.raises(DomainError) as raised:
        annual_report_submit(actor=otto, report=report, now=at(TODAY))
    assert raised.value.code == "SUP-053"
    assert set(raised.value.details["missing"]) == {"安全事故（件）", "收入（元）", "支出（元）"}
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.DRAFT


def test_incidents_need_a_short_description(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    annual_report_save(actor=otto, report=report, figures=complete_figures(report, incidents_count=2))
    with pytest.raises(DomainError) as raised:
        annual_report_submit(actor=otto, report=report, now=at(TODAY))
    assert raised.value.details["missing"] == ["事故简要情况"]


def test_submission_on_the_deadline_is_in_time(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    report = submitted(report, otto, on=DEADLINE)
    assert report.status == AnnualReportStatus.SUBMITTED
    assert (report.first_submitted_on, report.late) == (DEADLINE, False)


def test_submission_after_the_deadline_is_marked_late(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    report = submitted(report, otto, on=DEADLINE + dt.timedelta(days=1))
    assert report.late is True


def test_resubmission_after_a_return_keeps_the_first_date(facility, otto, hana):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    annual_report_return(actor=hana, report=report, reason="收入与支出请核对")
    report = annual_report_submit(actor=otto, report=report, now=at(DEADLINE + dt.timedelta(days=30)))
    assert (report.first_submitted_on, report.late) == (TODAY, False)


# --- workflow ----------------------------------------------------------------------------------


def test_officer_accepts_a_submitted_report_with_history_and_audit(facility, otto, hana):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    annual_report_accept(actor=hana, report=report, note="已核")
    report.refresh_from_db()
    assert report.status == AnnualReportStatus.ACCEPTED
    assert list(report.events.values_list("action", flat=True)) == ["create", "submit", "accept"]
    actions = set(AuditEvent.objects.filter(object_id=str(report.pk)).values_list("action", flat=True))
    assert {"supervision.annual_report_create", "supervision.annual_report_submit",
            "supervision.annual_report_accept"} <= actions


def test_accepting_a_draft_is_refused(facility, otto, hana):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    with pytest.raises(DomainError) as raised:
        annual_report_accept(actor=hana, report=report)
    assert raised.value.code == "GEN-005"


def test_accepted_report_cannot_be_returned(facility, otto, hana):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    annual_report_accept(actor=hana, report=report)
    with pytest.raises(DomainError) as raised:
        annual_report_return(actor=hana, report=report, reason="再看看")
    assert raised.value.code == "GEN-005"


def test_submitting_twice_is_refused(facility, otto):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    with pytest.raises(DomainError) as raised:
        annual_report_submit(actor=otto, report=report, now=at(TODAY))
    assert raised.value.code == "GEN-005"


def test_submitted_report_cannot_be_edited(facility, otto):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    with pytest.raises(DomainError) as raised:
        annual_report_save(actor=otto, report=report, figures={"income": "1"})
    assert raised.value.code == "SUP-054"


def test_return_needs_a_reason(facility, otto, hana):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    with pytest.raises(DomainError) as raised:
        annual_report_return(actor=hana, report=report, reason=" ")
    assert raised.value.code == "SUP-055"
    assert not AnnualReportEvent.objects.filter(report=report, action="return").exists()


def test_facility_cannot_accept_its_own_report(facility, otto):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    with pytest.raises(DomainError) as raised:
        annual_report_accept(actor=otto, report=report)
    assert raised.value.code == "GEN-002"


def test_officer_of_another_county_cannot_accept(facility, otto, chen):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    with pytest.raises(DomainError) as raised:
        annual_report_accept(actor=chen, report=report)
    assert raised.value.code == "GEN-002"


def test_provincial_officer_may_accept(facility, otto, bjhealth):
    report = submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    assert annual_report_accept(actor=bjhealth, report=report).status == AnnualReportStatus.ACCEPTED


# --- late and missing --------------------------------------------------------------------------


def test_missing_lists_filed_facilities_without_a_submitted_report_after_the_deadline(facility, otto):
    in_time = FacilityFactory(operator=org_of(otto), filing_status="filed")
    drafted = FacilityFactory(operator=org_of(otto), filing_status="filed")
    FacilityFactory(operator=org_of(otto), filing_status="draft")
    FacilityFactory(operator=org_of(otto), filing_status="filed", opening_date=dt.date(2026, 1, 5))  # opened later
    submitted(annual_report_create(actor=otto, facility=in_time, year=2025, today=TODAY), otto)
    annual_report_create(actor=otto, facility=drafted, year=2025, today=TODAY)
    after = DEADLINE + dt.timedelta(days=1)
    assert annual_report_missing(year=2025, as_of=after) == {facility.pk, drafted.pk}


def test_nothing_is_missing_until_the_deadline_has_passed(facility):
    assert annual_report_missing(year=2025, as_of=DEADLINE) == set()


def test_missing_can_be_limited_to_some_facilities(facility, otto):
    other = FacilityFactory(operator=org_of(otto), filing_status="filed")
    after = DEADLINE + dt.timedelta(days=1)
    assert annual_report_missing([other.pk], year=2025, as_of=after) == {other.pk}


def test_overview_lists_late_and_missing_for_the_officer(facility, otto, hana):
    late = FacilityFactory(operator=org_of(otto), filing_status="filed")
    submitted(annual_report_create(actor=otto, facility=late, year=2025, today=TODAY), otto,
              on=DEADLINE + dt.timedelta(days=3))
    overview = annual_report_overview(hana, year=2025, as_of=DEADLINE + dt.timedelta(days=5))
    assert [r.facility.pk for r in overview.late] == [late.pk]
    assert [r.facility.pk for r in overview.missing] == [facility.pk]


def test_overview_of_another_county_is_empty(facility, chen):
    overview = annual_report_overview(chen, year=2025, as_of=DEADLINE + dt.timedelta(days=5))
    assert overview.rows == []


# --- checks -------------------------------------------------------------------------------------


def test_missing_figures_are_blocking_findings_naming_their_rule(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    blocking = [f for f in annual_report_findings(report) if f.is_blocking]
    assert blocking and {f.rule_code for f in blocking} == {"ANR-REQUIRED"}
    assert all("第三十八条" in f.source for f in blocking)


def test_registry_ratio_breach_on_31_december_is_a_warning_naming_the_rule(facility, otto):
    infant = FacilityClassFactory(facility=facility, class_type="infant", capacity=10, name="乳儿一班")
    for _ in range(4):  # four infants need two carers at 1:3; none assigned
        place(facility, infant, enrolled_on=dt.date(2025, 9, 1), start=dt.date(2025, 9, 1),
              birth_date=dt.date(2025, 3, 1))
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    ratio = [f for f in annual_report_findings(report) if f.rule_code == "STD-RATIO-INFANT"]
    assert ratio and ratio[0].severity == "warn" and ratio[0].origin == "registry"
    assert "第二十条" in ratio[0].source


def test_reported_carers_below_the_ratio_are_a_warning(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    figures = complete_figures(report)
    figures["enrolment"][("toddler", 5)] = 11  # 1:5 → 3 carers
    figures["staff"]["carer"] = {"count": 2, "trained": 2, "health_certificate_valid": 2}
    figures["staff"]["health_worker"] = {"count": 1, "trained": 1, "health_certificate_valid": 1}
    annual_report_save(actor=otto, report=report, figures=figures)
    found = [f for f in annual_report_findings(report) if f.origin == "report"]
    assert [(f.rule_code, f.severity) for f in found] == [("STD-RATIO-TODDLER", "warn")]


def test_reported_health_staff_below_the_rule_is_a_warning(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    figures = complete_figures(report)
    figures["enrolment"][("older", 3)] = 20
    figures["staff"]["carer"] = {"count": 3, "trained": 3, "health_certificate_valid": 3}
    annual_report_save(actor=otto, report=report, figures=figures)
    codes = [f.rule_code for f in annual_report_findings(report) if f.origin == "report"]
    assert codes == ["STD-HEALTH-STAFF"]


def test_expired_health_certificate_on_31_december_is_a_warning(facility, otto):
    StaffMemberFactory(facility=facility, role="carer", health_certificate_expiry=dt.date(2025, 11, 30))
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    findings = annual_report_findings(report)
    assert any(f.rule_code == "STD-HEALTH-CERT" and f.origin == "registry" for f in findings)
    assert any(f.rule_code == "STD-HEALTH-CERT" and f.origin == "report" for f in findings)


def test_complete_report_of_an_empty_facility_has_no_blocking_finding(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    report = annual_report_save(actor=otto, report=report, figures=complete_figures(report))
    assert not [f for f in annual_report_findings(report) if f.is_blocking]


def test_zero_enrolment_all_year_with_carers_and_income_is_a_warning_naming_its_rule(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    figures = complete_figures(report)
    figures["staff"]["carer"] = {"count": 20, "trained": 20, "health_certificate_valid": 20}
    annual_report_save(actor=otto, report=report, figures=figures)
    found = [f for f in annual_report_findings(report) if f.rule_code == "ANR-ZERO-ENROLMENT"]
    assert [(f.severity, f.origin) for f in found] == [("warn", "report")]
    assert "第三十八条" in found[0].source and "20" in found[0].message


def test_zero_enrolment_without_carers_or_income_is_not_flagged(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    annual_report_save(actor=otto, report=report, figures=complete_figures(report, income="0", spending="0"))
    assert "ANR-ZERO-ENROLMENT" not in {f.rule_code for f in annual_report_findings(report)}


def test_some_children_enrolled_raise_no_zero_enrolment_warning(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    figures = complete_figures(report)
    figures["enrolment"][("older", 12)] = 1
    annual_report_save(actor=otto, report=report, figures=figures)
    assert "ANR-ZERO-ENROLMENT" not in {f.rule_code for f in annual_report_findings(report)}


# --- reminders ---------------------------------------------------------------------------------


def test_reminder_is_recorded_once_a_day_per_facility(facility, otto):
    day = dt.date(2026, 3, 25)
    first = annual_reports_remind(as_of=day)
    second = annual_reports_remind(as_of=day)
    assert (first.year, first.reminded, second.reminded) == (2025, [facility.pk], [])
    assert AnnualReportReminder.objects.get().recipients == 1


def test_no_reminder_before_the_window(facility):
    # 10 working days before 31 March 2026 is 17 March.
    assert annual_reports_remind(as_of=dt.date(2026, 3, 16)).reminded == []
    assert annual_reports_remind(as_of=dt.date(2026, 3, 17)).reminded == [facility.pk]


def test_no_reminder_after_the_deadline(facility):
    assert annual_reports_remind(as_of=dt.date(2026, 4, 1)).in_window is False


def test_submitted_facility_is_not_reminded(facility, otto):
    submitted(annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY), otto)
    assert annual_reports_remind(as_of=dt.date(2026, 3, 25)).reminded == []


def test_reminder_window_comes_from_the_setting(facility, settings):
    settings.TUOYU_ANNUAL_REPORT_REMINDER_DAYS = 2
    assert annual_reports_remind(as_of=dt.date(2026, 3, 25)).reminded == []


def test_reminder_command_and_task_are_idempotent(facility):
    out = StringIO()
    call_command("supervision_remind_annual_reports", "--date", "2026-03-25", stdout=out)
    assert "1 reminder(s)" in out.getvalue()
    assert remind_annual_reports(as_of="2026-03-25")["reminded"] == []
    assert AnnualReportReminder.objects.count() == 1


def test_trained_above_a_count_saved_earlier_is_refused(facility, otto):
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=TODAY)
    annual_report_save(actor=otto, report=report, figures={"staff": {"carer": {"count": 1}}})
    with pytest.raises(DomainError) as raised:
        annual_report_save(actor=otto, report=report, figures={"staff": {"carer": {"trained": 2}}})
    assert raised.value.code == "SUP-056"


def test_reminder_command_names_the_year_option_and_value_when_the_year_is_not_a_year(facility):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as raised:
        call_command("supervision_remind_annual_reports", "--year", "abc", stdout=StringIO())
    assert "--year 'abc' is not a year" in str(raised.value) and "None" not in str(raised.value)


def test_reminder_command_names_the_date_option_and_value_when_the_date_is_not_a_date(facility):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as raised:
        call_command("supervision_remind_annual_reports", "--date", "2026-13-01", stdout=StringIO())
    assert "--date '2026-13-01' is not a date" in str(raised.value)
