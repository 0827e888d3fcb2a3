"""Periodic jobs of the supervision app, runnable by Celery beat or the command line.

Without Celery configured, ``tuoyu supervision escalate`` runs the same function (and
``tuoyu supervision remind-annual-reports`` the annual-report reminders).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from tuoyu.supervision.annual_reports import annual_reports_remind
from tuoyu.supervision.rectification import rectifications_escalate


def escalate_overdue_rectifications() -> dict:
    """Escalate every overdue rectification order one due step (see
    :func:`~tuoyu.supervision.rectification.rectifications_escalate`). Idempotent per day.

    Returns ``{"as_of": ISO date, "escalated": [[order pk, step], …], "for_decision": [pk, …]}``.
    """
    run = rectifications_escalate()
    return {
        "as_of": run.as_of.isoformat(),
        "escalated": [list(x) for x in run.escalated],
        "for_decision": run.for_decision,
    }


def remind_annual_reports(as_of: str | None = None) -> dict:
    """Record today's annual-report reminders (see
    :func:`~tuoyu.supervision.annual_reports.annual_reports_remind`). Idempotent per
    facility, year and day. ``as_of``: an ISO date (default: today, local).

    Returns ``{"year": int, "deadline": ISO date, "as_of": ISO date, "in_window": bool,
    "reminded": [facility pk, …]}``.
    """
    run = annual_reports_remind(as_of=dt.date.fromisoformat(as_of) if as_of else None)
    return {
        "year": run.year,
        "deadline": run.deadline.isoformat(),
        "as_of": run.as_of.isoformat(),
        "in_window": run.in_window,
        "reminded": run.reminded,
    }


escalate_overdue_rectifications_task = shared_task(name="supervision.escalate_overdue_rectifications")(
    escalate_overdue_rectifications
)
remind_annual_reports_task = shared_task(name="supervision.remind_annual_reports")(remind_annual_reports)
