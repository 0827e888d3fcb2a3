"""Writes of the monitoring app: the alerts job (:func:`run_alerts`) and an officer's
acknowledgement (:func:`alert_acknowledge`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tuoyu.accounts.permissions import acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.dates import local_today
from tuoyu.core.errors import GEN_FORBIDDEN, DomainError
from tuoyu.monitoring import permissions as perms
from tuoyu.monitoring.choices import UNRESOLVED, AlertStatus
from tuoyu.monitoring.errors import MON_ALREADY_HANDLED, MON_DATE_OUT_OF_RANGE, MON_NOTE_REQUIRED
from tuoyu.monitoring.models import Alert
from tuoyu.monitoring.rules import RULES, AlertRule
from tuoyu.monitoring.workflow import ALERT_WORKFLOW

logger = logging.getLogger(__name__)

NOTE_MAX_LENGTH = 2000
_FIELDS = ["status", "last_seen_on", "resolved_on", "acknowledgement_note", "acknowledged_by", "acknowledged_at"]


@dataclass
class RuleRun:
    """What one rule did in one run: alerts ``raised`` (new), ``kept`` (still unresolved,
    seen again), ``resolved`` (condition gone); ``error``: why the rule failed ('' if not;
    a failed rule changed nothing)."""

    code: str
    raised: int = 0
    kept: int = 0
    resolved: int = 0
    error: str = ""


@dataclass
class AlertRun:
    """The summary of :func:`run_alerts`: the date run as and one :class:`RuleRun` per rule."""

    as_of: dt.date
    rules: list[RuleRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every rule ran."""
        return not any(r.error for r in self.rules)

    def as_dict(self) -> dict:
        """``{"as_of": ISO date, "rules": [{"code", "raised", "kept", "resolved", "error"}, …]}``."""
        return {"as_of": self.as_of.isoformat(), "rules": [asdict(r) for r in self.rules]}


def _apply_rule(rule: AlertRule, as_of: dt.date) -> RuleRun:
    """Run ``rule`` on ``as_of`` and bring its alerts up to date, in one transaction."""
    result = RuleRun(rule.code)
    with transaction.atomic():
        hits = {(h.facility_id, h.subject_key): h for h in rule.find(as_of)}
        current = {
            (a.facility_id, a.subject_key): a
            for a in Alert.objects.select_for_update().filter(rule_code=rule.code, status__in=UNRESOLVED)
        }
        for key, hit in hits.items():
            alert = current.get(key)
            if alert is None:
                alert = Alert.objects.create(
                    rule_code=rule.code, facility_id=hit.facility_id, subject_key=hit.subject_key,
                    details=hit.details, raised_on=as_of, last_seen_on=as_of,
                )
                audit_record(actor=None, action="monitoring.alert_raise", obj=alert,
                             after=snapshot(alert, ["rule_code", "facility", "subject_key", "status", "raised_on"]))
                result.raised += 1
                continue
            result.kept += 1
            if alert.last_seen_on != as_of or alert.details != hit.details:
                alert.last_seen_on = max(alert.last_seen_on, as_of)
                alert.details = hit.details
                alert.save(update_fields=["last_seen_on", "details", "updated_at"])
        for key, alert in current.items():
            if key in hits:
                continue
            resolve = ALERT_WORKFLOW.transition("resolve", alert.status)
            before = snapshot(alert, _FIELDS)
            alert.status, alert.resolved_on = resolve.target, as_of
            alert.full_clean()
            alert.save(update_fields=["status", "resolved_on", "updated_at"])
            audit_record(actor=None, action="monitoring.alert_resolve", obj=alert,
                         before=before, after=snapshot(alert, _FIELDS))
            result.resolved += 1
    return result


def _check_run_date(as_of: dt.date, today: dt.date) -> None:
    """Raise DomainError MON-104 unless ``as_of`` lies between the latest date an alert was
    raised, seen or resolved (the last run) and ``today``: a run as of another date would
    resolve or re-raise live alerts from the state of that day, losing acknowledgements."""
    latest = Alert.objects.aggregate(
        raised=Max("raised_on"), seen=Max("last_seen_on"), resolved=Max("resolved_on"))
    earliest = max((d for d in latest.values() if d is not None), default=None)
    if as_of > today or (earliest is not None and as_of < earliest):
        raise DomainError(MON_DATE_OUT_OF_RANGE, {
            "earliest": (earliest or as_of).isoformat(), "today": today.isoformat(),
            "date": as_of.isoformat()})


def run_alerts(
    as_of: dt.date | None = None, *, progress: Callable[[RuleRun], None] | None = None
) -> AlertRun:
    """Run every alert rule (:data:`tuoyu.monitoring.rules.RULES`) on ``as_of`` (default:
    today, local) and bring the alerts up to date (动态监管预警).

    Per rule, in its own transaction: a breach with no unresolved alert raises one
    (``open``, ``raised_on = as_of``); a breach with one updates its ``last_seen_on`` and
    figures (an acknowledged alert stays acknowledged); an unresolved alert whose breach
    is gone is resolved (``resolved_on = as_of``). Raising and resolving are audited with
    the system as actor. Idempotent: a second run on the same date changes nothing; two
    runs at once cannot duplicate an alert (database constraint; the loser retries once).
    A rule that fails is rolled back, logged and reported in its :class:`RuleRun`;
    the other rules still run. ``progress`` is called with each rule's result as it
    finishes. Returns an :class:`AlertRun`. Raises DomainError MON-104 for an ``as_of``
    after today or before the last run (:func:`_check_run_date`).
    """
    today = local_today()
    as_of = as_of or today
    _check_run_date(as_of, today)
    run = AlertRun(as_of=as_of)
    for rule in RULES:
        try:
            try:
                result = _apply_rule(rule, as_of)
            except IntegrityError:  # a concurrent run raised the same alert first
                result = _apply_rule(rule, as_of)
        except Exception as exc:  # one broken rule must not stop the others
            logger.exception("alert rule %s failed", rule.code)
            result = RuleRun(rule.code, error=f"{type(exc).__name__}: {exc}")
        run.rules.append(result)
        if progress is not None:
            progress(result)
    return run


@transaction.atomic
def alert_acknowledge(*, actor, alert: Alert, note: str) -> Alert:
    """An officer acknowledges ``alert`` (确认预警) with ``note`` (required: what was or
    will be done).

    Only a health officer whose jurisdiction covers the alert's facility
    (:func:`~tuoyu.monitoring.permissions.can_acknowledge_alert`); only an ``open`` alert.
    The alert stays unresolved until the job finds its condition gone. Audited as
    ``monitoring.alert_acknowledge`` with the note. Returns the alert. Raises
    MON-101 (no note), GEN-002 (not allowed), MON-102 (not open).
    """
    note = (note or "").strip()
    if not note:
        raise DomainError(MON_NOTE_REQUIRED, field="note")
    locked = Alert.objects.select_for_update().select_related("facility__division").get(pk=alert.pk)
    if not perms.can_acknowledge_alert(actor, locked):
        raise DomainError(GEN_FORBIDDEN)
    if locked.status != AlertStatus.OPEN:
        raise DomainError(MON_ALREADY_HANDLED, {"alert": str(locked), "status": locked.get_status_display()})
    acknowledge = ALERT_WORKFLOW.transition("acknowledge", locked.status)
    before = snapshot(locked, _FIELDS)
    locked.status = acknowledge.target
    locked.acknowledgement_note = note[:NOTE_MAX_LENGTH]
    locked.acknowledged_by = actor
    locked.acknowledged_at = timezone.now()
    locked.full_clean()
    locked.save()
    org = perms.commission_over(actor, locked.facility)
    role = perms.ALERT_ROLE if org is not None else acting_as(actor)[1]
    audit_record(actor=actor, action="monitoring.alert_acknowledge", obj=locked, before=before,
                 after=snapshot(locked, _FIELDS), organization=org, role=role, note=locked.acknowledgement_note)
    alert.status = locked.status
    return locked
