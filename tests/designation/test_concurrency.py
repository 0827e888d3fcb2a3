"""Two union officers deciding one application at the same moment (PostgreSQL: real row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tuoyu.core.errors import DomainError
from tuoyu.designation import services
from tuoyu.designation.models import Application, ApplicationEvent

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
]


def _race(*decisions):
    barrier = threading.Barrier(len(decisions))
    outcomes: list[str] = []

    def act(decide):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            decide()
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=act, args=(d,)) for d in decisions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


def test_two_simultaneous_decisions_one_wins_the_other_conflicts(alice, application, hdunion):
    from tests.conftest import _official

    services.application_submit(actor=alice, application=application)
    other = _official(None, "hdunion2", "union_officer", "union", "海淀区总工会二", "110108",
                      "county")
    copies = [Application.objects.get(pk=application.pk) for _ in range(2)]
    version = copies[0].version
    outcomes = _race(
        lambda: services.application_recommend(actor=hdunion, application=copies[0],
                                               expected_version=version),
        lambda: services.application_return(actor=other, application=copies[1],
                                            reason="材料不全", expected_version=version),
    )
    assert outcomes == ["GEN-003", "ok"]
    assert ApplicationEvent.objects.filter(application=application).exclude(
        action="submit").count() == 1


def test_two_simultaneous_provincial_recommendations_respect_the_quota(
        alice, acftu, campaign, hdunion, bjcity, una, bjhealth, db):
    from tests.conftest import _persona
    from tests.designation.conftest import make_application
    from tests.factories import division

    alice2 = _persona(None, "alice2", "employer_admin",
                      {"name": "海淀第二科技", "division": division("110108")})
    services.campaign_quota_set(actor=acftu, campaign=campaign, province_code="11",
                                max_recommended=1)
    apps = []
    for owner in (alice, alice2):
        app = make_application(owner, campaign)
        services.application_submit(actor=owner, application=app)
        services.application_recommend(actor=hdunion, application=app)
        services.application_recommend(actor=bjcity, application=app)
        services.application_health_opinion_record(actor=bjhealth, application=app, opinion="同意")
        apps.append(Application.objects.get(pk=app.pk))
    outcomes = _race(*[
        (lambda a=a: services.application_recommend(actor=una, application=a)) for a in apps])
    assert outcomes == ["DES-029", "ok"]
    assert Application.objects.filter(status="provincial_recommended").count() == 1
