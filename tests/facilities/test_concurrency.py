"""Two officers deciding one filing at the same moment (PostgreSQL only: real row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.facilities.conftest import make_facility
from tuoyu.core.errors import DomainError
from tuoyu.facilities import services
from tuoyu.facilities.models import Facility, FilingEvent
from tuoyu.facilities.workflow import FilingStatus

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
]


def test_two_simultaneous_decisions_one_wins_the_other_conflicts(alice, hana):
    facility = make_facility(alice)
    Facility.objects.filter(pk=facility.pk).update(filing_status=FilingStatus.SUBMITTED)
    copies = [Facility.objects.get(pk=facility.pk) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(copy, decide):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            decide(copy)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=act, args=(copies[0], lambda f: services.filing_file(
            actor=hana, facility=f))),
        threading.Thread(target=act, args=(copies[1], lambda f: services.filing_return(
            actor=hana, facility=f, reason="材料不全"))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["GEN-003", "ok"]
    assert FilingEvent.objects.filter(facility=facility).count() == 1
