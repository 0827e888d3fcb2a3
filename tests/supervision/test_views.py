"""Pages of the double-random inspections: plan, freeze, draw, re-draw, downloads."""

import hashlib
import json

import pytest
from django.urls import reverse

from tests.conftest import org_of
from tuoyu.supervision.models import Draw, DrawList, InspectionPlan
from tuoyu.supervision.services import draw_lists_freeze, draw_perform, inspection_plan_create


@pytest.fixture
def plan(hana, haidian_setup):
    return inspection_plan_create(
        actor=hana, organization=org_of(hana), title="2026年抽查", year=2026,
        scope_prefix="110108", count=3,
    )


@pytest.fixture
def drawn_plan(hana, plan):
    draw_lists_freeze(actor=hana, plan=plan)
    draw_perform(actor=hana, plan=plan, seed="478")
    return plan


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("supervision:plan_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_health_officer_creates_a_plan_from_the_form(client, hana):
    client.force_login(hana)
    response = client.post(
        reverse("supervision:plan_create"),
        {"title": "年度抽查", "year": 2026, "scope_prefix": "110108", "ratio": "0.05", "per_target": 2,
         "strata": ["county"]},
    )
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supervision:plan_detail", args=[plan.pk])
    assert plan.strata == ["county"]


def test_plan_form_refuses_ratio_and_count_together(client, hana):
    client.force_login(hana)
    response = client.post(
        reverse("supervision:plan_create"),
        {"title": "年度抽查", "year": 2026, "scope_prefix": "110108", "ratio": "0.05", "count": 3, "per_target": 2},
    )
    assert response.status_code == 200 and not InspectionPlan.objects.exists()


def test_union_officer_may_not_open_the_plan_form(client, una):
    client.force_login(una)
    assert client.get(reverse("supervision:plan_create")).status_code == 403


def test_officer_of_another_province_does_not_see_the_plan(client, pudong, plan):
    client.force_login(pudong)
    assert client.get(reverse("supervision:plan_detail", args=[plan.pk])).status_code == 404


def test_freeze_button_freezes_the_lists(client, hana, plan):
    client.force_login(hana)
    response = client.post(reverse("supervision:lists_freeze", args=[plan.pk]))
    assert response.status_code == 302 and DrawList.objects.filter(plan=plan).exists()


def test_provincial_officer_sees_but_may_not_freeze_a_county_plan(client, bjhealth, plan):
    client.force_login(bjhealth)
    assert client.get(reverse("supervision:plan_detail", args=[plan.pk])).status_code == 200
    assert client.post(reverse("supervision:lists_freeze", args=[plan.pk])).status_code == 403


def test_draw_form_draws_and_the_plan_page_lists_the_targets(client, hana, plan):
    draw_lists_freeze(actor=hana, plan=plan)
    client.force_login(hana)
    response = client.post(reverse("supervision:draw_run", args=[plan.pk]), {"seed": "478", "seed_source": "福彩"})
    assert response.status_code == 302
    page = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    for target in Draw.objects.get(plan=plan).result["targets"]:
        assert f"<td>{target['entity']}</td>" in page


def test_redraw_without_a_reason_shows_the_error_and_draws_nothing(client, hana, drawn_plan):
    client.force_login(hana)
    response = client.post(reverse("supervision:draw_run", args=[drawn_plan.pk]), {"seed": "479"})
    assert response.status_code == 200
    assert "重新抽取必须填写理由" in response.content.decode()
    assert Draw.objects.filter(plan=drawn_plan).count() == 1


def test_downloaded_entity_list_hashes_to_the_published_hash(client, hana, drawn_plan):
    client.force_login(hana)
    response = client.get(reverse("supervision:list_download", args=[drawn_plan.pk, "entities"]))
    assert hashlib.sha256(response.content).hexdigest() == drawn_plan.draw_list.entities_sha256


def test_downloaded_draw_json_is_the_stored_result(client, hana, drawn_plan):
    client.force_login(hana)
    draw = Draw.objects.get(plan=drawn_plan)
    response = client.get(reverse("supervision:draw_download", args=[drawn_plan.pk, draw.pk]))
    assert json.loads(response.content) == draw.result


def test_plan_page_reports_a_matching_verification(client, hana, drawn_plan):
    client.force_login(hana)
    page = client.get(reverse("supervision:plan_detail", args=[drawn_plan.pk]) + "?verify=1")
    assert "复核一致" in page.content.decode()
