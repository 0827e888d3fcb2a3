"""Fixtures of the accounts tests: every persona at once, by name."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

PERSONAS = ("alice", "bob", "hana", "chen", "pudong", "bjhealth", "una", "dora", "otto", "root")


@pytest.fixture
def personas(request, db):
    """Every persona of ``tests/conftest.py`` plus ``anon`` (AnonymousUser), keyed by name."""
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    people["anon"] = AnonymousUser()
    return people


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords with a fast hasher: each persona sets one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
