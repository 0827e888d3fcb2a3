"""The alerts job: raises once, keeps, resolves, audits; the command and the task."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import StaffMemberFactory
from tests.monitoring.conftest import AS_OF, toddler_class
from tuoyu.audit.models import AuditEvent
from tuoyu.facilities.models import StaffMember
from tuoyu.monitoring import rules
from tuoyu.monitoring.choices import AlertStatus
from tuoyu.monitoring.models import Alert
from tuoyu.monitoring.services import alert_acknowledge, run_alerts
from tuoyu.monitoring.tasks import run_alerts as run_alerts_task_function

EXPIRED = AS_OF - dt.timedelta(days=10)


@pytest.fixture
def expired(facility):
    """A carer in post whose health certificate expired ten days before the run."""
    return StaffMemberFactory(facility=facility, health_certificate_expiry=EXPIRED)


def counts(run):
    return {r.code: (r.raised, r.kept, r.resolved) for r in run.rules}


def test_run_raises_an_open_alert_for_a_breach(expired):
    run = run_alerts(AS_OF)
    alert = Alert.objects.get()
    assert counts(run)["MON-002"] == (1, 0, 0)
    assert (alert.rule_code, alert.subject_key, alert.status) == ("MON-002", f"staff:{expired.pk}", "open")
    assert (alert.raised_on, alert.last_seen_on) == (AS_OF, AS_OF)


def test_second_run_the_same_day_changes_nothing(expired):
    run_alerts(AS_OF)
    run = run_alerts(AS_OF)
    assert Alert.objects.count() == 1 and counts(run)["MON-002"] == (0, 1, 0)


def test_next_day_run_keeps_the_alert_and_moves_last_seen(expired):
    run_alerts(AS_OF)
    run_alerts(AS_OF + dt.timedelta(days=1))
    alert = Alert.objects.get()
    assert (alert.raised_on, alert.last_seen_on) == (AS_OF, AS_OF + dt.timedelta(days=1))


def test_alert_is_resolved_when_the_certificate_is_renewed(expired):
    run_alerts(AS_OF)
    StaffMember.objects.filter(pk=expired.pk).update(health_certificate_expiry=dt.date(2027, 3, 1))
    run = run_alerts(AS_OF + dt.timedelta(days=1))
    alert = Alert.objects.get()
    assert counts(run)["MON-002"] == (0, 0, 1)
    assert (alert.status, alert.resolved_on) == (AlertStatus.RESOLVED, AS_OF + dt.timedelta(days=1))


def test_ratio_alert_is_resolved_when_carers_are_added(facility):
    klass = toddler_class(facility, children=12, carers=1)
    run_alerts(AS_OF)
    assert Alert.objects.get().rule_code == "MON-001"
    StaffMemberFactory.create_batch(2, facility=facility, role="carer", assigned_class=klass)
    run_alerts(AS_OF + dt.timedelta(days=1))
    assert Alert.objects.get().status == AlertStatus.RESOLVED


def test_a_breach_that_comes_back_raises_a_new_alert(expired):
    run_alerts(AS_OF)
    StaffMember.objects.filter(pk=expired.pk).update(health_certificate_expiry=dt.date(2027, 3, 1))
    run_alerts(AS_OF + dt.timedelta(days=1))
    StaffMember.objects.filter(pk=expired.pk).update(health_certificate_expiry=EXPIRED)
    run_alerts(AS_OF + dt.timedelta(days=2))
    assert sorted(Alert.objects.values_list("status", flat=True)) == ["open", "resolved"]


def test_an_acknowledged_alert_stays_acknowledged_while_the_breach_lasts(expired, hana):
    run_alerts(AS_OF)
    alert_acknowledge(actor=hana, alert=Alert.objects.get(), note="已通知机构更换健康证")
    run_alerts(AS_OF + dt.timedelta(days=1))
    alert = Alert.objects.get()
    assert (alert.status, alert.last_seen_on) == (AlertStatus.ACKNOWLEDGED, AS_OF + dt.timedelta(days=1))


def test_raising_and_resolving_are_audited_as_the_system(expired):
    run_alerts(AS_OF)
    StaffMember.objects.filter(pk=expired.pk).update(end_date=AS_OF)
    run_alerts(AS_OF + dt.timedelta(days=1))
    events = AuditEvent.objects.filter(object_type="monitoring.alert").order_by("id")
    assert [(e.action, e.actor_id) for e in events] == [
        ("monitoring.alert_raise", None), ("monitoring.alert_resolve", None),
    ]


def test_a_failing_rule_changes_nothing_and_the_others_still_run(expired, monkeypatch):
    def broken(as_of):
        raise RuntimeError("boom")

    broken_rule = rules.AlertRule("MON-001", "x", lambda d: "", lambda d: [], broken, lambda d: "")
    monkeypatch.setattr("tuoyu.monitoring.services.RULES", (broken_rule, rules.RULES_BY_CODE["MON-002"]))
    run = run_alerts(AS_OF)
    assert not run.ok and run.rules[0].error == "RuntimeError: boom"
    assert list(Alert.objects.values_list("rule_code", flat=True)) == ["MON-002"]


def test_database_allows_one_unresolved_alert_per_rule_facility_and_subject(facility):
    from django.db import IntegrityError, transaction

    Alert.objects.create(rule_code="MON-002", facility=facility, subject_key="staff:1",
                         raised_on=AS_OF, last_seen_on=AS_OF)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(rule_code="MON-002", facility=facility, subject_key="staff:1",
                             raised_on=AS_OF, last_seen_on=AS_OF, status="acknowledged")


def test_command_prints_each_rule_and_the_total(expired):
    out = StringIO()
    call_command("monitoring_run", "--date", AS_OF.isoformat(), stdout=out)
    text = out.getvalue()
    assert "MON-002" in text and "1 raised" in text
    assert text.strip().endswith("1 alert(s) raised, 0 resolved on 2026-03-02")
    assert Alert.objects.count() == 1


def test_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError) as exc:
        call_command("monitoring_run", "--date", "2026-13-01", stdout=StringIO())
    assert exc.value.returncode == 2


def test_tuoyu_monitoring_run_maps_to_the_command():
    from tuoyu.cli import _resolve

    assert _resolve(["tuoyu", "monitoring", "run"]) == ["tuoyu", "monitoring_run"]


def test_task_runs_the_job_for_today(expired, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    result = run_alerts_task_function()
    assert result["as_of"] == "2026-03-02"
    assert {r["code"]: r["raised"] for r in result["rules"]}["MON-002"] == 1


def test_task_is_registered_with_celery():
    from tuoyu.config.celery import app

    app.loader.import_default_modules()
    assert "monitoring.run_alerts" in app.tasks


def test_run_as_of_a_future_date_is_refused(expired):
    from tuoyu.core.dates import local_today
    from tuoyu.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        run_alerts(local_today() + dt.timedelta(days=1))
    assert refused.value.code == "MON-104" and not Alert.objects.exists()


def test_run_as_of_a_date_before_the_last_run_is_refused(expired):
    from tuoyu.core.errors import DomainError

    run_alerts(AS_OF)
    with pytest.raises(DomainError) as refused:
        run_alerts(AS_OF - dt.timedelta(days=1))
    assert refused.value.code == "MON-104"


def test_command_refuses_a_future_date_with_the_message(db):
    with pytest.raises(CommandError, match="MON-104|不能晚于今天|not after today") as refused:
        call_command("monitoring_run", "--date", "2999-01-01", stdout=StringIO())
    assert refused.value.returncode == 2
