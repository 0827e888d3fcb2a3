# ruff: noqa: F811  (fixtures imported from award_support are used as arguments)
"""Expert scoring (专家评审): criteria sheet, conflict of interest, assignment, aggregate and spread."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.designation.award_support import (  # noqa: F401 (fixtures)
    exp_bj,
    exp_gd,
    exp_sh,
    exp_zj,
    expert,
    full_marks,
    to_national_review,
)
from tuoyu.core.errors import DomainError
from tuoyu.designation import scoring
from tuoyu.designation.models import ExpertAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_scoring(application, alice, hdunion, bjcity, una, bjhealth, acftu):
    """alice's application (海淀, province 11) in ``scoring``."""
    to_national_review(application, alice=alice, hdunion=hdunion, bjcity=bjcity, una=una,
                       bjhealth=bjhealth, acftu=acftu)
    scoring.scoring_start(actor=acftu, application=application)
    return application


def test_default_criteria_weights_sum_to_100():
    assert sum(c["weight"] for c in scoring.default_criteria()) == 100


def test_starting_scoring_installs_the_default_sheet(in_scoring):
    assert [c.code for c in scoring.criteria_of(in_scoring.campaign)] == [
        c["code"] for c in scoring.default_criteria()]
    assert in_scoring.status == "scoring"


def test_criteria_whose_weights_do_not_sum_to_100_are_refused(campaign, acftu):
    with pytest.raises(DomainError) as exc:
        scoring.criteria_set(actor=acftu, campaign=campaign, criteria=[
            {"code": "A", "label": "甲", "weight": 60, "max_points": 10},
            {"code": "B", "label": "乙", "weight": 30, "max_points": 10}])
    assert exc.value.code == "DES-044"


def test_manual_assignment_of_an_expert_from_the_applicants_province_is_refused(
        in_scoring, acftu, exp_bj):
    with pytest.raises(DomainError) as exc:
        scoring.expert_assign(actor=acftu, application=in_scoring, expert=exp_bj)
    assert exc.value.code == "DES-040"
    assert not ExpertAssignment.objects.exists()


def test_manual_assignment_of_a_member_of_the_applying_employer_is_refused(
        in_scoring, acftu, alice, db):
    from tests.factories import MembershipFactory
    from tuoyu.designation.models import Application

    person = expert(db, "exp_own", "440106")
    employer = Application.objects.get(pk=in_scoring.pk).employer
    MembershipFactory(user=person, organization=employer, role="employer_admin")
    with pytest.raises(DomainError) as exc:
        scoring.expert_assign(actor=acftu, application=in_scoring, expert=person)
    assert exc.value.code == "DES-041"


def test_a_non_expert_cannot_be_assigned(in_scoring, acftu, bob):
    with pytest.raises(DomainError) as exc:
        scoring.expert_assign(actor=acftu, application=in_scoring, expert=bob)
    assert exc.value.code == "DES-042"


def test_only_the_national_union_assigns_experts(in_scoring, una, exp_sh):
    with pytest.raises(DomainError) as exc:
        scoring.expert_assign(actor=una, application=in_scoring, expert=exp_sh)
    assert exc.value.code == "GEN-002"


def test_automatic_assignment_skips_conflicted_experts(in_scoring, acftu, exp_bj, exp_sh, exp_gd,
                                                       exp_zj):
    created = scoring.experts_assign_auto(actor=acftu, campaign=in_scoring.campaign,
                                          per_application=3)
    assert {a.expert_id for a in created} == {exp_sh.pk, exp_gd.pk, exp_zj.pk}


def test_automatic_assignment_balances_load_with_ties_by_id(
        campaign, acftu, alice, hdunion, bjcity, una, bjhealth, exp_sh, exp_gd, exp_zj, db):
    from tests.conftest import _persona
    from tests.designation.conftest import make_application
    from tests.factories import division

    carol = _persona(db, "carol", "employer_admin", {"name": "朝阳商贸有限公司",
                                                     "division": division("110105")})
    first = make_application(alice, campaign)
    second = make_application(carol, campaign)
    for app in (first, second):
        app.status = "scoring"
        app.save(update_fields=["status"])
    created = scoring.experts_assign_auto(actor=acftu, campaign=campaign, per_application=2)
    by_app = {}
    for a in created:
        by_app.setdefault(a.application_id, []).append(a.expert_id)
    ids = sorted([exp_sh.pk, exp_gd.pk, exp_zj.pk])
    assert by_app[first.pk] == ids[:2]
    assert by_app[second.pk] == [ids[2], ids[0]]


def test_automatic_assignment_with_too_few_free_experts_is_refused(in_scoring, acftu, exp_bj,
                                                                   exp_sh):
    with pytest.raises(DomainError) as exc:
        scoring.experts_assign_auto(actor=acftu, campaign=in_scoring.campaign, per_application=2)
    assert exc.value.code == "DES-043"
    assert not ExpertAssignment.objects.exists()


def test_points_above_the_criterion_maximum_are_refused(in_scoring, acftu, exp_sh):
    scoring.expert_assign(actor=acftu, application=in_scoring, expert=exp_sh)
    with pytest.raises(DomainError) as exc:
        scoring.scores_record(actor=exp_sh, application=in_scoring, points={"SC-01": "10.5"})
    assert exc.value.code == "DES-045"


def test_an_unassigned_expert_cannot_score(in_scoring, exp_gd):
    with pytest.raises(DomainError) as exc:
        scoring.scores_record(actor=exp_gd, application=in_scoring, points={"SC-01": "5"})
    assert exc.value.code == "DES-046"


def _score(app, acftu, experts_points):
    for person, points in experts_points:
        scoring.expert_assign(actor=acftu, application=app, expert=person)
        scoring.scores_record(actor=person, application=app, points=points)


def test_aggregate_is_the_mean_of_weighted_totals_with_spread_to_the_cent(
        in_scoring, acftu, exp_sh, exp_gd, exp_zj):
    # Weights 25/15/15/20/15/10, max 10 each.
    # exp_sh: all 10 → 100.00. exp_gd: all 7 → 70.00.
    # exp_zj: 9, 8, 7.5, 6, 5, 3.33 → 22.5 + 12 + 11.25 + 12 + 7.5 + 3.33 = 68.58.
    codes = [c.code for c in scoring.criteria_of(in_scoring.campaign)]
    _score(in_scoring, acftu, [
        (exp_sh, full_marks(in_scoring.campaign, "10")),
        (exp_gd, full_marks(in_scoring.campaign, "7")),
        (exp_zj, dict(zip(codes, ["9", "8", "7.5", "6", "5", "3.33"], strict=True))),
    ])
    summary = scoring.score_summary(in_scoring)
    assert sorted(s.weighted_total for s in summary.sheets) == [
        Decimal("68.58"), Decimal("70.00"), Decimal("100.00")]
    assert summary.aggregate == Decimal("79.53")  # 238.58 / 3 = 79.5266…
    assert summary.spread == Decimal("31.42")
    assert summary.std_dev == Decimal("14.49")  # population σ


def test_aggregate_rounds_half_up():
    mean, spread, std = scoring.aggregate_of([Decimal("80.00"), Decimal("80.01")])
    assert mean == Decimal("80.01")  # 80.005 → 80.01
    assert spread == Decimal("0.01")
    assert std == Decimal("0.01")  # 0.005 → 0.01


def test_finishing_scoring_stores_the_aggregate(in_scoring, acftu, exp_sh, exp_gd):
    _score(in_scoring, acftu, [(exp_sh, full_marks(in_scoring.campaign, "8")),
                               (exp_gd, full_marks(in_scoring.campaign, "9"))])
    scoring.scoring_finish(actor=acftu, application=in_scoring)
    in_scoring.refresh_from_db()
    assert (in_scoring.status, in_scoring.score) == ("scored", Decimal("85.00"))


def test_finishing_scoring_with_missing_scores_is_refused(in_scoring, acftu, exp_sh):
    scoring.expert_assign(actor=acftu, application=in_scoring, expert=exp_sh)
    scoring.scores_record(actor=exp_sh, application=in_scoring, points={"SC-01": "8"})
    with pytest.raises(DomainError) as exc:
        scoring.scoring_finish(actor=acftu, application=in_scoring)
    assert exc.value.code == "DES-047"
    assert exc.value.params["missing"] == 5


def test_score_page_shows_each_expert_spread_and_aggregate(client, in_scoring, acftu, exp_sh,
                                                           exp_gd):
    _score(in_scoring, acftu, [(exp_sh, full_marks(in_scoring.campaign, "8")),
                               (exp_gd, full_marks(in_scoring.campaign, "9"))])
    client.force_login(acftu)
    body = client.get(f"/designation/applications/{in_scoring.pk}/scores/").content.decode()
    assert "80.00" in body and "90.00" in body and "85.00" in body and "10.00" in body


def test_expert_records_points_through_the_page(client, in_scoring, acftu, exp_sh):
    scoring.expert_assign(actor=acftu, application=in_scoring, expert=exp_sh)
    client.force_login(exp_sh)
    client.post(f"/designation/applications/{in_scoring.pk}/scores/",
                full_marks(in_scoring.campaign, "6"))
    (sheet,) = scoring.score_summary(in_scoring).sheets
    assert sheet.weighted_total == Decimal("60.00")


def test_unassigned_expert_cannot_open_the_score_page(client, in_scoring, exp_gd):
    client.force_login(exp_gd)
    assert client.get(f"/designation/applications/{in_scoring.pk}/scores/").status_code == 404


def test_application_page_opens_while_in_scoring(client, in_scoring, acftu):
    client.force_login(acftu)
    response = client.get(f"/designation/applications/{in_scoring.pk}/")
    assert response.status_code == 200 and "专家评审中" in response.content.decode()
