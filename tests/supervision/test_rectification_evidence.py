"""Evidence files sent with a facility's response to a rectification order (整改材料附件)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import org_of
from tests.supervision.conftest import make_inspector
from tests.supervision.inspection_support import closed_with_findings, make_team
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.supervision.models import RectificationEvent, RectificationEvidence
from tuoyu.supervision.rectification import rectification_respond
from tuoyu.supervision.workflow import RectificationStatus

SPRING = dt.date(2026, 2, 13)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
HTML = b"<!doctype html><script>alert(1)</script>"


def png(name="整改后 照片.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def team(hana, otto):
    return make_team(hana, otto)


@pytest.fixture
def order(team):
    return closed_with_findings(team, today=SPRING).rectification


@pytest.fixture
def evidence_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "evidence"


def stored_files(evidence_dir):
    return [p for p in evidence_dir.rglob("*") if p.is_file()] if evidence_dir.exists() else []


def responded(order, otto, files=None):
    rectification_respond(actor=otto, order=order, text="已整改", files=files or [png()])
    return RectificationEvidence.objects.get(order=order)


def test_response_stores_its_files_under_random_names_with_the_detected_type(order, otto, evidence_dir):
    rectification_respond(
        actor=otto, order=order, text="已整改",
        files=[png(), SimpleUploadedFile("制度.pdf", PDF, content_type="image/png")],
    )
    rows = list(RectificationEvidence.objects.filter(order=order).order_by("id"))
    assert [(r.original_name, r.content_type, r.size) for r in rows] == [
        ("整改后 照片.png", "image/png", len(PNG)),
        ("制度.pdf", "application/pdf", len(PDF)),
    ]
    assert all("整改" not in r.file.name and "制度" not in r.file.name for r in rows)
    assert [r.file.name.rsplit(".", 1)[1] for r in rows] == ["png", "pdf"]
    assert (evidence_dir / rows[0].file.name).read_bytes() == PNG


def test_files_belong_to_the_response_entry_of_the_history(order, otto, evidence_dir):
    stored = responded(order, otto)
    assert stored.event == RectificationEvent.objects.get(order=order, action="respond")


def test_response_without_files_is_still_accepted(order, otto, evidence_dir):
    rectification_respond(actor=otto, order=order, text="已整改")
    order.refresh_from_db()
    assert order.status == RectificationStatus.RESPONDED and not order.evidence.exists()


def test_disguised_file_refuses_the_whole_response(order, otto, evidence_dir):
    with pytest.raises(DomainError) as raised:
        rectification_respond(
            actor=otto, order=order, text="已整改",
            files=[png(), SimpleUploadedFile("photo.png", HTML, content_type="image/png")],
        )
    assert raised.value.code == "SUP-030"
    order.refresh_from_db()
    assert order.status == RectificationStatus.ISSUED and order.response_text == ""
    assert not RectificationEvidence.objects.exists() and stored_files(evidence_dir) == []
    assert not order.events.filter(action="respond").exists()


def test_too_many_files_are_refused(order, otto, evidence_dir, settings):
    settings.TUOYU_RECTIFICATION_EVIDENCE_MAX_FILES = 2
    with pytest.raises(DomainError) as raised:
        rectification_respond(actor=otto, order=order, text="已整改", files=[png(), png(), png()])
    assert raised.value.code == "SUP-032"
    order.refresh_from_db()
    assert order.status == RectificationStatus.ISSUED and stored_files(evidence_dir) == []


def test_file_over_the_size_limit_is_refused(order, otto, evidence_dir, settings):
    settings.TUOYU_EVIDENCE_MAX_MB = 1
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024))
    with pytest.raises(DomainError) as raised:
        rectification_respond(actor=otto, order=order, text="已整改", files=[big])
    assert raised.value.code == "SUP-031" and not RectificationEvidence.objects.exists()


def test_someone_else_cannot_respond_with_files(order, team, evidence_dir):
    with pytest.raises(DomainError) as raised:
        rectification_respond(actor=team["inspectors"][0], order=order, text="已整改", files=[png()])
    assert raised.value.code == "GEN-002" and stored_files(evidence_dir) == []


def test_audit_of_the_response_records_the_files_count_and_types(order, otto, evidence_dir):
    rectification_respond(
        actor=otto, order=order, text="已整改", files=[png(), SimpleUploadedFile("a.pdf", PDF)]
    )
    event = AuditEvent.objects.get(action="supervision.rectification_respond")
    assert event.after["evidence"] == {"count": 2, "types": ["image/png", "application/pdf"]}


# --- pages -------------------------------------------------------------------------------------


def test_response_page_uploads_several_files(client, order, otto, evidence_dir):
    client.force_login(otto)
    response = client.post(
        f"/supervision/rectifications/{order.pk}/respond/",
        {"text": "已整改", "files": [png("a.png"), png("b.png")]},
    )
    assert response.status_code == 302 and order.evidence.count() == 2


def test_response_page_with_a_disguised_file_stores_nothing(client, order, otto, evidence_dir):
    client.force_login(otto)
    client.post(
        f"/supervision/rectifications/{order.pk}/respond/",
        {"text": "已整改", "files": [png(), SimpleUploadedFile("x.png", HTML)]},
    )
    order.refresh_from_db()
    assert order.status == RectificationStatus.ISSUED and stored_files(evidence_dir) == []


def test_response_form_is_multipart_with_a_labelled_multiple_file_input(client, order, otto):
    client.force_login(otto)
    body = client.get(f"/supervision/rectifications/{order.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file" name="files"' in body and " multiple" in body
    assert '<label for="id_files">' in body


def test_inspector_sees_the_files_on_the_order_page(client, order, otto, team, evidence_dir):
    stored = responded(order, otto)
    client.force_login(team["inspectors"][0])
    body = client.get(f"/supervision/rectifications/{order.pk}/").content.decode()
    assert f"/supervision/rectifications/evidence/{stored.pk}/" in body and "整改后 照片.png" in body


@pytest.mark.parametrize("who", ["inspector", "operator", "officer"])
def test_those_who_see_the_order_can_download(client, order, otto, team, evidence_dir, who):
    stored = responded(order, otto)
    client.force_login({"inspector": team["inspectors"][1], "operator": otto, "officer": team["hana"]}[who])
    response = client.get(f"/supervision/rectifications/evidence/{stored.pk}/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PNG


def test_download_is_refused_to_an_officer_of_another_county(client, order, otto, chen, evidence_dir):
    stored = responded(order, otto)
    client.force_login(chen)
    assert client.get(f"/supervision/rectifications/evidence/{stored.pk}/").status_code == 404


def test_download_is_refused_to_an_inspector_of_another_county(client, order, otto, chen, evidence_dir):
    stored = responded(order, otto)
    client.force_login(make_inspector("chaoyang_ins", org_of(chen)))
    assert client.get(f"/supervision/rectifications/evidence/{stored.pk}/").status_code == 404


def test_download_is_refused_to_the_anonymous_public(client, order, otto, evidence_dir):
    stored = responded(order, otto)
    response = client.get(f"/supervision/rectifications/evidence/{stored.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert not hasattr(response, "streaming_content")


def test_portal_facility_page_never_links_the_files(client, order, otto, team, evidence_dir, time_machine):
    stored = responded(order, otto)
    published = order.inspection.published_on
    time_machine.move_to(dt.datetime(published.year, published.month, published.day, 12, 0,
                                     tzinfo=dt.timezone(dt.timedelta(hours=8))))
    body = client.get(f"/portal/facilities/{team['facility'].pk}/").content.decode()
    assert order.inspection.visit_date.isoformat() in body  # the published result is there
    assert "/rectifications/evidence/" not in body and stored.original_name not in body
