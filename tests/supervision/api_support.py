"""The supervision records the API tests read: one filed 海淀 facility with an annual
report, a closed inspection with one item not met and its rectification order."""

from __future__ import annotations

import datetime as dt

from tests.conftest import org_of
from tests.facilities.conftest import make_facility
from tests.supervision.conftest import make_inspector
from tests.supervision.inspection_support import closed_with_findings
from tuoyu.supervision.annual_reports import annual_report_create

#: The day the annual report of 2025 is started.
REPORT_DAY = dt.date(2026, 1, 10)
#: The day the inspection is closed (the order is issued).
CLOSED_ON = dt.date(2026, 2, 12)


def supervision_world(*, alice, otto, hana, inspectors=("ivy", "ins_b")) -> dict:
    """A filed facility in 海淀区 (110108) operated by otto's provider and sponsored by
    alice's employer; its 2025 annual report (draft, prefilled); an ad hoc inspection by
    two 海淀 inspectors (``inspectors``: their usernames, the first a persona) closed on
    :data:`CLOSED_ON` with WST821-CCTV not met, and the rectification order it issued.

    Returns ``{"facility", "report", "inspection", "order", "inspectors"}``.
    """
    facility = make_facility(otto, name="海淀监管接口托育中心", sponsors=[org_of(alice), org_of(otto)],
                             filing_status="filed")
    team = {
        "facility": facility, "hana": hana,
        "inspectors": [make_inspector(name, org_of(hana)) for name in inspectors],
    }
    report = annual_report_create(actor=otto, facility=facility, year=2025, today=REPORT_DAY)
    inspection = closed_with_findings(team, today=CLOSED_ON)
    return {
        "facility": facility, "report": report, "inspection": inspection,
        "order": inspection.rectification, "inspectors": team["inspectors"],
    }
