"""Helpers of the inspection, rectification and publication tests."""

from __future__ import annotations

import datetime as dt

from tests.conftest import org_of
from tests.factories import FacilityFactory
from tests.supervision.conftest import make_inspector
from tuoyu.supervision.inspections import (
    inspection_close,
    inspection_create,
    inspection_items_record,
)
from tuoyu.supervision.workflow import ItemResult

VISIT = dt.date(2026, 2, 10)


def make_team(hana, otto):
    """An 海淀 facility of otto's provider and two 海淀 inspectors (plus one spare).

    Each test module wraps this in its own ``team`` fixture."""
    commission = org_of(hana)
    facility = FacilityFactory(operator=org_of(otto), filing_status="filed")
    first, second, spare = (make_inspector(n, commission) for n in ("ins_a", "ins_b", "ins_c"))
    return {"facility": facility, "inspectors": [first, second], "spare": spare, "hana": hana, "otto": otto}


def new_inspection(team, visit=VISIT):
    """An ad hoc inspection of the team's facility by its two inspectors."""
    return inspection_create(
        actor=team["hana"], facility=team["facility"], inspectors=team["inspectors"],
        visit_date=visit, reason="投诉核查",
    )


def answer_all(inspection, actor, *, not_met=()):
    """Answer every item ``met`` except the codes in ``not_met``."""
    answers = {
        item.pk: (ItemResult.NOT_MET if item.code in not_met else ItemResult.MET, "")
        for item in inspection.items.all()
    }
    return inspection_items_record(actor=actor, inspection=inspection, answers=answers)


def closed_with_findings(team, *, today, codes=("WST821-CCTV",), visit=VISIT):
    """An inspection closed on ``today`` with the items ``codes`` not met; returns it."""
    inspection = new_inspection(team, visit)
    answer_all(inspection, team["inspectors"][0], not_met=codes)
    return inspection_close(
        actor=team["inspectors"][0], inspection=inspection, required_evidence="整改后照片", today=today,
    )
