"""Where the demo writes: the services of the accounts and facilities apps.

The demo creates organisations, memberships, facilities, classes, staff and children
through the same services a person uses, and walks each facility's filing through the
workflow services (submit, file, return, change, cancel), so blocking rules apply to it
exactly as to anyone. The rule breaks a few demo facilities carry (see
``catalogue.FacilitySpec.breaks``) are made *after* the filing step, as the situation that
changed since (edits are allowed in draft, returned and filed), also through the services.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from tuoyu.accounts.models import Membership, Organization

RETURN_REASONS = {
    "ratio": "乳儿班保育人员配备不足（应不低于1:3），请补充保育人员后重新提交。",
    "default": "场地证明材料不清晰，请重新上传租赁合同扫描件后再提交。",
}

# Lowest carer ratio (children per carer) of the national standard, 设置标准 Art. 20.
_RATIO = {"infant": 3, "toddler": 5, "older": 7, "mixed": 5}


def _search_key(name: str) -> str:
    from tuoyu.facilities.selectors import facility_search_key

    return facility_search_key(name)


class DemoWriter:
    """Thin adapter from the demo builder to the services (one method per write)."""

    def __init__(self, *, as_of: date):
        self.as_of = as_of

    # -- accounts ---------------------------------------------------------------------
    def organization_create(self, *, actor, division, **fields) -> Organization:
        """Create an organisation through ``accounts.services.organization_create``."""
        from tuoyu.accounts.services import organization_create

        return organization_create(actor=actor, division_code=division, **fields)

    def user_create(self, *, actor, username: str, display_name: str, password_hash: str,
                    staff: bool = False):
        """Create a person through ``accounts.services.user_create``, then set the shared hash.

        The demo's one password is hashed once and the hash stored for every account
        (hashing it 80 times would take most of a minute); ``staff`` makes a superuser
        for Django admin.
        """
        from tuoyu.accounts.models import User
        from tuoyu.accounts.services import user_create

        user = user_create(actor=actor, username=username, password=None, display_name=display_name)
        User.objects.filter(pk=user.pk).update(password=password_hash, is_staff=staff,
                                               is_superuser=staff)
        user.refresh_from_db()
        return user

    def membership_add(self, *, actor, user, organization, role) -> Membership:
        """Give ``user`` ``role`` in ``organization`` (``accounts.services.membership_add``)."""
        from tuoyu.accounts.services import membership_add

        return membership_add(actor=actor, user=user, organization=organization, role=role)

    # -- facilities -------------------------------------------------------------------
    def facility_create(self, *, actor, operator, sponsors, fees, **fields):
        """Create a facility run by ``operator``, sponsored by ``sponsors``, with ``fees`` (¥/month)."""
        from tuoyu.facilities.services import facility_create

        return facility_create(actor=actor, operator=operator, sponsors=sponsors,
                               services={k: str(v) for k, v in fees.items()}, **fields)

    def documents_add(self, *, actor, facility, rng: random.Random) -> None:
        """Record the filing documents of 登记和备案办法 Art. 8 (reference numbers, no files)."""
        from tuoyu.facilities.services import document_add

        docs = {
            "licence": "营业执照（副本）",
            "premises": "场地租赁合同/产权证明",
            "staff_certs": "工作人员资格证书及健康合格证明",
            "health_eval": "托幼机构卫生评价报告（合格）",
            "fire_safety": "消防安全检查合格证明",
            "commitment": "备案承诺书",
        }
        if facility.services.filter(service_type="full_day").exists():
            docs["food_licence"] = "食品经营许可证"
        for doc_type, label in docs.items():
            document_add(
                actor=actor, facility=facility, doc_type=doc_type,
                reference=f"{label} No.{rng.randint(100000, 999999)}",
                valid_until=self.as_of + timedelta(days=rng.randint(300, 900)),
            )

    def class_create(self, *, actor, facility, **fields):
        """Create a class (班级) of ``facility``."""
        from tuoyu.facilities.services import class_create

        return class_create(actor=actor, facility=facility, **fields)

    def staff_create(self, *, actor, facility, **fields):
        """Create a member of staff (工作人员) of ``facility``."""
        from tuoyu.facilities.services import staff_create

        return staff_create(actor=actor, facility=facility, **fields)

    def enrolment_create(self, *, actor, facility, facility_class, **fields):
        """Enrol a child (birth date only) in ``facility`` and place it in ``facility_class``."""
        from tuoyu.facilities.services import enrolment_create

        return enrolment_create(actor=actor, facility=facility, facility_class=facility_class,
                                **fields)

    # -- filing -----------------------------------------------------------------------
    def filing_walk(self, *, facility, status: str, actor, reviewer, breaks) -> None:
        """Move ``facility`` through the filing workflow to ``status``, then apply ``breaks``."""
        steps = {
            "draft": [],
            "submitted": ["submit"],
            "returned": ["submit", "return"],
            "filed": ["submit", "file"],
            "change_submitted": ["submit", "file", "submit_change"],
            "cancelled": ["submit", "file", "cancel"],
            "suspended": ["submit", "file", "suspend"],
            "revoked": ["submit", "file", "suspend", "revoke"],
        }[status]
        for step in steps:
            self.transition(facility, step, actor=actor, reviewer=reviewer, breaks=breaks)
        for kind in breaks:
            self.rule_break(facility, kind, actor=actor)

    def transition(self, facility, action: str, *, actor, reviewer, breaks) -> None:
        """Run one workflow service, as the employer (submit, change, cancel) or the officer
        (file, return, and the regulatory suspend and revoke of ADR 0097)."""
        from tuoyu.facilities import services

        if action == "submit":
            services.filing_submit(actor=actor, facility=facility)
        elif action == "file":
            services.filing_file(actor=reviewer, facility=facility)
        elif action == "return":
            reason = RETURN_REASONS["ratio" if "ratio" in breaks else "default"]
            services.filing_return(actor=reviewer, facility=facility, reason=reason)
        elif action == "submit_change":
            services.filing_submit_change(actor=actor, facility=facility,
                                          reason="增设托小班一个，托位由45个增至60个。")
        elif action == "cancel":
            services.filing_cancel(actor=actor, facility=facility,
                                   reason="办公园区搬迁，托育服务终止。")
        elif action == "suspend":
            services.filing_suspend(actor=reviewer, facility=facility,
                                    reason="整改通知逾期未整改，责令暂停托育服务至整改核实。")
        elif action == "revoke":
            services.filing_revoke(actor=reviewer, facility=facility,
                                   reason="暂停期间仍未整改，撤销备案。")
        else:  # pragma: no cover - the table above names every step
            raise ValueError(action)

    def rule_break(self, facility, kind: str, *, actor) -> None:
        """Make ``facility`` break one rule (see ``FacilitySpec.breaks``), through the services."""
        from tuoyu.facilities import services

        first = facility.classes.order_by("id").first()
        if kind == "over_cap":
            children = first.placements.filter(end__isnull=True).count()
            cap_plus = first.capacity + 2
            services.class_update(actor=actor, facility_class=first, capacity=cap_plus)
            template = facility.enrolments.order_by("id").first()
            for n in range(cap_plus - children):
                self.enrolment_create(
                    actor=actor, facility=facility, facility_class=first,
                    child_ref=f"X{n + 1:03d}",
                    birth_date=template.birth_date + timedelta(days=n + 1),
                    enrolled_on=self.as_of, service_type=template.service_type,
                )
        elif kind == "ratio":
            children = first.placements.filter(end__isnull=True).count()
            keep = max(math.ceil(children / _RATIO[first.class_type]) - 1, 1)
            for carer in list(first.carers.order_by("-id")[: max(first.carers.count() - keep, 0)]):
                services.staff_update(actor=actor, staff=carer, assigned_class=None)
        elif kind == "expired_cert":
            carer = facility.staff.filter(role="carer").order_by("id").first()
            services.staff_update(actor=actor, staff=carer,
                                  health_certificate_expiry=self.as_of - timedelta(days=21))
        elif kind == "wrong_band":
            from tuoyu.core.demo.builder import birth_date_for

            infant = facility.classes.filter(class_type="infant").first()
            self.enrolment_create(
                actor=actor, facility=facility, facility_class=infant, child_ref="X900",
                birth_date=birth_date_for(random.Random(facility.pk), 14, as_of=self.as_of),
                enrolled_on=self.as_of - timedelta(days=10),
            )
        elif kind == "no_health_worker":
            for staff in list(facility.staff.filter(role="health_worker")):
                services.staff_delete(actor=actor, staff=staff)
        else:
            raise ValueError(f"unknown rule break {kind!r}")
