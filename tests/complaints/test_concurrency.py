"""200 concurrent submissions on PostgreSQL all get distinct tracking codes and none is lost (acceptance 4)."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from tests.complaints.support import submit
from tuoyu.complaints import services
from tuoyu.complaints.models import Complaint

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")

SUBMISSIONS = 200
WORKERS = 16


# serialized_rollback: the flush afterwards must not re-create content types, which would
# clash with the next test that restores the serialized database (Django's post_migrate).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_get_distinct_codes_and_none_is_lost(facility, monkeypatch):
    # A small code pool forces real collisions between concurrent transactions, so the
    # retry on the unique constraint is exercised, not only the randomness.
    pool = [f"{n:012d}".translate(str.maketrans("0123456789", "23456789AB")) for n in range(4000)]
    lock = threading.Lock()
    rng = random.Random(7)
    drawn = []

    def code():
        with lock:
            drawn.append(rng.choice(pool))
            return drawn[-1]

    monkeypatch.setattr(services, "new_tracking_code", code)

    def one(i):
        try:
            return submit(facility, category="fees", text=f"第{i}号投诉：收费与公示不符，多收了{i}元。").tracking_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as executor:
        codes = list(executor.map(one, range(SUBMISSIONS)))
    assert len(set(codes)) == SUBMISSIONS
    assert Complaint.objects.count() == SUBMISSIONS
    assert len(drawn) > SUBMISSIONS  # some codes collided and were drawn again
