"""Applications (申报): eligibility rules, one per employer per campaign, materials."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from tests.conftest import org_of
from tests.designation.conftest import make_application, make_campaign, make_day_facility
from tuoyu.core.dates import local_today
from tuoyu.core.errors import DomainError
from tuoyu.designation import services
from tuoyu.designation.eligibility import application_check
from tuoyu.designation.models import Application, ApplicationMaterial

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _finding(application, code):
    findings = application_check(application, as_of=local_today())
    return next(f for f in findings if f.rule_code == code)


# --- DES-E01 applicant kind


def test_e01_private_enterprise_is_eligible(application):
    assert _finding(application, "DES-E01").severity == "pass"


def test_e01_social_organisation_is_not_eligible(alice, campaign):
    org = org_of(alice)
    org.ownership_type = "social"
    org.save()
    assert _finding(make_application(alice, campaign), "DES-E01").severity == "block"


# --- DES-E02 full- or half-day facility, alone or jointly


def test_e02_facility_with_full_day_service_passes(application):
    assert _finding(application, "DES-E02").severity == "pass"


def test_e02_facility_with_only_hourly_care_fails(alice, campaign):
    application = make_application(alice, campaign)
    application.facility.services.update(service_type="hourly")
    assert _finding(application, "DES-E02").severity == "block"


def test_e02_jointly_run_facility_passes_for_a_sponsor(alice, bob, campaign):
    facility = make_day_facility(bob)
    facility.sponsors.add(org_of(alice))
    application = make_application(alice, campaign, facility=facility)
    assert _finding(application, "DES-E02").severity == "pass"


def test_e02_no_facility_chosen_fails(alice, campaign):
    application = make_application(alice, campaign, facility=None)
    assert _finding(application, "DES-E02").severity == "block"


def test_choosing_another_employers_facility_is_refused(alice, bob, campaign):
    with pytest.raises(DomainError) as exc:
        make_application(alice, campaign, facility=make_day_facility(bob))
    assert exc.value.code == "DES-024"


# --- DES-E03 own-staff share > 60 %


def test_e03_share_of_80_percent_from_records_passes(application):
    finding = _finding(application, "DES-E03")
    assert (finding.severity, finding.detail["source"]) == ("pass", "records")


def test_e03_share_of_exactly_60_percent_fails(alice, campaign):
    facility = make_day_facility(alice, own=3, others=2)
    assert _finding(make_application(alice, campaign, facility=facility), "DES-E03").severity == "block"


def test_e03_declared_counts_are_used_without_records(alice, campaign):
    facility = make_day_facility(alice, own=0, others=0)
    application = make_application(alice, campaign, facility=facility, declared_enrolled=10,
                                   declared_own_staff_children=7)
    finding = _finding(application, "DES-E03")
    assert (finding.severity, finding.detail["source"]) == ("pass", "declared")


def test_e03_without_any_enrolment_data_fails(alice, campaign):
    facility = make_day_facility(alice, own=0, others=0)
    assert _finding(make_application(alice, campaign, facility=facility), "DES-E03").severity == "block"


def test_e03_threshold_is_the_campaigns(alice, acftu):
    campaign = make_campaign(acftu, min_own_staff_share_pct="85")
    assert _finding(make_application(alice, campaign), "DES-E03").severity == "block"


def test_declared_own_staff_children_above_total_is_refused(alice, campaign):
    with pytest.raises(DomainError) as exc:
        make_application(alice, campaign, declared_enrolled=5, declared_own_staff_children=6)
    assert exc.value.code == "GEN-004"


# --- DES-E04 fee cap


def test_e04_fee_at_the_cap_passes(alice, campaign):
    application = make_application(alice, campaign, facility=make_day_facility(alice, fee="2000"))
    assert _finding(application, "DES-E04").severity == "pass"


def test_e04_fee_above_the_cap_fails(alice, campaign):
    application = make_application(alice, campaign, facility=make_day_facility(alice, fee="2000.01"))
    assert _finding(application, "DES-E04").severity == "block"


def test_e04_longest_prefix_cap_wins(alice, acftu):
    campaign = make_campaign(acftu, price_caps={"11": "3000", "110108": "1500"})
    assert _finding(make_application(alice, campaign), "DES-E04").severity == "block"


def test_e04_without_a_local_cap_asks_for_manual_check(alice, acftu):
    campaign = make_campaign(acftu, price_caps={"31": "2000"})
    assert _finding(make_application(alice, campaign), "DES-E04").severity == "warn"


# --- DES-E05 safety


def test_e05_declared_no_incident_passes(application):
    assert _finding(application, "DES-E05").severity == "pass"


def test_e05_missing_declaration_fails(alice, campaign):
    application = make_application(alice, campaign, no_safety_incident=False)
    assert _finding(application, "DES-E05").severity == "block"


# --- DES-E06 materials


def test_e06_missing_required_material_fails(alice, acftu):
    campaign = make_campaign(acftu, required_materials=["申报表"])
    assert _finding(make_application(alice, campaign), "DES-E06").severity == "block"


def test_e06_uploaded_required_material_passes(alice, acftu):
    campaign = make_campaign(acftu, required_materials=["申报表"])
    application = make_application(alice, campaign)
    services.application_material_add(actor=alice, application=application, label="申报表",
                                      file=SimpleUploadedFile("form.pdf", PDF))
    assert _finding(application, "DES-E06").severity == "pass"


# --- submission


def test_submit_with_blocking_finding_names_the_rule(alice, campaign):
    application = make_application(alice, campaign, no_safety_incident=False)
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=alice, application=application)
    assert exc.value.code == "DES-025"
    assert "DES-E05" in exc.value.params["codes"]
    assert {f["rule_code"] for f in exc.value.details["findings"]} >= {"DES-E01", "DES-E05"}


def test_submit_of_eligible_application_moves_it_to_submitted(alice, application):
    services.application_submit(actor=alice, application=application)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_another_employers_admin_may_not_submit(bob, application):
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=bob, application=application)
    assert exc.value.code == "DES-023"


# --- one per employer per campaign, window


def test_second_application_of_same_employer_is_refused(alice, application, campaign):
    with pytest.raises(DomainError) as exc:
        make_application(alice, campaign)
    assert exc.value.code == "DES-022"


def test_database_allows_one_application_per_employer_per_campaign(alice, application, campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(campaign=campaign, employer=org_of(alice))


def test_same_employer_may_apply_to_another_campaign(alice, acftu, application):
    other = make_campaign(acftu, name="另一次活动")
    assert make_application(alice, other).pk != application.pk


def test_application_outside_the_window_is_refused(alice, acftu):
    today = local_today()
    campaign = make_campaign(acftu, opens_on=today + dt.timedelta(days=1),
                             closes_on=today + dt.timedelta(days=20))
    with pytest.raises(DomainError) as exc:
        make_application(alice, campaign)
    assert exc.value.code == "DES-021"


def test_union_officer_may_not_apply(hdunion, alice, campaign):
    with pytest.raises(DomainError) as exc:
        services.application_create(actor=hdunion, campaign=campaign, employer=org_of(alice))
    assert exc.value.code == "DES-023"


def test_update_of_a_draft_changes_self_assessment(alice, application):
    services.application_update(actor=alice, application=application, self_assessment="新的说明")
    application.refresh_from_db()
    assert (application.self_assessment, application.version) == ("新的说明", 1)


def test_update_after_submission_is_refused(alice, application):
    services.application_submit(actor=alice, application=application)
    with pytest.raises(DomainError) as exc:
        services.application_update(actor=alice, application=application, self_assessment="x")
    assert exc.value.code == "DES-026"


# --- materials


def test_material_type_is_judged_by_content_not_name(alice, application):
    material = services.application_material_add(
        actor=alice, application=application, label="照片", file=SimpleUploadedFile("a.pdf", PNG))
    assert material.content_type == "image/png"
    assert material.file.name.endswith(".png")


def test_material_stored_under_a_random_name(alice, application):
    material = services.application_material_add(
        actor=alice, application=application, label="申报表",
        file=SimpleUploadedFile("我的申报表.pdf", PDF))
    assert "申报表" not in material.file.name
    assert material.original_name == "我的申报表.pdf"


def test_material_that_is_not_pdf_jpeg_or_png_is_refused(alice, application):
    with pytest.raises(DomainError) as exc:
        services.application_material_add(
            actor=alice, application=application, label="x",
            file=SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>"))
    assert exc.value.code == "DES-030"
    assert not ApplicationMaterial.objects.exists()


def test_material_over_the_size_limit_is_refused(alice, application, settings):
    settings.DESIGNATION_MATERIAL_MAX_BYTES = 100
    with pytest.raises(DomainError) as exc:
        services.application_material_add(
            actor=alice, application=application, label="x",
            file=SimpleUploadedFile("big.pdf", PDF + b"0" * 200))
    assert exc.value.code == "DES-030"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
