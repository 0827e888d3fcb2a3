"""The API permission matrix: every endpoint and method × every persona → the exact status.

The facility under test is in 海淀区 (110108), operated by otto's provider and sponsored by
alice's employer. Visible to alice, otto (own); hana (county), bjhealth, una, dora
(province), root (national). Hidden (404) from bob, pudong (other province) and chen
(other county). Anonymous requests get 401 except on the public mirror, the schema and
the docs. Signed-in personas authenticate with their own API token.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import PERSONAS, token_client
from tuoyu.facilities.models import Facility
from tuoyu.facilities.workflow import FilingStatus

pytestmark = pytest.mark.django_db

ALL = [*PERSONAS, "anonymous"]
OWN = {"alice", "otto"}
VIEWERS = {"hana", "bjhealth", "una", "dora", "root"}
HIDDEN = {"bob", "chen", "pudong"}


def _expect(*, own, viewers, hidden=404, anonymous=401, **overrides):
    table = {p: own for p in OWN} | {p: viewers for p in VIEWERS} | {p: hidden for p in HIDDEN}
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


SIGNED_IN = {p: 200 for p in PERSONAS} | {"anonymous": 401}
EVERYONE = {p: 200 for p in ALL}
VIEW = _expect(own=200, viewers=200)
OWN_ACTS = _expect(own=200, viewers=403)
COUNTY_DECIDES = _expect(own=403, viewers=403, hana=200)
OPERATOR_ORG_VISIBLE = {p: 200 for p in ["otto", *VIEWERS]} | {
    p: 404 for p in ["alice", *HIDDEN]} | {"anonymous": 401}

UPSERT_BODY = {
    "name": "海淀第三方托育中心（接口）", "provision_model": "third_party",
    "address": "北京市海淀区中关村大街1号", "division_code": "110108", "places_toddler": 15,
    "services": [{"service_type": "full_day", "monthly_fee": "3200.00"}],
}

# name, method, path (formatted with world), status before, body, expected, status after 2xx
ENDPOINTS = [
    ("root", "get", "/api/v1/", "draft", None, SIGNED_IN, None),
    ("schema", "get", "/api/v1/schema/", "draft", None, EVERYONE, None),
    ("docs", "get", "/api/v1/docs/", "draft", None, EVERYONE, None),
    ("divisions", "get", "/api/v1/divisions/?code=1101", "draft", None, SIGNED_IN, None),
    ("division", "get", "/api/v1/divisions/{division}/", "draft", None, SIGNED_IN, None),
    ("industries", "get", "/api/v1/industries/", "draft", None, SIGNED_IN, None),
    ("industry", "get", "/api/v1/industries/8020/", "draft", None, SIGNED_IN, None),
    ("organizations", "get", "/api/v1/organizations/", "draft", None, SIGNED_IN, None),
    ("organization", "get", "/api/v1/organizations/{operator}/", "draft", None,
     OPERATOR_ORG_VISIBLE, None),
    ("facilities", "get", "/api/v1/facilities/", "draft", None, SIGNED_IN, None),
    ("facilities-post", "post", "/api/v1/facilities/", "draft", {},
     {p: 405 for p in PERSONAS} | {"anonymous": 401}, None),
    ("facility", "get", "/api/v1/facilities/{pk}/", "draft", None, VIEW, None),
    ("facility-delete", "delete", "/api/v1/facilities/{pk}/", "draft", None,
     {p: 405 for p in PERSONAS} | {"anonymous": 401}, None),
    ("filing", "get", "/api/v1/facilities/{pk}/filing/", "draft", None, VIEW, None),
    ("check", "get", "/api/v1/facilities/{pk}/check/?as_of=2026-06-01", "draft", None, VIEW,
     None),
    ("submit", "post", "/api/v1/facilities/{pk}/filing/submit/", "draft", {}, OWN_ACTS,
     FilingStatus.SUBMITTED),
    ("submit-get", "get", "/api/v1/facilities/{pk}/filing/submit/", "draft", None,
     {p: 405 for p in PERSONAS} | {"anonymous": 401}, None),
    ("file", "post", "/api/v1/facilities/{pk}/filing/file/", "submitted", {}, COUNTY_DECIDES,
     FilingStatus.FILED),
    ("return", "post", "/api/v1/facilities/{pk}/filing/return/", "submitted",
     {"reason": "缺材料"}, COUNTY_DECIDES, FilingStatus.RETURNED),
    ("submit_change", "post", "/api/v1/facilities/{pk}/filing/submit_change/", "filed",
     {"reason": "扩班"}, OWN_ACTS, FilingStatus.CHANGE_SUBMITTED),
    ("file_change", "post", "/api/v1/facilities/{pk}/filing/file_change/", "change_submitted",
     {}, COUNTY_DECIDES, FilingStatus.FILED),
    ("return_change", "post", "/api/v1/facilities/{pk}/filing/return_change/",
     "change_submitted", {"reason": "材料不全"}, COUNTY_DECIDES, FilingStatus.FILED),
    ("cancel", "post", "/api/v1/facilities/{pk}/filing/cancel/", "filed", {"reason": "停办"},
     OWN_ACTS, FilingStatus.CANCELLED),
    ("unknown-transition", "post", "/api/v1/facilities/{pk}/filing/explode/", "draft", {},
     {p: 404 for p in PERSONAS} | {"anonymous": 401}, None),
    ("upsert-existing", "put", "/api/v1/facilities/by-key/hr/F-1/", "draft", UPSERT_BODY,
     _expect(own=200, viewers=403), None),
    ("upsert-new", "put", "/api/v1/facilities/by-key/hr/NEW-1/", "draft", UPSERT_BODY,
     {p: 403 for p in PERSONAS} | {"alice": 201, "bob": 201, "otto": 201, "anonymous": 401},
     None),
    ("public-list", "get", "/api/v1/public/facilities/", "filed", None, EVERYONE, None),
    ("public-detail", "get", "/api/v1/public/facilities/{pk}/", "filed", None, EVERYONE, None),
    ("public-detail-draft", "get", "/api/v1/public/facilities/{pk}/", "draft", None,
     {p: 404 for p in ALL}, None),
    ("public-post", "post", "/api/v1/public/facilities/", "filed", {},
     {p: 405 for p in ALL}, None),
    ("no-such-path", "get", "/api/v1/nothing-here/", "draft", None, {p: 404 for p in ALL}, None),
]

CASES = [
    pytest.param(endpoint, persona, id=f"{endpoint[0]}-{persona}")
    for endpoint in ENDPOINTS
    for persona in ALL
]


@pytest.mark.usefixtures("no_findings")
@pytest.mark.parametrize(("endpoint", "persona"), CASES)
def test_permission_matrix(request, world, endpoint, persona):
    name, method, path, status_before, body, expected, status_after = endpoint
    for other in PERSONAS:  # every organisation exists, so "hidden" means hidden, not absent
        request.getfixturevalue(other)
    Facility.objects.filter(pk=world["pk"]).update(filing_status=status_before)
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = token_client(user)
    url = path.format(pk=world["pk"], operator=world["operator"],
                      division=world["facility"].division_id)
    if method == "post" and "/filing/" in path:
        # Every transition names the version it was decided on (ADR 0031).
        body = {**body, "expected_version": Facility.objects.get(pk=world["pk"]).version}
    kwargs = {"format": "json"} if body is not None else {}
    response = getattr(client, method)(url, body, **kwargs) if body is not None else getattr(
        client, method)(url)
    assert response.status_code == expected[persona], (name, persona, response.content[:300])
    if status_after is not None:
        now = Facility.objects.get(pk=world["pk"]).filing_status
        assert (now == status_after) == (response.status_code == 200), (name, persona)


# ----------------------------------------------------------------------------- designation
# Publicity (公示) of a campaign, open for objections, with one objection lodged. "acftu" is
# a union officer of the national union: the national reviewer. The public endpoints take
# no authentication (like the public mirror): every persona gets what anonymous gets.

DESIGNATION_PERSONAS = [*ALL, "acftu"]
PUBLIC_LIST = "/api/v1/public/designation/publicity/"
OBJECTIONS = "/api/v1/designation/objections/"
EVERYONE_DES = {p: 200 for p in DESIGNATION_PERSONAS}
REVIEWER_ONLY = {p: 403 for p in PERSONAS} | {"acftu": 200, "anonymous": 401}

# name, method, path (formatted with the publicity's ids), body, expected
DESIGNATION_ENDPOINTS = [
    ("publicity-list", "get", PUBLIC_LIST, None, EVERYONE_DES),
    ("publicity-detail", "get", PUBLIC_LIST + "{publicity}/", None, EVERYONE_DES),
    ("publicity-detail-unknown", "get", PUBLIC_LIST + "999999/", None,
     {p: 404 for p in DESIGNATION_PERSONAS}),
    ("publicity-post", "post", PUBLIC_LIST, {}, {p: 405 for p in DESIGNATION_PERSONAS}),
    ("publicity-delete", "delete", PUBLIC_LIST + "{publicity}/", None,
     {p: 405 for p in DESIGNATION_PERSONAS}),
    ("objection-lodge", "post", PUBLIC_LIST + "{publicity}/objections/",
     {"entry": "{entry}", "text": "收费高于当地普惠价格"}, {p: 201 for p in DESIGNATION_PERSONAS}),
    ("objection-lodge-get", "get", PUBLIC_LIST + "{publicity}/objections/", None,
     {p: 405 for p in DESIGNATION_PERSONAS}),
    ("objections", "get", OBJECTIONS, None, REVIEWER_ONLY),
    ("objection", "get", OBJECTIONS + "{objection}/", None, REVIEWER_ONLY),
    ("objections-post", "post", OBJECTIONS, {}, {p: 403 for p in PERSONAS} | {
        "acftu": 405, "anonymous": 401}),
]

DESIGNATION_CASES = [
    pytest.param(endpoint, persona, id=f"{endpoint[0]}-{persona}")
    for endpoint in DESIGNATION_ENDPOINTS
    for persona in DESIGNATION_PERSONAS
]


@pytest.mark.parametrize(("endpoint", "persona"), DESIGNATION_CASES)
def test_designation_permission_matrix(request, endpoint, persona):
    from tests.conftest import _official
    from tests.designation.award_support import published
    from tests.designation.conftest import make_campaign
    from tuoyu.designation import publicity as pub
    from tuoyu.designation.models import Objection

    name, method, path, body, expected = endpoint
    users = {p: request.getfixturevalue(p) for p in PERSONAS}
    users["acftu"] = _official(None, "acftu", "union_officer", "union", "中华全国总工会",
                               "110000", "national")
    publicity, _apps = published(make_campaign(users["acftu"]), users["acftu"])
    entry = pub.publicity_entries(publicity).first()
    objection = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="异议")
    ids = {"publicity": publicity.pk, "entry": entry.pk, "objection": objection.pk}
    client = token_client(users.get(persona))
    url = path.format(**ids)
    if body is None:
        response = getattr(client, method)(url)
    else:
        body = {k: int(v.format(**ids)) if v == "{entry}" else v for k, v in body.items()}
        response = getattr(client, method)(url, body, format="json")
    assert response.status_code == expected[persona], (name, persona, response.content[:300])
    if name == "objection-lodge":
        assert Objection.objects.count() == (2 if response.status_code == 201 else 1)


# ----------------------------------------------------------------------------- supervision
# A filed 海淀 facility (otto's provider, alice's employer as sponsor) with its 2025 annual
# report, an inspection closed with one finding and its rectification order, and an alert
# about the order. "ivy" is an inspector of 海淀 assigned to the inspection; "ian" an
# inspector of 朝阳 (same role, other county). Read-only: every write method is a 405 for
# whoever may read, after the same 401/403 as a read.

SUPERVISION_PERSONAS = [*ALL, "ivy", "ian"]
SUP_SIGNED_IN = [p for p in SUPERVISION_PERSONAS if p != "anonymous"]
REPORT_READERS = {"alice", "bob", "otto", "hana", "chen", "pudong", "bjhealth"}
REPORT_VISIBLE = {"alice", "otto", "hana", "bjhealth"}
INSPECTION_VISIBLE = {"alice", "otto", "hana", "bjhealth", "ivy"}
ALERT_READERS = {"hana", "chen", "pudong", "bjhealth"}
ALERT_VISIBLE = {"hana", "bjhealth"}


def _sup(*, readers, visible=None, ok=200, outside=404, refused=403):
    """Persona → status: ``ok`` for ``visible`` (default every reader), ``outside`` for the
    other readers, ``refused`` for every other signed-in persona, 401 for anonymous."""
    visible = readers if visible is None else visible
    table = {p: (ok if p in visible else outside if p in readers else refused)
             for p in SUP_SIGNED_IN}
    return table | {"anonymous": 401}


REPORTS = "/api/v1/supervision/annual-reports/"
INSPECTIONS = "/api/v1/supervision/inspections/"
RECTIFICATIONS = "/api/v1/supervision/rectifications/"
ALERTS = "/api/v1/monitoring/alerts/"
EVERY_SIGNED_IN = set(SUP_SIGNED_IN)

# name, method, path (formatted with the records' ids), expected, personas listing the row
SUPERVISION_ENDPOINTS = [
    ("reports", "get", REPORTS, _sup(readers=REPORT_READERS), REPORT_VISIBLE),
    ("report", "get", REPORTS + "{report}/",
     _sup(readers=REPORT_READERS, visible=REPORT_VISIBLE), None),
    ("report-unknown", "get", REPORTS + "999999/",
     _sup(readers=REPORT_READERS, visible=set()), None),
    ("reports-post", "post", REPORTS, _sup(readers=REPORT_READERS, ok=405), None),
    ("report-put", "put", REPORTS + "{report}/", _sup(readers=REPORT_READERS, ok=405), None),
    ("report-delete", "delete", REPORTS + "{report}/",
     _sup(readers=REPORT_READERS, ok=405), None),
    ("inspections", "get", INSPECTIONS, _sup(readers=EVERY_SIGNED_IN), INSPECTION_VISIBLE),
    ("inspection", "get", INSPECTIONS + "{inspection}/",
     _sup(readers=EVERY_SIGNED_IN, visible=INSPECTION_VISIBLE), None),
    ("inspections-post", "post", INSPECTIONS, _sup(readers=EVERY_SIGNED_IN, ok=405), None),
    ("inspection-patch", "patch", INSPECTIONS + "{inspection}/",
     _sup(readers=EVERY_SIGNED_IN, ok=405), None),
    ("rectifications", "get", RECTIFICATIONS, _sup(readers=EVERY_SIGNED_IN),
     INSPECTION_VISIBLE),
    ("rectification", "get", RECTIFICATIONS + "{order}/",
     _sup(readers=EVERY_SIGNED_IN, visible=INSPECTION_VISIBLE), None),
    ("rectifications-post", "post", RECTIFICATIONS, _sup(readers=EVERY_SIGNED_IN, ok=405),
     None),
    ("rectification-delete", "delete", RECTIFICATIONS + "{order}/",
     _sup(readers=EVERY_SIGNED_IN, ok=405), None),
    ("alerts", "get", ALERTS, _sup(readers=ALERT_READERS), ALERT_VISIBLE),
    ("alert", "get", ALERTS + "{alert}/", _sup(readers=ALERT_READERS, visible=ALERT_VISIBLE),
     None),
    ("alerts-post", "post", ALERTS, _sup(readers=ALERT_READERS, ok=405), None),
    ("alert-put", "put", ALERTS + "{alert}/", _sup(readers=ALERT_READERS, ok=405), None),
]

SUPERVISION_CASES = [
    pytest.param(endpoint, persona, id=f"{endpoint[0]}-{persona}")
    for endpoint in SUPERVISION_ENDPOINTS
    for persona in SUPERVISION_PERSONAS
]


@pytest.mark.parametrize(("endpoint", "persona"), SUPERVISION_CASES)
def test_supervision_permission_matrix(request, endpoint, persona):
    from tests.conftest import org_of
    from tests.supervision.api_support import CLOSED_ON, supervision_world
    from tests.supervision.conftest import make_inspector
    from tuoyu.monitoring.models import Alert

    name, method, path, expected, listed = endpoint
    users = {p: request.getfixturevalue(p) for p in PERSONAS}
    world = supervision_world(alice=users["alice"], otto=users["otto"], hana=users["hana"])
    users["ivy"] = world["inspectors"][0]
    users["ian"] = make_inspector("ian", org_of(users["chen"]))
    order = world["order"]
    alert = Alert.objects.create(
        rule_code="MON-004", facility=world["facility"], subject_key=f"order:{order.pk}",
        details={"order_id": order.pk, "deadline": order.deadline.isoformat(),
                 "working_days_late": 1, "ladder_step": ""},
        raised_on=CLOSED_ON, last_seen_on=CLOSED_ON,
    )
    ids = {"report": world["report"].pk, "inspection": world["inspection"].pk,
           "order": order.pk, "alert": alert.pk}
    client = token_client(users.get(persona))
    url = path.format(**ids)
    response = (getattr(client, method)(url) if method in ("get", "delete")
                else getattr(client, method)(url, {}, format="json"))
    assert response.status_code == expected[persona], (name, persona, response.content[:300])
    if listed is not None and response.status_code == 200:
        assert response.json()["count"] == (1 if persona in listed else 0), (name, persona)
