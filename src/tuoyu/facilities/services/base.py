"""Shared internals of the facilities services: field lists, validation, locking, audit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts.permissions import VIEW_FACILITY, acting_as
from tuoyu.audit.services import audit_record
from tuoyu.core.errors import GEN_CONFLICT, GEN_FORBIDDEN, GEN_INVALID, DomainError
from tuoyu.core.identifiers import validate_credit_code
from tuoyu.core.money import to_money
from tuoyu.facilities import permissions as perms
from tuoyu.facilities.errors import (
    FIL_DIVISION_LEVEL,
    FIL_NOT_EDITABLE,
)
from tuoyu.facilities.models import (
    Facility,
    FacilityService,
)
from tuoyu.facilities.workflow import FilingStatus

#: Accepted document uploads: extensions and the largest size in bytes (10 MiB).
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png"})
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

#: Fields of a facility a service may set (everything else is managed by the workflow).
FACILITY_FIELDS = frozenset(
    {
        "name", "credit_code", "provision_model", "address", "division", "building_area",
        "outdoor_area", "children_floor", "premises_tenure", "lease_start", "lease_end",
        "opening_date", "places_infant", "places_toddler", "places_older", "places_mixed",
        "contact_phone", "source_system", "external_id",
    }
)
CLASS_FIELDS = frozenset({"name", "class_type", "capacity", "source_system", "external_id"})
STAFF_FIELDS = frozenset(
    {
        "name", "role", "education", "qualification", "years_experience", "trained",
        "health_certificate_expiry", "no_criminal_record", "full_time", "start_date",
        "end_date", "assigned_class", "source_system", "external_id",
    }
)


# --------------------------------------------------------------------------- internals


def _field_label(obj, name: str):
    """The (lazily translated) verbose name of field ``name`` of ``obj``; '' for ``__all__``/unknown."""
    if obj is None or name == "__all__":
        return ""
    try:
        return obj._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - an unknown name is shown without a label
        return ""


def _labelled(label, detail):
    """``label：detail`` with the punctuation of the language the message is shown in."""
    return format_lazy(_("{label}：{detail}"), label=label, detail=detail)


def _validation_to_domain(exc: ValidationError, obj=None) -> DomainError:
    """Turn Django's ValidationError into GEN-004 naming the first bad field.

    The message shows the field's verbose (translated) name, never the internal one:
    ``输入无效：托小班托位：确保该值小于或等于10000。``. ``field`` is the internal name
    (for forms and the API); ``details["errors"]`` has every field's messages.
    """
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        detail = "; ".join(str(m) for m in messages)
        label = _field_label(obj, field)
        return DomainError(
            GEN_INVALID, params={"detail": _labelled(label, detail) if label else detail},
            field=None if field == "__all__" else field,
            details={"errors": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}},
        )
    return DomainError(GEN_INVALID, params={"detail": "; ".join(exc.messages)})


def _clean_save(obj, **save_kwargs) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise _validation_to_domain(exc, obj) from None
    obj.save(**save_kwargs)


def _bump_registry_version(facility: Facility) -> None:
    """Record a registry edit (登记信息变更) of a filed facility: ``version`` + 1.

    Called by every registry write (facility fields, services and fees, classes, staff,
    documents — not enrolments) while a filing is in force (filed or change_submitted) or
    suspended, so :attr:`Facility.has_unfiled_changes` shows there is something to file
    (ADR 0012; after a suspension is lifted, ADR 0097). Other statuses are not touched:
    their data is not yet filed.
    """
    if facility.filing_status in (
        FilingStatus.FILED, FilingStatus.CHANGE_SUBMITTED, FilingStatus.SUSPENDED
    ):
        Facility.objects.filter(pk=facility.pk).update(version=F("version") + 1)
        facility.version = Facility.objects.values_list("version", flat=True).get(pk=facility.pk)


def _acting_as(actor, facility) -> tuple[Any, str]:
    """The organisation and role ``actor`` acts in for ``facility`` (for the audit event)."""
    for org_id in [facility.operator_id, *perms.facility_organization_ids(facility)]:
        org, role = acting_as(actor, organization=org_id)
        if org is not None:
            return org, role
    return acting_as(actor, capability=VIEW_FACILITY)


def _audit(actor, action: str, obj, facility, *, before=None, after=None, note: str = ""):
    org, role = _acting_as(actor, facility)
    return audit_record(
        actor=actor, action=action, obj=obj, before=before, after=after,
        organization=org, role=role, note=note,
    )


def _lock(facility: Facility, *, expected_version: int | None = None) -> Facility:
    """Lock the facility row and check nobody changed it since the caller read it.

    Raises GEN-003 when the stored filing status differs from ``facility``'s, or when
    ``expected_version`` is given and differs from the stored version.
    """
    # ``of=("self",)``: lock the facility row only, not the joined division and operator.
    locked = (
        Facility.objects.select_for_update(of=("self",))
        .select_related("division", "operator")
        .get(pk=facility.pk)
    )
    stale_status = locked.filing_status != facility.filing_status
    stale_version = expected_version is not None and locked.version != expected_version
    if stale_status or stale_version:
        raise DomainError(GEN_CONFLICT, params={"status": locked.get_filing_status_display()})
    return locked


def _require_edit(actor, facility: Facility) -> None:
    """Check ``actor`` may edit ``facility`` now; the row is locked so no transition slips in."""
    stored = (
        Facility.objects.select_for_update(of=("self",))
        .filter(pk=facility.pk)
        .values_list("filing_status", flat=True)
        .first()
    )
    if stored is not None:
        facility.filing_status = stored
    if not perms.can_view_facility(actor, facility):
        raise DomainError(GEN_FORBIDDEN)
    if facility.filing_status not in perms.EDITABLE_STATUSES:
        raise DomainError(FIL_NOT_EDITABLE, params={"status": facility.get_filing_status_display()})
    if not perms.can_edit_facility(actor, facility):
        raise DomainError(GEN_FORBIDDEN)


def _check_division(division) -> None:
    if division is None:
        return
    if not division.is_active or division.level != "county":
        raise DomainError(FIL_DIVISION_LEVEL, params={"code": division.code}, field="division")


def _set_services(facility: Facility, services) -> None:
    """Replace the facility's service forms with ``services`` ({type: fee ¥ or None})."""
    wanted: dict[str, Any] = dict(services.items() if isinstance(services, Mapping) else services)
    facility.services.exclude(service_type__in=list(wanted)).delete()
    for service_type, fee in wanted.items():
        try:
            amount = None if fee in (None, "") else to_money(fee)
        except ValueError:
            raise DomainError(
                GEN_INVALID,
                params={"detail": _labelled(
                    FacilityService._meta.get_field("monthly_fee").verbose_name, fee)},
                field=f"fee_{service_type}",
            ) from None
        row = facility.services.filter(service_type=service_type).first() or FacilityService(
            facility=facility, service_type=service_type
        )
        row.monthly_fee = amount
        _clean_save(row)


def _services_snapshot(facility: Facility) -> dict[str, str | None]:
    return {
        s.service_type: (None if s.monthly_fee is None else str(s.monthly_fee))
        for s in facility.services.all()
    }


def _apply_fields(obj, fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _normalise_facility_fields(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("credit_code"):
        fields["credit_code"] = validate_credit_code(fields["credit_code"])
    return fields


# --------------------------------------------------------------------------- facilities
