"""Safety: Content-Security-Policy, client IP behind proxies, throttling."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from tuoyu.core.network import client_ip
from tuoyu.disclosure.middleware import STRICT_POLICY


@pytest.mark.parametrize("name", ["home", "disclosure:search", "disclosure:open_data"])
def test_pages_carry_the_strict_content_security_policy(client, db, name):
    response = client.get(reverse(name))
    assert response["Content-Security-Policy"] == STRICT_POLICY
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_admin_gets_a_relaxed_policy(client, db):
    response = client.get("/admin/login/")
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def _request(remote="10.0.0.9", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_client_ip_without_proxies_ignores_forwarded_for(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


def test_client_ip_behind_one_proxy_is_the_last_entry(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request("10.0.0.1", "6.6.6.6, 198.51.100.4")) == "198.51.100.4"


def test_client_ip_behind_two_proxies_skips_the_inner_proxy(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_ip(_request("10.0.0.2", "6.6.6.6, 198.51.100.4, 10.0.0.1")) == "198.51.100.4"


def test_client_ip_with_too_short_header_falls_back_to_remote(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_ip(_request("10.0.0.2", "198.51.100.4")) == "10.0.0.2"


def test_client_ip_ignores_a_garbage_entry(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request("10.0.0.1", "not-an-ip")) == "10.0.0.1"


@pytest.fixture
def tight(settings):
    cache.clear()
    settings.TUOYU_PORTAL_THROTTLE = {"search": (3, 60), "open_data": (1, 60)}
    yield
    cache.clear()


def test_search_over_the_rate_gets_429(client, db, tight):
    statuses = [client.get(reverse("disclosure:search")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_429_says_when_to_retry(client, db, tight):
    for _ in range(4):
        response = client.get(reverse("disclosure:search"))
    assert int(response["Retry-After"]) >= 1


def test_open_data_over_the_rate_gets_429(client, db, tight):
    url = reverse("disclosure:open_data_export", args=["json"])
    assert [client.get(url).status_code for _ in range(2)] == [200, 429]


def test_throttle_counts_each_client_separately(client, db, tight, settings):
    settings.TRUSTED_PROXIES = 1
    url = reverse("disclosure:open_data_export", args=["csv"])
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429


@pytest.mark.parametrize(("value", "expected"), [
    ("30/60", (30, 60)), ("off", None), ("", None), ((5, 10), (5, 10)), (None, None),
])
def test_rates_read_from_settings_text_or_tuple(settings, value, expected):
    from tuoyu.disclosure.throttling import rate_for

    settings.TUOYU_PORTAL_THROTTLE = {"search": value}
    assert rate_for("search") == expected
