"""Routing, notifications, workflow, reopening, feedback and reassignment of complaints."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.complaints.conftest import at
from tests.complaints.support import GENUINE, submit
from tuoyu.audit.models import AuditEvent
from tuoyu.complaints import services
from tuoyu.complaints.models import Complaint, Notification
from tuoyu.complaints.services import (
    CODE_ALPHABET,
    complaint_feedback,
    complaint_reassign,
    complaint_reopen,
    complaint_transition,
)
from tuoyu.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _recipients(complaint, kind):
    return set(Notification.objects.filter(complaint=complaint, kind=kind).values_list("recipient__username", flat=True))


def test_urgent_category_notifies_county_officer_and_provincial_supervisor_at_once(facility, officers):
    complaint = submit(facility, category="abuse_neglect")
    assert _recipients(complaint, "urgent") == {"hana", "bjhealth"}


def test_urgent_complaint_is_flagged_urgent_and_routed_to_health(facility, officers):
    complaint = submit(facility, category="serious_injury")
    assert (complaint.urgent, complaint.office, complaint.status) == (True, "health", "received")


def test_ordinary_complaint_notifies_only_the_county_office(facility, officers):
    complaint = submit(facility, category="fees")
    assert _recipients(complaint, "new") == {"hana"}


def test_employer_complaint_is_routed_to_the_union(employer, officers):
    complaint = submit(employer=employer, category="fees")
    assert (complaint.office, complaint.division.code, _recipients(complaint, "new")) == ("union", "110108", {"una"})


def test_urgent_employer_complaint_goes_to_health(employer, officers):
    complaint = submit(employer=employer, category="abuse_neglect")
    assert complaint.office == "health"


def test_tracking_code_is_twelve_unambiguous_characters(facility):
    code = submit(facility).tracking_code
    assert len(code) == 12 and set(code) <= set(CODE_ALPHABET)


def test_tracking_code_collision_is_retried(facility, monkeypatch):
    first = submit(facility)
    codes = iter([first.tracking_code, "ABCDEFGHJKMN"])
    monkeypatch.setattr(services, "new_tracking_code", lambda: next(codes))
    second = submit(facility, text="另一件事：收费标准与公示的不一致，多收了伙食费。")
    assert second.tracking_code == "ABCDEFGHJKMN"


def test_submission_is_audited(facility):
    complaint = submit(facility)
    assert AuditEvent.objects.filter(action="complaints.submit", object_id=str(complaint.pk)).exists()


def test_submission_requires_consent(facility):
    with pytest.raises(DomainError) as exc:
        services.complaint_submit(actor=None, target="facility", facility=facility, category="fees",
                                  description=GENUINE, consent=False)
    assert exc.value.code == "CMP-002"


def test_submission_requires_a_target(db):
    with pytest.raises(DomainError) as exc:
        services.complaint_submit(actor=None, target="facility", category="fees", description=GENUINE, consent=True)
    assert exc.value.code == "CMP-001"


def test_phone_contact_is_normalised(facility):
    assert submit(facility, contact="+86 138-0013 8000").contact_phone == "13800138000"


def test_full_width_phone_contact_is_normalised(facility):
    assert submit(facility, contact="１３８００１３８０００").contact_phone == "13800138000"


def test_email_contact_is_lower_cased(facility):
    assert submit(facility, contact=" Parent@Example.COM ").contact_email == "parent@example.com"


def test_invalid_contact_is_refused(facility):
    with pytest.raises(DomainError) as exc:
        submit(facility, contact="12345")
    assert exc.value.code == "CMP-003"


def test_identical_text_about_same_facility_goes_to_moderation_as_duplicate(facility):
    first = submit(facility)
    second = submit(facility, text=GENUINE + "  ")
    assert (second.status, second.duplicate_of_id) == ("moderation", first.pk)


def test_identical_text_about_another_facility_is_not_a_duplicate(facility, chaoyang_facility):
    submit(facility)
    assert submit(chaoyang_facility).status == "received"


def test_spam_goes_to_moderation_without_notifying_anyone(facility, officers):
    complaint = submit(facility, text="澳门赌场百家乐真人娱乐 http://spam.example.com 加微信")
    assert (complaint.status, complaint.notifications.count()) == ("moderation", 0)


def test_moderator_release_routes_and_notifies(facility, officers):
    complaint = submit(facility, text="看看这个 http://a.example.com http://b.example.com")
    released = complaint_transition(actor=officers["root"], complaint=complaint, action="release")
    assert (released.status, _recipients(released, "new")) == ("received", {"hana"})


def test_officer_cannot_release_from_moderation(facility, officers):
    complaint = submit(facility, text="看看这个 http://a.example.com http://b.example.com")
    with pytest.raises(DomainError) as exc:
        complaint_transition(actor=officers["hana"], complaint=complaint, action="release")
    assert exc.value.code == "GEN-002"


def _walk(complaint, officer, *actions):
    for action in actions:
        kwargs = {"answer": "已责令机构加装护栏，并于10日内完成整改。"} if action == "answer" else {}
        complaint = complaint_transition(actor=officer, complaint=complaint, action=action, **kwargs)
    return complaint


def test_officer_takes_complaint_through_to_closed(facility, officers):
    complaint = _walk(submit(facility), officers["hana"], "accept", "investigate", "answer", "close")
    assert complaint.status == "closed" and complaint.history.count() == 5


def test_other_county_officer_cannot_act(facility, officers):
    with pytest.raises(DomainError) as exc:
        complaint_transition(actor=officers["chen"], complaint=submit(facility), action="accept")
    assert exc.value.code == "GEN-002"


def test_reject_requires_reason(facility, officers):
    with pytest.raises(DomainError) as exc:
        complaint_transition(actor=officers["hana"], complaint=submit(facility), action="reject",
                             reject_reason="out_of_scope")
    assert exc.value.code == "CMP-020"


def test_reject_as_duplicate_keeps_reason_public(facility, officers):
    complaint = complaint_transition(actor=officers["hana"], complaint=submit(facility), action="reject",
                                     reject_reason="duplicate", reason="与另一件投诉相同，已合并办理。")
    assert (complaint.status, complaint.reject_reason, complaint.public_answer) == (
        "rejected", "duplicate", "与另一件投诉相同，已合并办理。")


def test_answer_requires_text(facility, officers):
    complaint = _walk(submit(facility), officers["hana"], "accept", "investigate")
    with pytest.raises(DomainError) as exc:
        complaint_transition(actor=officers["hana"], complaint=complaint, action="answer")
    assert exc.value.code == "CMP-021"


def test_cannot_skip_a_step(facility, officers):
    with pytest.raises(DomainError) as exc:
        complaint_transition(actor=officers["hana"], complaint=submit(facility), action="answer", answer="x")
    assert exc.value.code == "GEN-005"


def test_stale_version_is_a_conflict(facility, officers):
    complaint = submit(facility)
    stale = Complaint.objects.get(pk=complaint.pk)
    complaint_transition(actor=officers["hana"], complaint=complaint, action="accept")
    with pytest.raises(DomainError) as exc:
        complaint_transition(actor=officers["bjhealth"], complaint=stale, action="reject",
                             reject_reason="out_of_scope", reason="x")
    assert exc.value.code == "GEN-003"


def test_complainant_reopens_once_with_code(facility, officers):
    complaint = _walk(submit(facility), officers["hana"], "accept", "investigate", "answer", "close")
    reopened = complaint_reopen(code=complaint.tracking_code.lower(), reason="护栏仍未安装。")
    assert (reopened.status, reopened.reopen_count, _recipients(reopened, "reopened")) == (
        "investigating", 1, {"hana"})


def test_second_reopen_is_refused(facility, officers):
    complaint = _walk(submit(facility), officers["hana"], "accept", "investigate", "answer", "close")
    complaint = complaint_reopen(code=complaint.tracking_code, reason="仍未解决")
    complaint = _walk(complaint, officers["hana"], "answer", "close")
    with pytest.raises(DomainError) as exc:
        complaint_reopen(code=complaint.tracking_code, reason="还是没解决")
    assert exc.value.code == "CMP-022"


def test_reopen_after_the_window_is_refused(facility, officers, settings):
    settings.COMPLAINT_REOPEN_DAYS = 30
    complaint = _walk(submit(facility), officers["hana"], "accept", "investigate", "answer", "close")
    with pytest.raises(DomainError) as exc:
        complaint_reopen(code=complaint.tracking_code, reason="晚了",
                         now=complaint.closed_at + dt.timedelta(days=31))
    assert exc.value.code == "CMP-023"


def test_feedback_after_closing_is_recorded(facility, officers):
    complaint = _walk(submit(facility), officers["hana"], "accept", "investigate", "answer", "close")
    complaint = complaint_feedback(code=complaint.tracking_code, solved=True, satisfaction=4)
    assert (complaint.solved, complaint.satisfaction) == (True, 4)


def test_feedback_before_closing_is_refused(facility, officers):
    complaint = submit(facility)
    with pytest.raises(DomainError) as exc:
        complaint_feedback(code=complaint.tracking_code, solved=True, satisfaction=4)
    assert exc.value.code == "CMP-024"


@pytest.mark.parametrize("value", [0, 6])
def test_satisfaction_outside_one_to_five_is_refused(facility, officers, value):
    complaint = _walk(submit(facility), officers["hana"], "accept", "investigate", "answer", "close")
    with pytest.raises(DomainError) as exc:
        complaint_feedback(code=complaint.tracking_code, solved=False, satisfaction=value)
    assert exc.value.code == "CMP-026"


def test_reassign_to_other_county_moves_visibility(facility, officers):
    complaint = complaint_reassign(actor=officers["hana"], complaint=submit(facility), office="health",
                                   division_code="110105", reason="机构实际位于朝阳区。")
    assert (complaint.division.code, _recipients(complaint, "reassigned")) == ("110105", {"chen"})


def test_reassign_requires_reason(facility, officers):
    with pytest.raises(DomainError) as exc:
        complaint_reassign(actor=officers["hana"], complaint=submit(facility), office="union",
                           division_code="110108", reason=" ")
    assert exc.value.code == "CMP-020"


def test_submission_time_is_kept(facility):
    complaint = submit(facility, now=at(2025, 9, 30))
    assert complaint.received_on == dt.date(2025, 9, 30)
