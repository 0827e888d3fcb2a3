"""Inspections (检查): creation, the checklist, who records, closing."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import org_of
from tests.supervision.conftest import make_inspector
from tests.supervision.inspection_support import VISIT, answer_all, make_team, new_inspection
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.standards.selectors import rules_in_force
from tuoyu.supervision.checklist import safety_items
from tuoyu.supervision.evidence import inspection_evidence_add
from tuoyu.supervision.inspections import (
    inspection_close,
    inspection_items_record,
    inspections_create_from_draw,
)
from tuoyu.supervision.models import RectificationOrder
from tuoyu.supervision.services import draw_lists_freeze, draw_perform, inspection_plan_create
from tuoyu.supervision.workflow import InspectionStatus, ItemResult


@pytest.fixture
def team(hana, otto):
    return make_team(hana, otto)


def test_checklist_has_one_item_per_rule_in_force_plus_the_safety_items(team):
    inspection = new_inspection(team)
    codes = list(inspection.items.values_list("code", flat=True))
    rule_codes = [r.code for r in rules_in_force(as_of=VISIT, province_code="110108")]
    assert codes == rule_codes + [s.code for s in safety_items(VISIT)]


def test_checklist_rule_items_carry_source_and_certainty(team):
    inspection = new_inspection(team)
    item = inspection.items.get(code="STD-BAND-INFANT")
    assert "第十九条" in item.reference and item.certainty == "S" and item.source == "rule"


def test_safety_items_are_left_out_before_the_standard_took_effect(team):
    assert safety_items(dt.date(2024, 3, 31)) == []


def test_inspections_from_a_draw_get_the_drawn_targets_and_inspectors(hana, haidian_setup):
    plan = inspection_plan_create(
        actor=hana, organization=org_of(hana), title="抽查", year=2026, scope_prefix="110108", count=3
    )
    draw_lists_freeze(actor=hana, plan=plan)
    draw = draw_perform(actor=hana, plan=plan, seed="20261201")
    created = inspections_create_from_draw(actor=hana, draw=draw, visit_date=VISIT)
    got = {
        f"F{i.facility_id}": sorted(f"U{u}" for u in i.inspectors.values_list("pk", flat=True))
        for i in created
    }
    assert got == {t["entity"]: sorted(t["inspectors"]) for t in draw.result["targets"]}


def test_inspections_from_a_draw_are_created_once(hana, haidian_setup):
    plan = inspection_plan_create(
        actor=hana, organization=org_of(hana), title="抽查", year=2026, scope_prefix="110108", count=2
    )
    draw_lists_freeze(actor=hana, plan=plan)
    draw = draw_perform(actor=hana, plan=plan, seed="20261201")
    inspections_create_from_draw(actor=hana, draw=draw, visit_date=VISIT)
    assert inspections_create_from_draw(actor=hana, draw=draw, visit_date=VISIT) == []


def test_superseded_draw_gives_no_inspections(hana, haidian_setup):
    plan = inspection_plan_create(
        actor=hana, organization=org_of(hana), title="抽查", year=2026, scope_prefix="110108", count=2
    )
    draw_lists_freeze(actor=hana, plan=plan)
    first = draw_perform(actor=hana, plan=plan, seed="1")
    draw_perform(actor=hana, plan=plan, seed="2", reason="种子录入错误")
    first.refresh_from_db()
    with pytest.raises(DomainError) as raised:
        inspections_create_from_draw(actor=hana, draw=first, visit_date=VISIT)
    assert raised.value.code == "SUP-023"


def test_ad_hoc_inspection_needs_two_inspectors(team):
    with pytest.raises(DomainError) as raised:
        new_inspection({**team, "inspectors": team["inspectors"][:1]})
    assert raised.value.code == "SUP-025"


def test_ad_hoc_inspection_refuses_an_inspector_of_another_county(team, chen):
    outsider = make_inspector("chaoyang_ins", org_of(chen))
    with pytest.raises(DomainError) as raised:
        new_inspection({**team, "inspectors": [team["inspectors"][0], outsider]})
    assert raised.value.code == "SUP-024"


def test_ad_hoc_inspection_by_another_countys_officer_is_refused(team, chen):
    with pytest.raises(DomainError) as raised:
        new_inspection({**team, "hana": chen})
    assert raised.value.code == "GEN-002"


def test_both_assigned_inspectors_may_record(team):
    inspection = new_inspection(team)
    item = inspection.items.first()
    first, second = team["inspectors"]
    inspection_items_record(actor=first, inspection=inspection, answers={item.pk: ("met", "")})
    inspection_items_record(actor=second, inspection=inspection, answers={item.pk: ("not_met", "门锁损坏")})
    item.refresh_from_db()
    assert (item.result, item.notes, item.answered_by) == ("not_met", "门锁损坏", second)


def test_an_unassigned_inspector_of_the_same_county_may_not_record(team):
    inspection = new_inspection(team)
    item = inspection.items.first()
    with pytest.raises(DomainError) as raised:
        inspection_items_record(actor=team["spare"], inspection=inspection, answers={item.pk: ("met", "")})
    assert raised.value.code == "GEN-002"


def test_an_unknown_result_is_refused(team):
    inspection = new_inspection(team)
    item = inspection.items.first()
    with pytest.raises(DomainError) as raised:
        inspection_items_record(
            actor=team["inspectors"][0], inspection=inspection, answers={item.pk: ("maybe", "")}
        )
    assert raised.value.code == "SUP-022"


def test_closing_requires_every_item_answered(team):
    inspection = new_inspection(team)
    item = inspection.items.first()
    inspection_items_record(actor=team["inspectors"][0], inspection=inspection, answers={item.pk: ("met", "")})
    with pytest.raises(DomainError) as raised:
        inspection_close(actor=team["inspectors"][0], inspection=inspection, today=VISIT)
    assert raised.value.code == "SUP-021"


def test_closing_without_findings_issues_no_order(team):
    inspection = new_inspection(team)
    answer_all(inspection, team["inspectors"][0])
    closed = inspection_close(actor=team["inspectors"][1], inspection=inspection, today=VISIT)
    assert closed.status == InspectionStatus.CLOSED and closed.findings_count == 0
    assert not RectificationOrder.objects.filter(inspection=closed).exists()


def test_closing_is_audited(team):
    inspection = new_inspection(team)
    answer_all(inspection, team["inspectors"][0])
    inspection_close(actor=team["inspectors"][0], inspection=inspection, today=VISIT)
    assert AuditEvent.objects.filter(action="supervision.inspection_close", object_id=str(inspection.pk)).exists()


def test_a_closed_inspection_cannot_be_edited(team):
    inspection = new_inspection(team)
    answer_all(inspection, team["inspectors"][0])
    inspection_close(actor=team["inspectors"][0], inspection=inspection, today=VISIT)
    item = inspection.items.first()
    with pytest.raises(DomainError) as raised:
        inspection_items_record(
            actor=team["inspectors"][1], inspection=inspection, answers={item.pk: ("not_met", "")}
        )
    assert raised.value.code == "SUP-020"


def test_not_applicable_counts_as_answered_and_not_as_a_finding(team):
    inspection = new_inspection(team)
    answers = {i.pk: (ItemResult.NOT_APPLICABLE, "") for i in inspection.items.all()}
    inspection_items_record(actor=team["inspectors"][0], inspection=inspection, answers=answers)
    closed = inspection_close(actor=team["inspectors"][0], inspection=inspection, today=VISIT)
    assert closed.findings_count == 0


def test_an_inspector_of_another_county_gets_404_on_the_inspection_page(client, team, chen):
    inspection = new_inspection(team)
    outsider = make_inspector("chaoyang_ins", org_of(chen))
    client.force_login(outsider)
    response = client.get(f"/supervision/inspections/{inspection.pk}/")
    assert response.status_code == 404


def test_an_assigned_inspector_records_through_the_page(client, team):
    inspection = new_inspection(team)
    item = inspection.items.first()
    client.force_login(team["inspectors"][0])
    response = client.post(
        f"/supervision/inspections/{inspection.pk}/",
        {f"result_{item.pk}": "not_met", f"notes_{item.pk}": "记录缺失"},
    )
    item.refresh_from_db()
    assert response.status_code == 302 and item.result == "not_met"


def test_inspection_page_fits_without_scripts(client, team):
    inspection = new_inspection(team)
    client.force_login(team["inspectors"][0])
    body = client.get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    assert "<script>" not in body and 'style="' not in body and "<fieldset" in body



def test_health_officer_arranges_the_draws_inspections_through_the_plan_page(client, hana, haidian_setup):
    plan = inspection_plan_create(
        actor=hana, organization=org_of(hana), title="抽查", year=2026, scope_prefix="110108", count=2
    )
    draw_lists_freeze(actor=hana, plan=plan)
    draw = draw_perform(actor=hana, plan=plan, seed="20261201")
    client.force_login(hana)
    assert "按抽取结果安排检查" in client.get(f"/supervision/plans/{plan.pk}/").content.decode()
    client.post(f"/supervision/plans/{plan.pk}/draws/{draw.pk}/inspections/", {"visit_date": "2026-12-08"})
    assert draw.inspections.count() == 2


def test_closing_through_the_page_issues_the_order(client, team):
    inspection = new_inspection(team)
    answer_all(inspection, team["inspectors"][0], not_met=("WST821-ALARM",))
    client.force_login(team["inspectors"][1])
    client.post(
        f"/supervision/inspections/{inspection.pk}/close/",
        {"required_evidence": "报警装置照片", "deadline_working_days": "10"},
    )
    order = RectificationOrder.objects.get(inspection=inspection)
    assert (order.deadline_working_days, order.required_evidence) == (10, "报警装置照片")


def test_inspector_list_shows_only_assigned_inspections(client, team):
    inspection = new_inspection(team)
    client.force_login(team["spare"])
    body = client.get("/supervision/inspections/").content.decode()
    assert f"/supervision/inspections/{inspection.pk}/" not in body


def test_health_officer_arranges_an_ad_hoc_inspection_through_the_page(client, team):
    first, second = team["inspectors"]
    client.force_login(team["hana"])
    response = client.post(
        f"/supervision/inspections/new/{team['facility'].pk}/",
        {"inspectors": [first.pk, second.pk], "visit_date": "2026-12-08", "reason": "投诉核查"},
    )
    inspection = team["facility"].inspections.get()
    assert response.status_code == 302 and set(inspection.inspectors.all()) == {first, second}


def test_ad_hoc_inspection_page_is_refused_to_an_inspector(client, team):
    client.force_login(team["inspectors"][0])
    assert client.get(f"/supervision/inspections/new/{team['facility'].pk}/").status_code == 403


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def evidence_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "evidence"


def test_evidence_photo_is_stored_under_a_random_name(team, evidence_dir):
    inspection = new_inspection(team)
    item = inspection.items.first()
    stored = inspection_evidence_add(
        actor=team["inspectors"][0], item=item, upload=SimpleUploadedFile("门口 照片.png", PNG)
    )
    assert stored.content_type == "image/png" and "门口" not in stored.file.name
    assert (evidence_dir / stored.file.name).read_bytes() == PNG


def test_evidence_with_a_disguised_type_is_refused(team, evidence_dir):
    inspection = new_inspection(team)
    with pytest.raises(DomainError) as raised:
        inspection_evidence_add(
            actor=team["inspectors"][0], item=inspection.items.first(),
            upload=SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 64),
        )
    assert raised.value.code == "SUP-030"


def test_evidence_over_the_size_limit_is_refused(team, evidence_dir, settings):
    settings.TUOYU_EVIDENCE_MAX_MB = 1
    inspection = new_inspection(team)
    with pytest.raises(DomainError) as raised:
        inspection_evidence_add(
            actor=team["inspectors"][0], item=inspection.items.first(),
            upload=SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024)),
        )
    assert raised.value.code == "SUP-031"


def test_evidence_download_is_refused_to_an_inspector_of_another_county(client, team, chen, evidence_dir):
    inspection = new_inspection(team)
    stored = inspection_evidence_add(
        actor=team["inspectors"][0], item=inspection.items.first(), upload=SimpleUploadedFile("a.png", PNG)
    )
    client.force_login(make_inspector("chaoyang_ins", org_of(chen)))
    assert client.get(f"/supervision/evidence/{stored.pk}/").status_code == 404


def test_evidence_downloads_as_an_attachment_for_the_facility(client, team, evidence_dir):
    inspection = new_inspection(team)
    stored = inspection_evidence_add(
        actor=team["inspectors"][0], item=inspection.items.first(), upload=SimpleUploadedFile("a.png", PNG)
    )
    client.force_login(team["otto"])
    response = client.get(f"/supervision/evidence/{stored.pk}/")
    assert response["Content-Disposition"].startswith("attachment") and b"".join(response.streaming_content) == PNG


def test_evidence_is_uploaded_with_the_checklist_page(client, team, evidence_dir):
    inspection = new_inspection(team)
    item = inspection.items.first()
    client.force_login(team["inspectors"][1])
    client.post(
        f"/supervision/inspections/{inspection.pk}/",
        {f"result_{item.pk}": "not_met", f"evidence_{item.pk}": SimpleUploadedFile("a.png", PNG)},
    )
    assert item.evidence.count() == 1


def test_inspection_list_queries_do_not_grow_with_the_inspections(client, team):
    new_inspection(team)
    client.force_login(team["hana"])
    client.get("/supervision/inspections/")
    with CaptureQueriesContext(connection) as one:
        client.get("/supervision/inspections/")
    for day in (11, 12, 13):
        new_inspection(team, dt.date(2026, 2, day))
    with CaptureQueriesContext(connection) as four:
        body = client.get("/supervision/inspections/").content.decode()
    # Links to the inspections themselves (the navigation links to the list as well).
    assert len(four) == len(one) and len(re.findall(r'href="/supervision/inspections/\d+/', body)) == 4


def test_a_page_saved_later_does_not_blank_the_other_inspectors_answer(client, team):
    inspection = new_inspection(team)
    first, second = list(inspection.items.all()[:2])
    inspection_items_record(actor=team["inspectors"][1], inspection=inspection, answers={first.pk: ("met", "")})
    client.force_login(team["inspectors"][0])
    client.post(
        f"/supervision/inspections/{inspection.pk}/",
        {  # rendered before the other inspector answered the first item
            f"initial-result_{first.pk}": "", f"notes_{first.pk}": "", f"initial-notes_{first.pk}": "",
            f"result_{second.pk}": "not_met", f"initial-result_{second.pk}": "",
            f"notes_{second.pk}": "", f"initial-notes_{second.pk}": "",
        },
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.result, second.result) == ("met", "not_met")
