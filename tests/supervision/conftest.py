"""Fixtures of the supervision tests: filed facilities and an inspector pool in 海淀区."""

from __future__ import annotations

import pytest

from tests.conftest import org_of
from tests.factories import (
    FacilityFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    division,
)


def make_inspector(username, organization, *extra_orgs):
    """A user with the inspector role in ``organization`` (and plain memberships elsewhere)."""
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=organization, role="inspector")
    for org in extra_orgs:
        MembershipFactory(user=user, organization=org, role="facility_operator")
    return user


@pytest.fixture
def haidian_setup(hana):
    """Twelve filed facilities and two drafts in 110108, one filed in 310115, four inspectors.

    Inspector ``insp_conflict`` is also a member of the first facility's operator.
    """
    commission = org_of(hana)
    providers = [
        OrganizationFactory(kind="provider", name=f"海淀托育{k}", division=division("110108"))
        for k in range(4)
    ]
    filed = [
        FacilityFactory(operator=providers[k % 4], filing_status="filed",
                        provision_model="employer_built" if k % 2 else "community")
        for k in range(12)
    ]
    drafts = [FacilityFactory(operator=providers[0], filing_status="draft") for _ in range(2)]
    pudong_provider = OrganizationFactory(kind="provider", division=division("310115"))
    elsewhere = FacilityFactory(operator=pudong_provider, filing_status="filed")
    inspectors = [make_inspector(f"insp{k}", commission) for k in range(3)]
    inspectors.append(make_inspector("insp_conflict", commission, providers[0]))
    return {
        "commission": commission,
        "providers": providers,
        "filed": filed,
        "drafts": drafts,
        "elsewhere": elsewhere,
        "inspectors": inspectors,
    }
