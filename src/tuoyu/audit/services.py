"""Writing audit events. Called by every service, inside the service's transaction."""

from __future__ import annotations

from typing import Any

from tuoyu.audit.models import AuditEvent, DataAccessEvent


def audit_record(
    *,
    actor,
    action: str,
    obj,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organization=None,
    role: str = "",
    note: str = "",
) -> AuditEvent:
    """Append one audit event for ``action`` on model instance ``obj`` by ``actor`` (User or None).

    ``before``/``after`` are JSON-serialisable snapshots (use :func:`snapshot`). ``actor``
    None means the system itself (e.g. an import run from the command line without a user).
    Returns the saved event. Must be called inside the caller's transaction.
    """
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organization=organization,
        role=role,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        note=note,
    )


def snapshot(obj, fields: list[str] | None = None) -> dict[str, Any]:
    """Return a JSON-safe dict of ``obj``'s concrete field values (FKs as ids, dates as ISO)."""
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        value = getattr(obj, f.attname)
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        data[f.name] = value
    return data


def data_access_record(*, actor, obj, purpose: str = "") -> DataAccessEvent:
    """Record that ``actor`` read personal data held in ``obj`` (staff or child records)."""
    return DataAccessEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        purpose=purpose,
    )
