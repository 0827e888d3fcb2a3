"""Inspection plans, frozen lists and draws (services, selectors, ``verify-draw``)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from tests.conftest import org_of
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.supervision.models import Draw
from tuoyu.supervision.selectors import (
    draw_list_files,
    draw_verify,
    entity_key,
    inspection_plan_get_for_user,
    organisation_key,
)
from tuoyu.supervision.services import draw_lists_freeze, draw_perform, inspection_plan_create

SEED = "福彩3D 2026338期 478"


def make_plan(user, **kwargs):
    kwargs.setdefault("scope_prefix", "110108")
    kwargs.setdefault("count", 3)
    return inspection_plan_create(
        actor=user, organization=org_of(user), title="2026年双随机抽查", year=2026, **kwargs
    )


@pytest.fixture
def drawn(hana, haidian_setup):
    plan = make_plan(hana, strata=["provision_model"])
    draw_lists_freeze(actor=hana, plan=plan)
    return draw_perform(actor=hana, plan=plan, seed=SEED, seed_source="中国福利彩票 2026-12-01")


def test_plan_defaults_to_five_percent_when_no_count_is_given(hana):
    plan = inspection_plan_create(
        actor=hana, organization=org_of(hana), title="计划", year=2026, scope_prefix="110108"
    )
    assert str(plan.ratio.normalize()) == "0.05" and plan.count is None


def test_plan_outside_the_officers_jurisdiction_is_refused(hana):
    with pytest.raises(DomainError) as raised:
        make_plan(hana, scope_prefix="110105")
    assert raised.value.code == "SUP-015"


def test_plan_by_a_non_health_officer_is_refused(una):
    with pytest.raises(DomainError) as raised:
        inspection_plan_create(
            actor=una, organization=org_of(una), title="计划", year=2026, scope_prefix="11"
        )
    assert raised.value.code == "GEN-002"


def test_provincial_officer_may_plan_for_a_county(bjhealth):
    assert make_plan(bjhealth, scope_prefix="110108").scope_prefix == "110108"


def test_plan_with_both_ratio_and_count_violates_the_database_constraint(hana):
    plan = make_plan(hana)
    plan.ratio = "0.1"
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_frozen_population_is_the_filed_facilities_in_scope(hana, haidian_setup):
    plan = make_plan(hana)
    draw_list = draw_lists_freeze(actor=hana, plan=plan)
    assert sorted(r["id"] for r in draw_list.entities) == sorted(
        entity_key(f.pk) for f in haidian_setup["filed"]
    )


def test_frozen_inspectors_carry_their_organisations(hana, haidian_setup):
    draw_list = draw_lists_freeze(actor=hana, plan=make_plan(hana))
    conflict = next(r for r in draw_list.inspectors if r["id"] == f"U{haidian_setup['inspectors'][3].pk}")
    assert organisation_key(haidian_setup["providers"][0].pk) in conflict["organisations"]
    assert len(draw_list.inspectors) == 4


def test_lists_cannot_be_frozen_twice(hana, haidian_setup):
    plan = make_plan(hana)
    draw_lists_freeze(actor=hana, plan=plan)
    with pytest.raises(DomainError) as raised:
        draw_lists_freeze(actor=hana, plan=plan)
    assert raised.value.code == "SUP-012"


def test_freezing_is_refused_to_an_officer_of_another_county(hana, chen, haidian_setup):
    plan = make_plan(hana)
    with pytest.raises(DomainError) as raised:
        draw_lists_freeze(actor=chen, plan=plan)
    assert raised.value.code == "GEN-002"


def test_draw_before_the_lists_are_frozen_is_refused(hana, haidian_setup):
    with pytest.raises(DomainError) as raised:
        draw_perform(actor=hana, plan=make_plan(hana), seed=SEED)
    assert raised.value.code == "SUP-011"


def test_draw_records_seed_algorithm_and_targets(drawn):
    assert drawn.seed == SEED and drawn.algorithm == "tuoyu-draw/1"
    assert len(drawn.result["targets"]) == 3
    assert drawn.result["entities"]["sha256"] == drawn.plan.draw_list.entities_sha256


def test_no_inspector_is_drawn_for_a_facility_of_their_own_organisation(hana, haidian_setup):
    plan = make_plan(hana, count=12)
    draw_lists_freeze(actor=hana, plan=plan)
    result = draw_perform(actor=hana, plan=plan, seed=SEED).result
    conflicted = f"U{haidian_setup['inspectors'][3].pk}"
    own = {entity_key(f.pk) for f in haidian_setup["filed"] if f.operator_id == haidian_setup["providers"][0].pk}
    assert all(conflicted not in t["inspectors"] for t in result["targets"] if t["entity"] in own)
    assert any(conflicted in t["inspectors"] for t in result["targets"])


def test_inspector_is_not_assigned_last_time_s_facility_in_the_next_plan(hana, haidian_setup):
    first = make_plan(hana, count=12, per_target=1)
    draw_lists_freeze(actor=hana, plan=first)
    first_result = draw_perform(actor=hana, plan=first, seed=SEED).result
    second = make_plan(hana, count=12, per_target=1)
    draw_list = draw_lists_freeze(actor=hana, plan=second)
    last = {r["id"]: set(r["last_assigned"]) for r in draw_list.inspectors}
    for target in first_result["targets"]:
        for inspector in target["inspectors"]:
            assert target["entity"] in last[inspector]
    second_result = draw_perform(actor=hana, plan=second, seed=SEED + " 2").result
    for target in second_result["targets"]:
        assert not any(target["entity"] in last[i] for i in target["inspectors"])


def test_draw_writes_an_audit_event(drawn):
    assert AuditEvent.objects.filter(action="supervision.draw", object_id=str(drawn.pk)).exists()


def test_redraw_without_a_reason_is_refused(hana, drawn):
    with pytest.raises(DomainError) as raised:
        draw_perform(actor=hana, plan=drawn.plan, seed="another")
    assert raised.value.code == "SUP-010"


def test_redraw_with_a_reason_keeps_the_first_draw_on_record(hana, drawn):
    second = draw_perform(actor=hana, plan=drawn.plan, seed="another", reason="开奖号码录入错误")
    drawn.refresh_from_db()
    assert drawn.superseded_by == second and drawn.superseded_at is not None
    assert second.redraw_reason == "开奖号码录入错误"
    assert Draw.objects.filter(plan=drawn.plan).count() == 2


def test_database_allows_one_draw_in_force_per_plan(hana, drawn):
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.create(
            plan=drawn.plan, seed="x", drawn_at=drawn.drawn_at + dt.timedelta(seconds=1),
            drawn_by=hana, algorithm="tuoyu-draw/1", result={},
        )


def test_verify_matches_an_untouched_draw(drawn):
    outcome = draw_verify(drawn)
    assert outcome.match, outcome.problems


def test_verify_draw_command_prints_match_and_exits_0(drawn):
    out = StringIO()
    call_command("inspections_verify_draw", str(drawn.pk), stdout=out)
    assert out.getvalue().startswith(f"MATCH draw {drawn.pk}")


def test_verify_draw_command_reports_mismatch_after_the_result_is_tampered_with(drawn):
    result = drawn.result
    result["targets"][0]["inspectors"].reverse()
    Draw.objects.filter(pk=drawn.pk).update(result=result)
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("inspections_verify_draw", str(drawn.pk), stdout=out)
    assert raised.value.returncode == 1
    assert out.getvalue().startswith("MISMATCH") and "“targets”" in out.getvalue()


def test_verify_draw_reports_mismatch_after_a_frozen_list_is_tampered_with(drawn):
    draw_list = drawn.plan.draw_list
    entities = draw_list.entities
    entities[0]["credit_class"] = "D"
    type(draw_list).objects.filter(pk=draw_list.pk).update(entities=entities)
    drawn.refresh_from_db()
    outcome = draw_verify(Draw.objects.get(pk=drawn.pk))
    assert not outcome.match
    assert any("entity list hash" in p for p in outcome.problems)


def test_verify_draw_command_exits_2_for_an_unknown_draw(db):
    with pytest.raises(CommandError) as raised:
        call_command("inspections_verify_draw", "999999")
    assert raised.value.returncode == 2


def test_plan_is_not_visible_to_an_officer_of_another_province(hana, pudong):
    plan = make_plan(hana)
    with pytest.raises(DomainError) as raised:
        inspection_plan_get_for_user(pudong, plan.pk)
    assert raised.value.code == "GEN-001"


def test_plan_is_visible_to_the_provincial_officer(hana, bjhealth):
    plan = make_plan(hana)
    assert inspection_plan_get_for_user(bjhealth, plan.pk) == plan


def test_published_lists_give_the_stored_draw_through_the_standalone_command(drawn, tmp_path):
    entity_bytes, inspector_bytes = draw_list_files(drawn.plan.draw_list)
    (tmp_path / "entities.txt").write_bytes(entity_bytes)
    (tmp_path / "inspectors.txt").write_bytes(inspector_bytes)
    (tmp_path / "draw.json").write_text(json.dumps(drawn.result, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command(
        "inspections_draw",
        "--entities", str(tmp_path / "entities.txt"),
        "--inspectors", str(tmp_path / "inspectors.txt"),
        "--seed", drawn.seed, "--count", "3", "--strata", "provision_model",
        "--weights", str(tmp_path / "draw.json"), "--json",
        stdout=out,
    )
    recomputed = json.loads(out.getvalue())
    assert recomputed["entities"] == drawn.result["entities"]
    assert recomputed["inspectors"] == drawn.result["inspectors"]
    assert recomputed["targets"] == drawn.result["targets"]
