"""``tuoyu designation reassess --year YYYY [--json]``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.designation.reassessment_support import named_unit
from tuoyu.core.dates import local_today
from tuoyu.designation.models import Reassessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(alice, bob, campaign):
    """bob's unit still qualifies; alice's facility filing is cancelled."""
    good = named_unit(bob, campaign)
    bad = named_unit(alice, campaign)
    facility = bad.application.facility
    facility.filing_status = "cancelled"
    facility.save(update_fields=["filing_status"])
    return good, bad


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("designation_reassess", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_only_the_flagged_units(units):
    good, bad = units
    out, err = _run("--year", str(local_today().year))
    assert f"{bad.certificate_number} 海淀科技有限公司" in out
    assert "DES-R01" in out
    assert good.certificate_number not in out
    assert "2 unit(s) re-assessed" in out and "1 no longer qualify" in out
    assert "Re-assessing 2 named unit(s)" in err


def test_command_json_lists_the_flagged_units_and_stores_the_results(units):
    _good, bad = units
    out, _err = _run("--year", str(local_today().year), "--json")
    data = json.loads(out)
    assert data["checked"] == 2
    assert [u["certificate_number"] for u in data["flagged"]] == [bad.certificate_number]
    assert [f["rule_code"] for f in data["flagged"][0]["findings"]] == ["DES-R01"]
    assert Reassessment.objects.count() == 2


def test_command_refuses_a_future_year(units):
    with pytest.raises(CommandError) as exc:
        _run("--year", str(local_today().year + 1))
    assert "DES-070" in str(exc.value)
