"""Expert scoring (专家评审) of designation applications.

A campaign has a weighted criteria sheet (:class:`ScoringCriterion`: weights sum to 100,
each with its maximum points; defaults shipped in ``data/scoring_criteria.yaml`` and marked
as an assumption, ADR 0067). Experts (role ``expert``, capability ``score_assignment``) are
assigned to applications automatically (balanced load, ties by user id) or by hand, never
from the applicant's own organisation or province (conflict of interest: the 2-digit
prefix of the expert's organisation's division code equals the applicant's province,
DES-040; a membership in the applying employer, DES-041). Each expert scores every
criterion of their assigned applications.

Arithmetic (Decimal throughout):

- an expert's weighted total = Σ points / max_points × weight, 0–100, half-up to 0.01;
- the aggregate = mean of the experts' weighted totals (unrounded), half-up to 0.01;
- the spread = max − min of the weighted totals and their population standard deviation
  (σ, divisor n), each half-up to 0.01.

Workflow: ``national_review`` → ``scoring`` (``start_scoring``) → ``scored``
(``finish_scoring``, which stores the aggregate in ``Application.score``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tuoyu.accounts.choices import OrganizationKind, Role
from tuoyu.accounts.models import Membership
from tuoyu.accounts.permissions import SCORE_ASSIGNMENT, has_capability
from tuoyu.audit.services import snapshot
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.designation import permissions as perms
from tuoyu.designation.errors import (
    DES_CONFLICT_ORGANIZATION,
    DES_CONFLICT_PROVINCE,
    DES_CRITERIA_WEIGHTS,
    DES_NOT_ASSIGNED,
    DES_NOT_EXPERT,
    DES_POINTS_RANGE,
    DES_SCORING_INCOMPLETE,
    DES_TOO_FEW_EXPERTS,
)
from tuoyu.designation.models import (
    Application,
    AssignmentMethod,
    Campaign,
    ExpertAssignment,
    ExpertScore,
    ScoringCriterion,
)
from tuoyu.designation.services import _audit, _clean_save, _lock, _transition, _user_or_none
from tuoyu.designation.workflow import ApplicationStatus

CENT = Decimal("0.01")
DEFAULT_CRITERIA_FILE = Path(__file__).parent / "data" / "scoring_criteria.yaml"


def experts_per_application() -> int:
    """Experts assigned to each application by automatic assignment (setting
    ``DESIGNATION_EXPERTS_PER_APPLICATION``, default 3; an assumption, ADR 0067)."""
    return int(getattr(settings, "DESIGNATION_EXPERTS_PER_APPLICATION", 3))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- criteria


def default_criteria() -> list[dict[str, Any]]:
    """The shipped default criteria: ``[{code, label, weight, max_points}]`` (weights sum to 100)."""
    with DEFAULT_CRITERIA_FILE.open(encoding="utf-8") as fh:
        return list(yaml.safe_load(fh))


def _criteria_check(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clean: list[dict[str, Any]] = []
    codes: set[str] = set()
    for i, row in enumerate(rows):
        try:
            code = str(row["code"]).strip()
            label = str(row["label"]).strip()
            weight = int(row["weight"])
            max_points = int(row["max_points"])
        except (KeyError, TypeError, ValueError):
            raise DomainError(DES_CRITERIA_WEIGHTS, params={
                "detail": _("第 %(n)d 项须有代码、名称、权重和满分。") % {"n": i + 1}}) from None
        if not code or not label or code in codes or weight < 1 or max_points < 1:
            raise DomainError(DES_CRITERIA_WEIGHTS, params={
                "detail": _("第 %(n)d 项的代码重复或数值无效。") % {"n": i + 1}})
        codes.add(code)
        clean.append({"code": code, "label": label, "weight": weight, "max_points": max_points})
    total = sum(r["weight"] for r in clean)
    if total != 100:
        raise DomainError(DES_CRITERIA_WEIGHTS, params={
            "detail": _("权重之和须为 100，现为 %(total)d。") % {"total": total}})
    return clean


@transaction.atomic
def criteria_set(*, actor, campaign: Campaign, criteria: list[dict[str, Any]] | None = None
                 ) -> list[ScoringCriterion]:
    """Replace ``campaign``'s scoring sheet (评审指标) with ``criteria`` (None: the defaults).

    ``criteria``: ``[{code, label, weight, max_points}]``, weights whole numbers summing to
    100, max points ≥ 1. Only a national union officer, and only before any score is given.
    Raises GEN-002, DES-044 (weights not summing to 100, duplicate codes, or a score
    already given: the sheet is then fixed).
    """
    if not perms.can_manage_campaign(actor):
        raise DomainError(GEN_FORBIDDEN)
    rows = _criteria_check(default_criteria() if criteria is None else list(criteria))
    Campaign.objects.select_for_update().get(pk=campaign.pk)
    if ExpertScore.objects.filter(criterion__campaign=campaign).exists():
        raise DomainError(DES_CRITERIA_WEIGHTS, params={"detail": _("已有专家评分，指标不能再修改。")})
    campaign.criteria.all().delete()
    created = []
    for position, row in enumerate(rows):
        criterion = ScoringCriterion(campaign=campaign, position=position, **row)
        _clean_save(criterion)
        created.append(criterion)
    _audit(actor, "designation.campaign.criteria", campaign, after={"criteria": rows})
    return created


def criteria_of(campaign: Campaign) -> list[ScoringCriterion]:
    """The campaign's criteria in sheet order (empty until set; see :func:`criteria_ensure`)."""
    return list(campaign.criteria.all())


def criteria_ensure(*, actor, campaign: Campaign) -> list[ScoringCriterion]:
    """The campaign's criteria; installs the shipped defaults when it has none."""
    existing = criteria_of(campaign)
    return existing or criteria_set(actor=actor, campaign=campaign)


# --------------------------------------------------------------------------- experts


def experts_q() -> Q:
    """Q on ``Membership`` of active expert memberships in active expert pools."""
    return Q(role=Role.EXPERT, is_active=True, organization__is_active=True,
             organization__kind=OrganizationKind.EXPERT_POOL, user__is_active=True)


def expert_memberships() -> list[Membership]:
    """Active expert memberships (one per expert, the lowest membership id), user id order."""
    seen: dict[int, Membership] = {}
    for m in (Membership.objects.filter(experts_q()).select_related("organization__division", "user")
              .order_by("user_id", "id")):
        seen.setdefault(m.user_id, m)
    return list(seen.values())


@dataclass(frozen=True)
class ExpertTies:
    """What a conflict of interest is judged on for one expert: ``organization_ids`` of
    every active membership, ``provinces`` (2-digit division prefixes) of the expert-pool
    organisations the expert is active in."""

    organization_ids: frozenset[int] = frozenset()
    provinces: frozenset[str] = frozenset()


def expert_ties(expert_ids) -> dict[int, ExpertTies]:
    """``{user id: ExpertTies}`` of ``expert_ids`` in two queries (experts without any
    active membership are left out)."""
    organizations: dict[int, set[int]] = defaultdict(set)
    provinces: dict[int, set[str]] = defaultdict(set)
    ids = list(expert_ids)
    for user_id, org_id in Membership.objects.filter(user_id__in=ids, is_active=True).values_list(
            "user_id", "organization_id"):
        organizations[user_id].add(org_id)
    for user_id, code in Membership.objects.filter(experts_q(), user_id__in=ids).values_list(
            "user_id", "organization__division__code"):
        if code:
            provinces[user_id].add(code[:2])
    return {uid: ExpertTies(frozenset(orgs), frozenset(provinces[uid]))
            for uid, orgs in organizations.items()}


def conflict_of(expert_id: int, application: Application, *, ties: ExpertTies | None = None
                ) -> str | None:
    """The conflict-of-interest code of ``expert_id`` for ``application``, or None.

    DES-041 when the expert holds any active membership in the applying employer; DES-040
    when any of the expert's expert-pool organisations lies in the applicant's province
    (2-digit division prefix). ``ties``: the expert's :class:`ExpertTies` when already
    loaded (see :func:`expert_ties`), else they are read. Source of the rule: issue 5
    ("never from the applicant's own organisation or province").
    """
    if ties is None:
        ties = expert_ties([expert_id]).get(expert_id, ExpertTies())
    if application.employer_id in ties.organization_ids:
        return DES_CONFLICT_ORGANIZATION
    if application.province_code in ties.provinces:
        return DES_CONFLICT_PROVINCE
    return None


def _raise_conflict(code: str, application: Application) -> None:
    raise DomainError(code, params={"province": application.province_code}, field="expert")


def _require_national(actor, application: Application) -> None:
    if not perms.can_act_on_application(actor, application, "national"):
        raise DomainError(GEN_FORBIDDEN)


@transaction.atomic
def expert_assign(*, actor, application: Application, expert) -> ExpertAssignment:
    """Assign ``expert`` (a User) by hand to score ``application`` (人工指定专家).

    Only a national union officer, while the application is in ``scoring``. Raises GEN-002,
    DES-042 (not an active expert), DES-040/DES-041 (conflict of interest), DES-046 (not in
    scoring).
    """
    locked = _lock(application, expected_version=None)
    _require_national(actor, locked)
    if locked.status != ApplicationStatus.SCORING:
        raise DomainError(DES_NOT_ASSIGNED)
    if not Membership.objects.filter(experts_q(), user_id=expert.pk).exists():
        raise DomainError(DES_NOT_EXPERT, field="expert")
    conflict = conflict_of(expert.pk, locked)
    if conflict:
        _raise_conflict(conflict, locked)
    existing = ExpertAssignment.objects.filter(application=locked, expert_id=expert.pk).first()
    if existing:
        return existing
    assignment = ExpertAssignment(application=locked, expert_id=expert.pk,
                                  method=AssignmentMethod.MANUAL, assigned_by=_user_or_none(actor))
    _clean_save(assignment)
    _audit(actor, "designation.scoring.assign", assignment, after=snapshot(assignment))
    return assignment


@transaction.atomic
def experts_assign_auto(*, actor, campaign: Campaign, per_application: int | None = None
                        ) -> list[ExpertAssignment]:
    """Assign experts automatically to every application of ``campaign`` in ``scoring``.

    Deterministic: applications in id order; each gets experts until it has
    ``per_application`` (default :func:`experts_per_application`), choosing among the
    experts without a conflict of interest the one with the least current load in this
    campaign, ties by user id. Only a national union officer. Returns the new
    assignments. Raises GEN-002, DES-043 (too few experts without a conflict for some
    application; nothing is assigned then).
    """
    if not perms.is_national_union_officer(actor):
        raise DomainError(GEN_FORBIDDEN)
    need = per_application or experts_per_application()
    Campaign.objects.select_for_update().get(pk=campaign.pk)
    experts = [m.user_id for m in expert_memberships()]
    ties = expert_ties(experts)
    load: Counter[int] = Counter()
    assigned: dict[int, set[int]] = defaultdict(set)
    for app_id, expert_id in ExpertAssignment.objects.filter(
            application__campaign=campaign).values_list("application_id", "expert_id"):
        load[expert_id] += 1
        assigned[app_id].add(expert_id)
    created: list[ExpertAssignment] = []
    apps = (Application.objects.filter(campaign=campaign, status=ApplicationStatus.SCORING)
            .select_related("employer__division").order_by("id"))
    for app in apps:
        have = assigned[app.pk]
        free = [uid for uid in experts
                if uid not in have
                and conflict_of(uid, app, ties=ties.get(uid, ExpertTies())) is None]
        missing = need - len(have)
        if missing <= 0:
            continue
        if len(free) < missing:
            raise DomainError(DES_TOO_FEW_EXPERTS, params={"needed": need,
                                                           "available": len(free) + len(have)})
        for user_id in sorted(free, key=lambda uid: (load[uid], uid))[:missing]:
            assignment = ExpertAssignment(application=app, expert_id=user_id,
                                          method=AssignmentMethod.AUTO,
                                          assigned_by=_user_or_none(actor))
            _clean_save(assignment)
            load[user_id] += 1
            created.append(assignment)
    _audit(actor, "designation.scoring.assign_auto", campaign,
           after={"assignments": [[a.application_id, a.expert_id] for a in created]})
    return created


# --------------------------------------------------------------------------- scores


def _points(value: object, criterion: ScoringCriterion) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        points = None
    if (points is None or not points.is_finite() or points < 0 or points > criterion.max_points
            or points != points.quantize(CENT)):
        raise DomainError(DES_POINTS_RANGE, field=criterion.code, params={
            "criterion": criterion.label, "max": criterion.max_points, "value": value})
    return points


@transaction.atomic
def scores_record(*, actor, application: Application, points: dict[str, object]
                  ) -> list[ExpertScore]:
    """Record ``actor``'s points on ``application`` (专家评分): ``{criterion code: points}``.

    ``actor`` must hold ``score_assignment`` and be assigned to the application, which must
    be in ``scoring``. Points 0 – the criterion's max, at most 2 places. Unknown codes are
    ignored; a later call overwrites earlier points. Raises DES-046, DES-045.
    """
    locked = _lock(application, expected_version=None)
    assignment = ExpertAssignment.objects.filter(application=locked, expert_id=getattr(actor, "pk", None)).first()
    if (assignment is None or locked.status != ApplicationStatus.SCORING
            or not has_capability(actor, SCORE_ASSIGNMENT)):
        raise DomainError(DES_NOT_ASSIGNED)
    saved = []
    given = {s.criterion_id: s for s in assignment.scores.all()}
    for criterion in criteria_of(locked.campaign):
        if criterion.code not in points:
            continue
        value = _points(points[criterion.code], criterion)
        score = given.get(criterion.pk) or ExpertScore(assignment=assignment)
        score.criterion, score.points = criterion, value
        _clean_save(score)
        saved.append(score)
    _audit(actor, "designation.scoring.score", assignment,
           after={s.criterion.code: str(s.points) for s in saved})
    return saved


@dataclass(frozen=True)
class ExpertSheet:
    """One expert's scores on one application: ``points`` {code: Decimal or None} and the
    weighted total (0–100, 0.01) once every criterion is scored, else None."""

    assignment: ExpertAssignment
    points: dict[str, Decimal | None]
    weighted_total: Decimal | None


@dataclass(frozen=True)
class ScoreSummary:
    """The scores of one application: per-expert sheets, aggregate (mean of the complete
    weighted totals), spread (max − min) and population standard deviation, all 0.01;
    ``missing`` counts criterion scores not yet given."""

    criteria: list[ScoringCriterion]
    sheets: list[ExpertSheet]
    aggregate: Decimal | None
    spread: Decimal | None
    std_dev: Decimal | None
    missing: int


def weighted_total(points: dict[str, Decimal], criteria: list[ScoringCriterion]) -> Decimal:
    """Σ points / max_points × weight over ``criteria`` (0–100), half-up to 0.01."""
    total = sum((points[c.code] / Decimal(c.max_points) * Decimal(c.weight) for c in criteria),
                Decimal(0))
    return _cents(total)


def aggregate_of(totals: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(mean, max − min, population standard deviation) of ``totals``, each half-up to 0.01.

    Raises ValueError on an empty list.
    """
    if not totals:
        raise ValueError("no totals")
    n = Decimal(len(totals))
    mean = sum(totals, Decimal(0)) / n
    variance = sum(((t - mean) ** 2 for t in totals), Decimal(0)) / n
    return _cents(mean), _cents(max(totals) - min(totals)), _cents(variance.sqrt())


def score_summary(application: Application) -> ScoreSummary:
    """Per-expert scores, spread and aggregate of ``application`` (see the module docstring)."""
    criteria = criteria_of(application.campaign)
    sheets: list[ExpertSheet] = []
    missing = 0
    assignments = (application.assignments.select_related("expert")
                   .prefetch_related("scores__criterion").order_by("expert_id"))
    for assignment in assignments:
        given = {s.criterion.code: s.points for s in assignment.scores.all()}
        points = {c.code: given.get(c.code) for c in criteria}
        gaps = sum(1 for v in points.values() if v is None)
        missing += gaps
        total = weighted_total(given, criteria) if criteria and not gaps else None
        sheets.append(ExpertSheet(assignment, points, total))
    totals = [s.weighted_total for s in sheets if s.weighted_total is not None]
    if totals:
        aggregate, spread, std_dev = aggregate_of(totals)
    else:
        aggregate = spread = std_dev = None
    return ScoreSummary(criteria, sheets, aggregate, spread, std_dev, missing)


# --------------------------------------------------------------------------- transitions


@transaction.atomic
def scoring_start(*, actor, application: Application, expected_version: int | None = None
                  ) -> Application:
    """Start expert scoring of an application in national review (启动专家评审).

    Installs the default criteria sheet when the campaign has none. Raises GEN-002,
    GEN-003, GEN-005.
    """
    if perms.can_manage_campaign(actor):
        criteria_ensure(actor=actor, campaign=application.campaign)
    return _transition(actor=actor, application=application, action="start_scoring",
                       expected_version=expected_version)


@transaction.atomic
def scoring_finish(*, actor, application: Application, expected_version: int | None = None
                   ) -> Application:
    """Close expert scoring (完成专家评审) and store the aggregate in ``Application.score``.

    Every assigned expert must have scored every criterion, and at least one expert must
    be assigned. Raises DES-047 (``missing`` scores), GEN-002, GEN-003, GEN-005.
    """
    summary = score_summary(application)
    if summary.missing or not summary.sheets:
        raise DomainError(DES_SCORING_INCOMPLETE, params={
            "missing": summary.missing or len(summary.criteria) or 1})
    app = _transition(actor=actor, application=application, action="finish_scoring",
                      expected_version=expected_version)
    Application.objects.filter(pk=app.pk).update(score=summary.aggregate)
    app.score = application.score = summary.aggregate
    return app


def scoring_queue_for(user):
    """Assignments of ``user`` (an expert) on applications still in scoring, oldest first."""
    return (ExpertAssignment.objects.filter(expert_id=getattr(user, "pk", None),
                                            application__status=ApplicationStatus.SCORING)
            .select_related("application__employer", "application__campaign")
            .annotate(given=Count("scores")).order_by("application_id"))
