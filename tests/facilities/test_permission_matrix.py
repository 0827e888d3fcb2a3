"""The permission matrix: every page and action × every persona → the expected status code.

The facility under test is in 海淀区 (110108), operated by otto's provider and sponsored by
alice's employer. Visible to: alice, otto (own); hana (county), bjhealth, una, dora
(province), root (national). Hidden from: bob, pudong (other province), chen (other
county). Anonymous users are sent to the login page (302) except on public pages.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import org_of
from tests.facilities.conftest import make_facility
from tests.factories import EnrolmentFactory, FacilityClassFactory, StaffMemberFactory
from tuoyu.facilities import services
from tuoyu.facilities.models import Facility, FilingDocument
from tuoyu.facilities.workflow import FilingStatus

pytestmark = pytest.mark.django_db

PERSONAS = ["alice", "bob", "hana", "chen", "pudong", "bjhealth", "una", "dora", "otto", "root",
            "anonymous"]
OWN = {"alice", "otto"}
VIEWERS = {"hana", "bjhealth", "una", "dora", "root"}
HIDDEN = {"bob", "chen", "pudong"}
HEALTH = {"hana", "chen", "pudong", "bjhealth"}


def _expect(*, own, viewers, hidden=404, anonymous=302, **overrides):
    table = {p: own for p in OWN} | {p: viewers for p in VIEWERS} | {p: hidden for p in HIDDEN}
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


EDIT_GET = _expect(own=200, viewers=403)
EDIT_POST = _expect(own=302, viewers=403)
VIEW_GET = _expect(own=200, viewers=200)

FACILITY_POST = {
    "name": "改名托育中心", "provision_model": "third_party", "address": "北京市海淀区1号",
    "division_code": "110108", "children_floor": "1", "premises_tenure": "owned",
    "places_infant": "10", "places_toddler": "15", "places_older": "0", "places_mixed": "0",
}
STAFF_POST = {"name": "张老师", "role": "carer", "years_experience": "2"}


def _create_data(world, user):
    """The create form posted by ``user``, naming their own organisation as operator."""
    return {**FACILITY_POST, "operator": org_of(user).pk if user else ""}


# name, method, url name, url kwargs keys, status before, POST data, expected
ACTIONS = [
    ("list", "get", "facilities:list", (), "draft", None,
     {p: 200 for p in PERSONAS} | {"anonymous": 302}),
    ("create", "get", "facilities:create", (), "draft", None,
     {p: 403 for p in PERSONAS} | {"alice": 200, "bob": 200, "otto": 200, "anonymous": 302}),
    ("create-post", "post", "facilities:create", (), "draft", _create_data,
     {p: 403 for p in PERSONAS} | {"alice": 302, "bob": 302, "otto": 302, "anonymous": 302}),
    ("detail", "get", "facilities:detail", ("pk",), "draft", None, VIEW_GET),
    ("check", "get", "facilities:check", ("pk",), "draft", None, VIEW_GET),
    ("edit", "get", "facilities:edit", ("pk",), "draft", None, EDIT_GET),
    ("edit-post", "post", "facilities:edit", ("pk",), "draft", FACILITY_POST, EDIT_POST),
    ("edit-submitted", "get", "facilities:edit", ("pk",), "submitted", None,
     _expect(own=403, viewers=403)),
    ("edit-cancelled", "get", "facilities:edit", ("pk",), "cancelled", None,
     _expect(own=403, viewers=403)),
    ("class_add", "get", "facilities:class_add", ("pk",), "draft", None, EDIT_GET),
    ("class_add-post", "post", "facilities:class_add", ("pk",), "draft",
     {"name": "新班", "class_type": "infant", "capacity": "10"}, EDIT_POST),
    ("class_edit", "get", "facilities:class_edit", ("pk", "class_pk"), "draft", None, EDIT_GET),
    ("class_edit-post", "post", "facilities:class_edit", ("pk", "class_pk"), "draft",
     {"name": "改名班", "class_type": "toddler", "capacity": "15"}, EDIT_POST),
    ("class_delete", "post", "facilities:class_delete", ("pk", "class_pk"), "draft", {}, EDIT_POST),
    ("staff_add", "get", "facilities:staff_add", ("pk",), "draft", None, EDIT_GET),
    ("staff_add-post", "post", "facilities:staff_add", ("pk",), "draft", STAFF_POST, EDIT_POST),
    ("staff_edit", "get", "facilities:staff_edit", ("pk", "staff_pk"), "draft", None, EDIT_GET),
    ("staff_edit-post", "post", "facilities:staff_edit", ("pk", "staff_pk"), "draft", STAFF_POST,
     EDIT_POST),
    ("staff_delete", "post", "facilities:staff_delete", ("pk", "staff_pk"), "draft", {}, EDIT_POST),
    ("enrolment_add", "get", "facilities:enrolment_add", ("pk",), "draft", None, EDIT_GET),
    ("enrolment_add-post", "post", "facilities:enrolment_add", ("pk",), "draft",
     {"birth_date": "2025-01-01", "enrolled_on": "2026-03-01", "service_type": "full_day"},
     EDIT_POST),
    ("enrolment_move", "get", "facilities:enrolment_move", ("pk", "enrolment_pk"), "draft", None,
     EDIT_GET),
    ("enrolment_move-post", "post", "facilities:enrolment_move", ("pk", "enrolment_pk"), "draft",
     lambda world, user: {"to_class": world["class_pk"], "on": "2026-03-01"}, EDIT_POST),
    ("enrolment_leave", "get", "facilities:enrolment_leave", ("pk", "enrolment_pk"), "draft",
     None, EDIT_GET),
    ("enrolment_leave-post", "post", "facilities:enrolment_leave", ("pk", "enrolment_pk"),
     "draft", {"on": "2026-06-30"}, EDIT_POST),
    ("document_add", "get", "facilities:document_add", ("pk",), "draft", None, EDIT_GET),
    ("document_add-post", "post", "facilities:document_add", ("pk",), "draft",
     {"doc_type": "licence", "reference": "营业执照 No.1"}, EDIT_POST),
    ("document_download", "get", "facilities:document_download", ("pk", "document_pk"), "draft",
     None, _expect(own=200, viewers=403, hana=200, bjhealth=200)),
    ("submit", "get", "facilities:submit", ("pk",), "draft", None, EDIT_GET),
    ("submit-post", "post", "facilities:submit", ("pk",), "draft", {}, EDIT_POST),
    ("submit_change-post", "post", "facilities:submit", ("pk",), "filed", {"reason": "扩班"},
     EDIT_POST),
    ("cancel", "get", "facilities:cancel", ("pk",), "filed", None, EDIT_GET),
    ("cancel-post", "post", "facilities:cancel", ("pk",), "filed", {"reason": "停办"}, EDIT_POST),
    ("queue", "get", "facilities:queue", (), "submitted", None,
     {p: 403 for p in PERSONAS} | {p: 200 for p in HEALTH} | {"anonymous": 302}),
    ("review", "get", "facilities:review", ("pk",), "submitted", None,
     _expect(own=403, viewers=403, hana=200, bjhealth=200)),
    ("file-post", "post", "facilities:file", ("pk",), "submitted", {},
     _expect(own=403, viewers=403, hana=302)),
    ("return-post", "post", "facilities:return", ("pk",), "submitted", {"reason": "缺材料"},
     _expect(own=403, viewers=403, hana=302)),
    ("file_change-post", "post", "facilities:file", ("pk",), "change_submitted", {},
     _expect(own=403, viewers=403, hana=302)),
    ("public_list", "get", "disclosure:search", (), "filed", None,
     {p: 200 for p in PERSONAS}),
    ("public_detail", "get", "disclosure:facility", ("pk",), "filed", None,
     {p: 200 for p in PERSONAS}),
    ("public_detail-draft", "get", "disclosure:facility", ("pk",), "draft", None,
     {p: 404 for p in PERSONAS}),
    ("home", "get", "home", (), "filed", None, {p: 200 for p in PERSONAS}),
]

# Actions whose success changes the status: the expected end status for the 302 case.
EFFECTS = {
    "submit-post": FilingStatus.SUBMITTED,
    "submit_change-post": FilingStatus.CHANGE_SUBMITTED,
    "cancel-post": FilingStatus.CANCELLED,
    "file-post": FilingStatus.FILED,
    "return-post": FilingStatus.RETURNED,
    "file_change-post": FilingStatus.FILED,
}


@pytest.fixture
def world(alice, otto, settings, tmp_path):
    """The facility under test with one class, one staff member, one child and one document."""
    settings.MEDIA_ROOT = tmp_path
    facility = make_facility(otto, name="海淀第三方托育中心", sponsors=[org_of(alice)],
                             provision_model="third_party")
    c = FacilityClassFactory(facility=facility, name="小一班")
    s = StaffMemberFactory(facility=facility, assigned_class=c)
    e = EnrolmentFactory(facility=facility, birth_date=dt.date(2025, 1, 1),
                         enrolled_on=dt.date(2026, 1, 5))
    d = FilingDocument.objects.create(facility=facility, doc_type="licence",
                                      file=SimpleUploadedFile("licence.pdf", b"%PDF-1.4"))
    return {"pk": facility.pk, "class_pk": c.pk, "staff_pk": s.pk, "enrolment_pk": e.pk,
            "document_pk": d.pk}


@pytest.fixture(autouse=True)
def _clean_check(monkeypatch):
    # The compliance rules are tested in standards; here only access is at stake.
    monkeypatch.setattr(services.filing, "facility_check", lambda facility, *, as_of: [])


CASES = [
    pytest.param(action, persona, id=f"{action[0]}-{persona}")
    for action in ACTIONS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("action", "persona"), CASES)
def test_permission_matrix(client, request, world, action, persona):
    name, method, url_name, keys, status, data, expected = action
    Facility.objects.filter(pk=world["pk"]).update(filing_status=status)
    user = None
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(user)
    else:
        # Make sure every persona's organisation exists so "hidden" means hidden, not absent.
        request.getfixturevalue("alice")
    url = reverse(url_name, kwargs={k: world[k] for k in keys})
    if callable(data):
        data = data(world, user)
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == expected[persona], (name, persona)
    if response.status_code == 302 and persona == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if name in EFFECTS and persona != "anonymous":
        now = Facility.objects.get(pk=world["pk"]).filing_status
        assert (now == EFFECTS[name]) == (response.status_code == 302)
