"""Integration upsert of facilities by (source system, external id) (对接接口的幂等写入).

Repeated uploads of the same record give the same facility and no duplicate: the first
creates it through :func:`tuoyu.facilities.services.facility_create`, later ones change it
through :func:`~tuoyu.facilities.services.facility_update` — and only when a field differs,
so an unchanged re-upload writes nothing (no version bump, no audit event).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from tuoyu.accounts.models import Organization
from tuoyu.core.errors import GEN_FORBIDDEN, GEN_INVALID, DomainError
from tuoyu.core.identifiers import validate_credit_code
from tuoyu.facilities import permissions as perms
from tuoyu.facilities import services
from tuoyu.facilities.errors import FIL_NOT_MEMBER
from tuoyu.facilities.models import Facility
from tuoyu.facilities.selectors import facility_get_for_user
from tuoyu.reference.selectors import division_get_active


@dataclass(frozen=True)
class UpsertResult:
    """The facility after an upsert and what happened: ``created`` / ``updated`` / ``unchanged``."""

    facility: Facility
    outcome: str


def _own_organization(actor, pk: int | None, field: str) -> Organization:
    own = perms.own_organization_ids(actor)
    if not own:
        raise DomainError(GEN_FORBIDDEN)
    if pk is None:
        if len(own) != 1:
            raise DomainError(GEN_INVALID, params={"detail": field}, field=field)
        pk = next(iter(own))
    org = Organization.objects.filter(pk=pk, is_active=True).first()
    if org is None:
        raise DomainError(FIL_NOT_MEMBER, field=field)
    return org


def _sponsors(sponsor_ids) -> list[Organization]:
    """Active organisations of ``sponsor_ids`` (ids, may repeat); GEN-004 naming ``sponsors``
    when one of them does not exist or is inactive."""
    wanted = set(sponsor_ids or [])
    sponsors = list(Organization.objects.filter(pk__in=wanted, is_active=True).order_by("pk"))
    if len(sponsors) != len(wanted):
        unknown = sorted(wanted - {s.pk for s in sponsors})
        raise DomainError(GEN_INVALID, params={"detail": f"sponsors: {unknown}"},
                          field="sponsors")
    return sponsors


def _services_map(rows) -> dict[str, Decimal | None]:
    return {
        r["service_type"]: (None if r.get("monthly_fee") is None else Decimal(r["monthly_fee"]))
        for r in rows
    }


def _changed_fields(facility: Facility, fields: dict[str, Any]) -> dict[str, Any]:
    changed = {}
    for name, value in fields.items():
        current = getattr(facility, name)
        if name == "division":
            same = facility.division_id == value.pk
        elif isinstance(current, Decimal) and value is not None:
            same = current == Decimal(value)
        else:
            same = current == value
        if not same:
            changed[name] = value
    return changed


def facility_upsert(
    *, actor, source_system: str, external_id: str, data: dict[str, Any]
) -> UpsertResult:
    """Create or change the facility keyed (``source_system``, ``external_id``).

    ``data``: validated fields of ``FacilityUpsertInputSerializer`` (``division_code``,
    ``operator`` id, ``sponsors`` ids, ``services`` list, facility fields). Creating needs
    ``actor`` to act for the operator or a sponsor (FIL-009); changing needs the edit
    right on the existing facility (GEN-001 when not visible; GEN-002 when the actor does
    not act for it; GEN-002 / FIL-003 when a change is needed while the filing is frozen).
    ``actor`` with no organisation of their own: GEN-002.
    The operator of an existing facility is never changed; a ``sponsors`` list that differs
    from the stored one (as a set) replaces it through ``facility_update`` (audited, FIL-015
    for a sponsor that is not an employer); an omitted ``sponsors`` keeps them.
    Raises REF-00x for a bad division code and the facility services' errors, whose
    ``field`` is given as the input's path (``division_code``, ``services[1].monthly_fee``).
    """
    try:
        return _upsert(actor=actor, source_system=source_system, external_id=external_id,
                       data=data)
    except DomainError as exc:
        raise _with_input_paths(exc, data) from None


def _input_path(name: str | None, data: dict[str, Any]) -> str | None:
    """The upsert body's path of a facility service's field name (``fee_full_day`` →
    ``services[0].monthly_fee``; ``division`` → ``division_code``)."""
    if name == "division":
        return "division_code"
    if name and name.startswith("fee_"):
        types = [row.get("service_type") for row in data.get("services") or []]
        if name[4:] in types:
            return f"services[{types.index(name[4:])}].monthly_fee"
    return name


def _with_input_paths(exc: DomainError, data: dict[str, Any]) -> DomainError:
    """``exc`` with ``field`` and the keys of ``details["errors"]`` as input paths."""
    details = exc.details
    if details and isinstance(details.get("errors"), dict):
        details = {**details, "errors": {
            _input_path(k, data): v for k, v in details["errors"].items()}}
    return DomainError(exc.code, params=exc.params, field=_input_path(exc.field, data),
                       details=details)


def _upsert(*, actor, source_system: str, external_id: str, data: dict[str, Any]) -> UpsertResult:
    data = dict(data)
    if data.get("credit_code"):
        # Compare in the stored form, so a re-upload in another spelling is "unchanged".
        data["credit_code"] = validate_credit_code(data["credit_code"])
    division = division_get_active(data.pop("division_code"), field="division_code")
    operator_id = data.pop("operator", None)
    sponsor_ids = data.pop("sponsors", None)
    service_rows = data.pop("services", None)
    fields = {**data, "division": division}
    existing = Facility.objects.filter(source_system=source_system, external_id=external_id).first()
    if existing is None:
        operator = _own_organization(actor, operator_id, "operator")
        sponsors = _sponsors(sponsor_ids)
        try:
            with transaction.atomic():
                facility = services.facility_create(
                    actor=actor, operator=operator, sponsors=sponsors,
                    services=_services_map(service_rows or []),
                    source_system=source_system, external_id=external_id, **fields,
                )
            return UpsertResult(facility, "created")
        except IntegrityError:
            # A concurrent upload created it first: fall through to the update path.
            existing = Facility.objects.get(source_system=source_system, external_id=external_id)
    facility = facility_get_for_user(actor, existing.pk, action="view")
    if not perms.is_own_facility(actor, facility):
        raise DomainError(GEN_FORBIDDEN)
    changed = _changed_fields(facility, fields)
    new_services = None
    if service_rows is not None:
        wanted = _services_map(service_rows)
        current = {s.service_type: s.monthly_fee for s in facility.services.all()}
        if wanted != current:
            new_services = wanted
    new_sponsors = None
    if sponsor_ids is not None:
        wanted_sponsors = _sponsors(sponsor_ids) or [facility.operator]
        if {s.pk for s in wanted_sponsors} != {s.pk for s in facility.sponsors.all()}:
            new_sponsors = wanted_sponsors
    if not changed and new_services is None and new_sponsors is None:
        return UpsertResult(facility, "unchanged")
    facility = facility_get_for_user(actor, existing.pk, action="edit")
    facility = services.facility_update(
        actor=actor, facility=facility, services=new_services, sponsors=new_sponsors, **changed
    )
    return UpsertResult(facility, "updated")
