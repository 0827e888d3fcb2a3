"""Defaults of a new campaign, read from settings where the sources leave them open.

Every value the sources do not fix (policy-facts §5: quotas, material list and publicity
length UNVERIFIED) is a setting with a default here; a campaign copies it when created
and the national union officer may change it per campaign.

=========================================  ========  ==========================================
setting                                    default   meaning
=========================================  ========  ==========================================
``DESIGNATION_MIN_OWN_STAFF_SHARE_PCT``    ``60``    own-staff children must exceed this % of
                                                     enrolment (2024 criteria, news text)
``DESIGNATION_PUBLICITY_WORKING_DAYS``     ``5``     publicity period (公示), working days;
                                                     UNVERIFIED
``DESIGNATION_STEP_WORKING_DAYS``          10/10/    working days per chain step (grassroots,
                                           15/20     city, provincial, national); UNVERIFIED
``DESIGNATION_MATERIAL_MAX_BYTES``         10 MiB    largest accepted material upload
``DESIGNATION_EXPERTS_PER_APPLICATION``    ``3``     experts assigned automatically to each
                                                     application; UNVERIFIED (ADR 0067)
``DESIGNATION_OBJECTION_RATE``             5/3600    objections per client IP per window
                                                     (seconds) on the publicity page
``DESIGNATION_REPORT_DEADLINE``            ``03-31`` month-day of the year after the reported
                                                     year by which a named unit's yearly report
                                                     is due; UNVERIFIED (ADR 0091)
=========================================  ========  ==========================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tuoyu.accounts.choices import OwnershipType

_STEP_DAYS = {"grassroots": 10, "city": 10, "provincial": 15, "national": 20}


def _step(step: str) -> int:
    return int(getattr(settings, "DESIGNATION_STEP_WORKING_DAYS", {}).get(step, _STEP_DAYS[step]))


def step_days_grassroots() -> int:
    """Working days of the grassroots/county union step."""
    return _step("grassroots")


def step_days_city() -> int:
    """Working days of the city (prefecture) union step."""
    return _step("city")


def step_days_provincial() -> int:
    """Working days of the provincial union step."""
    return _step("provincial")


def step_days_national() -> int:
    """Working days of the national review step."""
    return _step("national")


def publicity_working_days() -> int:
    """Publicity period (公示期) in working days; UNVERIFIED, default 5."""
    return int(getattr(settings, "DESIGNATION_PUBLICITY_WORKING_DAYS", 5))


def min_own_staff_share_pct() -> Decimal:
    """Own-staff share of enrolment that must be exceeded, % (2024 criteria: >60 %)."""
    return Decimal(str(getattr(settings, "DESIGNATION_MIN_OWN_STAFF_SHARE_PCT", "60")))


def material_max_bytes() -> int:
    """Largest accepted material upload in bytes (default 10 MiB)."""
    return int(getattr(settings, "DESIGNATION_MATERIAL_MAX_BYTES", 10 * 1024 * 1024))


def eligible_ownership_types() -> list[str]:
    """Ownership types that may apply: 机关, 企事业单位 (any enterprise; 事业单位), 产业园区.

    Source: 2024 notice criteria ("机关、企事业单位、产业园区"), policy-facts §5. Social
    organisations and "other" are left out.
    """
    return [
        OwnershipType.GOVERNMENT_AGENCY, OwnershipType.PUBLIC_INSTITUTION,
        OwnershipType.STATE_OWNED, OwnershipType.COLLECTIVE, OwnershipType.PRIVATE,
        OwnershipType.FOREIGN, OwnershipType.HK_MACAO_TAIWAN, OwnershipType.INDUSTRIAL_PARK,
    ]


def report_deadline(year: int) -> dt.date:
    """Last day (inclusive, to 23:59:59 local) to file the yearly report (年度报告) of ``year``.

    ``DESIGNATION_REPORT_DEADLINE`` is a month-day ``MM-DD`` of the year after ``year``
    (default ``03-31``). No published text fixes the date (policy-facts §5; ADR 0091).
    Raises ImproperlyConfigured for a value that is not a valid month-day.
    """
    value = str(getattr(settings, "DESIGNATION_REPORT_DEADLINE", "03-31"))
    try:
        month, day = (int(part) for part in value.split("-"))
        return dt.date(year + 1, month, day)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DESIGNATION_REPORT_DEADLINE must be MM-DD, got {value!r}") from exc
