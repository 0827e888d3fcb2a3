"""Writes of the facilities app (服务): facilities, classes, staff, enrolment, documents, filing.

Every service takes keyword-only arguments with a required ``actor`` (the signed-in
User; ``None`` only for system jobs), runs in one transaction, calls ``full_clean()``
before saving and records an audit event in the same transaction.

Errors: DomainError GEN-001/GEN-002 (permission), GEN-003 (someone else changed the
record first), GEN-004 (a field is invalid; ``field`` names it), GEN-005 (transition not
allowed from the current status), and the FIL codes of :mod:`tuoyu.facilities.errors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tuoyu.accounts.permissions import VIEW_FACILITY, acting_as
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.dates import local_date, local_today
from tuoyu.core.errors import GEN_CONFLICT, GEN_FORBIDDEN, GEN_INVALID, DomainError
from tuoyu.core.identifiers import validate_credit_code
from tuoyu.core.money import to_money
from tuoyu.facilities import permissions as perms
from tuoyu.facilities.errors import (
    FIL_BLOCKING_FINDINGS,
    FIL_CLASS_OTHER_FACILITY,
    FIL_DIVISION_LEVEL,
    FIL_DOCUMENT_INVALID,
    FIL_ENROLMENT_DATES,
    FIL_ENROLMENT_LEFT,
    FIL_NOT_EDITABLE,
    FIL_NOT_MEMBER,
    FIL_REASON_REQUIRED,
)
from tuoyu.facilities.models import (
    ClassPlacement,
    Enrolment,
    Facility,
    FacilityClass,
    FacilityService,
    FilingDocument,
    FilingEvent,
    StaffMember,
)
from tuoyu.facilities.selectors import facility_search_key
from tuoyu.facilities.workflow import FILING_WORKFLOW
from tuoyu.reference.calendar import add_working_days
from tuoyu.standards.checks import facility_check, has_blocking

#: The health commission files within 5 working days of receiving the materials
#: (托育机构登记和备案办法（试行）Art. 9).
FILING_DEADLINE_WORKING_DAYS = 5

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


def _validation_to_domain(exc: ValidationError) -> DomainError:
    """Turn Django's ValidationError into GEN-004 naming the first bad field."""
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        detail = "; ".join(str(m) for m in messages)
        return DomainError(
            GEN_INVALID, params={"detail": f"{field}: {detail}"},
            field=None if field == "__all__" else field,
            details={"errors": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}},
        )
    return DomainError(GEN_INVALID, params={"detail": "; ".join(exc.messages)})


def _clean_save(obj, **save_kwargs) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise _validation_to_domain(exc) from None
    obj.save(**save_kwargs)


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
                GEN_INVALID, params={"detail": f"monthly_fee: {fee}"}, field="monthly_fee"
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


@transaction.atomic
def facility_create(*, actor, operator, sponsors: Iterable = (), services=(), **fields) -> Facility:
    """Create a facility (登记托育机构) in draft.

    ``operator``: the operating Organization (举办/运营单位); ``sponsors``: sponsoring
    employers (举办用人单位; default: the operator); ``services``: {service type: monthly
    fee in ¥ or None} or (type, fee) pairs; ``fields``: facility fields (name, address,
    division — an active county-level Division —, areas in m², places in children …).
    ``actor`` must be an employer admin or facility operator of the operator or of a
    sponsor (``None`` = system import). Returns the saved Facility.
    Raises FIL-009 (not a member), FIL-007 (division), GEN-004 (invalid field),
    IDN-00x (credit code).
    """
    sponsors = list(sponsors) or [operator]
    if actor is not None:
        own = perms.own_organization_ids(actor)
        if not own & ({operator.pk} | {s.pk for s in sponsors}):
            raise DomainError(FIL_NOT_MEMBER, field="operator")
    fields = _normalise_facility_fields(dict(fields))
    facility = Facility(operator=operator)
    _apply_fields(facility, fields, FACILITY_FIELDS)
    _check_division(facility.division if facility.division_id else None)
    facility.name_search = facility_search_key(facility.name)
    _clean_save(facility)
    facility.sponsors.set(sponsors)
    _set_services(facility, services)
    _audit(
        actor, "facility.create", facility, facility,
        after={**snapshot(facility), "sponsors": [s.pk for s in sponsors],
               "services": _services_snapshot(facility)},
    )
    return facility


@transaction.atomic
def facility_update(
    *, actor, facility: Facility, services=None, expected_version: int | None = None, **fields
) -> Facility:
    """Change a facility's fields (and, if given, its services and fees); bumps ``version``.

    Allowed to the facility's own organisations while draft, returned or filed (a filed
    facility then submits a change filing, 变更备案). ``expected_version`` guards against
    overwriting someone else's edit. Returns the updated Facility.
    Raises GEN-002, GEN-003, FIL-003, FIL-007, GEN-004.
    """
    locked = _lock(facility, expected_version=expected_version)
    if actor is not None:
        _require_edit(actor, locked)
    before = {**snapshot(locked), "services": _services_snapshot(locked)}
    fields = _normalise_facility_fields(dict(fields))
    _apply_fields(locked, fields, FACILITY_FIELDS)
    if "division" in fields:
        _check_division(locked.division)
    locked.name_search = facility_search_key(locked.name)
    locked.version += 1
    _clean_save(locked)
    if services is not None:
        _set_services(locked, services)
    _audit(
        actor, "facility.update", locked, locked, before=before,
        after={**snapshot(locked), "services": _services_snapshot(locked)},
    )
    return locked


# --------------------------------------------------------------------------- classes


@transaction.atomic
def class_create(*, actor, facility: Facility, **fields) -> FacilityClass:
    """Add a class (班级): ``name``, ``class_type`` (infant/toddler/older/mixed), ``capacity`` (children)."""
    if actor is not None:
        _require_edit(actor, facility)
    obj = FacilityClass(facility=facility)
    _apply_fields(obj, fields, CLASS_FIELDS)
    _clean_save(obj)
    _audit(actor, "facility.class.create", obj, facility, after=snapshot(obj))
    return obj


@transaction.atomic
def class_update(*, actor, facility_class: FacilityClass, **fields) -> FacilityClass:
    """Change a class's name, type or capacity. Raises GEN-002, FIL-003, GEN-004."""
    facility = facility_class.facility
    if actor is not None:
        _require_edit(actor, facility)
    before = snapshot(facility_class)
    _apply_fields(facility_class, fields, CLASS_FIELDS)
    _clean_save(facility_class)
    _audit(actor, "facility.class.update", facility_class, facility, before=before,
           after=snapshot(facility_class))
    return facility_class


@transaction.atomic
def class_delete(*, actor, facility_class: FacilityClass) -> None:
    """Delete a class; its carers become unassigned and its placements are removed."""
    facility = facility_class.facility
    if actor is not None:
        _require_edit(actor, facility)
    before = snapshot(facility_class)
    _audit(actor, "facility.class.delete", facility_class, facility, before=before)
    facility_class.delete()


# --------------------------------------------------------------------------- staff


def _check_class_belongs(facility: Facility, facility_class) -> None:
    if facility_class is not None and facility_class.facility_id != facility.pk:
        raise DomainError(FIL_CLASS_OTHER_FACILITY, field="assigned_class")


@transaction.atomic
def staff_create(*, actor, facility: Facility, **fields) -> StaffMember:
    """Add a member of staff (工作人员): name, role, qualification, certificate dates, class.

    Personal data: audited without the name in the audit note. Raises GEN-002, FIL-003,
    FIL-004 (class of another facility), GEN-004.
    """
    if actor is not None:
        _require_edit(actor, facility)
    obj = StaffMember(facility=facility)
    _apply_fields(obj, fields, STAFF_FIELDS)
    _check_class_belongs(facility, obj.assigned_class)
    _clean_save(obj)
    _audit(actor, "facility.staff.create", obj, facility, after=snapshot(obj))
    return obj


@transaction.atomic
def staff_update(*, actor, staff: StaffMember, **fields) -> StaffMember:
    """Change a staff member's data. Raises GEN-002, FIL-003, FIL-004, GEN-004."""
    facility = staff.facility
    if actor is not None:
        _require_edit(actor, facility)
    before = snapshot(staff)
    _apply_fields(staff, fields, STAFF_FIELDS)
    _check_class_belongs(facility, staff.assigned_class)
    _clean_save(staff)
    _audit(actor, "facility.staff.update", staff, facility, before=before, after=snapshot(staff))
    return staff


@transaction.atomic
def staff_delete(*, actor, staff: StaffMember) -> None:
    """Remove a staff record. Raises GEN-002, FIL-003."""
    facility = staff.facility
    if actor is not None:
        _require_edit(actor, facility)
    _audit(actor, "facility.staff.delete", staff, facility, before=snapshot(staff))
    staff.delete()


# --------------------------------------------------------------------------- enrolment


def _next_child_ref(facility: Facility) -> str:
    n = facility.enrolments.count() + 1
    while facility.enrolments.filter(child_ref=f"C{n:05d}").exists():
        n += 1
    return f"C{n:05d}"


@transaction.atomic
def enrolment_create(
    *, actor, facility: Facility, birth_date: date, enrolled_on: date,
    facility_class: FacilityClass | None = None, child_ref: str = "",
    service_type: str = "full_day", employee_child: bool = True,
    source_system: str = "", external_id: str = "",
) -> Enrolment:
    """Record a child's enrolment (入托): birth date and dates only — never a name or ID number.

    ``child_ref`` is the facility's own opaque reference (default ``C00001`` …). With
    ``facility_class`` the child is placed in that class from ``enrolled_on``.
    Raises GEN-002, FIL-003, FIL-004, FIL-005 (born after enrolment), GEN-004.
    """
    if actor is not None:
        _require_edit(actor, facility)
    if birth_date > enrolled_on:
        raise DomainError(
            FIL_ENROLMENT_DATES, params={"detail": "birth_date > enrolled_on"}, field="birth_date"
        )
    _check_class_belongs(facility, facility_class)
    enrolment = Enrolment(
        facility=facility, child_ref=child_ref or _next_child_ref(facility),
        birth_date=birth_date, enrolled_on=enrolled_on, service_type=service_type,
        employee_child=employee_child, source_system=source_system, external_id=external_id,
    )
    _clean_save(enrolment)
    if facility_class is not None:
        _clean_save(ClassPlacement(enrolment=enrolment, facility_class=facility_class,
                                   start=enrolled_on))
    _audit(actor, "facility.enrolment.create", enrolment, facility,
           after={**snapshot(enrolment), "class": getattr(facility_class, "pk", None)})
    return enrolment


def _current_placement(enrolment: Enrolment) -> ClassPlacement | None:
    return enrolment.placements.filter(end__isnull=True).order_by("-start").first()


@transaction.atomic
def enrolment_move(*, actor, enrolment: Enrolment, to_class: FacilityClass, on: date) -> ClassPlacement:
    """Move a child to ``to_class`` from date ``on`` (转班): the current placement ends on ``on``.

    Raises GEN-002, FIL-003, FIL-004, FIL-005 (``on`` before enrolment or the current
    placement's start), FIL-006 (child has left).
    """
    facility = enrolment.facility
    if actor is not None:
        _require_edit(actor, facility)
    if enrolment.left_on is not None:
        raise DomainError(FIL_ENROLMENT_LEFT)
    _check_class_belongs(facility, to_class)
    current = _current_placement(enrolment)
    earliest = current.start if current else enrolment.enrolled_on
    if on < earliest:
        raise DomainError(FIL_ENROLMENT_DATES, params={"detail": f"{on} < {earliest}"}, field="on")
    before = {"class": getattr(current, "facility_class_id", None)}
    if current is not None:
        current.end = on
        _clean_save(current)
    placement = ClassPlacement(enrolment=enrolment, facility_class=to_class, start=on)
    _clean_save(placement)
    _audit(actor, "facility.enrolment.move", enrolment, facility, before=before,
           after={"class": to_class.pk, "on": on.isoformat()})
    return placement


@transaction.atomic
def enrolment_leave(*, actor, enrolment: Enrolment, on: date) -> Enrolment:
    """Record that a child left on ``on`` (离托); the current class placement ends then.

    Raises GEN-002, FIL-003, FIL-005 (``on`` before enrolment), FIL-006 (already left).
    """
    facility = enrolment.facility
    if actor is not None:
        _require_edit(actor, facility)
    if enrolment.left_on is not None:
        raise DomainError(FIL_ENROLMENT_LEFT)
    if on < enrolment.enrolled_on:
        raise DomainError(FIL_ENROLMENT_DATES, params={"detail": f"{on} < {enrolment.enrolled_on}"},
                          field="on")
    before = snapshot(enrolment)
    enrolment.left_on = on
    _clean_save(enrolment)
    current = _current_placement(enrolment)
    if current is not None:
        current.end = max(on, current.start)
        _clean_save(current)
    _audit(actor, "facility.enrolment.leave", enrolment, facility, before=before,
           after=snapshot(enrolment))
    return enrolment


# --------------------------------------------------------------------------- documents


@transaction.atomic
def document_add(
    *, actor, facility: Facility, doc_type: str, file=None, reference: str = "",
    valid_until: date | None = None,
) -> FilingDocument:
    """Attach a filing document (备案材料, 登记和备案办法 Art. 8): an upload and/or a reference.

    ``file`` (optional) must be PDF, JPEG or PNG of at most 10 MiB. Raises GEN-002,
    FIL-003, FIL-008 (file type or size, or neither file nor reference), GEN-004.
    """
    if actor is not None:
        _require_edit(actor, facility)
    if file is None and not reference.strip():
        raise DomainError(FIL_DOCUMENT_INVALID, params={"detail": "file or reference"}, field="file")
    if file is not None:
        suffix = PurePath(file.name).suffix.lower()
        if suffix not in DOCUMENT_EXTENSIONS:
            raise DomainError(FIL_DOCUMENT_INVALID, params={"detail": suffix or "?"}, field="file")
        if file.size > DOCUMENT_MAX_BYTES:
            raise DomainError(FIL_DOCUMENT_INVALID, params={"detail": f"{file.size} bytes"},
                              field="file")
    doc = FilingDocument(
        facility=facility, doc_type=doc_type, reference=reference.strip(),
        valid_until=valid_until,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    if file is not None:
        doc.file = file
    _clean_save(doc)
    _audit(actor, "facility.document.add", doc, facility, after=snapshot(doc))
    return doc


# --------------------------------------------------------------------------- filing


def finding_as_dict(finding) -> dict[str, Any]:
    """A compliance finding as a JSON-safe dict (rule code, severity, message, source …)."""
    if is_dataclass(finding):
        data = asdict(finding)
    else:
        data = {
            k: getattr(finding, k, None)
            for k in ("rule_code", "severity", "message", "source_document",
                      "source_article", "subject", "certainty")
        }
    return {
        k: (v if v is None or isinstance(v, (str, int, float, bool, dict, list)) else str(v))
        for k, v in data.items()
    }


def facility_findings(facility: Facility, *, as_of: date) -> list:
    """The compliance findings of ``facility`` as of ``as_of`` (standards ``facility_check``)."""
    return list(facility_check(facility, as_of=as_of))


def _raise_if_blocking(facility: Facility, *, as_of: date) -> None:
    findings = facility_findings(facility, as_of=as_of)
    if has_blocking(findings):
        blocking = [f for f in findings if f.severity == "block"]
        codes = sorted({f.rule_code for f in blocking})
        raise DomainError(
            FIL_BLOCKING_FINDINGS,
            params={"count": len(blocking), "codes": ", ".join(codes)},
            details={"findings": [finding_as_dict(f) for f in findings]},
        )


def _next_receipt_number(facility: Facility, year: int) -> str:
    """Next receipt number ``备{county code}{year}{seq:05d}``, e.g. ``备110108202600001``."""
    prefix = f"备{facility.division.code}{year}"
    last = (
        Facility.objects.filter(receipt_number__startswith=prefix)
        .order_by("-receipt_number")
        .values_list("receipt_number", flat=True)
        .first()
    )
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _assign_receipt_number(facility: Facility, today: date) -> str:
    """Give ``facility`` a unique receipt number, retrying when a concurrent filing took it."""
    for _attempt in range(10):
        number = _next_receipt_number(facility, today.year)
        try:
            with transaction.atomic():
                Facility.objects.filter(pk=facility.pk).update(receipt_number=number)
        except IntegrityError:
            continue
        return number
    raise DomainError(GEN_CONFLICT, params={"status": facility.get_filing_status_display()})


def _transition(
    *, actor, facility: Facility, action: str, reason: str = "",
    expected_version: int | None = None, reason_required: bool = False,
) -> Facility:
    """Run one filing transition: lock, table, capability, status, event, audit."""
    if reason_required and not (reason or "").strip():
        raise DomainError(FIL_REASON_REQUIRED, field="reason")
    locked = _lock(facility, expected_version=expected_version)
    transition = FILING_WORKFLOW.transition(action, locked.filing_status)
    if actor is not None and not perms.has_filing_capability(actor, transition.capability, locked):
        raise DomainError(GEN_FORBIDDEN)
    today = local_today()
    before = snapshot(locked, ["filing_status", "receipt_number", "filed_on", "version"])
    event = FilingEvent(
        facility=locked, action=action, from_status=locked.filing_status,
        to_status=transition.target, actor=actor if getattr(actor, "pk", None) else None,
        reason=(reason or "").strip(),
    )
    if action in ("submit", "submit_change"):
        _raise_if_blocking(locked, as_of=today)
        deadline = add_working_days(today, FILING_DEADLINE_WORKING_DAYS)
        event.deadline = deadline.date
        event.deadline_provisional = bool(deadline.provisional)
    if action == "file":
        locked.receipt_number = _assign_receipt_number(locked, today)
        locked.filed_on = today
    if action == "file_change":
        locked.filed_on = today
    if action in ("file", "file_change"):
        event.receipt_number = locked.receipt_number
    locked.filing_status = transition.target
    locked.version += 1
    _clean_save(locked)
    _clean_save(event)
    _audit(
        actor, f"facility.filing.{action}", locked, locked, before=before,
        after=snapshot(locked, ["filing_status", "receipt_number", "filed_on", "version"]),
        note=event.reason,
    )
    facility.filing_status = locked.filing_status
    facility.version = locked.version
    facility.receipt_number = locked.receipt_number
    facility.filed_on = locked.filed_on
    return locked


@transaction.atomic
def filing_submit(*, actor, facility: Facility, expected_version: int | None = None) -> Facility:
    """Submit the filing (提交备案) from draft or returned.

    Runs the compliance check as of today; blocking findings raise FIL-001 whose
    ``details["findings"]`` list every finding with its rule code. On success a
    FilingEvent records the deadline: 5 working days (登记和备案办法 Art. 9), provisional
    when the count runs through a year whose holiday calendar is not loaded.
    Raises GEN-002, GEN-003, GEN-005, FIL-001.
    """
    return _transition(actor=actor, facility=facility, action="submit",
                       expected_version=expected_version)


@transaction.atomic
def filing_file(*, actor, facility: Facility, expected_version: int | None = None) -> Facility:
    """File the facility (予以备案) and issue a receipt number ``备{county}{year}{seq:05d}``.

    Only a county-level health officer of the facility's county. Raises GEN-002, GEN-003,
    GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="file",
                       expected_version=expected_version)


@transaction.atomic
def filing_return(
    *, actor, facility: Facility, reason: str, expected_version: int | None = None
) -> Facility:
    """Return the filing with reasons (退回); the employer corrects and submits again.

    Raises FIL-002 (no reason), GEN-002, GEN-003, GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="return", reason=reason,
                       expected_version=expected_version, reason_required=True)


@transaction.atomic
def filing_submit_change(
    *, actor, facility: Facility, reason: str = "", expected_version: int | None = None
) -> Facility:
    """Submit a change filing (变更备案, 登记和备案办法 Art. 10) of a filed facility.

    Checked like a first submission (FIL-001) and given the same 5-working-day deadline.
    """
    return _transition(actor=actor, facility=facility, action="submit_change", reason=reason,
                       expected_version=expected_version)


@transaction.atomic
def filing_file_change(*, actor, facility: Facility, expected_version: int | None = None) -> Facility:
    """Accept a change filing; the receipt number stays. Raises GEN-002, GEN-003, GEN-005."""
    return _transition(actor=actor, facility=facility, action="file_change",
                       expected_version=expected_version)


@transaction.atomic
def filing_return_change(
    *, actor, facility: Facility, reason: str, expected_version: int | None = None
) -> Facility:
    """Return a change filing with reasons; the earlier filing stays in force (status filed)."""
    return _transition(actor=actor, facility=facility, action="return_change", reason=reason,
                       expected_version=expected_version, reason_required=True)


@transaction.atomic
def filing_cancel(
    *, actor, facility: Facility, reason: str, expected_version: int | None = None
) -> Facility:
    """Cancel the filing (注销备案, 登记和备案办法 Art. 10) when the service ends. Final.

    Raises FIL-002 (no reason), GEN-002, GEN-003, GEN-005.
    """
    return _transition(actor=actor, facility=facility, action="cancel", reason=reason,
                       expected_version=expected_version, reason_required=True)


def recompute_provisional_deadlines(*_args, **_kwargs) -> int:
    """Recount every provisional filing deadline (called when a calendar year is loaded).

    Each provisional FilingEvent's deadline is counted again from the local date of the
    event; the flag clears once every year it runs through is known. Returns the number
    of events changed.
    """
    changed = 0
    with transaction.atomic():
        events = FilingEvent.objects.select_for_update().filter(
            deadline_provisional=True, deadline__isnull=False
        )
        for event in events:
            deadline = add_working_days(local_date(event.at), FILING_DEADLINE_WORKING_DAYS)
            if (deadline.date, bool(deadline.provisional)) != (
                event.deadline, event.deadline_provisional
            ):
                event.deadline = deadline.date
                event.deadline_provisional = bool(deadline.provisional)
                event.save(update_fields=["deadline", "deadline_provisional"])
                changed += 1
    return changed
