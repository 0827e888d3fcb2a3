"""The beat schedule names only registered tasks, and each periodic task runs in-process."""

from __future__ import annotations

import pytest
from django.conf import settings

from tuoyu.config.celery import app


@pytest.fixture(scope="module")
def registered():
    app.loader.import_default_modules()
    return set(app.tasks)


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_scheduled_task_is_registered(entry, registered):
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in registered


def test_complaint_escalation_task_runs_without_a_broker(db):
    from tuoyu.complaints.tasks import escalate_overdue_complaints_task

    assert escalate_overdue_complaints_task.delay().get() == {"escalated": 0}
