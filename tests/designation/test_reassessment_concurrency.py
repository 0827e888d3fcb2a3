"""Two national officers withdrawing one designation at the same moment (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.designation.reassessment_support import named_unit
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.designation import reassessment as svc
from tuoyu.designation.models import Designation, DesignationWithdrawal

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
]


def test_two_simultaneous_withdrawals_one_wins_the_other_is_refused(alice, acftu, campaign):
    from tests.conftest import _official

    other = _official(None, "acftu2", "union_officer", "union", "中华全国总工会二", "110000",
                      "national")
    unit = named_unit(alice, campaign)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(actor, reason):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            svc.designation_withdraw(actor=actor, designation=Designation.objects.get(pk=unit.pk),
                                     reason=reason)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=act, args=(a, r))
               for a, r in ((acftu, "托育机构已停止运营"), (other, "备案已注销"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["DES-072", "ok"]
    assert DesignationWithdrawal.objects.filter(designation=unit).count() == 1
    assert AuditEvent.objects.filter(action="designation.designation.withdraw").count() == 1
