"""Property-based run against the OpenAPI schema (schemathesis): no server error, no response
that breaks the schema, correct content types. Fixed and small example budget,
derandomized, authenticated as alice with her API token (one facility of hers exists).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import token_client  # noqa: F401  (fixtures share the module)
from tuoyu.api.services import api_token_create
from tuoyu.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance,
          status_code_conformance]


@pytest.fixture
def keep_connection():
    """Keep the test's database connection open across WSGI calls.

    The WSGI handler closes the connection when a request finishes
    (``close_old_connections``); Django's test client switches that off, but schemathesis
    calls the application directly. On PostgreSQL closing it would end the test's
    transaction, so the signal handlers are disconnected for the test, as the client does.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def alice_token(alice, world, keep_connection):
    """Alice's API token header; the world facility gives the id-based routes a real row."""
    key = api_token_create(actor=alice, user=alice, name="schemathesis").key
    return {"Authorization": f"Token {key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, alice_token):
    response = case.call(headers=alice_token)
    case.validate_response(response, checks=CHECKS)


# Every read of the supervision and alert API, with rows in it, against the schema: a health
# officer of the county reads an annual report, an inspection with a finding, its order
# and an alert (alice's run above sees empty lists or a 403 there).
SUPERVISION_READS = [
    ("/api/v1/supervision/annual-reports/", None),
    ("/api/v1/supervision/annual-reports/{id}/", "report"),
    ("/api/v1/supervision/inspections/", None),
    ("/api/v1/supervision/inspections/{id}/", "inspection"),
    ("/api/v1/supervision/rectifications/", None),
    ("/api/v1/supervision/rectifications/{id}/", "order"),
    ("/api/v1/monitoring/alerts/", None),
    ("/api/v1/monitoring/alerts/{id}/", "alert"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "key"), SUPERVISION_READS)
def test_supervision_reads_with_rows_conform_to_the_schema(path, key, alice, otto, hana,
                                                            keep_connection):
    from tests.supervision.api_support import CLOSED_ON, supervision_world
    from tuoyu.monitoring.models import Alert

    world = supervision_world(alice=alice, otto=otto, hana=hana)
    order = world["order"]
    alert = Alert.objects.create(
        rule_code="MON-004", facility=world["facility"], subject_key=f"order:{order.pk}",
        details={"order_id": order.pk, "deadline": order.deadline.isoformat(),
                 "working_days_late": 1, "ladder_step": ""},
        raised_on=CLOSED_ON, last_seen_on=CLOSED_ON,
    )
    ids = {"report": world["report"].pk, "inspection": world["inspection"].pk,
           "order": order.pk, "alert": alert.pk}
    token = api_token_create(actor=hana, user=hana, name="schema").key
    case = schema[path]["GET"].Case(path_parameters={"id": ids[key]} if key else {})
    response = case.call(headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    if key is None:
        assert response.json()["count"] == 1
    case.validate_response(response, checks=CHECKS)
