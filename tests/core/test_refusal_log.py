"""A refused request (403) is logged on one line without a traceback; a 500 keeps it."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from tuoyu.config.urls import urlpatterns as site_urlpatterns
from tuoyu.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _refuse_with_domain_code(request):
    try:
        raise DomainError("FIL-003", params={"status": "submitted"})
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None


def _crash(request):
    raise RuntimeError("boom")


#: The site's URLconf plus a refusing and a crashing view (``pytest.mark.urls`` points
#: here; the 403 and 500 pages link to the site's named routes).
urlpatterns = [
    path("refuse/", _refuse_with_domain_code),
    path("crash/", _crash),
    *site_urlpatterns,
]


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_refused_page_is_one_warning_without_traceback(client, alice, caplog):
    client.force_login(alice)  # an employer admin may not read the audit trail
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/audit/")
    records = _request_records(caplog)
    assert response.status_code == 403
    assert [(r.levelno, r.exc_info) for r in records] == [(logging.WARNING, None)]


def test_a_refused_page_logs_path_user_and_code(client, alice, caplog):
    client.force_login(alice)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/audit/")
    message = _request_records(caplog)[0].getMessage()
    assert ("/audit/" in message, f"user {alice.pk}" in message, "GEN-002" in message) == (
        True, True, True)


@pytest.mark.urls("tests.core.test_refusal_log")
def test_a_refusal_from_a_domain_error_logs_the_domain_code(client, alice, caplog):
    client.force_login(alice)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/refuse/")
    records = _request_records(caplog)
    assert len(records) == 1 and "FIL-003" in records[0].getMessage()


def test_an_anonymous_refusal_says_anonymous(rf, caplog):
    from tuoyu.core.middleware import RefusalLogMiddleware

    request = rf.get("/somewhere/")
    middleware = RefusalLogMiddleware(lambda r: None)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = middleware.process_exception(request, PermissionDenied())
    message = _request_records(caplog)[0].getMessage()
    assert response.status_code == 403 and "user anonymous" in message


@pytest.mark.urls("tests.core.test_refusal_log")
def test_a_server_error_keeps_its_traceback(alice, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/crash/")
    records = _request_records(caplog)
    assert response.status_code == 500
    assert [(r.levelno, r.exc_info is not None) for r in records] == [(logging.ERROR, True)]
