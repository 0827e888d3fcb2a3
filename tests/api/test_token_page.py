"""The API token page under “my account”: create (key shown once), list, revoke."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tuoyu.api.models import ApiToken
from tuoyu.api.services import api_token_create

pytestmark = pytest.mark.django_db


def test_page_needs_sign_in(client):
    response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_creating_shows_a_working_key_once(client, alice):
    client.force_login(alice)
    html = client.post(reverse("api_tokens:list"), {"name": "人事系统"}).content.decode()
    key = re.search(r'id="new-key"[^>]*value="([^"]+)"', html).group(1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/facilities/").status_code == 200
    assert key not in client.get(reverse("api_tokens:list")).content.decode()


def test_page_lists_only_own_tokens(client, alice, bob):
    api_token_create(actor=bob, user=bob, name="bob-sync")
    api_token_create(actor=alice, user=alice, name="alice-sync")
    client.force_login(alice)
    html = client.get(reverse("api_tokens:list")).content.decode()
    assert "alice-sync" in html and "bob-sync" not in html


def test_revoking_own_token(client, alice):
    token = api_token_create(actor=alice, user=alice, name="x").token
    client.force_login(alice)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_revoking_someone_elses_token_is_404(client, alice, bob):
    token = api_token_create(actor=bob, user=bob, name="x").token
    client.force_login(alice)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_page_has_no_inline_script_or_style(client, alice):
    client.force_login(alice)
    html = client.get(reverse("api_tokens:list")).content.decode()
    assert "<style" not in html and " style=" not in html
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html))
