"""Registry writes (登记): facilities, classes, staff, enrolment and documents."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import PurePath

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tuoyu.audit.services import snapshot
from tuoyu.core import uploads
from tuoyu.core.errors import DomainError
from tuoyu.facilities import permissions as perms
from tuoyu.facilities.choices import ServiceType
from tuoyu.facilities.errors import (
    FIL_CHILD_REF_TAKEN,
    FIL_CLASS_NAME_TAKEN,
    FIL_CLASS_OTHER_FACILITY,
    FIL_DOCUMENT_INVALID,
    FIL_ENROLMENT_DATES,
    FIL_ENROLMENT_LEFT,
    FIL_NOT_MEMBER,
    FIL_SERVICE_NOT_OFFERED,
    FIL_SPONSOR,
)
from tuoyu.facilities.models import (
    ClassPlacement,
    Enrolment,
    Facility,
    FacilityClass,
    FilingDocument,
    StaffMember,
)
from tuoyu.facilities.selectors import facility_search_key
from tuoyu.facilities.services.base import (
    CLASS_FIELDS,
    DOCUMENT_EXTENSIONS,
    DOCUMENT_MAX_BYTES,
    FACILITY_FIELDS,
    STAFF_FIELDS,
    _apply_fields,
    _audit,
    _bump_registry_version,
    _check_division,
    _clean_save,
    _lock,
    _normalise_facility_fields,
    _require_edit,
    _services_snapshot,
    _set_services,
)


def _checked_sponsors(actor, operator, sponsors: Iterable) -> list:
    """The sponsors to store (default: the operator), checked.

    Raises FIL-009 when ``actor`` (``None`` = system) acts neither for the operator nor for
    a sponsor, FIL-015 when a sponsor other than the operator is not an employer.
    """
    sponsors = list(sponsors) or [operator]
    own = perms.own_organization_ids(actor) if actor is not None else None
    if own is not None and not own & ({operator.pk} | {s.pk for s in sponsors}):
        raise DomainError(FIL_NOT_MEMBER, field="operator")
    for sponsor in sponsors:
        # Only employers sponsor (举办用人单位); a third-party operator names the employer it
        # serves. (A sponsor's users gain access to the facility: confirmation by the named
        # employer is still to come.)
        if sponsor.pk != operator.pk and sponsor.kind != "employer":
            raise DomainError(FIL_SPONSOR, {"name": sponsor.name}, field="sponsors")
    return sponsors


@transaction.atomic
def facility_create(*, actor, operator, sponsors: Iterable = (), services=(), **fields) -> Facility:
    """Create a facility (登记托育机构) in draft.

    ``operator``: the operating Organization (举办/运营单位); ``sponsors``: sponsoring
    employers (举办用人单位; default: the operator); ``services``: {service type: monthly
    fee in ¥ or None} or (type, fee) pairs; ``fields``: facility fields (name, address,
    division — an active county-level Division —, areas in m², places in children …).
    ``actor`` must be an employer admin or facility operator of the operator or of a
    sponsor (``None`` = system import). Returns the saved Facility.
    Raises FIL-009 (not a member), FIL-015 (a sponsor that is not an employer), FIL-007 (division), GEN-004 (invalid field),
    IDN-00x (credit code).
    """
    sponsors = _checked_sponsors(actor, operator, sponsors)
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
    *, actor, facility: Facility, services=None, sponsors: Iterable | None = None,
    expected_version: int | None = None, **fields
) -> Facility:
    """Change a facility's fields (and, if given, its services and fees, and its sponsoring
    employers); bumps ``version``.

    Allowed to the facility's own organisations while draft, returned or filed (a filed
    facility then submits a change filing, 变更备案: its ``filed_version`` stays behind, so
    :attr:`Facility.has_unfiled_changes` is set until the change is filed, ADR 0012).
    ``sponsors``: Organizations replacing the sponsors (举办用人单位; empty = the operator),
    checked as in :func:`facility_create`; the audit event records both lists.
    ``expected_version`` guards against overwriting someone else's edit. Returns the
    updated Facility.
    Raises GEN-002, GEN-003, FIL-003, FIL-007, FIL-009, FIL-015, GEN-004.
    """
    locked = _lock(facility, expected_version=expected_version)
    if actor is not None:
        _require_edit(actor, locked)
    before = {**snapshot(locked), "services": _services_snapshot(locked)}
    if sponsors is not None:
        sponsors = _checked_sponsors(actor, locked.operator, sponsors)
        before["sponsors"] = sorted(locked.sponsors.values_list("pk", flat=True))
    fields = _normalise_facility_fields(dict(fields))
    _apply_fields(locked, fields, FACILITY_FIELDS)
    if "division" in fields:
        _check_division(locked.division)
    locked.name_search = facility_search_key(locked.name)
    locked.version += 1
    _clean_save(locked)
    if services is not None:
        _set_services(locked, services)
    after = {**snapshot(locked), "services": _services_snapshot(locked)}
    if sponsors is not None:
        locked.sponsors.set(sponsors)
        after["sponsors"] = sorted(s.pk for s in sponsors)
    _audit(actor, "facility.update", locked, locked, before=before, after=after)
    return locked


# --------------------------------------------------------------------------- classes


@transaction.atomic
def class_create(*, actor, facility: Facility, **fields) -> FacilityClass:
    """Add a class (班级): ``name``, ``class_type`` (infant/toddler/older/mixed), ``capacity`` (children).

    A class that breaks a standards rule is still recorded (the compliance check shows
    it; a blocking finding stops the next submission). Raises GEN-002, FIL-003, FIL-010
    (name taken in this facility), GEN-004 (capacity outside 1 … 100, …).
    """
    if actor is not None:
        _require_edit(actor, facility)
    obj = FacilityClass(facility=facility)
    _apply_fields(obj, fields, CLASS_FIELDS)
    _check_class_name_free(obj)
    _clean_save(obj)
    _bump_registry_version(facility)
    _audit(actor, "facility.class.create", obj, facility, after=snapshot(obj))
    return obj


@transaction.atomic
def class_update(*, actor, facility_class: FacilityClass, **fields) -> FacilityClass:
    """Change a class's name, type or capacity. Raises GEN-002, FIL-003, FIL-010, GEN-004."""
    facility = facility_class.facility
    if actor is not None:
        _require_edit(actor, facility)
    before = snapshot(facility_class)
    _apply_fields(facility_class, fields, CLASS_FIELDS)
    _check_class_name_free(facility_class)
    _clean_save(facility_class)
    _bump_registry_version(facility)
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
    _bump_registry_version(facility)


# --------------------------------------------------------------------------- staff


def _check_class_name_free(facility_class: FacilityClass) -> None:
    """FIL-010 when another class of the same facility already has this name."""
    taken = FacilityClass.objects.filter(
        facility_id=facility_class.facility_id, name=facility_class.name
    ).exclude(pk=facility_class.pk)
    if facility_class.name and taken.exists():
        raise DomainError(FIL_CLASS_NAME_TAKEN, params={"name": facility_class.name}, field="name")


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
    _bump_registry_version(facility)
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
    _bump_registry_version(facility)
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
    _bump_registry_version(facility)


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
    ``service_type`` must be one the facility offers (when it has recorded any service
    form). An enrolment is a day-to-day record, not registry data: it does not make a
    filed facility's data unfiled.
    Raises GEN-002, FIL-003, FIL-004, FIL-005 (born after enrolment), FIL-011 (service
    form not offered), FIL-012 (reference taken), GEN-004 (birth date more than 6 years
    before enrolment, see :meth:`Enrolment.clean`).
    """
    if actor is not None:
        _require_edit(actor, facility)
    if birth_date > enrolled_on:
        raise DomainError(FIL_ENROLMENT_DATES, field="birth_date",
                          params={"detail": _("出生日期不能晚于入托日期。")})
    offered = set(facility.services.values_list("service_type", flat=True))
    if offered and service_type not in offered:
        label = ServiceType(service_type).label if service_type in ServiceType.values else service_type
        raise DomainError(FIL_SERVICE_NOT_OFFERED, params={"service": str(label)},
                          field="service_type")
    if child_ref and facility.enrolments.filter(child_ref=child_ref).exists():
        raise DomainError(FIL_CHILD_REF_TAKEN, params={"ref": child_ref}, field="child_ref")
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
        raise DomainError(FIL_ENROLMENT_DATES, field="on", params={"detail": format_lazy(
            _("转班日期不能早于 {earliest}。"), earliest=earliest.isoformat())})
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
        raise DomainError(FIL_ENROLMENT_DATES, field="on", params={"detail": format_lazy(
            _("离托日期不能早于入托日期 {earliest}。"), earliest=enrolment.enrolled_on.isoformat())})
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


def _megabytes(size: int) -> str:
    """A size in bytes as MB (MiB) with one decimal, e.g. ``30.0``."""
    return f"{size / (1024 * 1024):.1f}"


#: Content type (judged from the file's first bytes) that each accepted extension must have.
_DOCUMENT_CONTENT = {".pdf": uploads.PDF, ".jpg": uploads.JPEG, ".jpeg": uploads.JPEG, ".png": uploads.PNG}


def _check_document_content(file, suffix: str) -> None:
    """Raise FIL-008 on ``file`` unless its first bytes are those of the type its
    extension ``suffix`` names (:mod:`tuoyu.core.uploads`): a page or program renamed
    ``.pdf`` is refused."""
    try:
        content_type, _extension = uploads.upload_check(
            file, max_bytes=DOCUMENT_MAX_BYTES, types=(_DOCUMENT_CONTENT[suffix],))
    except uploads.UploadRefused:
        content_type = None
    if content_type != _DOCUMENT_CONTENT[suffix]:
        raise DomainError(FIL_DOCUMENT_INVALID, field="file", params={"detail": format_lazy(
            _("文件内容不是“{suffix}”文件，请上传真实的 PDF、JPEG 或 PNG 文件。"), suffix=suffix)})


@transaction.atomic
def document_add(
    *, actor, facility: Facility, doc_type: str, file=None, reference: str = "",
    valid_until: date | None = None,
) -> FilingDocument:
    """Attach a filing document (备案材料, 登记和备案办法 Art. 8): an upload and/or a reference.

    ``file`` (optional) must be PDF, JPEG or PNG of at most 10 MiB, its content matching
    its extension (judged from its first bytes). Raises GEN-002,
    FIL-003, FIL-008 (neither file nor reference, file type, or too large — sizes in MB),
    GEN-004.
    """
    if actor is not None:
        _require_edit(actor, facility)
    if file is None and not reference.strip():
        raise DomainError(FIL_DOCUMENT_INVALID, field="file", params={
            "detail": _("请上传文件或填写证书编号/说明。")})
    if file is not None:
        suffix = PurePath(file.name).suffix.lower()
        if suffix not in DOCUMENT_EXTENSIONS:
            raise DomainError(FIL_DOCUMENT_INVALID, field="file", params={"detail": format_lazy(
                _("不接受“{suffix}”类型的文件，请上传 PDF、JPEG 或 PNG 文件。"),
                suffix=suffix or "?")})
        if file.size > DOCUMENT_MAX_BYTES:
            raise DomainError(FIL_DOCUMENT_INVALID, field="file", params={"detail": format_lazy(
                _("文件大小为 {size} MB，超过上限 {limit} MB。"),
                size=_megabytes(file.size), limit=_megabytes(DOCUMENT_MAX_BYTES))})
        _check_document_content(file, suffix)
    doc = FilingDocument(
        facility=facility, doc_type=doc_type, reference=reference.strip(),
        valid_until=valid_until,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    if file is not None:
        doc.file = file
    _clean_save(doc)
    _bump_registry_version(facility)
    _audit(actor, "facility.document.add", doc, facility, after=snapshot(doc))
    return doc


# --------------------------------------------------------------------------- filing
