"""Periodic job of the monitoring app, runnable by Celery beat or the command line.

Without Celery configured, ``tuoyu monitoring run`` runs the same function (daily, e.g.
from cron); with beat, ``CELERY_BEAT_SCHEDULE`` in the settings schedules it.
"""

from __future__ import annotations

from tuoyu.monitoring.services import run_alerts as _run_alerts


def run_alerts() -> dict:
    """Run every alert rule on today's date (see :func:`tuoyu.monitoring.services.run_alerts`).
    Idempotent per day.

    Returns ``{"as_of": ISO date, "rules": [{"code", "raised", "kept", "resolved", "error"}, …]}``.
    """
    return _run_alerts().as_dict()


try:  # Celery is optional: register the task when it is installed.
    from celery import shared_task
except ImportError:  # pragma: no cover
    pass
else:
    run_alerts_task = shared_task(name="monitoring.run_alerts")(run_alerts)
