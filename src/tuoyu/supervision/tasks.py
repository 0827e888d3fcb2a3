"""Periodic jobs of the supervision app, runnable by Celery beat or the command line.

Without Celery configured, ``tuoyu supervision escalate`` runs the same function.
"""

from __future__ import annotations

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


try:  # Celery is optional: register the task when it is installed.
    from celery import shared_task
except ImportError:  # pragma: no cover
    pass
else:
    escalate_overdue_rectifications_task = shared_task(name="supervision.escalate_overdue_rectifications")(
        escalate_overdue_rectifications
    )
