"""Flood defences of the open answer link (公开链接防刷).

The open link is public, so it rejects obvious automated floods (ADR 0052):

- a per-client-IP limit on ACCEPTED answers (:func:`tuoyu.core.network.client_ip`; the
  IP is only part of a short-lived cache key, never stored with an answer), and a
  separate, higher per-IP limit on REFUSED submissions (too fast, honeypot filled in,
  invalid answers), so that colleagues behind one office address are not locked out
  while they fix mistakes, yet a bot sending rubbish is still stopped;
- a per-survey burst limit on submissions from all clients together;
- a honeypot field that people do not see and bots fill in;
- a minimum fill time: the form carries a signed timestamp, and a submission less than
  ``TUOYU_SURVEY_MIN_FILL_SECONDS`` (default 3) seconds after the form was shown is
  refused; a form older than a day has expired.

Rates are ``(requests, seconds)`` or ``"requests/seconds"`` in the settings
``TUOYU_SURVEY_OPEN_IP_RATE`` (accepted answers, default 10 per 600 s),
``TUOYU_SURVEY_OPEN_IP_REFUSED_RATE`` (refused submissions, default 30 per 600 s) and
``TUOYU_SURVEY_OPEN_BURST_RATE`` (all submissions to one survey, default 60 per 60 s);
``"off"`` turns one off. A submission is checked against the per-IP counters before it is
processed and counted on one of them afterwards, so a few concurrent requests may pass
a limit by one or two. The counters are those of :mod:`tuoyu.disclosure.throttling`
(fixed windows in the Django cache); with several server processes the cache must be
shared for the limits to be global.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from tuoyu.disclosure.throttling import hit, parse_rate, reached

DEFAULT_IP_RATE = (10, 600)
DEFAULT_IP_REFUSED_RATE = (30, 600)
DEFAULT_BURST_RATE = (60, 60)
DEFAULT_MIN_FILL_SECONDS = 3
#: A form shown longer ago than this (seconds) has expired.
FORM_MAX_AGE = 24 * 3600
_SALT = "tuoyu.surveys.form"


#: Counter scope (:mod:`tuoyu.disclosure.throttling`) → (setting of its rate, default rate).
_LIMITS = {
    "survey-answer": ("TUOYU_SURVEY_OPEN_IP_RATE", DEFAULT_IP_RATE),
    "survey-refused": ("TUOYU_SURVEY_OPEN_IP_REFUSED_RATE", DEFAULT_IP_REFUSED_RATE),
    "survey-burst": ("TUOYU_SURVEY_OPEN_BURST_RATE", DEFAULT_BURST_RATE),
}


def _rate(scope: str) -> tuple[int, int] | None:
    name, default = _LIMITS[scope]
    return parse_rate(getattr(settings, name, default))


def min_fill_seconds() -> float:
    """Shortest accepted time between showing and submitting the open form, seconds."""
    return float(getattr(settings, "TUOYU_SURVEY_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS))


def submission_check(*, survey_id: int, ip: str) -> int | None:
    """Check one open-link submission of client ``ip`` to survey ``survey_id`` before it
    is processed: counts it against the survey's burst limit, and checks (without
    counting) the client's accepted-answer and refused-submission limits.

    Returns the seconds to wait (for ``Retry-After``) when over a limit, else None.
    Afterwards call :func:`submission_done` with the outcome.
    """
    who = ip or "unknown"
    waits = [reached(scope, who, rate=_rate(scope)) for scope in ("survey-answer", "survey-refused")]
    waits.append(hit("survey-burst", str(survey_id), rate=_rate("survey-burst")))
    return max((wait for wait in waits if wait is not None), default=None)


def submission_done(*, ip: str, accepted: bool) -> None:
    """Count a processed open-link submission of client ``ip``: an accepted answer on the
    answer limit, a refused one (too fast, honeypot, invalid) on the higher refused limit."""
    scope = "survey-answer" if accepted else "survey-refused"
    hit(scope, ip or "unknown", rate=_rate(scope))


def form_stamp(*, key: str, consent_at: float, shown_at: float | None = None, nonce: str = "") -> str:
    """A signed stamp carried by the questionnaire form: link ``key``, consent time and the
    time the form was shown (seconds since the epoch), and a per-form ``nonce``."""
    shown = time.time() if shown_at is None else shown_at
    return signing.dumps({"k": key, "c": consent_at, "s": shown, "n": nonce}, salt=_SALT)


def form_stamp_read(stamp: str, *, key: str) -> dict | None:
    """The data of a valid stamp for link ``key`` (``c`` consent, ``s`` shown, ``n`` nonce),
    or None when it is missing, forged, for another link or older than a day."""
    if not stamp:
        return None
    try:
        data = signing.loads(stamp, salt=_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") != key:
        return None
    return data


def too_fast(data: dict, *, now: float | None = None) -> bool:
    """True when the form of stamp ``data`` was submitted sooner than :func:`min_fill_seconds`."""
    now = time.time() if now is None else now
    return now - float(data.get("s", 0)) < min_fill_seconds()


def remember_answer(nonce: str, response_id: int) -> None:
    """Remember which answer a form (``nonce``) produced, so that submitting the same open
    form again updates that answer instead of adding one (kept for a day)."""
    if nonce:
        cache.set(f"tuoyu:survey-nonce:{nonce}", response_id, timeout=FORM_MAX_AGE)


def answer_for(nonce: str) -> int | None:
    """The answer id an open form (``nonce``) produced earlier, or None."""
    return cache.get(f"tuoyu:survey-nonce:{nonce}") if nonce else None


_CONSENT_SALT = "tuoyu.surveys.consent"


def consent_stamp(*, key: str, consent_at: float | None = None) -> str:
    """A signed record that consent was given on link ``key`` at ``consent_at`` (epoch
    seconds, default now); carried in the questionnaire URL, so no server-side state is kept."""
    at = time.time() if consent_at is None else consent_at
    return signing.dumps({"k": key, "c": at}, salt=_CONSENT_SALT)


def consent_stamp_read(stamp: str, *, key: str) -> float | None:
    """The consent time (epoch seconds) of a valid consent stamp for ``key``, else None
    (missing, forged, another link, or older than a day)."""
    if not stamp:
        return None
    try:
        data = signing.loads(stamp, salt=_CONSENT_SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") != key:
        return None
    return float(data.get("c", 0))
