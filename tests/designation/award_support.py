"""Helpers of the scoring, selection, publicity and naming tests: expert personas and
applications brought to a given stage.

| persona | role | organisation | division |
|---|---|---|---|
| exp_bj | expert | 北京专家库 | 110108 (Beijing: conflicts with alice's employer) |
| exp_sh | expert | 上海专家库 | 310115 |
| exp_gd | expert | 广东专家库 | 440106 |
| exp_zj | expert | 浙江专家库 | 330106 |
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import _official
from tests.designation.conftest import make_application
from tests.factories import FacilityFactory, OrganizationFactory, division
from tuoyu.designation import scoring, services
from tuoyu.designation.models import Application


def expert(db, username: str, code: str):
    """An expert (role ``expert``) of an expert pool in division ``code``."""
    return _official(db, username, "expert", "expert_pool", f"{username}专家库", code, "provincial")


@pytest.fixture
def exp_bj(db):
    """Expert of a Beijing pool: conflicts with Beijing applicants."""
    return expert(db, "exp_bj", "110108")


@pytest.fixture
def exp_sh(db):
    """Expert of a Shanghai pool."""
    return expert(db, "exp_sh", "310115")


@pytest.fixture
def exp_gd(db):
    """Expert of a Guangdong pool."""
    return expert(db, "exp_gd", "440106")


@pytest.fixture
def exp_zj(db):
    """Expert of a Zhejiang pool."""
    return expert(db, "exp_zj", "330106")


def to_national_review(app, *, alice, hdunion, bjcity, una, bjhealth, acftu):
    """Walk alice's application through the chain to national review."""
    services.application_submit(actor=alice, application=app)
    services.application_recommend(actor=hdunion, application=app)
    services.application_recommend(actor=bjcity, application=app)
    services.application_health_opinion_record(actor=bjhealth, application=app, opinion="同意")
    services.application_recommend(actor=una, application=app)
    services.application_recommend(actor=acftu, application=app)
    return app


def full_marks(campaign, value="10") -> dict[str, str]:
    """Points ``value`` on every criterion of ``campaign``."""
    return {c.code: value for c in scoring.criteria_of(campaign)}


def scored_application(campaign, *, code: str, score: str, model: str = "employer_built",
                       industry: str = "65", headcount: int = 500, ownership: str = "private",
                       name: str | None = None) -> Application:
    """An application already ``scored`` with aggregate ``score`` (set directly, as test setup)
    of a new employer in division ``code``."""
    from tuoyu.reference.models import Industry

    employer = OrganizationFactory(division=division(code), industry=Industry.objects.get(code=industry),
                                   headcount=headcount, ownership_type=ownership,
                                   **({"name": name} if name else {}))
    facility = FacilityFactory(operator=employer, provision_model=model)
    return Application.objects.create(campaign=campaign, employer=employer, facility=facility,
                                      status="scored", score=Decimal(score),
                                      declared_enrolled=40, declared_own_staff_children=30)


__all__ = ["exp_bj", "exp_gd", "exp_sh", "exp_zj", "full_marks", "make_application", "published",
           "scored_application", "to_national_review"]


def published(campaign, acftu, scores=("95", "90")):
    """Scored applications (Guangdong, Shanghai …) selected, confirmed and published today."""
    from tuoyu.designation import proposals, publicity

    codes = ["440106", "310115", "330106", "320102", "510104"]
    apps = [scored_application(campaign, code=codes[i % len(codes)], score=s)
            for i, s in enumerate(scores)]
    proposal, _result = proposals.proposal_create(actor=acftu, campaign=campaign)
    proposals.proposal_confirm(actor=acftu, proposal=proposal)
    return publicity.publicity_publish(actor=acftu, proposal=proposal), apps
