"""Deadlines in working days across the 2025 National Day holiday, and escalation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from tests.complaints.conftest import at
from tests.complaints.support import submit
from tuoyu.audit.models import AuditEvent
from tuoyu.complaints.models import Notification
from tuoyu.complaints.services import complaint_transition, complaints_escalate

pytestmark = pytest.mark.django_db

# 2025 National Day and Mid-Autumn: holiday 1–8 Oct; make-up workdays Sun 28 Sep and Sat 11 Oct.


def test_acknowledge_deadline_counts_make_up_saturday(facility):
    # Received Tue 30 Sep: Thu 9, Fri 10, Sat 11 Oct (make-up workday) → 11 Oct.
    assert submit(facility, category="fees", now=at(2025, 9, 30)).ack_due == dt.date(2025, 10, 11)


def test_answer_deadline_skips_the_holiday_week(facility):
    # 15 working days from 30 Sep: 9, 10, 11, 13–17, 20–24, 27, 28 Oct.
    assert submit(facility, category="fees", now=at(2025, 9, 30)).answer_due == dt.date(2025, 10, 28)


def test_urgent_acknowledge_deadline_is_first_working_day_after_holiday(facility):
    assert submit(facility, category="abuse_neglect", now=at(2025, 9, 30)).ack_due == dt.date(2025, 10, 9)


def test_received_on_make_up_sunday_counts_from_next_day(facility):
    # Received Sun 28 Sep (a workday itself, day 0): Mon 29, Tue 30 Sep, Thu 9 Oct.
    assert submit(facility, category="fees", now=at(2025, 9, 28)).ack_due == dt.date(2025, 10, 9)


def test_deadlines_follow_settings(facility, settings):
    settings.COMPLAINT_DEADLINES = {"fees": (2, 4)}
    complaint = submit(facility, category="fees", now=at(2025, 9, 30))
    assert (complaint.ack_due, complaint.answer_due) == (dt.date(2025, 10, 10), dt.date(2025, 10, 13))


def test_not_overdue_on_the_deadline_day(facility, officers):
    submit(facility, category="fees", now=at(2025, 9, 30))
    assert complaints_escalate(now=at(2025, 10, 11, 23)) == 0


def test_unacknowledged_complaint_escalates_the_day_after(facility, officers):
    complaint = submit(facility, category="fees", now=at(2025, 9, 30))
    complaints_escalate(now=at(2025, 10, 12))
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1


def test_escalation_notifies_officer_and_supervisor(facility, officers):
    complaint = submit(facility, category="fees", now=at(2025, 9, 30))
    complaints_escalate(now=at(2025, 10, 12))
    assert set(Notification.objects.filter(complaint=complaint, kind="overdue")
               .values_list("recipient__username", flat=True)) == {"hana", "bjhealth"}


def test_escalation_is_idempotent(facility, officers):
    submit(facility, category="fees", now=at(2025, 9, 30))
    complaints_escalate(now=at(2025, 10, 12))
    assert complaints_escalate(now=at(2025, 10, 13)) == 0


def test_escalation_is_audited(facility, officers):
    complaint = submit(facility, category="fees", now=at(2025, 9, 30))
    complaints_escalate(now=at(2025, 10, 12))
    assert AuditEvent.objects.filter(action="complaints.escalate", object_id=str(complaint.pk)).count() == 1


def test_acknowledged_complaint_escalates_only_after_answer_deadline(facility, officers):
    complaint = submit(facility, category="fees", now=at(2025, 9, 30))
    complaint_transition(actor=officers["hana"], complaint=complaint, action="accept", now=at(2025, 10, 9))
    assert complaints_escalate(now=at(2025, 10, 20)) == 0


def test_unanswered_complaint_escalates_to_level_two(facility, officers):
    complaint = submit(facility, category="fees", now=at(2025, 9, 30))
    complaint_transition(actor=officers["hana"], complaint=complaint, action="accept", now=at(2025, 10, 9))
    complaints_escalate(now=at(2025, 10, 29))
    complaint.refresh_from_db()
    assert complaint.escalation_level == 2


def test_answered_complaint_does_not_escalate(facility, officers):
    complaint = submit(facility, category="fees", now=at(2025, 9, 30))
    for action in ("accept", "investigate"):
        complaint = complaint_transition(actor=officers["hana"], complaint=complaint, action=action)
    complaint_transition(actor=officers["hana"], complaint=complaint, action="answer", answer="已处理。")
    assert complaints_escalate(now=at(2025, 11, 30)) == 0


def test_moderated_complaint_does_not_escalate(facility, officers):
    submit(facility, text="博彩 http://x.example.com", now=at(2025, 9, 30))
    assert complaints_escalate(now=at(2025, 11, 30)) == 0


def test_escalate_command_reports_count(facility, officers, capsys, time_machine):
    submit(facility, category="fees", now=at(2025, 9, 30))
    time_machine.move_to(at(2025, 10, 12))
    call_command("complaints_escalate")
    assert capsys.readouterr().out.strip() == "escalated 1"
