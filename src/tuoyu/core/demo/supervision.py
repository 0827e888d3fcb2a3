"""Demo supervision (演示监督检查): a double-random plan in 海淀 and its published result.

- the 海淀 health commission (``health-bj``) creates the plan, freezes and publishes the
  candidate and inspector lists and draws with a fixed seed; the draw's inspection of
  the filed 海淀 facility is closed with one rule item not met more than 20 working days
  before the demo date, so its result is public (一公开) on the facility page and in the
  open data; the facility responds to the rectification order and an inspector verifies;
- an ad hoc inspection of the same facility closed recently with one item not met and a
  short deadline that has passed with no response: an overdue rectification order for
  the escalation command (``tuoyu supervision escalate``) and alert MON-004.

Built through the supervision services (ADR 0006), back-dated with their ``today``/``now``
parameters; running it again adds nothing (the plan is found by title, the ad hoc
inspection by its reason).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

#: The filed 海淀 facility the demo inspects (catalogue key).
DEMO_INSPECTED_FACILITY = "fac-bj-joint"
#: Title of the demo plan (its year is the demo year).
DEMO_PLAN_TITLE = "海淀区托育机构双随机抽查"
#: The published seed of the demo draw.
DEMO_SEED = "2026年第一期双随机抽查 种子 7342"
#: Reason of the demo ad hoc inspection.
DEMO_AD_HOC_REASON = "群众反映午睡时段看护人员不足，开展专项检查。"
#: (calendar days before the demo date) of the drawn visit and of the ad hoc visit.
DRAWN_VISIT_DAYS = 70
AD_HOC_VISIT_DAYS = 25
#: Working days the ad hoc order gives for rectification (passed by the demo date).
AD_HOC_DEADLINE_WORKING_DAYS = 5


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _answer_all(inspection, inspector, *, not_met_note: str) -> None:
    """Every item met except the staffing-ratio rule item (STD-RATIO…, what the notes
    describe; the first rule item when there is none), not met."""
    from tuoyu.supervision.inspections import inspection_items_record

    items = list(inspection.items.order_by("position"))
    rules = [i for i in items if i.source == "rule"]
    failing = next((i for i in rules if i.code.startswith("STD-RATIO")), rules[0])
    answers = {i.pk: ("met", "") for i in items}
    answers[failing.pk] = ("not_met", not_met_note)
    inspection_items_record(actor=inspector, inspection=inspection, answers=answers)


def demo_supervision_build(builder) -> int:
    """Create the demo plan, draw, inspections and rectification orders (once).

    ``builder``: the :class:`~tuoyu.core.demo.builder.DemoBuilder`. Adds a second 海淀
    inspector (``inspector-hd2``; a draw and an ad hoc inspection need two). Skips
    everything when the facility was not built (``demo_build(facilities=…)``). Returns
    the number of inspections created by this call (0 on a second run).
    """
    from tuoyu.core.demo.catalogue import DEMO_SOURCE
    from tuoyu.facilities.models import Facility
    from tuoyu.supervision.inspections import (
        inspection_close,
        inspection_create,
        inspections_create_from_draw,
        rectification_for,
    )
    from tuoyu.supervision.models import Inspection, InspectionPlan
    from tuoyu.supervision.rectification import rectification_respond, rectification_verify
    from tuoyu.supervision.services import draw_lists_freeze, draw_perform, inspection_plan_create

    facility = Facility.objects.filter(
        source_system=DEMO_SOURCE, external_id=DEMO_INSPECTED_FACILITY
    ).first()
    if facility is None:
        return 0
    officer = builder.users["health-bj"]
    inspector = builder.users["inspector-bj"]
    second = builder.user("inspector-hd2", display_name="蒋检（海淀区卫生健康委员会）")
    builder.member(second, builder.orgs["health-110108"], "inspector")
    owner = builder.users["employer-bj"]
    created = 0

    visit = builder.as_of - timedelta(days=DRAWN_VISIT_DAYS)
    if not InspectionPlan.objects.filter(title=DEMO_PLAN_TITLE, year=visit.year).exists():
        plan = inspection_plan_create(
            actor=officer, organization=builder.orgs["health-110108"], title=DEMO_PLAN_TITLE,
            year=visit.year, scope_prefix="110108", count=1, per_target=2)
        draw_lists_freeze(actor=officer, plan=plan, now=_at(visit - timedelta(days=14)))
        draw = draw_perform(actor=officer, plan=plan, seed=DEMO_SEED,
                            seed_source="海淀区卫生健康委员会门户网站公告",
                            now=_at(visit - timedelta(days=7)))
        for inspection in inspections_create_from_draw(actor=officer, draw=draw, visit_date=visit):
            created += 1
            _answer_all(inspection, inspector,
                        not_met_note="抽查当日一个班级的保育人员配备低于规定比例。")
            inspection_close(actor=inspector, inspection=inspection,
                             required_evidence="排班表和新增保育人员的劳动合同。", today=visit)
            order = rectification_for(inspection)
            if order is not None:
                order = rectification_respond(
                    actor=owner, order=order,
                    text="已新招聘保育人员一名并调整排班，各班人员配备已符合规定比例。")
                rectification_verify(actor=inspector, order=order, note="现场复核，整改到位。")

    if not Inspection.objects.filter(facility=facility, reason=DEMO_AD_HOC_REASON).exists():
        ad_hoc_visit = builder.as_of - timedelta(days=AD_HOC_VISIT_DAYS)
        inspection = inspection_create(actor=officer, facility=facility,
                                       inspectors=[inspector, second], visit_date=ad_hoc_visit,
                                       reason=DEMO_AD_HOC_REASON)
        created += 1
        _answer_all(inspection, inspector, not_met_note="午睡室仅一名保育人员值守。")
        inspection_close(actor=inspector, inspection=inspection,
                         required_evidence="午睡时段排班表。",
                         deadline_working_days=AD_HOC_DEADLINE_WORKING_DAYS, today=ad_hoc_visit)
    return created
