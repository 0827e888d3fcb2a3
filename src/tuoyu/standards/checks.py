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

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuoyu.core.ages import age_in_months, month_anniversary
from tuoyu.standards.selectors import (
    CLASS_TYPES,
    EffectiveRule,
    RuleBook,
    carers_required,
    province_of,
    rule_get,
    rules_in_force,
)

EDUCATION_RANK = {
    "below_hs": 0,
    "high_school": 1,
    "junior_college": 2,
    "bachelor": 3,
    "postgraduate": 4,
}


@dataclass(frozen=True)
class Finding:
    """One failed rule (不符合项) for one subject.

    ``severity`` is ``"block"`` or ``"warn"`` (from the rule, with the provincial override);
    ``message`` is in the language active when the check ran; ``subject`` says what failed
    (``班级 托小班1``, ``工作人员 #12（保育人员）``, ``婴幼儿 C00001``, ``机构``);
    ``subject_type`` is one of ``facility``, ``class``, ``staff``, ``child``, ``document``
    and ``subject_id`` the primary key (or child reference) where there is one.
    ``local_source`` names the provincial override's source when one changed the rule.
    ``params`` holds the numbers behind the message (JSON-serialisable).
    """

    rule_code: str
    severity: str
    message: str
    title: str
    source_document: str
    source_article: str
    certainty: str
    subject: str
    subject_type: str = "facility"
    subject_id: int | str | None = None
    local_source: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def is_blocking(self) -> bool:
        """True for a blocking finding."""
        return self.severity == "block"

    @property
    def source(self) -> str:
        """Document and article in one string."""
        return f"{self.source_document} {self.source_article}".strip()

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return asdict(self)


def has_blocking(findings: Iterable[Finding]) -> bool:
    """True when any finding blocks (severity ``block``)."""
    return any(f.is_blocking for f in findings)


@dataclass
class _Context:
    """Everything one facility check reads, loaded once."""

    facility: Any
    as_of: date
    classes: list[Any]
    staff: list[Any]
    children: list[Any]
    placement_of: dict[int, Any]
    documents: list[Any]
    service_types: set[str]
    children_by_class: dict[int, list[Any]] = field(default_factory=dict)
    carers_by_class: dict[int, list[Any]] = field(default_factory=dict)


def _finding(
    rule: EffectiveRule,
    message: str,
    subject: str,
    *,
    subject_type: str = "facility",
    subject_id: int | str | None = None,
    **params: Any,
) -> Finding:
    local = ""
    if rule.override is not None:
        local = f"{rule.override.source_document} {rule.override.source_article}".strip()
    return Finding(
        rule_code=rule.code,
        severity=rule.severity,
        message=message,
        title=rule.title,
        source_document=rule.source_document,
        source_article=rule.source_article,
        certainty=rule.certainty,
        subject=subject,
        subject_type=subject_type,
        subject_id=subject_id,
        local_source=local,
        params=params,
    )


def _class_subject(klass: Any) -> str:
    return _("班级 {name}").format(name=klass.name)


def _staff_subject(member: Any) -> str:
    return _("工作人员 #{id}（{role}）").format(id=member.pk, role=member.get_role_display())


def _facility_subject() -> str:
    return _("机构")


# --- checks, one per rule family; each yields Findings --------------------------------


def _check_band(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 19: each placed child's age lies in its class type's band, half-open."""
    class_type, lower, upper = (
        rule.param("class_type"),
        rule.param("min_months"),
        rule.param("max_months"),
    )
    for klass in ctx.classes:
        if klass.class_type != class_type:
            continue
        for child in ctx.children_by_class.get(klass.pk, []):
            months = age_in_months(child.birth_date, as_of=ctx.as_of)
            if not lower <= months < upper:
                yield _finding(
                    rule,
                    _(
                        "婴幼儿 {child} 月龄 {months} 个月，不在{klass}的收托范围 [{lower}, {upper}) 个月内。"
                    ).format(
                        child=child.child_ref,
                        months=months,
                        klass=klass.name,
                        lower=lower,
                        upper=upper,
                    ),
                    _("婴幼儿 {child}").format(child=child.child_ref),
                    subject_type="child",
                    subject_id=child.child_ref,
                    class_name=klass.name,
                    age_months=months,
                    min_months=lower,
                    max_months=upper,
                )


def _check_cap(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 19: a class's capacity and its placed children are within the cap."""
    class_type, cap = rule.param("class_type"), int(rule.param("max_children"))
    for klass in ctx.classes:
        if klass.class_type != class_type:
            continue
        if klass.capacity > cap:
            yield _finding(
                rule,
                _("{klass}额定人数 {capacity} 人，超过上限 {cap} 人。").format(
                    klass=klass.name, capacity=klass.capacity, cap=cap
                ),
                _class_subject(klass),
                subject_type="class",
                subject_id=klass.pk,
                capacity=klass.capacity,
                max_children=cap,
            )
        placed = len(ctx.children_by_class.get(klass.pk, []))
        if placed > cap:
            yield _finding(
                rule,
                _("{klass}在班婴幼儿 {count} 人，超过上限 {cap} 人。").format(
                    klass=klass.name, count=placed, cap=cap
                ),
                _class_subject(klass),
                subject_type="class",
                subject_id=klass.pk,
                children=placed,
                max_children=cap,
            )


def _check_ratio(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 20: carers in post assigned to a class ≥ ceil(children ÷ ratio)."""
    class_type, per = rule.param("class_type"), rule.param("children_per_carer")
    if not per:
        return
    per = int(per)
    for klass in ctx.classes:
        if klass.class_type != class_type:
            continue
        children = len(ctx.children_by_class.get(klass.pk, []))
        carers = len(ctx.carers_by_class.get(klass.pk, []))
        needed = carers_required(children, per)
        if carers < needed:
            yield _finding(
                rule,
                _(
                    "{klass}在班 {children} 人，需保育人员至少 {needed} 名（1:{per}），实有 {carers} 名。"
                ).format(
                    klass=klass.name, children=children, needed=needed, per=per, carers=carers
                ),
                _class_subject(klass),
                subject_type="class",
                subject_id=klass.pk,
                children=children,
                carers=carers,
                carers_required=needed,
                children_per_carer=per,
            )


_PLACES_FIELD = {t: f"places_{t}" for t in CLASS_TYPES}


def _check_enrolment_places(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """登记和备案办法 Art. 8: placed children per class type ≤ the facility's places of that type."""
    by_type: Counter[str] = Counter()
    for klass in ctx.classes:
        by_type[klass.class_type] += len(ctx.children_by_class.get(klass.pk, []))
    for class_type in CLASS_TYPES:
        places = getattr(ctx.facility, _PLACES_FIELD[class_type], 0) or 0
        if by_type[class_type] > places:
            label = _class_type_label(class_type)
            yield _finding(
                rule,
                _("{label}在班 {count} 人，超过登记托位 {places} 个。").format(
                    label=label, count=by_type[class_type], places=places
                ),
                label,
                class_type=class_type,
                children=by_type[class_type],
                places=places,
            )


def _class_type_label(class_type: str) -> str:
    from tuoyu.facilities.choices import ClassType

    return str(ClassType(class_type).label)


def _role_label(role: str) -> str:
    from tuoyu.facilities.choices import StaffRole

    try:
        return str(StaffRole(role).label)
    except ValueError:
        return role


def _check_roles(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 18: each required post has at least one member of staff in post."""
    present = {m.role for m in ctx.staff}
    missing = [r for r in rule.param("roles", []) if r not in present]
    if missing:
        labels = "、".join(_role_label(r) for r in missing)
        yield _finding(
            rule,
            _("缺少必备岗位：{roles}。").format(roles=labels),
            _facility_subject(),
            missing_roles=missing,
        )


def _serves_meals(ctx: _Context, rule: EffectiveRule) -> bool:
    return bool(ctx.service_types & set(rule.param("meal_service_types", [])))


def _check_cook(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 21: a facility serving meals has a cook in post."""
    role = rule.param("role", "cook")
    if _serves_meals(ctx, rule) and not any(m.role == role for m in ctx.staff):
        yield _finding(
            rule,
            _("提供膳食但没有在岗炊事人员。"),
            _facility_subject(),
            missing_roles=[role],
        )


def _check_director(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 18: director 大专+, ≥3 years' related management, trained."""
    min_edu = rule.param("min_education")
    min_years = int(rule.param("min_years", 0) or 0)
    for member in ctx.staff:
        if member.role != "director":
            continue
        problems = []
        if min_edu and EDUCATION_RANK.get(member.education, -1) < EDUCATION_RANK[min_edu]:
            problems.append("education")
        if member.years_experience < min_years:
            problems.append("years")
        if rule.param("training_required") and not member.trained:
            problems.append("training")
        if problems:
            texts = {
                "education": _("学历低于大专"),
                "years": _("相关管理经历不足 {years} 年").format(years=min_years),
                "training": _("未经岗位培训合格"),
            }
            yield _finding(
                rule,
                _("负责人不符合任职条件：{problems}。").format(
                    problems="；".join(texts[p] for p in problems)
                ),
                _staff_subject(member),
                subject_type="staff",
                subject_id=member.pk,
                problems=problems,
                min_education=min_edu,
                min_years=min_years,
            )


def _training_check(role: str) -> Callable[[_Context, EffectiveRule], Iterator[Finding]]:
    def check(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
        if not rule.param("training_required"):
            return
        for member in ctx.staff:
            if member.role == role and not member.trained:
                yield _finding(
                    rule,
                    _("{role}未经岗位培训合格。").format(role=_role_label(role)),
                    _staff_subject(member),
                    subject_type="staff",
                    subject_id=member.pk,
                )

    check.__doc__ = f"设置标准 Art. 18: every {role} in post is trained."
    return check


def _check_security(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 18: every security guard in post holds a certificate (qualification not blank)."""
    if not rule.param("certificate_required"):
        return
    for member in ctx.staff:
        if member.role == "security_guard" and not (member.qualification or "").strip():
            yield _finding(
                rule,
                _("保安人员未登记保安员证。"),
                _staff_subject(member),
                subject_type="staff",
                subject_id=member.pk,
            )


def _check_health_staff(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """76号令 Art. 12: ≥1 full-time health worker per 150 children; below 150, ≥1 of any kind."""
    children = len(ctx.children)
    if children == 0:
        return
    per = int(rule.param("children_per_health_worker"))
    full_time_from = int(rule.param("full_time_from_children", per))
    workers = [m for m in ctx.staff if m.role == "health_worker"]
    if children >= full_time_from:
        needed = math.ceil(children / per)
        have = sum(1 for m in workers if m.full_time)
        if have < needed:
            yield _finding(
                rule,
                _(
                    "在托 {children} 人，需专职卫生保健人员至少 {needed} 名，实有 {have} 名。"
                ).format(children=children, needed=needed, have=have),
                _facility_subject(),
                children=children,
                required=needed,
                full_time=have,
            )
    elif not workers:
        yield _finding(
            rule,
            _("在托 {children} 人，未配备专职或兼职卫生保健人员。").format(children=children),
            _facility_subject(),
            children=children,
            required=1,
            full_time=0,
        )


def _check_health_certificate(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """管理规范 Art. 28: every member of staff in post has a health certificate valid on ``as_of``."""
    for member in ctx.staff:
        expiry = member.health_certificate_expiry
        if expiry is None:
            message = _("未登记健康合格证明。")
        elif expiry < ctx.as_of:
            message = _("健康合格证明已于 {expiry} 过期。").format(expiry=expiry.isoformat())
        else:
            continue
        yield _finding(
            rule,
            message,
            _staff_subject(member),
            subject_type="staff",
            subject_id=member.pk,
            expiry=expiry.isoformat() if expiry else None,
        )


def _check_health_certificate_renewal(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """WS/T 821 5.1.5: an expiry more than 12 months after ``as_of`` is not a yearly renewal."""
    months = int(rule.param("max_validity_months", 12))
    limit = month_anniversary(ctx.as_of, months)
    for member in ctx.staff:
        expiry = member.health_certificate_expiry
        if expiry is not None and expiry > limit:
            yield _finding(
                rule,
                _("健康合格证明有效期至 {expiry}，超过 {months} 个月，未按年度更新。").format(
                    expiry=expiry.isoformat(), months=months
                ),
                _staff_subject(member),
                subject_type="staff",
                subject_id=member.pk,
                expiry=expiry.isoformat(),
                max_validity_months=months,
            )


def _check_no_criminal_record(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """WS/T 821: every member of staff in post has a no-criminal-record certificate."""
    for member in ctx.staff:
        if not member.no_criminal_record:
            yield _finding(
                rule,
                _("未提交无犯罪记录证明。"),
                _staff_subject(member),
                subject_type="staff",
                subject_id=member.pk,
            )


def _check_premises(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """设置标准 Art. 11: own premises, or a lease of ≥3 years (end date inclusive) not yet ended."""
    facility = ctx.facility
    if facility.premises_tenure != "leased":
        return
    years = int(rule.param("min_lease_years", 3))
    start, end = facility.lease_start, facility.lease_end
    if start is None or end is None:
        yield _finding(
            rule, _("租赁场地未登记租赁起止日期。"), _facility_subject(), min_lease_years=years
        )
        return
    # The end date is the last day of the lease: a lease of 2024-01-01 to 2026-12-31 is 3 years.
    if end + timedelta(days=1) < month_anniversary(start, 12 * years):
        yield _finding(
            rule,
            _("场地租期 {start} 至 {end}，不足 {years} 年。").format(
                start=start.isoformat(), end=end.isoformat(), years=years
            ),
            _facility_subject(),
            lease_start=start.isoformat(),
            lease_end=end.isoformat(),
            min_lease_years=years,
        )
    elif end < ctx.as_of:
        yield _finding(
            rule,
            _("场地租赁已于 {end} 到期。").format(end=end.isoformat()),
            _facility_subject(),
            lease_end=end.isoformat(),
            min_lease_years=years,
        )


def _check_floor(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """WS/T 821: children's rooms on floor 1–3 (below 1 = basement)."""
    floor = ctx.facility.children_floor
    low, high = int(rule.param("min_floor", 1)), int(rule.param("max_floor", 3))
    if floor < low:
        yield _finding(
            rule,
            _("婴幼儿生活用房设在地下室或半地下室。"),
            _facility_subject(),
            floor=floor,
            min_floor=low,
            max_floor=high,
        )
    elif floor > high:
        yield _finding(
            rule,
            _("婴幼儿生活用房在第 {floor} 层，高于第 {max} 层。").format(floor=floor, max=high),
            _facility_subject(),
            floor=floor,
            min_floor=low,
            max_floor=high,
        )


def _area_check(
    area_field: str, label: str
) -> Callable[[_Context, EffectiveRule], Iterator[Finding]]:
    def check(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
        minimum = rule.param("min_m2_per_place")
        places = ctx.facility.total_places
        if minimum is None or places <= 0:
            return  # unverified threshold not configured: not checked
        minimum = Decimal(str(minimum))
        area = getattr(ctx.facility, area_field)
        if area is None:
            yield _finding(
                rule,
                _("未登记{label}，无法核对每托位不少于 {min} ㎡。").format(
                    label=_(label), min=minimum
                ),
                _facility_subject(),
                min_m2_per_place=str(minimum),
                places=places,
            )
            return
        per_place = (Decimal(area) / places).quantize(Decimal("0.01"))
        if per_place < minimum:
            yield _finding(
                rule,
                _("{label}每托位 {per} ㎡，低于 {min} ㎡。").format(
                    label=_(label), per=per_place, min=minimum
                ),
                _facility_subject(),
                m2_per_place=str(per_place),
                min_m2_per_place=str(minimum),
                places=places,
            )

    check.__doc__ = f"Configurable (U): {area_field} ÷ total places ≥ min_m2_per_place when set."
    return check


def _document_label(doc_type: str) -> str:
    from tuoyu.facilities.choices import DocumentType

    try:
        return str(DocumentType(doc_type).label)
    except ValueError:
        return doc_type


def _document_findings(
    ctx: _Context, rule: EffectiveRule, doc_types: Iterable[str]
) -> Iterator[Finding]:
    by_type: dict[str, list[Any]] = defaultdict(list)
    for doc in ctx.documents:
        by_type[doc.doc_type].append(doc)
    for doc_type in doc_types:
        docs = by_type.get(doc_type, [])
        if any(d.valid_until is None or d.valid_until >= ctx.as_of for d in docs):
            continue
        label = _document_label(doc_type)
        if docs:
            latest = max(d.valid_until for d in docs)
            message = _("{doc}已于 {date} 过期。").format(doc=label, date=latest.isoformat())
        else:
            latest = None
            message = _("缺少备案材料：{doc}。").format(doc=label)
        yield _finding(
            rule,
            message,
            label,
            subject_type="document",
            subject_id=doc_type,
            document=doc_type,
            expired_on=latest.isoformat() if latest else None,
        )


def _check_documents(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """登记和备案办法 Art. 8: each required document is present and not expired."""
    yield from _document_findings(ctx, rule, rule.param("documents", []))


def _check_food_licence(ctx: _Context, rule: EffectiveRule) -> Iterator[Finding]:
    """登记和备案办法 Art. 8: a facility serving meals has a valid food business licence."""
    if _serves_meals(ctx, rule):
        yield from _document_findings(ctx, rule, [rule.param("document", "food_licence")])


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
    Returns the findings in rule-code order (empty list = compliant). Reads only; no
    side effects. Rule sources are in each Finding and in ``docs/rules.md``.
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
        if check is not None:
            findings.extend(check(ctx, rule))
    return findings


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
