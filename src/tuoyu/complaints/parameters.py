"""Settings of the complaints app, read with defaults (ADR 0082).

None of these numbers is fixed by a national document for childcare complaints, so each
is a setting (``settings.<NAME>``), with the default given here:

- ``COMPLAINT_DEADLINES``: category → ``(acknowledge, answer)`` in working days; default
  1/5 for urgent categories, 3/15 for the others (modelled on the 12345 hotline practice of
  a short acknowledgement and a 15-working-day answer; UNVERIFIED for childcare).
- ``COMPLAINT_REOPEN_DAYS``: calendar days after closing within which the complainant may
  reopen once (default 30).
- ``COMPLAINT_DUPLICATE_DAYS``: calendar days within which the same text about the same
  facility or employer is a duplicate (default 30).
- ``COMPLAINT_SPAM_THRESHOLD``: spam score at or above which a submission waits for
  moderation (default 5).
- ``COMPLAINT_EVIDENCE_MAX_MB``: largest evidence file in MB (default 5);
  ``COMPLAINT_EVIDENCE_MAX_FILES``: files per complaint (default 5).
"""

from __future__ import annotations

from django.conf import settings

from tuoyu.complaints.choices import URGENT_CATEGORIES

URGENT_DEADLINES = (1, 5)
DEFAULT_DEADLINES = (3, 15)


def deadlines(category: str) -> tuple[int, int]:
    """``(acknowledge, answer)`` working days for ``category``."""
    table = getattr(settings, "COMPLAINT_DEADLINES", {}) or {}
    if category in table:
        ack, answer = table[category]
        return int(ack), int(answer)
    return URGENT_DEADLINES if category in URGENT_CATEGORIES else DEFAULT_DEADLINES


def reopen_days() -> int:
    """Calendar days after closing within which a complaint may be reopened once."""
    return int(getattr(settings, "COMPLAINT_REOPEN_DAYS", 30))


def duplicate_days() -> int:
    """Calendar days within which an identical complaint about the same target is a duplicate."""
    return int(getattr(settings, "COMPLAINT_DUPLICATE_DAYS", 30))


def spam_threshold() -> int:
    """Spam score at or above which a submission goes to moderation."""
    return int(getattr(settings, "COMPLAINT_SPAM_THRESHOLD", 5))


def evidence_max_bytes() -> int:
    """Largest evidence file in bytes."""
    return int(getattr(settings, "COMPLAINT_EVIDENCE_MAX_MB", 5)) * 1024 * 1024


def evidence_max_files() -> int:
    """Most evidence files per complaint."""
    return int(getattr(settings, "COMPLAINT_EVIDENCE_MAX_FILES", 5))
