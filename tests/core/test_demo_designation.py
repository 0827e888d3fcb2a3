"""The demo data set holds designation campaigns and supervision results.

A named 2025 unit (北京中关村智联, ``employer-bj``) with its yearly report and one
re-assessment run, a campaign of the demo year in publicity, a double-random plan in 海淀
whose inspection result is published, and an overdue rectification order.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from tuoyu.core.demo import DEMO_PASSWORD, demo_build
from tuoyu.core.demo.designation import DEMO_CAMPAIGN_NAME
from tuoyu.core.demo.supervision import DEMO_SEED
from tuoyu.designation.models import Campaign, Designation, Reassessment, SubsidyAllocation
from tuoyu.supervision.models import Draw, Inspection, RectificationOrder
from tuoyu.supervision.rectification import rectification_orders_overdue

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AS_OF = dt.date(2026, 11, 20)
KEYS = ("fac-bj-joint", "fac-sh-park2")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The two facilities the campaigns and inspections use, built once and rolled back."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), \
            transaction.atomic():
        yield demo_build(as_of=AS_OF, facilities=KEYS)
        transaction.set_rollback(True)


def _counts():
    return (Campaign.objects.count(), Designation.objects.count(), Reassessment.objects.count(),
            Inspection.objects.count(), Draw.objects.count(), RectificationOrder.objects.count())


def test_demo_names_employer_bj_in_2025_with_certificate_and_subsidy(demo, db):
    designation = Designation.objects.get(year=2025)
    assert designation.employer.name == "北京中关村智联软件有限公司"
    assert designation.certificate_number == "AXTY-2025-0001"
    assert designation.named_on == dt.date(2025, 8, 1)
    assert SubsidyAllocation.objects.filter(designation=designation).exists()


def test_demo_named_unit_is_on_the_public_yearly_list(demo, db, client):
    response = client.get("/designation/named/2025/")
    assert response.status_code == 200
    assert "北京中关村智联软件有限公司" in response.content.decode()


def test_demo_campaign_of_the_demo_year_is_in_publicity(demo, db, client):
    data = client.get("/api/v1/public/designation/publicity/").json()
    assert data["count"] >= 1
    assert Campaign.objects.filter(year=AS_OF.year, name=DEMO_CAMPAIGN_NAME,
                                   publicity__ends_on__gte=AS_OF).exists()


def test_demo_national_union_officer_sees_the_reassessment_rows(demo, db, client):
    assert client.login(username="union-cn", password=DEMO_PASSWORD)
    response = client.get("/designation/reassessment/?year=2025")
    assert response.status_code == 200
    assert "AXTY-2025-0001" in response.content.decode()


def test_demo_reassessment_of_2025_does_not_flag_the_named_unit(demo, db):
    row = Reassessment.objects.get(year=2025)
    assert row.flagged is False, row.findings


def test_demo_draw_uses_the_published_seed(demo, db):
    assert Draw.objects.get().seed == DEMO_SEED


def test_demo_inspections_open_data_has_a_row(demo, db, client):
    response = client.get("/portal/open-data/inspections.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) >= 2


def test_demo_has_an_overdue_rectification_order(demo, db):
    assert rectification_orders_overdue(AS_OF).count() == 1


def test_demo_designation_and_supervision_steps_run_again_add_nothing(demo, db):
    from tuoyu.core.demo.builder import DemoBuilder
    from tuoyu.core.demo.designation import demo_designation_build
    from tuoyu.core.demo.supervision import demo_supervision_build

    before = _counts()
    builder = DemoBuilder(seed=2026, as_of=AS_OF)
    builder.build_officials()
    builder.build_employers()
    builder.build_accounts()
    assert demo_designation_build(builder) == 0
    assert demo_supervision_build(builder) == 0
    assert _counts() == before
    assert builder.created is False


def test_demo_inspection_findings_are_about_staffing_as_their_notes_say(demo, db):
    failed = {(item.code.split("-")[1], item.notes) for inspection in Inspection.objects.all()
              for item in inspection.items.filter(result="not_met")}
    assert failed and {kind for kind, _notes in failed} == {"RATIO"}
