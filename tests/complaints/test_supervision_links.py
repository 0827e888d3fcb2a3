"""Complaints linked to supervision: inspections opened from a complaint, substantiated
complaints on the portal and in the draw's risk weight (ADR 0085)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.complaints.conftest import at
from tests.complaints.support import submit
from tests.conftest import org_of
from tests.factories import FacilityFactory
from tests.supervision.conftest import make_inspector
from tuoyu.audit.models import AuditEvent
from tuoyu.complaints import selectors
from tuoyu.complaints.services import complaint_open_inspection, complaint_transition
from tuoyu.core.errors import DomainError
from tuoyu.supervision.draw import weights_from_settings
from tuoyu.supervision.draw_lists import entity_from_record
from tuoyu.supervision.selectors import entity_key
from tuoyu.supervision.services import draw_lists_freeze, inspection_plan_create

VISIT = dt.date(2026, 3, 10)
ANSWER = "经核查，窗户护栏已于3月5日安装完毕。"


def _walk(complaint, actor, actions, *, substantiated=None, when=None):
    for action in actions:
        complaint = complaint_transition(
            actor=actor, complaint=complaint, action=action, answer=ANSWER if action == "answer" else "",
            substantiated=substantiated if action in ("answer", "close") else None, now=when,
        )
    return complaint


@pytest.fixture
def inspectors(hana):
    commission = org_of(hana)
    return [make_inspector("cmp_ins_a", commission), make_inspector("cmp_ins_b", commission)]


def test_officer_opens_an_inspection_with_complaint_origin_from_a_complaint(hana, facility, inspectors):
    complaint = submit(facility)
    linked = complaint_open_inspection(actor=hana, complaint=complaint, inspectors=inspectors, visit_date=VISIT)
    assert linked.inspection.origin == "complaint"
    assert linked.inspection.facility_id == facility.pk
    assert complaint.tracking_code in linked.inspection.reason
    assert AuditEvent.objects.filter(action="complaints.inspection_open").count() == 1


def test_inspection_reason_never_carries_the_complainants_text(hana, facility, inspectors):
    complaint = submit(facility, contact="13800138000")
    linked = complaint_open_inspection(actor=hana, complaint=complaint, inspectors=inspectors, visit_date=VISIT)
    assert "护栏" not in linked.inspection.reason and "13800138000" not in linked.inspection.reason


def test_a_complaint_opens_at_most_one_inspection(hana, facility, inspectors):
    complaint = complaint_open_inspection(
        actor=hana, complaint=submit(facility), inspectors=inspectors, visit_date=VISIT
    )
    with pytest.raises(DomainError) as err:
        complaint_open_inspection(actor=hana, complaint=complaint, inspectors=inspectors, visit_date=VISIT)
    assert err.value.code == "CMP-031"


def test_opening_an_inspection_without_eligible_inspectors_is_a_clear_error(hana, facility):
    with pytest.raises(DomainError) as err:
        complaint_open_inspection(actor=hana, complaint=submit(facility), inspectors=[], visit_date=VISIT)
    assert err.value.code == "CMP-032"


def test_officer_of_another_county_cannot_open_an_inspection(chen, facility, inspectors):
    with pytest.raises(DomainError) as err:
        complaint_open_inspection(actor=chen, complaint=submit(facility), inspectors=inspectors, visit_date=VISIT)
    assert err.value.code == "GEN-002"


def test_officer_page_form_opens_the_inspection_and_shows_the_link(client, hana, facility, inspectors):
    complaint = submit(facility)
    client.force_login(hana)
    response = client.post(reverse("complaints:inspect", kwargs={"pk": complaint.pk}), {
        "version": complaint.version, "inspectors": [u.pk for u in inspectors], "visit_date": "2026-03-10",
    })
    assert response.status_code == 302
    complaint.refresh_from_db()
    page = client.get(reverse("complaints:detail", kwargs={"pk": complaint.pk})).content.decode()
    assert reverse("supervision:inspection_detail", kwargs={"pk": complaint.inspection_id}) in page


def test_answer_records_whether_the_complaint_was_substantiated(hana, facility):
    complaint = _walk(submit(facility), hana, ["accept", "investigate", "answer"], substantiated=True)
    assert complaint.substantiated is True


def test_portal_lists_a_substantiated_complaint_without_personal_data(client, hana, facility):
    complaint = submit(facility, contact="13800138000")
    _walk(complaint, hana, ["accept", "investigate", "answer"], substantiated=True)
    page = client.get(reverse("disclosure:facility", kwargs={"pk": facility.pk})).content.decode()
    assert timezone.localdate().strftime("%Y-%m") in page and ANSWER in page
    assert "护栏" not in page.replace(ANSWER, "") and "13800138000" not in page
    assert complaint.tracking_code not in page


def test_portal_omits_complaints_not_substantiated(hana, facility):
    _walk(submit(facility, now=at(2026, 3, 2)), hana, ["accept", "investigate", "answer"], substantiated=False)
    assert selectors.substantiated_public(facility, dt.date(2026, 3, 20)) == []


def test_substantiated_counts_cover_the_last_twelve_months_only(hana, facility):
    _walk(submit(facility, now=at(2025, 3, 2)), hana, ["accept", "investigate", "answer"], substantiated=True)
    _walk(submit(facility, text="收费与公示价格不一致，多收了伙食费三百元。", category="fees", now=at(2026, 3, 2)),
          hana, ["accept", "investigate", "answer"], substantiated=True)
    assert selectors.substantiated_counts(dt.date(2026, 3, 20)) == {facility.pk: 1}


def test_substantiated_complaints_raise_the_facilitys_weight_in_the_frozen_list(hana, facility, inspectors):
    other = FacilityFactory(operator=facility.operator, filing_status="filed")
    complaint = submit(facility)
    _walk(complaint, hana, ["accept", "investigate", "answer"], substantiated=True)
    plan = inspection_plan_create(
        actor=hana, organization=org_of(hana), title="抽查", year=2026, scope_prefix="110108", count=1,
    )
    draw_list = draw_lists_freeze(actor=hana, plan=plan)
    records = {r["id"]: entity_from_record(r, ()) for r in draw_list.entities}
    weights = weights_from_settings()
    assert records[entity_key(facility.pk)].complaints == 1
    assert weights.weight(records[entity_key(facility.pk)]) > weights.weight(records[entity_key(other.pk)])


def test_provincial_officer_sees_figures_per_county_office(bjhealth, hana, facility, chaoyang_facility):
    _walk(submit(facility, now=at(2026, 3, 2)), hana, ["accept", "investigate", "answer"], when=at(2026, 3, 6))
    submit(chaoyang_facility, text="收费与公示价格不一致，多收了伙食费三百元。", category="fees")
    rows = {(r.division_code, r.office): r for r in selectors.figures_by_office(bjhealth)}
    assert rows[("110108", "health")].median_days_to_answer == 4
    assert rows[("110105", "health")].total == 1 and rows[("110105", "health")].answered == 0


def test_county_officer_figures_cover_only_their_county(hana, facility, chaoyang_facility):
    submit(facility)
    submit(chaoyang_facility, text="收费与公示价格不一致，多收了伙食费三百元。", category="fees")
    assert [r.division_code for r in selectors.figures_by_office(hana)] == ["110108"]


def test_provincial_queue_page_shows_the_office_table(client, bjhealth, facility, chaoyang_facility):
    submit(facility)
    submit(chaoyang_facility, text="收费与公示价格不一致，多收了伙食费三百元。", category="fees")
    client.force_login(bjhealth)
    page = client.get(reverse("complaints:queue")).content.decode()
    assert "110105" in page and "110108" in page
