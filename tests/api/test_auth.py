"""API tokens: created hashed, accepted in the Authorization header, refused once revoked."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tuoyu.api.models import ApiToken
from tuoyu.api.services import api_token_create, api_token_revoke
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_its_sha256(alice):
    issued = api_token_create(actor=alice, user=alice, name="hr sync")
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert row.key_hash == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key not in {row.key_hash, row.prefix, row.name}
    assert issued.key.startswith(row.prefix)


def test_token_creation_is_audited(alice):
    issued = api_token_create(actor=alice, user=alice, name="hr sync")
    assert AuditEvent.objects.filter(action="api.token.create",
                                     object_id=str(issued.token.pk)).exists()


def test_token_authenticates_its_user_and_records_last_use(alice):
    issued = api_token_create(actor=alice, user=alice, name="hr sync")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 200
    assert [o["name"] for o in response.json()["results"]] == ["海淀科技有限公司"]
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None


def test_revoked_token_is_refused_with_api_002(alice):
    issued = api_token_create(actor=alice, user=alice, name="hr sync")
    api_token_revoke(actor=alice, token=issued.token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
    response = client.get("/api/v1/facilities/")
    assert response.status_code == 401
    assert response.json()["code"] == "API-002"


def test_unknown_token_is_refused(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token ty_not-a-real-token")
    assert client.get("/api/v1/facilities/").json()["code"] == "API-002"


def test_token_of_inactive_user_is_refused(alice):
    client = token_client(alice)
    alice.is_active = False
    alice.save()
    assert client.get("/api/v1/facilities/").status_code == 401


def test_other_user_may_not_revoke_a_token(alice, bob):
    issued = api_token_create(actor=alice, user=alice, name="hr sync")
    with pytest.raises(DomainError) as exc:
        api_token_revoke(actor=bob, token=issued.token)
    assert exc.value.code == "GEN-002"


def test_command_creates_a_token_printed_once_and_revokes_it(alice):
    out = StringIO()
    call_command("api_token", "create", "alice", "--name", "cli", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/facilities/").status_code == 200
    call_command("api_token", "revoke", key[:8], stdout=StringIO())
    assert client.get("/api/v1/facilities/").status_code == 401


def test_session_post_without_csrf_token_is_refused(alice, world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(f"/api/v1/facilities/{world['pk']}/filing/submit/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "API-011"


def test_session_get_works_without_token(alice, world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get(f"/api/v1/facilities/{world['pk']}/").status_code == 200


def test_token_loses_access_when_its_user_loses_the_membership(hana, world):
    from tuoyu.accounts.models import Membership
    from tuoyu.accounts.permissions import invalidate_all

    client = token_client(hana)
    assert client.get(f"/api/v1/facilities/{world['pk']}/").status_code == 200
    Membership.objects.filter(user=hana).update(is_active=False)
    invalidate_all()
    assert client.get(f"/api/v1/facilities/{world['pk']}/").status_code == 404


def test_admin_lists_tokens_without_their_hash(admin_client, alice):
    issued = api_token_create(actor=alice, user=alice, name="hr sync")
    html = admin_client.get("/admin/api/apitoken/").content.decode()
    assert issued.token.prefix in html
    assert issued.token.key_hash not in html
    change = admin_client.get(f"/admin/api/apitoken/{issued.token.pk}/change/").content.decode()
    assert issued.token.key_hash not in change


def test_token_command_reports_a_bad_name_without_a_traceback(alice):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="GEN-004"):
        call_command("api_token", "create", "alice", "--name", "")
