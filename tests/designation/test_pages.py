"""Pages of campaigns, applications and the officer queue (plain HTML, no JavaScript)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import org_of
from tuoyu.designation import services
from tuoyu.designation.models import Application

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_campaign_list_shows_campaign_to_an_employer(client, alice, campaign):
    client.force_login(alice)
    assert campaign.name in client.get(reverse("designation:campaigns")).content.decode()


def test_provincial_union_officer_may_not_open_campaign_form(client, una):
    client.force_login(una)
    assert client.get(reverse("designation:campaign_create")).status_code == 403


def test_national_officer_creates_campaign_through_the_form(client, acftu):
    client.force_login(acftu)
    response = client.post(reverse("designation:campaign_create"), {
        "year": 2026, "name": "2026年度评选", "opens_on": "2026-07-01", "closes_on": "2026-08-31",
        "number_to_name": 120, "grassroots_working_days": 10, "city_working_days": 10,
        "provincial_working_days": 15, "national_working_days": 20, "subsidy_per_unit": "100000",
        "matching_ratio": "1", "publicity_working_days": 5, "min_own_staff_share_pct": "60",
        "eligible_ownership_types": ["private", "park"], "price_caps": "11 2000\n31 2500",
        "required_materials": "申报表"})
    assert response.status_code == 302
    assert services.Campaign.objects.get().price_caps == {"11": "2000.00", "31": "2500.00"}


def test_employer_applies_and_submits_through_the_pages(client, alice, campaign):
    from tests.designation.conftest import make_day_facility

    facility = make_day_facility(alice)
    client.force_login(alice)
    url = reverse("designation:apply", args=[campaign.pk, org_of(alice).pk])
    response = client.post(url, {"facility": facility.pk, "no_safety_incident": "on",
                                 "self_assessment": "说明"})
    application = Application.objects.get()
    assert response.status_code == 302
    client.post(reverse("designation:submit", args=[application.pk]), {"version": "0"})
    application.refresh_from_db()
    assert application.status == "submitted"


def test_blocking_findings_are_shown_with_their_rule(client, alice, campaign):
    from tests.designation.conftest import make_application

    application = make_application(alice, campaign, no_safety_incident=False)
    client.force_login(alice)
    response = client.post(reverse("designation:submit", args=[application.pk]), follow=True)
    assert "DES-E05" in response.content.decode()


def test_officer_of_another_province_gets_404_on_application_page(client, application, shunion):
    client.force_login(shunion)
    assert client.get(reverse("designation:application", args=[application.pk])).status_code == 404


def test_grassroots_officer_recommends_from_the_page(client, alice, application, hdunion):
    services.application_submit(actor=alice, application=application)
    client.force_login(hdunion)
    response = client.post(reverse("designation:decide", args=[application.pk]),
                           {"action": "recommend", "version": str(application.version)})
    application.refresh_from_db()
    assert (response.status_code, application.status) == (302, "grassroots_recommended")


def test_queue_lists_the_application_for_its_step(client, alice, application, hdunion):
    services.application_submit(actor=alice, application=application)
    client.force_login(hdunion)
    assert org_of(alice).name in client.get(reverse("designation:queue")).content.decode()


def test_material_is_downloaded_as_attachment_by_the_union_in_jurisdiction(
        client, alice, application, hdunion):
    material = services.application_material_add(
        actor=alice, application=application, label="申报表", file=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(hdunion)
    response = client.get(reverse("designation:material", args=[application.pk, material.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_material_of_another_employer_is_not_found(client, alice, application, bob):
    material = services.application_material_add(
        actor=alice, application=application, label="申报表", file=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(bob)
    response = client.get(reverse("designation:material", args=[application.pk, material.pk]))
    assert response.status_code == 404


def test_application_page_shows_findings_to_the_owner(client, alice, application):
    client.force_login(alice)
    response = client.get(reverse("designation:application", args=[application.pk]))
    assert response.status_code == 200
    assert "DES-E03" in response.content.decode()


def test_application_page_offers_the_decision_form_at_the_officers_step(
        client, alice, application, hdunion):
    services.application_submit(actor=alice, application=application)
    client.force_login(hdunion)
    response = client.get(reverse("designation:application", args=[application.pk]))
    assert reverse("designation:decide", args=[application.pk]) in response.content.decode()


def test_national_officer_changes_publicity_length_through_the_form(client, acftu, campaign):
    from tuoyu.designation.views import _campaign_initial

    client.force_login(acftu)
    data = {k: v for k, v in _campaign_initial(campaign).items() if v is not None}
    data.update(publicity_working_days=8, opens_on=campaign.opens_on.isoformat(),
                closes_on=campaign.closes_on.isoformat())
    response = client.post(reverse("designation:campaign_edit", args=[campaign.pk]), data)
    campaign.refresh_from_db()
    assert (response.status_code, campaign.publicity_working_days) == (302, 8)


def test_queue_page_query_count_does_not_grow_with_rows(client, alice, bob, campaign, acftu,
                                                        django_assert_max_num_queries):
    from tests.designation.conftest import make_application

    for owner in (alice, bob):
        services.application_submit(actor=owner, application=make_application(owner, campaign))
    client.force_login(acftu)
    services.Application.objects.update(status="provincial_recommended")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("designation:queue"))
    assert response.content.decode().count("/designation/applications/") == 2


def test_campaign_form_shows_a_window_in_the_wrong_order_on_the_closing_date(client, acftu):
    client.force_login(acftu)
    response = client.post(reverse("designation:campaign_create"), {
        "year": 2028, "name": "2028年度评选", "opens_on": "2028-03-01", "closes_on": "2028-01-01",
        "number_to_name": 120, "grassroots_working_days": 10, "city_working_days": 10,
        "provincial_working_days": 15, "national_working_days": 20, "subsidy_per_unit": "100000",
        "matching_ratio": "1", "publicity_working_days": 5, "min_own_staff_share_pct": "60",
        "eligible_ownership_types": ["private"], "price_caps": "", "required_materials": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["closes_on"] == [
        "输入无效：申报截止日期（2028-01-01）早于申报开始日期（2028-03-01）"]
