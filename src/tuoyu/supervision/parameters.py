"""Configurable numbers of inspections, rectification and publication (可配置参数).

Each is read from Django settings when used, with the default below; none is fixed by a
verified national text (policy facts §9), so all are settings (ADR 0075, ADR 0076).

==========================================  =======  ===============================================
setting                                     default  meaning
==========================================  =======  ===============================================
``TUOYU_RECTIFICATION_DAYS``                20       working days to rectify (整改期限)
``TUOYU_RECTIFICATION_ESCALATION_DAYS``     10       working days between two ladder steps
``TUOYU_INSPECTION_PUBLICATION_DAYS``       20       working days from closing to publication
                                                     (SAMR 2018 "within 20 days"; working days
                                                     UNVERIFIED)
``TUOYU_INSPECTION_RESULTS_YEARS``          3        years a published result stays public
``TUOYU_INSPECTION_MIN_INSPECTORS``         2        inspectors per ad hoc inspection (国办发
                                                     〔2015〕58号 practice: at least two)
``TUOYU_EVIDENCE_MAX_MB``                   10       largest evidence file, in MB (MiB)
``TUOYU_RECTIFICATION_EVIDENCE_MAX_FILES``  10       evidence files per response to a rectification
                                                     order (ADR 0092)
``TUOYU_ANNUAL_REPORT_DEADLINE``            03-31    month-day of the year after the reported year
                                                     by which the annual report is due (管理规范
                                                     Art. 38 gives no date; UNVERIFIED, ADR 0086)
``TUOYU_ANNUAL_REPORT_REMINDER_DAYS``       10       working days before that deadline from which
                                                     reminders are recorded (UNVERIFIED, ADR 0086)
==========================================  =======  ===============================================
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: Upper bound of any deadline in working days (about one year).
MAX_DEADLINE_WORKING_DAYS = 250


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def rectification_days() -> int:
    """Working days a facility has to rectify (default 20)."""
    return _int("TUOYU_RECTIFICATION_DAYS", 20)


def escalation_days() -> int:
    """Working days after one ladder step before the next may be taken (default 10)."""
    return _int("TUOYU_RECTIFICATION_ESCALATION_DAYS", 10)


def publication_days() -> int:
    """Working days from an inspection's closing to the publication of its result (default 20)."""
    return _int("TUOYU_INSPECTION_PUBLICATION_DAYS", 20)


def results_years() -> int:
    """Years a published inspection result stays public (default 3)."""
    return _int("TUOYU_INSPECTION_RESULTS_YEARS", 3)


def min_inspectors() -> int:
    """Inspectors required for an ad hoc inspection (default 2)."""
    return _int("TUOYU_INSPECTION_MIN_INSPECTORS", 2)


def evidence_max_bytes() -> int:
    """Largest evidence file accepted, in bytes (``TUOYU_EVIDENCE_MAX_MB``, default 10 MiB)."""
    return _int("TUOYU_EVIDENCE_MAX_MB", 10) * 1024 * 1024


def rectification_evidence_max_files() -> int:
    """Most evidence files one response to a rectification order may carry
    (``TUOYU_RECTIFICATION_EVIDENCE_MAX_FILES``, default 10; ADR 0092)."""
    return _int("TUOYU_RECTIFICATION_EVIDENCE_MAX_FILES", 10)


def annual_report_deadline(year: int) -> dt.date:
    """The deadline (inclusive) of the annual report for ``year``: the month and day of
    ``TUOYU_ANNUAL_REPORT_DEADLINE`` (``"MM-DD"``, default ``"03-31"``) in ``year + 1``.

    Raises ImproperlyConfigured when the setting is not a valid ``MM-DD`` day (29 February
    becomes 28 February in a common year).
    """
    value = str(getattr(settings, "TUOYU_ANNUAL_REPORT_DEADLINE", "03-31")).strip()
    try:
        month, day = (int(part) for part in value.split("-"))
        if (month, day) == (2, 29) and not calendar.isleap(year + 1):
            day = 28
        return dt.date(year + 1, month, day)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            f"TUOYU_ANNUAL_REPORT_DEADLINE must be a month-day such as 03-31, not {value!r}"
        ) from None


def annual_report_reminder_days() -> int:
    """Working days before the annual-report deadline from which reminders are recorded (default 10)."""
    return _int("TUOYU_ANNUAL_REPORT_REMINDER_DAYS", 10)
