"""Configurable thresholds of the alert rules (可配置参数), read from Django settings when
used, with the defaults below (the way ADR 0077 reads supervision settings).

==========================================  =======  ==============================================
setting                                     default  meaning
==========================================  =======  ==============================================
``TUOYU_ALERT_COMPLAINT_BURST_COUNT``       3        complaints about one facility that make a burst
``TUOYU_ALERT_COMPLAINT_BURST_DAYS``        30       calendar days the burst is counted over
==========================================  =======  ==============================================

No national text sets either number: both are UNVERIFIED defaults (ADR 0088).
"""

from __future__ import annotations

from django.conf import settings


def _int(name: str, default: int, minimum: int = 1) -> int:
    return max(minimum, int(getattr(settings, name, default)))


def complaint_burst_count() -> int:
    """Complaints about one facility within the window that raise an alert (default 3, at least 1)."""
    return _int("TUOYU_ALERT_COMPLAINT_BURST_COUNT", 3)


def complaint_burst_days() -> int:
    """Length of the complaint window in calendar days, ending on the run's date (default 30)."""
    return _int("TUOYU_ALERT_COMPLAINT_BURST_DAYS", 30)
