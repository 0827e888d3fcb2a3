"""Fixtures of the complaint tests: a public facility in 海淀区 (110108) and one in 朝阳区 (110105)."""

from __future__ import annotations

import datetime as dt
import struct
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import org_of
from tests.factories import FacilityFactory, OrganizationFactory, division
from tuoyu.core.text import normalize_search

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10) -> dt.datetime:
    """An aware datetime in Beijing time."""
    return dt.datetime(y, m, d, h, tzinfo=SHANGHAI)


def jpeg_with_exif(extra: bytes = b"") -> bytes:
    """A small well-formed JPEG stream with an EXIF (APP1) segment holding a GPS position and a comment."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    exif_body = b"Exif\x00\x00GPSLatitude=39.9042;GPSLongitude=116.4074"
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif_body) + 2) + exif_body
    comment = b"\xff\xfe" + struct.pack(">H", 9) + b"secret!"
    sos = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + app0 + app1 + comment + sos + b"\x12\x34\x56" + extra + b"\xff\xd9"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Evidence files go to a temporary directory, not the data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def facility(db, otto):
    """A filed (public) facility of otto's provider in 海淀区 (110108)."""
    return FacilityFactory(operator=org_of(otto), filing_status="filed", name="阳光宝贝托育中心",
                           name_search=normalize_search("阳光宝贝托育中心"))


@pytest.fixture
def chaoyang_facility(db):
    """A filed facility in 朝阳区 (110105)."""
    provider = OrganizationFactory(kind="provider", name="朝阳托育服务有限公司", division=division("110105"))
    return FacilityFactory(operator=provider, filing_status="filed", name="朝阳小树苗托育园",
                           name_search=normalize_search("朝阳小树苗托育园"), address="北京市朝阳区建国路1号")


@pytest.fixture
def employer(alice):
    """alice's employer in 海淀区, searchable by name."""
    org = org_of(alice)
    org.name_search = normalize_search(org.name)
    org.save(update_fields=["name_search"])
    return org


@pytest.fixture
def officers(hana, chen, pudong, bjhealth, una, root):
    """Every official persona, so notifications have someone to go to."""
    return {"hana": hana, "chen": chen, "pudong": pudong, "bjhealth": bjhealth, "una": una, "root": root}
