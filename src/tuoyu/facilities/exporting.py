"""Export of facilities with classes and staff (机构数据导出) to CSV and XLSX.

The export writes the import template (``importing.columns``): one row per facility,
followed by its class rows and staff rows, so an exported file re-imports cleanly.
Facilities made in Tuoyu itself (no external key) are written with 来源系统 ``tuoyu`` and
their internal number as 外部编号; the import matches those by id.

Scope: the rows are :func:`tuoyu.facilities.selectors.facilities_visible_to` of the user
— an export can never hold more than the list it came from — with the filters applied.
Staff rows (personal data) are written only for facilities whose staff the user may read
(own organisations; officials with the personal-data capability in their jurisdiction),
and every such official read is logged as a data-access event.

Formula injection (CSV/公式注入): any text cell that starts with ``= + - @``, a tab or a
carriage return — also after NFKC, so full-width ``＝ ＋ － ＠`` count — is prefixed with
an apostrophe so a spreadsheet shows it as text. In XLSX, numbers and dates are written
as typed cells (nothing to neutralise); in CSV every cell is text and checked.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import translation

from tuoyu.facilities.importing.columns import COLUMNS, FEE_COLUMNS, RECORD_LABELS
from tuoyu.facilities.importing.parsing import FORMULA_STARTS
from tuoyu.facilities.importing.writing import INTERNAL_SOURCE

CHUNK = 500
KEYS = [c.key for c in COLUMNS]
_INDEX = {key: i for i, key in enumerate(KEYS)}


def neutralize(text: str) -> str:
    """Return ``text`` with an apostrophe in front if a spreadsheet could run it as a formula.

    ``"=HYPERLINK(...)"`` → ``"'=HYPERLINK(...)"``, ``"＋1"`` → ``"'＋1"``; other text unchanged.
    """
    if text and (
        text[0] in FORMULA_STARTS or unicodedata.normalize("NFKC", text[0])[:1] in FORMULA_STARTS
    ):
        return "'" + text
    return text


def facilities_for_export(
    user, *, status: Iterable[str] = (), county: str = "", q: str = ""
) -> QuerySet:
    """The facilities ``user`` may export, filtered; ``user`` None = everything (command line).

    ``status``: filing statuses to keep (empty = all); ``county``: a division-code prefix
    (e.g. ``110108`` or ``11``); ``q``: text searched in the normalised name (full-width,
    traditional characters and case do not matter). Ordered by id for stable chunks.
    """
    from tuoyu.facilities.models import Facility
    from tuoyu.facilities.selectors import facilities_visible_to, facility_search_key

    qs = Facility.objects.all() if user is None else facilities_visible_to(user)
    status = [s for s in status if s]
    if status:
        qs = qs.filter(filing_status__in=status)
    if county:
        qs = qs.filter(division__code__startswith=county.strip())
    if q and q.strip():
        qs = qs.filter(name_search__contains=facility_search_key(q))
    return qs.order_by("id")


def _label(choices_cls, value: str) -> str:
    if not value:
        return ""
    try:
        return str(choices_cls(value).label)
    except ValueError:
        return value


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


class _PersonalDataScope:
    """Whether staff of a facility may go into ``user``'s export; None user = the system."""

    def __init__(self, user) -> None:
        self.user = user
        if user is None:
            return
        from tuoyu.accounts.permissions import VIEW_PERSONAL_DATA, jurisdiction_prefixes
        from tuoyu.facilities.permissions import own_organization_ids

        self.own = own_organization_ids(user)
        self.prefixes = jurisdiction_prefixes(user, capability=VIEW_PERSONAL_DATA)

    def allows(self, facility, org_ids: set[int]) -> tuple[bool, bool]:
        """Return (may read staff, read must be logged)."""
        if self.user is None:
            return True, False
        if self.own & org_ids:
            return True, False
        code = facility.division.code
        return any(code.startswith(p) for p in self.prefixes), True


def export_rows(queryset: QuerySet, *, user=None) -> Iterator[list[object]]:
    """Yield the header row, then per facility its row, its class rows and its staff rows.

    Cells are typed (str, int, Decimal, date) and not yet neutralised; Chinese headers
    and Chinese choice labels. Reads in chunks of ``CHUNK`` facilities (5 queries each).
    """
    from tuoyu.accounts.choices import OrganizationKind
    from tuoyu.audit.models import DataAccessEvent
    from tuoyu.facilities.choices import (
        ClassType,
        Education,
        PremisesTenure,
        ProvisionModel,
        ServiceType,
        StaffRole,
    )
    from tuoyu.facilities.models import Facility, FacilityClass, FacilityService, StaffMember
    from tuoyu.facilities.workflow import FilingStatus

    yield [c.zh for c in COLUMNS]
    scope = _PersonalDataScope(user)
    ids = list(queryset.values_list("id", flat=True))
    with translation.override("zh-hans"):
        for start in range(0, len(ids), CHUNK):
            chunk_ids = ids[start : start + CHUNK]
            facilities = list(
                Facility.objects.filter(id__in=chunk_ids)
                .select_related("operator", "division")
                .order_by("id")
            )
            sponsors: dict[int, list] = {}
            for fid, oid, code in (
                Facility.sponsors.through.objects.filter(facility_id__in=chunk_ids)
                .values_list("facility_id", "organization_id", "organization__credit_code")
                .order_by("id")
            ):
                sponsors.setdefault(fid, []).append((oid, code))
            services: dict[int, dict] = {}
            for fid, stype, fee in FacilityService.objects.filter(
                facility_id__in=chunk_ids
            ).values_list("facility_id", "service_type", "monthly_fee"):
                services.setdefault(fid, {})[stype] = fee
            classes: dict[int, list] = {}
            for cls in FacilityClass.objects.filter(facility_id__in=chunk_ids).order_by(
                "facility_id", "name", "id"
            ):
                classes.setdefault(cls.facility_id, []).append(cls)
            readable, logged = set(), []
            for f in facilities:
                allowed, log = scope.allows(
                    f, {f.operator_id} | {o for o, _ in sponsors.get(f.id, [])}
                )
                if allowed:
                    readable.add(f.id)
                    if log:
                        logged.append(
                            DataAccessEvent(
                                actor=user,
                                object_type="facilities.facility",
                                object_id=str(f.id),
                                purpose="facility.staff.export",
                            )
                        )
            staff: dict[int, list] = {}
            for member in (
                StaffMember.objects.filter(facility_id__in=readable)
                .select_related("assigned_class")
                .order_by("facility_id", "role", "name", "id")
            ):
                staff.setdefault(member.facility_id, []).append(member)
            if logged:
                DataAccessEvent.objects.bulk_create(logged)
            for f in facilities:
                key = (
                    (f.source_system, f.external_id)
                    if f.external_id
                    else (INTERNAL_SOURCE, str(f.id))
                )
                row: list[object] = [""] * len(KEYS)
                fee_of = services.get(f.id, {})
                cells = {
                    "record_type": RECORD_LABELS["facility"],
                    "source_system": key[0],
                    "external_id": key[1],
                    "name": f.name,
                    "operator_credit_code": f.operator.credit_code or "",
                    "operator_name": f.operator.name,
                    "operator_kind": "用人单位"
                    if f.operator.kind == OrganizationKind.EMPLOYER
                    else "托育机构",
                    "operator_industry": f.operator.industry_id or "",
                    "sponsor_credit_codes": ";".join(c for _, c in sponsors.get(f.id, []) if c),
                    "credit_code": f.credit_code,
                    "provision_model": _label(ProvisionModel, f.provision_model),
                    "service_types": ";".join(
                        _label(ServiceType, s) for s in ServiceType.values if s in fee_of
                    ),
                    "address": f.address,
                    "division_code": f.division.code,
                    "building_area": f.building_area,
                    "outdoor_area": f.outdoor_area,
                    "children_floor": f.children_floor,
                    "premises_tenure": _label(PremisesTenure, f.premises_tenure),
                    "lease_start": f.lease_start,
                    "lease_end": f.lease_end,
                    "opening_date": f.opening_date,
                    "places_infant": f.places_infant,
                    "places_toddler": f.places_toddler,
                    "places_older": f.places_older,
                    "places_mixed": f.places_mixed,
                    "contact_phone": f.contact_phone,
                    "filing_status": _label(FilingStatus, f.filing_status),
                    "receipt_number": f.receipt_number,
                }
                for service, column in FEE_COLUMNS.items():
                    cells[column] = fee_of.get(service)
                for k, v in cells.items():
                    row[_INDEX[k]] = v
                yield row
                for cls in classes.get(f.id, []):
                    yield _child_row(
                        key,
                        RECORD_LABELS["class"],
                        {
                            "class_name": cls.name,
                            "class_type": _label(ClassType, cls.class_type),
                            "capacity": cls.capacity,
                        },
                    )
                for m in staff.get(f.id, []):
                    yield _child_row(
                        key,
                        RECORD_LABELS["staff"],
                        {
                            "class_name": m.assigned_class.name if m.assigned_class_id else "",
                            "staff_id": m.external_id,
                            "staff_name": m.name,
                            "role": _label(StaffRole, m.role),
                            "education": _label(Education, m.education),
                            "qualification": m.qualification,
                            "years_experience": m.years_experience,
                            "trained": _yes_no(m.trained),
                            "health_certificate_expiry": m.health_certificate_expiry,
                            "no_criminal_record": _yes_no(m.no_criminal_record),
                            "full_time": _yes_no(m.full_time),
                            "start_date": m.start_date,
                            "end_date": m.end_date,
                        },
                    )


def _child_row(key: tuple[str, str], label: str, cells: dict) -> list[object]:
    row: list[object] = [""] * len(KEYS)
    row[_INDEX["record_type"]] = label
    row[_INDEX["source_system"]], row[_INDEX["external_id"]] = key
    for k, v in cells.items():
        row[_INDEX[k]] = v
    return row


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Echo:
    """A file-like object whose write returns the line (for streaming csv.writer output)."""

    def write(self, value: str) -> str:
        return value


def export_csv(rows: Iterable[list[object]]) -> Iterator[bytes]:
    """Yield the CSV file (UTF-8 with BOM, CRLF line ends) row by row as bytes.

    Every cell is written as text and neutralised (:func:`neutralize`).
    """
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8
    for row in rows:
        yield writer.writerow([neutralize(_text(v)) for v in row]).encode("utf-8")


def export_xlsx(rows: Iterable[list[object]], target) -> None:
    """Write the rows to ``target`` (path or binary file) as a one-sheet XLSX (write-only mode).

    Strings are neutralised; numbers, Decimals and dates become typed cells.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("机构")
    for row in rows:
        out = []
        for v in row:
            if v is None or v == "":
                out.append(None)
            elif isinstance(v, str):
                cell = WriteOnlyCell(sheet, value=neutralize(v))
                cell.data_type = "s"  # never let openpyxl read a leading "=" as a formula
                out.append(cell)
            elif isinstance(v, dt.date):
                cell = WriteOnlyCell(sheet, value=v)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            else:
                out.append(v)
        sheet.append(out)
    workbook.save(target)
