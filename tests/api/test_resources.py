"""What the resources return: scoping, personal data, counts, pagination, query budgets."""

from __future__ import annotations

import pytest

from tests.api.conftest import token_client
from tests.facilities.conftest import make_facility
from tuoyu.audit.models import DataAccessEvent
from tuoyu.facilities.models import Facility

pytestmark = pytest.mark.django_db


def _all_pages(client, url):
    ids, pages = [], 0
    while url:
        body = client.get(url).json()
        ids += [row["id"] if "id" in row else row["code"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    return ids, pages


def test_pagination_visits_every_facility_exactly_once(alice):
    for i in range(23):
        make_facility(alice, name="同名托育中心" if i % 2 else f"托育中心{i % 5}")
    client = token_client(alice)
    ids, pages = _all_pages(client, "/api/v1/facilities/?page_size=5")
    expected = set(Facility.objects.values_list("pk", flat=True))
    assert len(ids) == len(expected) == 23
    assert set(ids) == expected
    assert pages == 5


def test_pagination_of_divisions_is_stable_across_duplicate_codes(alice):
    client = token_client(alice)
    ids, _ = _all_pages(client, "/api/v1/divisions/?code=11&page_size=7")
    assert len(ids) == len(set(ids))
    from tuoyu.reference.models import Division

    assert set(ids) == set(Division.objects.filter(code__startswith="11").values_list("pk", flat=True))


def test_employer_lists_only_own_facilities(alice, bob, world):
    make_facility(bob, name="浦东职工托育园")
    names = [r["name"] for r in token_client(alice).get("/api/v1/facilities/").json()["results"]]
    assert names == ["海淀第三方托育中心"]


def test_county_officer_sees_own_county_only(hana, chen, world):
    assert token_client(hana).get("/api/v1/facilities/").json()["count"] == 1
    assert token_client(chen).get("/api/v1/facilities/").json()["count"] == 0


def test_facility_filters_by_status_and_name_in_traditional_characters(alice, world):
    client = token_client(alice)
    assert client.get("/api/v1/facilities/?q=海澱第三方").json()["count"] == 1
    assert client.get("/api/v1/facilities/?status=filed").json()["count"] == 0
    assert client.get("/api/v1/facilities/?status=draft&status=filed").json()["count"] == 1


@pytest.mark.parametrize("n", [3, 12])
def test_facility_list_costs_the_same_queries_whatever_its_length(
    alice, n, django_assert_max_num_queries
):
    for _ in range(n):
        make_facility(alice)
    client = token_client(alice)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/facilities/").json()["count"] == n


def test_organization_and_division_lists_have_a_query_budget(root, django_assert_max_num_queries):
    client = token_client(root)
    with django_assert_max_num_queries(6):
        client.get("/api/v1/organizations/")
    with django_assert_max_num_queries(5):
        client.get("/api/v1/divisions/?page_size=200")


def test_detail_shows_staff_to_own_users_without_logging(otto, world):
    body = token_client(otto).get(f"/api/v1/facilities/{world['pk']}/").json()
    assert [s["id"] for s in body["staff"]] == [world["staff"].pk]
    assert not DataAccessEvent.objects.exists()


def test_detail_shows_staff_to_health_officer_and_logs_the_read(hana, world):
    body = token_client(hana).get(f"/api/v1/facilities/{world['pk']}/").json()
    assert body["staff"][0]["name"] == world["staff"].name
    event = DataAccessEvent.objects.get()
    assert (event.actor, event.object_id) == (hana, str(world["pk"]))


def test_detail_hides_staff_from_union_officer_but_gives_the_count(una, world):
    body = token_client(una).get(f"/api/v1/facilities/{world['pk']}/").json()
    assert body["staff"] is None
    assert body["staff_count"] == 1
    assert world["staff"].name not in str(body)
    assert not DataAccessEvent.objects.exists()


def test_detail_counts_children_per_class_type(alice, world):
    body = token_client(alice).get(f"/api/v1/facilities/{world['pk']}/").json()
    counts = {c["class_type"]: c["children"] for c in body["enrolment_counts"]}
    assert counts == {"infant": 0, "toddler": 1, "older": 0, "mixed": 0}
    assert body["classes"] == [{"id": world["class"].pk, "name": "小一班",
                                "class_type": "toddler", "capacity": world["class"].capacity,
                                "enrolled": 1}]


def test_check_returns_findings_as_of_the_date(alice, world):
    body = token_client(alice).get(
        f"/api/v1/facilities/{world['pk']}/check/?as_of=2026-06-01").json()
    assert body["as_of"] == "2026-06-01"
    assert body["blocking"] == any(f["severity"] == "block" for f in body["findings"])
    assert all(f["rule_code"] for f in body["findings"])


@pytest.mark.parametrize("as_of", ["9999-12-31", "1999-12-31", "20260101"])
def test_check_refuses_a_date_outside_the_window_or_format(alice, world, as_of):
    response = token_client(alice).get(f"/api/v1/facilities/{world['pk']}/check/?as_of={as_of}")
    assert response.status_code == 400
    assert response.json()["field"] == "as_of"


@pytest.mark.usefixtures("no_findings")
def test_filing_history_lists_transitions_made_through_the_api(alice, hana, world):
    submitted = token_client(alice).post(f"/api/v1/facilities/{world['pk']}/filing/submit/",
                                         {"expected_version": 0}, format="json").json()
    token_client(hana).post(f"/api/v1/facilities/{world['pk']}/filing/file/",
                            {"expected_version": submitted["version"]}, format="json")
    history = token_client(alice).get(f"/api/v1/facilities/{world['pk']}/filing/").json()
    assert [e["action"] for e in history] == ["submit", "file"]
    assert history[1]["receipt_number"].startswith("备110108")


@pytest.mark.usefixtures("no_findings")
def test_stale_expected_version_is_a_conflict(alice, world):
    response = token_client(alice).post(
        f"/api/v1/facilities/{world['pk']}/filing/submit/", {"expected_version": 99},
        format="json")
    assert (response.status_code, response.json()["code"]) == (409, "GEN-003")


def test_retired_division_shows_its_successors(alice):
    rows = token_client(alice).get("/api/v1/divisions/?code=370284").json()["results"]
    retired = [r for r in rows if r["status"] == "retired"]
    assert retired and retired[0]["successors"][0]["code"] == "370211"


def test_divisions_filter_by_level_and_status(alice):
    rows = token_client(alice).get(
        "/api/v1/divisions/?code=11&level=province&status=active").json()["results"]
    assert [r["code"] for r in rows] == ["110000"]


def test_industry_detail_by_code(alice):
    assert token_client(alice).get("/api/v1/industries/8020/").json()["code"] == "8020"


def test_officials_see_organizations_in_their_jurisdiction(hana, pudong, alice, bob):
    names = {o["name"] for o in token_client(hana).get("/api/v1/organizations/").json()["results"]}
    assert "海淀科技有限公司" in names
    assert "浦东制造有限公司" not in names
