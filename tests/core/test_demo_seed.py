"""The demo data set is deterministic: the seed fixes every random draw."""

from __future__ import annotations

from django.db import transaction

from tuoyu.accounts.models import Organization
from tuoyu.core.demo import catalogue as cat
from tuoyu.core.demo import demo_build


def _employers_built_with(seed: int) -> list[tuple[str, str, str]]:
    """Build organisations and accounts only, read the employers' draws, then undo the build."""
    savepoint = transaction.savepoint()
    demo_build(seed=seed, facilities=[])
    rows = sorted(
        Organization.objects.filter(source_system=cat.DEMO_SOURCE, kind="employer")
        .values_list("external_id", "credit_code", "division__code")
    )
    transaction.savepoint_rollback(savepoint)
    return rows


def test_same_seed_gives_the_same_credit_codes_and_counties(db):
    assert _employers_built_with(7) == _employers_built_with(7)


def test_other_seed_gives_other_credit_codes(db):
    first, second = _employers_built_with(7), _employers_built_with(8)
    assert [r[1] for r in first] != [r[1] for r in second]


def test_haidian_and_pudong_employers_stay_in_their_counties_whatever_the_seed(db):
    counties = {key: code for key, _credit, code in _employers_built_with(99)}
    assert counties["emp-bj-zhilian"] == "110108"
    assert counties["emp-sh-zhangjiang"] == "310115"
