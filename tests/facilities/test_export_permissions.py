"""Export needs the export capability; the export command checks its arguments first."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from tests.facilities.test_export import download
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, division


@pytest.fixture
def expert(db):
    org = OrganizationFactory(
        kind="expert_pool", name="专家库", division=division("110000"), level="provincial",
        credit_code=None, industry=None, ownership_type="", headcount=None,
    )
    user = UserFactory(username="expert")
    MembershipFactory(user=user, organization=org, role="expert")
    return user


@pytest.fixture
def inspector(db):
    org = OrganizationFactory(
        kind="health", name="海淀区卫健委", division=division("110108"), level="county",
        credit_code=None, industry=None, ownership_type="", headcount=None,
    )
    user = UserFactory(username="inspector-hd")
    MembershipFactory(user=user, organization=org, role="inspector")
    return user


@pytest.mark.parametrize("who", ["expert", "inspector"])
def test_download_without_export_capability_is_forbidden(db, request, who):
    with pytest.raises(PermissionDenied):
        download(request.getfixturevalue(who))


def test_command_with_a_user_without_export_capability_exits_2(inspector, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("export_facilities", "--output", str(tmp_path / "x.csv"), "--user", "inspector-hd")
    assert exc.value.returncode == 2
    assert not (tmp_path / "x.csv").exists()


def test_command_rejects_an_unknown_status(db, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("export_facilities", "--output", str(tmp_path / "x.csv"), "--status", "bogus")
    assert exc.value.returncode == 2
    assert "bogus" in str(exc.value)


def test_command_rejects_a_county_that_is_not_a_code_prefix(db, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("export_facilities", "--output", str(tmp_path / "x.csv"), "--county", "abc")
    assert exc.value.returncode == 2


def test_command_reports_an_unwritable_output_without_traceback(db, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("export_facilities", "--output", str(tmp_path / "missing" / "x.csv"))
    assert exc.value.returncode == 2
