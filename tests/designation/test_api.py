"""API of publicity (公示) and objections (异议): the page and the API agree on the list, the
end date and the refusal after it; objections go through the page's service and its limit;
the national reviewers read objections scoped as their page."""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tests.designation.award_support import published
from tests.designation.conftest import make_campaign
from tuoyu.core.errors import message_for
from tuoyu.designation import publicity as pub
from tuoyu.designation.models import Objection
from tuoyu.reference.calendar import add_working_days

pytestmark = pytest.mark.django_db

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
LIST = "/api/v1/public/designation/publicity/"


def _at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def _objections_url(publicity) -> str:
    return f"{LIST}{publicity.pk}/objections/"


def _page(publicity) -> str:
    return f"/designation/publicity/{publicity.campaign_id}/"


@pytest.fixture
def national_day(acftu):
    """A list published on Fri 2025-09-26 for 5 working days: Sat 27 Sep off, Sun 28 Sep a
    make-up workday, 1–8 Oct National Day holiday, so it ends on Fri 2025-10-10."""
    with _at(2025, 9, 26, 10, 0):
        campaign = make_campaign(acftu, publicity_working_days=5)
        publicity, _apps = published(campaign, acftu)
    return publicity


# --------------------------------------------------------------------------- public reads


def test_anonymous_list_shows_year_dates_state_and_listed_units(campaign, acftu):
    publicity, apps = published(campaign, acftu)
    body = APIClient().get(LIST).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["id"], row["year"], row["campaign"]) == (publicity.pk, campaign.year, campaign.pk)
    assert row["starts_on"] == publicity.starts_on.isoformat()
    assert row["ends_on"] == publicity.ends_on.isoformat()
    assert row["is_open"] is True
    assert row["page_url"] == _page(publicity)
    assert [e["employer_name"] for e in row["entries"]] == [a.employer.name for a in apps]
    assert [e["position"] for e in row["entries"]] == [1, 2]


def test_public_entry_holds_only_the_published_fields(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = APIClient().get(f"{LIST}{publicity.pk}/").json()["entries"][0]
    assert set(entry) == {"id", "position", "employer_name", "division_code", "division_name",
                          "provision_model"}


def test_unit_removed_after_an_upheld_objection_leaves_the_list_as_on_the_page(client, campaign,
                                                                                acftu):
    publicity, apps = published(campaign, acftu)
    first = pub.publicity_entries(publicity).first()
    objection = pub.objection_submit(publicity=publicity, entry_id=first.pk, text="属实的异议")
    pub.objection_resolve(actor=acftu, objection=objection, upheld=True, reason="经核实属实")
    entries = APIClient().get(f"{LIST}{publicity.pk}/").json()["entries"]
    assert [(e["position"], e["employer_name"]) for e in entries] == [(1, apps[1].employer.name)]
    page = client.get(_page(publicity)).content.decode()
    assert html.escape(apps[0].employer.name) not in page


def test_unknown_publicity_is_a_404_in_the_error_shape():
    response = APIClient().get(f"{LIST}999999/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "field", "details"}


def test_public_list_costs_the_same_queries_whatever_its_length(acftu,
                                                               django_assert_max_num_queries):
    for year in (2024, 2025, 2026):
        published(make_campaign(acftu, year=year), acftu, scores=("95", "90", "85"))
    with django_assert_max_num_queries(3):
        assert APIClient().get(LIST).json()["count"] == 3


# --------------------------------------------------------------------------- end date


def test_api_end_date_is_the_pages_across_national_day_with_make_up_workday(client, national_day):
    expected = add_working_days(dt.date(2025, 9, 26), 5).date
    assert expected == dt.date(2025, 10, 10)
    with _at(2025, 10, 10, 23, 59, 0):
        body = APIClient().get(f"{LIST}{national_day.pk}/").json()
        page = client.get(_page(national_day)).content.decode()
    assert (body["starts_on"], body["ends_on"]) == ("2025-09-26", "2025-10-10")
    assert body["working_days"] == 5 and body["ends_provisional"] is False
    assert body["is_open"] is True and 'name="text"' in page
    assert "2025-09-26 至 2025-10-10 23:59:59" in page


def test_api_and_page_both_show_the_period_closed_after_the_end(client, national_day):
    with _at(2025, 10, 11, 0, 0, 1):
        body = APIClient().get(f"{LIST}{national_day.pk}/").json()
        page = client.get(_page(national_day)).content.decode()
    assert body["is_open"] is False and 'name="text"' not in page


# --------------------------------------------------------------------------- objections


def test_objection_before_the_end_is_accepted_by_page_and_api(client, national_day):
    entry = pub.publicity_entries(national_day).first()
    with _at(2025, 10, 10, 23, 59, 30):
        page = client.post(_page(national_day), {"entry": entry.pk, "text": "页面提出的异议"})
        api = APIClient().post(_objections_url(national_day),
                               {"entry": entry.pk, "text": "接口提出的异议"}, format="json")
    assert page.status_code == 302
    assert api.status_code == 201
    assert api.json()["entry"] == entry.pk and api.json()["anonymous"] is True
    assert sorted(Objection.objects.values_list("text", "status")) == [
        ("接口提出的异议", "open"), ("页面提出的异议", "open")]


def test_objection_after_the_end_is_refused_by_page_and_api_with_the_same_code(client,
                                                                              national_day):
    entry = pub.publicity_entries(national_day).first()
    refusal = message_for("DES-052", {"end": "2025-10-10"}, "zh-hans")
    with _at(2025, 10, 11, 0, 0, 1):
        page = client.post(_page(national_day), {"entry": entry.pk, "text": "迟到的异议"},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
        api = APIClient().post(_objections_url(national_day),
                               {"entry": entry.pk, "text": "迟到的异议"}, format="json",
                               HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refusal in page.content.decode()  # the page shows DES-052's message
    assert api.status_code == 400
    assert api.json() == {"code": "DES-052", "message": refusal, "field": None, "details": {}}
    assert not Objection.objects.exists()


def test_named_objection_through_the_api_keeps_name_and_contact(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    response = APIClient().post(_objections_url(publicity), {
        "entry": entry.pk, "text": "收费高于普惠价", "name": "张三", "contact": "13800000000"},
        format="json")
    assert response.status_code == 201 and response.json()["anonymous"] is False
    assert "张三" not in response.content.decode()
    assert Objection.objects.values_list("name", "contact").get() == ("张三", "13800000000")


def test_objection_to_a_unit_not_on_the_list_names_the_entry(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    response = APIClient().post(_objections_url(publicity), {"entry": 987654, "text": "异议"},
                                format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("DES-058", "entry")


def test_blank_objection_text_is_an_input_error_on_text(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    response = APIClient().post(_objections_url(publicity), {"entry": entry.pk, "text": "  "},
                                format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("API-005", "text")
    assert not Objection.objects.exists()


def test_objection_to_an_unknown_publicity_is_a_404(campaign, acftu):
    response = APIClient().post(f"{LIST}999999/objections/", {"entry": 1, "text": "异议"},
                                format="json")
    assert response.status_code == 404


def test_page_and_api_share_one_objection_limit_per_client(client, campaign, acftu, settings):
    settings.DESIGNATION_OBJECTION_RATE = (2, 3600)
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    client.post(_page(publicity), {"entry": entry.pk, "text": "页面第一条"})
    api = APIClient()
    assert api.post(_objections_url(publicity), {"entry": entry.pk, "text": "接口第一条"},
                    format="json").status_code == 201
    over = api.post(_objections_url(publicity), {"entry": entry.pk, "text": "接口第二条"},
                    format="json")
    assert over.status_code == 429
    assert over.json()["code"] == "API-007" and int(over["Retry-After"]) >= 1
    assert Objection.objects.count() == 2


# --------------------------------------------------------------------------- reviewers


def test_national_reviewer_reads_every_objection_with_the_objector(acftu, campaign):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="署名异议", name="李四",
                         contact="lisi@example.cn")
    pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="匿名异议")
    body = token_client(acftu).get("/api/v1/designation/objections/").json()
    assert [(r["text"], r["name"], r["status"]) for r in body["results"]] == [
        ("署名异议", "李四", "open"), ("匿名异议", "", "open")]
    assert body["results"][0]["employer_name"] == entry.application.employer.name
    assert body["results"][0]["campaign"] == campaign.pk


def test_national_reviewer_filters_objections_by_status(acftu, campaign):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    first = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="一")
    pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="二")
    pub.objection_resolve(actor=acftu, objection=first, upheld=False, reason="不属实")
    body = token_client(acftu).get("/api/v1/designation/objections/?status=open").json()
    assert [r["text"] for r in body["results"]] == ["二"]


def test_provincial_union_officer_may_not_read_objections(una, campaign, acftu):
    published(campaign, acftu)
    assert token_client(una).get("/api/v1/designation/objections/").status_code == 403


def test_anonymous_visitor_may_not_read_objections():
    response = APIClient().get("/api/v1/designation/objections/")
    assert response.status_code == 401 and response.json()["code"] == "API-001"


def test_schema_documents_the_publicity_and_objection_endpoints():
    paths = APIClient().get("/api/v1/schema/?format=json").json()["paths"]
    assert {"get"} <= set(paths["/api/v1/public/designation/publicity/"])
    assert {"get"} <= set(paths["/api/v1/public/designation/publicity/{id}/"])
    post = paths["/api/v1/public/designation/publicity/{id}/objections/"]["post"]
    assert {"201", "400", "404", "429"} <= set(post["responses"])
    assert {"get"} <= set(paths["/api/v1/designation/objections/"])


def test_reviewers_list_costs_the_same_queries_whatever_its_length(acftu, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    client = token_client(acftu)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/designation/objections/").status_code == 200
        return len(captured)

    pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="第一条")
    queries()  # the token's first use of the minute records its last-used time
    one = queries()
    for i in range(4):
        pub.objection_submit(publicity=publicity, entry_id=entry.pk, text=f"第{i + 2}条")
    assert queries() == one
