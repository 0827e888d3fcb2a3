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
