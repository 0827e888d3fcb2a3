"""Audit events are append-only: the models refuse changes and so does the database."""

from __future__ import annotations

import pytest
from django.core.management import get_commands
from django.db import DatabaseError, connection, transaction

from tests.factories import OrganizationFactory, UserFactory
from tuoyu.audit.guard import AUDIT_TABLES, audit_locked, purge_allowed
from tuoyu.audit.models import AuditEvent, DataAccessEvent
from tuoyu.audit.services import audit_record, data_access_record, snapshot


@pytest.fixture
def event(db):
    org = OrganizationFactory()
    return audit_record(actor=None, action="organization.create", obj=org, after=snapshot(org))


@pytest.fixture
def access(db):
    org = OrganizationFactory()
    return data_access_record(actor=UserFactory(username="reader"), obj=org, purpose="review")


def test_audit_record_stores_the_object_and_snapshot(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.object_type, stored.after["kind"]) == ("accounts.organization", "employer")


def test_saving_an_existing_event_is_refused(event):
    event.note = "changed"
    with pytest.raises(PermissionError):
        event.save()


def test_deleting_an_event_is_refused(event):
    with pytest.raises(PermissionError):
        event.delete()


def test_queryset_update_is_refused(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(note="changed")


def test_queryset_delete_is_refused(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_bulk_update_is_refused(event):
    event.note = "changed"
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_update([event], ["note"])


def _raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["changed", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_raw_sql_delete_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_update_of_a_data_access_event_is_refused(access):
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_dataaccessevent SET purpose = %s", ["changed"])
    assert DataAccessEvent.objects.get(pk=access.pk).purpose == "review"


def test_raw_sql_delete_of_a_data_access_event_is_refused(access):
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_dataaccessevent")
    assert DataAccessEvent.objects.filter(pk=access.pk).exists()


def test_raw_sql_update_is_refused_even_during_a_purge(event):
    with purge_allowed(), pytest.raises(DatabaseError):
        _raw("UPDATE audit_auditevent SET note = %s", ["changed"])


def test_inserting_through_raw_sql_still_works(event):
    """The guard stops changes, not new rows."""
    _raw(
        "INSERT INTO audit_auditevent (at, role, action, object_type, object_id, note) "
        "VALUES (%s, '', 'x', 'y', '1', '')",
        [event.at],
    )
    assert AuditEvent.objects.count() == 2


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid::regclass::text = ANY(%s)",
                [list(AUDIT_TABLES)],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_triggers_exist_after_migrations():
    """Guards against a later table rebuild (SQLite ALTER) silently dropping the triggers."""
    names = _trigger_names()
    if connection.vendor == "postgresql":
        expected = {f"{t}_append_only" for t in AUDIT_TABLES}
    else:
        expected = {f"{t}_{op}" for t in AUDIT_TABLES for op in ("no_update", "no_delete")}
    assert expected <= names


def test_flush_command_is_the_one_that_lifts_the_guard():
    """Tests that use transactions end with ``flush``, which must be able to empty the tables."""
    assert get_commands()["flush"] == "tuoyu.audit"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite guard only")
def test_purge_allowed_lets_sqlite_delete_rows_for_a_flush(event):
    with transaction.atomic():
        with purge_allowed(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")
        emptied = not AuditEvent.objects.exists()
        transaction.set_rollback(True)
    assert emptied


def test_sqlite_guard_function_is_locked_outside_a_purge():
    assert audit_locked() == 1
