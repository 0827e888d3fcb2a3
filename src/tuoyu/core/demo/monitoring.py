"""Demo alerts (演示预警): three complaints about a filed 海淀 facility within a fortnight,
then one run of the alerts job, so the health officer of 海淀 (``health-bj``) finds
alerts on the alerts page. Built through the complaints service and the alerts job, like
the rest of the demo data (ADR 0006); running it again adds nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

#: The filed 海淀 facility the demo complaints are about (catalogue key).
DEMO_COMPLAINT_FACILITY = "fac-bj-joint"
#: (days before the demo date, category, text) of each demo complaint.
DEMO_COMPLAINTS = (
    (2, "hygiene_food", "孩子连续三天午餐只有白粥和咸菜，营养明显不够，老师说是厨房人手不足。"),
    (6, "staffing", "托小班这两周经常只有一位老师带十几个孩子，午睡时没有人看护。"),
    (11, "safety", "户外活动场地的滑梯扶手松动，已经向园方反映过，至今没有维修。"),
)


def demo_alerts_build(builder) -> int:
    """File the demo complaints (once) and run the alerts job on ``builder.as_of``.

    Skips the complaints when the facility was not built (``demo_build(facilities=…)``).
    Returns the number of complaints filed by this call (0 on a second run).
    """
    from tuoyu.complaints.models import Complaint
    from tuoyu.complaints.services import complaint_submit
    from tuoyu.core.demo.catalogue import DEMO_SOURCE
    from tuoyu.facilities.models import Facility
    from tuoyu.monitoring.services import run_alerts

    filed = 0
    facility = Facility.objects.filter(
        source_system=DEMO_SOURCE, external_id=DEMO_COMPLAINT_FACILITY
    ).first()
    if facility is not None:
        texts = [text for _days, _category, text in DEMO_COMPLAINTS]
        if not Complaint.objects.filter(facility=facility, description__in=texts).exists():
            for days, category, text in DEMO_COMPLAINTS:
                when = timezone.make_aware(datetime.combine(builder.as_of - timedelta(days=days), time(10, 0)))
                complaint_submit(actor=None, target="facility", facility=facility, category=category,
                                 description=text, consent=True, now=when)
                filed += 1
    run_alerts(builder.as_of)
    return filed
