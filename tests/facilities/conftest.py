"""Fixtures of the facilities tests: facilities owned by the personas' organisations."""

from __future__ import annotations

import pytest

from tests.conftest import org_of
from tests.factories import FacilityFactory
from tuoyu.core.text import normalize_search


def make_facility(owner, **kwargs):
    """A facility operated by ``owner``'s organisation, in that organisation's county."""
    org = org_of(owner)
    kwargs.setdefault("operator", org)
    facility = FacilityFactory(**kwargs)
    facility.name_search = normalize_search(facility.name)
    facility.save(update_fields=["name_search"])
    return facility


@pytest.fixture
def haidian_facility(alice):
    """A draft facility of alice's employer in 海淀区 (110108)."""
    return make_facility(alice, name="海淀爱心托育中心")


@pytest.fixture
def pudong_facility(bob):
    """A draft facility of bob's employer in 浦东新区 (310115)."""
    return make_facility(bob, name="浦东职工托育园", address="上海市浦东新区世纪大道1号")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Persona passwords hashed with a fast hasher: these tests are about access, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
