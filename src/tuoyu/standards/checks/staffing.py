"""Checks of staff: required posts, qualifications, health staff, certificates (设置标准 Art. 18, 21; 76号令 Art. 12)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _

from tuoyu.core.ages import month_anniversary
from tuoyu.standards.checks.findings import (
    EDUCATION_RANK,
    Finding,
    _Context,
    _facility_subject,
    _finding,
    _staff_subject,
)
from tuoyu.standards.selectors import (
    EffectiveRule,
)


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
