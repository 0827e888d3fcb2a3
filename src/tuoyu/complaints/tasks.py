"""Periodic job of the complaints app, runnable by Celery beat or the command line.

Without Celery configured, ``tuoyu complaints escalate`` runs the same function (hourly,
e.g. from cron); with beat, ``CELERY_BEAT_SCHEDULE`` in the settings schedules it.
"""

from __future__ import annotations

from celery import shared_task

from tuoyu.complaints.services import complaints_escalate


def escalate_overdue_complaints() -> dict:
    """Escalate complaints past their acknowledge or answer deadline (see
    :func:`~tuoyu.complaints.services.complaints_escalate`; ADR 0081). Idempotent: a
    complaint is escalated only when its level rises.

    Returns ``{"escalated": int}``.
    """
    return {"escalated": complaints_escalate(actor=None)}


escalate_overdue_complaints_task = shared_task(name="complaints.escalate_overdue_complaints")(
    escalate_overdue_complaints
)
