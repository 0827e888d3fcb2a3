"""The OpenAPI schema and its docs page: served locally, no CDN, no inline script or style."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_lists_every_resource():
    body = APIClient().get("/api/v1/schema/?format=json").json()
    assert body["openapi"].startswith("3.")
    for path in ("/api/v1/divisions/", "/api/v1/industries/", "/api/v1/organizations/",
                 "/api/v1/facilities/", "/api/v1/facilities/{id}/check/",
                 "/api/v1/facilities/{id}/filing/{transition}/",
                 "/api/v1/facilities/by-key/{source_system}/{external_id}/",
                 "/api/v1/public/facilities/"):
        assert path in body["paths"]
    assert body["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"


def test_schema_documents_the_error_shape():
    body = APIClient().get("/api/v1/schema/?format=json").json()
    error = body["paths"]["/api/v1/facilities/{id}/"]["get"]["responses"]["404"]
    ref = error["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/Error")
    assert set(body["components"]["schemas"]["Error"]["properties"]) == {
        "code", "message", "field", "details"}


def test_docs_page_loads_assets_from_the_site_without_inline_script_or_style():
    html = APIClient().get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html
    assert "<style" not in html
    assert all(re.search(r'\ssrc="', tag) for tag in re.findall(r"<script[^>]*>", html))


def test_docs_initialisation_script_is_served_separately_and_names_the_schema():
    response = APIClient().get("/api/v1/docs/?script=")
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in response.content.decode()


def test_sidecar_assets_are_served():
    response = APIClient().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200


def test_public_list_costs_the_same_queries_whatever_its_length(
    alice, django_assert_max_num_queries
):
    from tests.facilities.conftest import make_facility

    for _ in range(8):
        make_facility(alice, filing_status="filed")
    with django_assert_max_num_queries(3):
        assert APIClient().get("/api/v1/public/facilities/").json()["count"] == 8


def test_api_root_lists_the_resources(alice):
    body = token_client(alice).get("/api/v1/").json()
    assert {"divisions", "industries", "organizations", "facilities"} <= set(body)


def test_schema_describes_the_supervision_and_alert_reads():
    body = APIClient().get("/api/v1/schema/?format=json").json()
    for path in ("/api/v1/supervision/annual-reports/", "/api/v1/supervision/annual-reports/{id}/",
                 "/api/v1/supervision/inspections/", "/api/v1/supervision/inspections/{id}/",
                 "/api/v1/supervision/rectifications/", "/api/v1/supervision/rectifications/{id}/",
                 "/api/v1/monitoring/alerts/", "/api/v1/monitoring/alerts/{id}/"):
        operations = body["paths"][path]
        assert set(operations) == {"get"}, path  # read-only
        assert operations["get"]["description"] and operations["get"]["summary"], path
        assert "401" in operations["get"]["responses"], path
    params = {p["name"] for p in body["paths"]["/api/v1/supervision/rectifications/"]["get"]["parameters"]}
    assert {"status", "facility", "overdue", "page", "page_size"} <= params
