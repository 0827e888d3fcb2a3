"""Shared fixtures: personas, one per role, plus the same role in another jurisdiction.

| persona | role | organisation | division |
|---|---|---|---|
| alice | employer_admin | employer 北京海淀 | 110108 |
| bob | employer_admin | employer 上海浦东 | 310115 |
| hana | health_officer | 海淀区卫健委 (county) | 110108 |
| chen | health_officer | 朝阳区卫健委 (county, same province) | 110105 |
| pudong | health_officer | 浦东新区卫健委 (county, other province) | 310115 |
| bjhealth | health_officer | 北京市卫健委 (provincial) | 110000 |
| una | union_officer | 北京市总工会 (provincial) | 110000 |
| dora | department_officer | 北京市民政局 (provincial) | 110000 |
| otto | facility_operator | provider 北京海淀 | 110108 |
| root | platform_admin | platform (national) | 110000 |
"""

from __future__ import annotations

import pytest

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, division


def load_reference_rows() -> None:
    """Load the reference data and the rule table as ``migrate`` does, when the division
    table is empty (a transactional test before this one flushed the database)."""
    from django.core.management import call_command

    from tuoyu.reference.loaders import load_all
    from tuoyu.reference.models import Division

    if not Division.objects.exists():
        load_all()
        call_command("load_rules", verbosity=0)


@pytest.fixture
def reference_rows(transactional_db):
    """For transactional tests: the reference data as after ``migrate``."""
    load_reference_rows()


def _persona(db, username, role, org_kwargs):
    org = OrganizationFactory(**org_kwargs)
    user = UserFactory(username=username, display_name=username)
    MembershipFactory(user=user, organization=org, role=role)
    return user


@pytest.fixture
def alice(db):
    """Employer administrator of an employer in 北京市海淀区."""
    return _persona(db, "alice", "employer_admin", {"name": "海淀科技有限公司", "division": division("110108")})


@pytest.fixture
def bob(db):
    """Employer administrator of an employer in 上海市浦东新区."""
    return _persona(db, "bob", "employer_admin", {"name": "浦东制造有限公司", "division": division("310115")})


def _official(db, username, role, kind, name, code, level):
    return _persona(
        db, username, role,
        {"kind": kind, "name": name, "division": division(code), "level": level,
         "credit_code": None, "industry": None, "ownership_type": "", "headcount": None},
    )


@pytest.fixture
def hana(db):
    """Health officer of the 海淀区 (110108) health commission, county level."""
    return _official(db, "hana", "health_officer", "health", "海淀区卫生健康委员会", "110108", "county")


@pytest.fixture
def chen(db):
    """Health officer of the 朝阳区 (110105) health commission: same province, other county."""
    return _official(db, "chen", "health_officer", "health", "朝阳区卫生健康委员会", "110105", "county")


@pytest.fixture
def pudong(db):
    """Health officer of the 浦东新区 (310115) health commission: other province."""
    return _official(db, "pudong", "health_officer", "health", "浦东新区卫生健康委员会", "310115", "county")


@pytest.fixture
def bjhealth(db):
    """Health officer of the 北京市 health commission (provincial level)."""
    return _official(db, "bjhealth", "health_officer", "health", "北京市卫生健康委员会", "110000", "provincial")


@pytest.fixture
def una(db):
    """Union officer of the 北京市总工会 (provincial level)."""
    return _official(db, "una", "union_officer", "union", "北京市总工会", "110000", "provincial")


@pytest.fixture
def dora(db):
    """Officer of the 北京市民政局 (other department, provincial level)."""
    return _official(db, "dora", "department_officer", "department", "北京市民政局", "110000", "provincial")


@pytest.fixture
def otto(db):
    """Facility operator of a provider in 海淀区."""
    return _persona(db, "otto", "facility_operator", {"kind": "provider", "name": "海淀托育服务有限公司", "division": division("110108")})


@pytest.fixture
def root(db):
    """Platform administrator (national)."""
    return _official(db, "root", "platform_admin", "platform", "托育平台运营中心", "110000", "national")


def org_of(user):
    """The organisation of a persona's first membership."""
    return user.memberships.select_related("organization").first().organization


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Personas hash passwords; PBKDF2 is slow by design, so tests use MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _memory_cache(settings):
    """Each test starts with an empty in-memory cache (throttle and lock-out counters).

    The embedded default is a file cache in the data directory, which would carry
    counters from one test run to the next.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    from django.core.cache import cache

    cache.clear()
