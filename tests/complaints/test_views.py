"""Pages: public intake and tracking, officers' queue, detail, inbox and moderation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.complaints.conftest import jpeg_with_exif
from tests.complaints.support import GENUINE, submit
from tuoyu.audit.models import DataAccessEvent
from tuoyu.complaints.models import Complaint
from tuoyu.complaints.services import complaint_transition

pytestmark = pytest.mark.django_db


def _form(facility, **extra):
    data = {"target": f"f:{facility.pk}", "category": "safety", "description": GENUINE, "consent": "on"}
    data.update(extra)
    return data


def test_search_lists_matching_public_facility(client, facility):
    response = client.get("/complaints/", {"q": "阳光宝贝"})
    assert f'value="f:{facility.pk}"'.encode() in response.content


def test_search_does_not_list_unfiled_facility(client, facility):
    facility.filing_status = "draft"
    facility.save()
    assert f'value="f:{facility.pk}"'.encode() not in client.get("/complaints/", {"q": "阳光宝贝"}).content


def test_search_lists_employer(client, employer):
    assert f'value="e:{employer.pk}"'.encode() in client.get("/complaints/", {"q": "海淀科技"}).content


def test_anonymous_submission_redirects_to_code_page(client, facility):
    response = client.post("/complaints/", _form(facility))
    assert response.status_code == 302 and response["Location"] == "/complaints/submitted/"


def test_code_is_shown_once(client, facility):
    client.post("/complaints/", _form(facility))
    code = Complaint.objects.get().tracking_code
    first = client.get("/complaints/submitted/")
    second = client.get("/complaints/submitted/")
    assert code.encode() in first.content and second.status_code == 302


def test_submission_with_photo_stores_it(client, facility):
    client.post("/complaints/", _form(facility, files=SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")))
    assert Complaint.objects.get().evidence.count() == 1


def test_missing_consent_shows_form_again(client, facility):
    data = _form(facility)
    del data["consent"]
    response = client.post("/complaints/", data)
    assert response.status_code == 200 and not Complaint.objects.exists()


def test_honeypot_stores_nothing(client, facility):
    response = client.post("/complaints/", _form(facility, website="x"))
    assert response.status_code == 200 and not Complaint.objects.exists()


def test_eleventh_submission_in_an_hour_is_throttled(client, facility):
    for i in range(10):
        client.post("/complaints/", _form(facility, description=f"{GENUINE}第{i}次"), REMOTE_ADDR="192.0.2.9")
    assert client.post("/complaints/", _form(facility), REMOTE_ADDR="192.0.2.9").status_code == 429


def test_forged_forwarded_for_does_not_escape_the_limit(client, facility, settings):
    settings.TRUSTED_PROXIES = 1
    codes = [
        client.post("/complaints/", _form(facility, description=f"{GENUINE}{i}"), REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"1.1.1.{i}, 198.51.100.3").status_code
        for i in range(11)
    ]
    assert codes[-1] == 429


def test_status_page_shows_state_not_contact(client, facility):
    complaint = submit(facility, contact="13800138000")
    response = client.get(f"/complaints/track/{complaint.tracking_code}/")
    assert "已收到".encode() in response.content and b"13800138000" not in response.content


def test_status_page_hides_internal_note(client, facility, hana):
    complaint = complaint_transition(actor=hana, complaint=submit(facility), action="accept", reason="内部：与园长电话核实")
    assert "内部：与园长".encode() not in client.get(f"/complaints/track/{complaint.tracking_code}/").content


def test_status_page_does_not_link_urls_in_answer(client, facility, hana):
    complaint = submit(facility)
    for action in ("accept", "investigate"):
        complaint = complaint_transition(actor=hana, complaint=complaint, action=action)
    complaint_transition(actor=hana, complaint=complaint, action="answer", answer="详见 http://example.gov.cn/x")
    assert b'href="http://example.gov.cn' not in client.get(f"/complaints/track/{complaint.tracking_code}/").content


def test_unknown_code_is_404(client):
    assert client.get("/complaints/track/ABCDEFGHJKMN/").status_code == 404


def test_track_form_redirects_to_status(client, facility):
    code = submit(facility).tracking_code
    assert client.get("/complaints/track/", {"code": code.lower()})["Location"] == f"/complaints/track/{code}/"


def test_feedback_form_records_satisfaction(client, facility, hana):
    complaint = submit(facility)
    for action in ("accept", "investigate"):
        complaint = complaint_transition(actor=hana, complaint=complaint, action=action)
    complaint = complaint_transition(actor=hana, complaint=complaint, action="answer", answer="已整改")
    complaint_transition(actor=hana, complaint=complaint, action="close")
    client.post(f"/complaints/track/{complaint.tracking_code}/feedback/", {"solved": "1", "satisfaction": "5"})
    complaint.refresh_from_db()
    assert complaint.satisfaction == 5


def test_officer_of_the_county_sees_complaint(client, facility, hana):
    complaint = submit(facility)
    client.force_login(hana)
    assert client.get(f"/complaints/office/{complaint.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["chen", "pudong", "una", "alice", "otto"])
def test_others_get_404_on_complaint(client, facility, persona, request):
    complaint = submit(facility)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/complaints/office/{complaint.pk}/").status_code == 404


def test_provincial_supervisor_sees_county_complaint(client, facility, bjhealth):
    complaint = submit(facility)
    client.force_login(bjhealth)
    assert client.get(f"/complaints/office/{complaint.pk}/").status_code == 200


def test_queue_lists_only_own_county(client, facility, chaoyang_facility, hana):
    mine, other = submit(facility), submit(chaoyang_facility, text="朝阳的另一件事情，收费不透明。")
    client.force_login(hana)
    content = client.get("/complaints/office/").content
    assert mine.tracking_code.encode() in content and other.tracking_code.encode() not in content


def test_anonymous_is_sent_to_login_from_queue(client):
    assert "/accounts/login/" in client.get("/complaints/office/")["Location"]


def test_reading_contact_is_logged(client, facility, hana):
    complaint = submit(facility, contact="13800138000")
    client.force_login(hana)
    client.get(f"/complaints/office/{complaint.pk}/")
    assert DataAccessEvent.objects.filter(object_id=str(complaint.pk), actor=hana).exists()


def test_officer_answers_through_the_page(client, facility, hana):
    complaint = submit(facility)
    client.force_login(hana)
    for action in ("accept", "investigate", "answer"):
        complaint.refresh_from_db()
        client.post(f"/complaints/office/{complaint.pk}/act/",
                    {"action": action, "version": complaint.version, "answer": "已整改"})
    complaint.refresh_from_db()
    assert complaint.status == "answered"


def test_inbox_lists_urgent_notification(client, facility, hana):
    complaint = submit(facility, category="abuse_neglect")
    client.force_login(hana)
    assert complaint.tracking_code.encode() in client.get("/complaints/inbox/").content


def test_moderation_queue_is_404_for_officers(client, hana):
    client.force_login(hana)
    assert client.get("/complaints/moderation/").status_code == 404


def test_moderation_queue_lists_spam_for_platform_admin(client, facility, root):
    complaint = submit(facility, text="博彩 百家乐 http://x.example.com")
    client.force_login(root)
    assert complaint.tracking_code.encode() in client.get("/complaints/moderation/").content


def test_officer_cannot_see_complaint_in_moderation(client, facility, hana):
    complaint = submit(facility, text="博彩 百家乐 http://x.example.com")
    client.force_login(hana)
    assert client.get(f"/complaints/office/{complaint.pk}/").status_code == 404


def test_evidence_download_is_404_for_other_county(client, facility, chen):
    complaint = submit(facility, files=[SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")])
    client.force_login(chen)
    assert client.get(f"/complaints/evidence/{complaint.evidence.get().pk}/").status_code == 404


def test_evidence_download_is_an_attachment_for_the_officer(client, facility, hana):
    complaint = submit(facility, files=[SimpleUploadedFile("a.jpg", jpeg_with_exif(), "image/jpeg")])
    client.force_login(hana)
    response = client.get(f"/complaints/evidence/{complaint.evidence.get().pk}/")
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"


def test_office_figures_count_satisfaction(facility, hana):
    from tuoyu.complaints.selectors import office_figures
    from tuoyu.complaints.services import complaint_feedback

    complaint = submit(facility)
    for action in ("accept", "investigate"):
        complaint = complaint_transition(actor=hana, complaint=complaint, action=action)
    complaint = complaint_transition(actor=hana, complaint=complaint, action="answer", answer="已整改")
    complaint_transition(actor=hana, complaint=complaint, action="close")
    complaint_feedback(code=complaint.tracking_code, solved=True, satisfaction=4)
    submit(facility, text="另一件：老师经常不在岗，孩子无人看管。")
    figures = office_figures(hana)
    assert (figures.total, figures.open, figures.answered, str(figures.mean_satisfaction)) == (2, 1, 1, "4.0")


def test_other_county_figures_are_empty(facility, chen):
    from tuoyu.complaints.selectors import office_figures

    submit(facility)
    assert office_figures(chen).total == 0


def test_queue_shows_figures(client, facility, hana):
    submit(facility)
    client.force_login(hana)
    assert "平均满意度".encode() in client.get("/complaints/office/").content


def test_link_with_target_preselects_the_facility(client, facility):
    response = client.get("/complaints/", {"target": f"f:{facility.pk}"})
    assert f'value="f:{facility.pk}"'.encode() in response.content and b"checked" in response.content
