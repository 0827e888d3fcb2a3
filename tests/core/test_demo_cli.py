"""The console script's version, the demo command's argument check, bulk demo officials."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import tuoyu
from tuoyu.cli import main


def test_version_is_tuoyus_not_djangos(capsys):
    main(["tuoyu", "--version"])
    assert capsys.readouterr().out.strip() == f"tuoyu {tuoyu.__version__}"


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    assert tuoyu.__version__ == version("tuoyu")


def test_demo_refuses_a_negative_facility_count(db):
    with pytest.raises(CommandError) as exc:
        call_command("demo", "--facilities", "-5", "--no-progress")
    assert exc.value.returncode == 2


def test_bulk_demo_counties_get_a_health_commission_and_filing_officer(db):
    from tuoyu.accounts.models import Membership
    from tuoyu.core.demo import demo_extend
    from tuoyu.facilities.models import Facility

    demo_extend(count=3, seed=7)
    for code in set(Facility.objects.values_list("division__code", flat=True)):
        assert Membership.objects.filter(
            role="health_officer",
            organization__kind="health",
            organization__level="county",
            organization__division__code=code,
            user__username=f"officer-{code}",
        ).exists(), code
