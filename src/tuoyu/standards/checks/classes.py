"""Checks of classes and children: age bands, class caps, carer ratios, places (设置标准 Art. 19–20)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from django.utils.translation import gettext as _

from tuoyu.core.ages import age_in_months
from tuoyu.standards.checks.findings import Finding, _class_subject, _Context, _finding
from tuoyu.standards.selectors import (
    CLASS_TYPES,
    EffectiveRule,
    carers_required,
)


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
