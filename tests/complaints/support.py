"""Helpers of the complaint tests."""

from __future__ import annotations

from tuoyu.complaints.services import complaint_submit

GENUINE = "本周三下午接孩子时发现午睡室的窗户没有护栏，老师说已经报修两周了还没有处理。"


def submit(facility=None, *, category="safety", text=GENUINE, employer=None, **kwargs):
    """File a complaint through the service with sensible defaults; returns it."""
    target = "facility" if facility is not None else "employer"
    return complaint_submit(
        actor=None, target=target, facility=facility, employer=employer, category=category,
        description=text, consent=True, **kwargs,
    )
