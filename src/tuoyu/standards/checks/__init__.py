"""The compliance check of a facility as of a date (合规检查), against the rule table.

:func:`facility_check` reads the facility's classes, staff in post, enrolled children and
their class placements, filing documents and services *as of* a date, and runs one check
per rule in force (national rules with the province's overrides). Each failure is a
:class:`Finding` naming its rule code, source and severity.

What "as of" means:
- a child is enrolled when ``enrolled_on ≤ as_of`` and (``left_on`` is None or
  ``left_on > as_of``); its class is the placement with ``start ≤ as_of`` and (``end`` is
  None or ``end > as_of``);
- a member of staff is in post when (``start_date`` is None or ``start_date ≤ as_of``) and
  (``end_date`` is None or ``end_date > as_of``);
- a certificate or document with a validity date is valid through that date (inclusive).

Meals: the national texts tie the cook and the food licence to serving meals, which the
data model does not record; the rules ``STD-STAFF-COOK`` and ``STD-DOCS-FOOD-LICENCE``
take a facility offering a service type in their ``meal_service_types`` parameter
(default: full-day care) to serve meals.

Queries: about eight per facility whatever its size (division, two for the rules, classes,
staff, enrolments, placements, documents, services), fewer when a :class:`RuleBook` is
passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuoyu.standards.checks.classes import (
    _check_band,
    _check_cap,
    _check_enrolment_places,
    _check_ratio,
)
from tuoyu.standards.checks.findings import (
    Finding,
    _Context,
    _facility_subject,
    _finding,
    has_blocking,
    redact_children,
)
from tuoyu.standards.checks.premises import (
    _area_check,
    _check_documents,
    _check_floor,
    _check_food_licence,
    _check_premises,
)
from tuoyu.standards.checks.staffing import (
    _check_cook,
    _check_director,
    _check_health_certificate,
    _check_health_certificate_renewal,
    _check_health_staff,
    _check_no_criminal_record,
    _check_roles,
    _check_security,
    _training_check,
)
from tuoyu.standards.parameters import parameter_errors
from tuoyu.standards.selectors import (
    CLASS_TYPES,
    EffectiveRule,
    RuleBook,
    ensure_usable,
    province_of,
    rule_get,
    rules_in_force,
)

__all__ = ["FACILITY_CHECKS", "Finding", "deadline_check", "deadline_for", "facilities_check", "facility_check", "has_blocking", "redact_children"]


#: The check of each rule code run by :func:`facility_check`. Deadline rules are checked
#: by :func:`deadline_check` instead, as they concern the health department's handling.
FACILITY_CHECKS: dict[str, Callable[[_Context, EffectiveRule], Iterator[Finding]]] = {
    **{f"STD-BAND-{t.upper()}": _check_band for t in CLASS_TYPES},
    **{f"STD-CAP-{t.upper()}": _check_cap for t in CLASS_TYPES},
    **{f"STD-RATIO-{t.upper()}": _check_ratio for t in CLASS_TYPES},
    "STD-ENROL-PLACES": _check_enrolment_places,
    "STD-STAFF-ROLES": _check_roles,
    "STD-STAFF-COOK": _check_cook,
    "STD-QUAL-DIRECTOR": _check_director,
    "STD-QUAL-CARER": _training_check("carer"),
    "STD-QUAL-HEALTH": _training_check("health_worker"),
    "STD-QUAL-SECURITY": _check_security,
    "STD-HEALTH-STAFF": _check_health_staff,
    "STD-HEALTH-CERT": _check_health_certificate,
    "STD-HEALTH-CERT-RENEWAL": _check_health_certificate_renewal,
    "STD-NO-CRIMINAL-RECORD": _check_no_criminal_record,
    "STD-PREMISES-TENURE": _check_premises,
    "STD-FLOOR": _check_floor,
    "STD-AREA-BUILDING": _area_check("building_area", gettext_noop("建筑面积")),
    "STD-AREA-OUTDOOR": _area_check("outdoor_area", gettext_noop("户外活动面积")),
    "STD-DOCS-REQUIRED": _check_documents,
    "STD-DOCS-FOOD-LICENCE": _check_food_licence,
}
DEADLINE_RULES = ("STD-DEADLINE-FILING", "STD-DEADLINE-VERIFY")


def _load_context(facility: Any, as_of: date) -> _Context:
    from tuoyu.facilities.models import ClassPlacement, Enrolment, FacilityClass, StaffMember

    classes = list(FacilityClass.objects.filter(facility=facility).order_by("name", "pk"))
    staff = list(
        StaffMember.objects.filter(facility=facility)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=as_of))
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
        .order_by("role", "pk")
    )
    enrolled = Q(enrolled_on__lte=as_of) & (Q(left_on__isnull=True) | Q(left_on__gt=as_of))
    children = list(Enrolment.objects.filter(enrolled, facility=facility).order_by("child_ref"))
    placements = (
        ClassPlacement.objects.filter(
            enrolment__facility=facility,
            start__lte=as_of,
        )
        .filter(Q(end__isnull=True) | Q(end__gt=as_of))
        .order_by("enrolment_id", "start")
    )
    placement_of = {p.enrolment_id: p for p in placements}  # the latest start wins on overlap
    ctx = _Context(
        facility=facility,
        as_of=as_of,
        classes=classes,
        staff=staff,
        children=children,
        placement_of=placement_of,
        documents=list(facility.documents.all()),
        service_types=set(facility.services.values_list("service_type", flat=True)),
    )
    for child in children:
        placement = placement_of.get(child.pk)
        if placement is not None:
            ctx.children_by_class.setdefault(placement.facility_class_id, []).append(child)
    for member in staff:
        if member.role == "carer" and member.assigned_class_id:
            ctx.carers_by_class.setdefault(member.assigned_class_id, []).append(member)
    return ctx


def facility_check(facility: Any, *, as_of: date, rules: RuleBook | None = None) -> list[Finding]:
    """Check ``facility`` against every rule in force on ``as_of`` in its province.

    ``facility``: a ``facilities.Facility`` (its division gives the province whose overrides
    apply). ``rules``: an optional :class:`RuleBook` for the same date and province, to
    reuse across many facilities; ValueError if it is for another date or province.
    Returns the findings in rule-code order (empty list = compliant). A rule whose
    parameters do not fit its schema gives one finding naming the rule ("not checked")
    instead of an exception. Reads only; no side effects. Rule sources are in each Finding and in ``docs/rules.md``.
    """
    province = province_of(facility.division.code)
    if rules is None:
        rules = rules_in_force(as_of=as_of, province_code=province)
    elif rules.as_of != as_of or rules.province_code != province:
        raise ValueError("rule book is for another date or province")
    ctx = _load_context(facility, as_of)
    findings: list[Finding] = []
    for rule in rules:
        check = FACILITY_CHECKS.get(rule.code)
        if check is None:
            continue
        problems = parameter_errors(rule.code, rule.parameters)
        if problems:
            findings.append(_unusable_rule(rule, problems))
            continue
        findings.extend(check(ctx, rule))
    return findings


def _unusable_rule(rule: EffectiveRule, problems: list[str]) -> Finding:
    """The finding for a rule whose stored parameters do not fit its schema: it names the
    rule and the problems, keeps the rule's severity, and says the rule was not checked."""
    return _finding(
        rule,
        _("规则 {code} 的参数无法使用（{problems}），本项未能检查；请平台管理员在规则表中修正。").format(
            code=rule.code, problems="; ".join(problems)
        ),
        _facility_subject(),
        unusable_parameters=problems,
    )


def facilities_check(facilities: Iterable[Any], *, as_of: date) -> dict[int, list[Finding]]:
    """Check many facilities on one date, reading the rule table once per province.

    Returns ``{facility.pk: [Finding, …]}``. Pass facilities with ``select_related("division")``
    to save one query each.
    """
    books: dict[str | None, RuleBook] = {}
    result: dict[int, list[Finding]] = {}
    for facility in facilities:
        province = province_of(facility.division.code)
        if province not in books:
            books[province] = rules_in_force(as_of=as_of, province_code=province)
        result[facility.pk] = facility_check(facility, as_of=as_of, rules=books[province])
    return result


def deadline_for(code: str, start: date, *, province_code: str | None = None):
    """The deadline of deadline rule ``code`` counted from ``start`` (the day materials arrived).

    ``code``: ``STD-DEADLINE-FILING`` (5 working days) or ``STD-DEADLINE-VERIFY`` (15);
    登记和备案办法 Art. 9. The rule version in force on ``start`` applies. Returns the
    reference calendar's ``Deadline(date, provisional)``; a deadline date is inclusive.
    Raises ``STD-001`` when the rule is not in force on ``start``.
    """
    from tuoyu.reference.calendar import add_working_days

    rule = rule_get(code, as_of=start, province_code=province_code)
    ensure_usable(rule)
    return add_working_days(start, int(rule.param("working_days")))


def deadline_check(
    code: str,
    *,
    start: date,
    as_of: date,
    done_on: date | None = None,
    province_code: str | None = None,
) -> Finding | None:
    """Return a Finding when the deadline ``code`` counted from ``start`` was missed, else None.

    Missed: done after the deadline date (``done_on``), or not done and ``as_of`` is past it.
    The deadline date itself counts as in time.
    """
    rule = rule_get(code, as_of=start, province_code=province_code)
    deadline = deadline_for(code, start, province_code=province_code)
    late_on = done_on if done_on is not None else as_of
    if late_on <= deadline.date:
        return None
    return _finding(
        rule,
        _("办理时限为 {days} 个工作日，应于 {deadline} 前办结。").format(
            days=rule.param("working_days"), deadline=deadline.date.isoformat()
        ),
        _facility_subject(),
        start=start.isoformat(),
        deadline=deadline.date.isoformat(),
        provisional=bool(deadline.provisional),
        working_days=rule.param("working_days"),
    )
