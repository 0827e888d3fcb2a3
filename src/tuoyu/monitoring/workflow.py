"""Alert lifecycle (预警处理流程): statuses and the transition table.

::

    open ─acknowledge→ acknowledged
      └──────resolve──────┴─→ resolved

``acknowledge`` is an officer's (with a note); ``resolve`` is the job's, when the
condition behind the alert is gone. A resolved alert stays on record; if the condition
comes back, the job raises a new alert.
"""

from tuoyu.core.workflow import Transition, Workflow
from tuoyu.monitoring.choices import AlertStatus

#: Capabilities named by the table (checked by :mod:`tuoyu.monitoring.permissions`).
ACKNOWLEDGE = "acknowledge_alert"
SYSTEM = "system"

ALERT_WORKFLOW = Workflow(
    "alert",
    [
        Transition("acknowledge", frozenset({AlertStatus.OPEN}), AlertStatus.ACKNOWLEDGED, ACKNOWLEDGE),
        Transition(
            "resolve", frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}), AlertStatus.RESOLVED, SYSTEM
        ),
    ],
)
