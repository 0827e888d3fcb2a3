"""Upserting checked records in batches (批量写入): facilities, then classes, then staff.

Existing rows are looked up once per chunk by their external key, compared field by field
and sorted into created / updated / unchanged, so a second run of the same file writes
nothing. Writes use ``bulk_create`` / ``bulk_update`` inside the caller's transaction.

Why the keys are pre-loaded rather than ``bulk_create(update_conflicts=True)``: the
facility key is a *partial* unique constraint (``external_id <> ''``). PostgreSQL only
accepts ``ON CONFLICT (source_system, external_id)`` for a partial index when the
statement repeats the index predicate (``WHERE external_id <> ''``), which Django does
not emit, so the statement fails with "there is no unique or exclusion constraint
matching the ON CONFLICT specification". Pre-loading also lets us count unchanged rows,
leave ``updated_at`` alone for them and refuse changes to filed facilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone, translation

from tuoyu.core.errors import message_for
from tuoyu.facilities.importing import codes
from tuoyu.facilities.importing.columns import COLUMN_BY_KEY
from tuoyu.facilities.importing.copying import insert_rows
from tuoyu.facilities.importing.parsing import ClassRecord, FacilityRecord, StaffRecord
from tuoyu.facilities.importing.scope import ActorScope

# Rows exported from facilities made in Tuoyu itself carry this source and their own id.
INTERNAL_SOURCE = "tuoyu"
# Filing states in which the register may not be changed by an import (a change filing
# 备案变更 is needed instead): the health commission has the data, or is reviewing it.
LOCKED_STATUSES = {
    "submitted", "filed", "change_submitted", "cancelled", "suspended", "revoked",
}
FACILITY_FIELDS = (
    "name",
    "operator_id",
    "credit_code",
    "provision_model",
    "address",
    "division_id",
    "building_area",
    "outdoor_area",
    "children_floor",
    "premises_tenure",
    "lease_start",
    "lease_end",
    "opening_date",
    "places_infant",
    "places_toddler",
    "places_older",
    "places_mixed",
    "contact_phone",
)
STAFF_FIELDS = (
    "name",
    "role",
    "education",
    "qualification",
    "years_experience",
    "trained",
    "health_certificate_expiry",
    "no_criminal_record",
    "full_time",
    "start_date",
    "end_date",
    "assigned_class_id",
)
BATCH = 2000


_SEARCH_KEY = []


def search_key(name: str) -> str:
    """The normalised search form of a name (the facilities app's, or core's if absent)."""
    if not _SEARCH_KEY:
        try:
            from tuoyu.facilities.selectors import facility_search_key
        except ImportError:
            from tuoyu.core.text import normalize_search as facility_search_key
        _SEARCH_KEY.append(facility_search_key)
    return _SEARCH_KEY[0](name)


@dataclass
class Counts:
    """Created / updated / unchanged counts of one kind of record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class FacilityState:
    """What the writer knows about one facility key: id (None if not written), status, name."""

    id: int | None
    status: str
    name: str


@dataclass
class Writer:
    """Holds caches across chunks and writes when ``write`` is on (no error so far)."""

    errors: list[dict]
    headers: dict[str, str]
    facilities: Counts = field(default_factory=Counts)
    classes: Counts = field(default_factory=Counts)
    staff: Counts = field(default_factory=Counts)
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    keys: dict[tuple[str, str], FacilityState] = field(default_factory=dict)
    orgs: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    orgs_created: int = 0
    class_ids: dict[tuple[int, str], int] = field(default_factory=dict)
    file_classes: set[tuple[tuple[str, str], str]] = field(default_factory=set)
    invalid_keys: set[tuple[str, str]] = field(default_factory=set)
    #: The importing user's scope (None = not limited); see :mod:`.scope`.
    scope: ActorScope | None = None
    out_of_scope: dict[tuple[str, str], str] = field(default_factory=dict)

    def error(self, row: int, column: str, error_code: str, **params) -> None:
        """Append one row error naming ``column`` (a column key) as the file wrote it."""
        self.errors.append(
            {
                "row": row,
                "column": self.headers.get(column, COLUMN_BY_KEY[column].zh),
                "code": error_code,
                "message": message_for(error_code, params),
            }
        )

    # -- facilities --------------------------------------------------------------------

    def write_facilities(self, records: list[FacilityRecord], *, write: bool) -> None:
        """Check and (when ``write`` and no error) upsert one chunk of facility records."""
        from tuoyu.accounts.models import Organization
        from tuoyu.facilities.models import Facility, FacilityService

        before = len(self.errors)
        keep: list[FacilityRecord] = []
        for r in records:
            first = self.seen.get(r.key)
            if first is not None:
                self.error(
                    r.row, "external_id", codes.IMP_DUPLICATE_KEY, key=r.key[1], first_row=first
                )
                continue
            self.seen[r.key] = r.row
            keep.append(r)

        wanted = {r.operator_code for r in keep}
        for r in keep:
            wanted.update(r.sponsor_codes or ())
        wanted -= self.orgs.keys()
        for pk, code, kind in Organization.objects.filter(credit_code__in=wanted).values_list(
            "id", "credit_code", "kind"
        ):
            self.orgs[code] = (pk, kind)
        new_orgs: dict[str, dict] = {}
        nameless: set[str] = set()
        for r in keep:
            code = r.operator_code
            if code in self.orgs or code in new_orgs:
                continue
            if not r.operator_name:
                self.error(r.row, "operator_name", codes.IMP_OPERATOR_NAME, code=code)
                nameless.add(code)
                continue
            new_orgs[code] = {
                "kind": r.operator_kind,
                "name": r.operator_name,
                "name_search": search_key(r.operator_name),
                "credit_code": code,
                "division_id": r.values["division_id"],
                "industry_id": r.operator_industry,
                "parent_id": None,
                "headcount": None,
            }
            self.orgs[code] = (None, r.operator_kind)
        self.invalid_keys.update(r.key for r in keep if r.operator_code in nameless)
        keep = [r for r in keep if r.operator_code not in nameless]
        for r in keep:
            for code in r.sponsor_codes or ():
                if code not in self.orgs:
                    self.error(r.row, "sponsor_credit_codes", codes.IMP_UNKNOWN_SPONSOR, code=code)

        existing = self._existing_facilities(keep)
        keep = [r for r in keep if r.key not in self.invalid_keys]
        ids = [row["id"] for row in existing.values()]
        sponsors: dict[int, set[int]] = {}
        services: dict[int, dict[str, object]] = {}
        if ids:
            through = Facility.sponsors.through.objects.filter(facility_id__in=ids)
            for fid, oid in through.values_list("facility_id", "organization_id"):
                sponsors.setdefault(fid, set()).add(oid)
            for fid, stype, fee in FacilityService.objects.filter(facility_id__in=ids).values_list(
                "facility_id", "service_type", "monthly_fee"
            ):
                services.setdefault(fid, {})[stype] = fee

        write = write and len(self.errors) == before
        if write and new_orgs:
            org_rows = list(new_orgs.values())
            for pk, org in zip(insert_rows(Organization, org_rows), org_rows, strict=True):
                self.orgs[org["credit_code"]] = (pk, org["kind"])
            self.orgs_created += len(org_rows)

        to_create: list[tuple[FacilityRecord, dict]] = []
        to_update: list[Facility] = []
        relinks: list[tuple[FacilityRecord, int]] = []
        now = timezone.now()
        if self.scope is not None:
            self.scope.load_divisions(
                [r.values["division_id"] for r in keep]
                + [row["division_id"] for row in existing.values()]
            )
        for r in keep:
            operator_id, operator_kind = self.orgs[r.operator_code]
            values = dict(r.values, operator_id=operator_id)
            if r.sponsor_codes is None:
                sponsor_codes = [r.operator_code] if operator_kind == "employer" else []
            else:
                sponsor_codes = r.sponsor_codes
            sponsor_ids = {self.orgs[c][0] for c in sponsor_codes if c in self.orgs}
            old = existing.get(r.key)
            if self.scope is not None and not self._permitted(r, values, sponsor_ids, old, sponsors):
                continue
            if old is None:
                self.facilities.created += 1
                if write:
                    to_create.append((r, dict(values, name_search=search_key(values["name"]))))
                else:
                    self.keys[r.key] = FacilityState(None, "draft", values["name"])
                continue
            fid = old["id"]
            self.keys[r.key] = FacilityState(fid, old["filing_status"], old["name"])
            changed = [f for f in FACILITY_FIELDS if values[f] != old[f]]
            relink = sponsor_ids != sponsors.get(fid, set()) or r.services != services.get(fid, {})
            if not changed and not relink:
                self.facilities.unchanged += 1
                continue
            if old["filing_status"] in LOCKED_STATUSES:
                with translation.override("zh-hans"):
                    status = str(
                        Facility(filing_status=old["filing_status"]).get_filing_status_display()
                    )
                self.error(r.row, "external_id", codes.IMP_LOCKED, name=old["name"], status=status)
                write = False
                continue
            self.facilities.updated += 1
            if changed:
                obj = Facility(id=fid, **{f: values[f] for f in FACILITY_FIELDS})
                obj.name_search = search_key(values["name"])
                obj.updated_at = now
                obj.version = F("version") + 1
                to_update.append(obj)
            if relink:
                relinks.append((r, fid))

        if not write or len(self.errors) != before:
            for r, _obj in to_create:
                self.keys[r.key] = FacilityState(None, "draft", r.values["name"])
            return
        created = insert_rows(Facility, [row for _, row in to_create])
        for (r, row), pk in zip(to_create, created, strict=True):
            self.keys[r.key] = FacilityState(pk, "draft", row["name"])
            relinks.append((r, pk))
        if to_update:
            Facility.objects.bulk_update(
                to_update,
                [*FACILITY_FIELDS, "name_search", "updated_at", "version"],
                batch_size=BATCH,
            )
        self._relink(relinks, fresh=set(created))

    def _permitted(self, r, values, sponsor_ids, old, sponsors) -> bool:
        """Scope check of one facility row, before and after the change; IMP-032 if not."""
        ok = self.scope.permits(
            operator_id=values["operator_id"],
            sponsor_ids=sponsor_ids,
            division_id=values["division_id"],
        )
        if ok and old is not None:
            ok = self.scope.permits(
                operator_id=old["operator_id"],
                sponsor_ids=sponsors.get(old["id"], set()),
                division_id=old["division_id"],
            )
        if not ok:
            name = old["name"] if old is not None else values["name"]
            self.error(r.row, "external_id", codes.IMP_OUT_OF_SCOPE, name=name)
            self.invalid_keys.add(r.key)
        return ok

    def _relink(self, relinks: list[tuple[FacilityRecord, int]], *, fresh: set[int]) -> None:
        """Replace sponsors and services of the facilities in ``relinks``."""
        from tuoyu.facilities.models import Facility, FacilityService

        if not relinks:
            return
        through = Facility.sponsors.through
        old_ids = [fid for _, fid in relinks if fid not in fresh]
        if old_ids:
            through.objects.filter(facility_id__in=old_ids).delete()
            FacilityService.objects.filter(facility_id__in=old_ids).delete()
        links, fees = [], []
        for r, fid in relinks:
            operator_id, operator_kind = self.orgs[r.operator_code]
            codes_ = (
                r.sponsor_codes
                if r.sponsor_codes is not None
                else ([r.operator_code] if operator_kind == "employer" else [])
            )
            for code in codes_:
                links.append({"facility_id": fid, "organization_id": self.orgs[code][0]})
            for stype, fee in r.services.items():
                fees.append({"facility_id": fid, "service_type": stype, "monthly_fee": fee})
        insert_rows(through, links)
        insert_rows(FacilityService, fees)

    def _existing_facilities(self, records: list[FacilityRecord]) -> dict[tuple[str, str], dict]:
        """Current rows for the keys of ``records``; IMP-030 for unknown internal ids."""
        from tuoyu.facilities.models import Facility

        fields = ("id", "filing_status", "source_system", "external_id", *FACILITY_FIELDS)
        found: dict[tuple[str, str], dict] = {}
        by_source: dict[str, list[str]] = {}
        for r in records:
            if r.key[0] != INTERNAL_SOURCE:
                by_source.setdefault(r.key[0], []).append(r.key[1])
        if by_source and connection.vendor == "postgresql":
            # One array parameter instead of 2,000 placeholders (the ORM's IN list costs
            # more CPU than the query); spelled to match the partial unique index
            # (source_system, external_id) WHERE external_id <> ''.
            table = connection.ops.quote_name(Facility._meta.db_table)
            names = ", ".join(
                connection.ops.quote_name(Facility._meta.get_field(f).column) for f in fields
            )
            sql = (
                f"SELECT {names} FROM {table} WHERE source_system = %s"  # noqa: S608 - names from model meta, quoted
                " AND external_id = ANY(%s) AND external_id <> ''"
            )
            with connection.cursor() as cursor:
                for source, ids in by_source.items():
                    cursor.execute(sql, [source, ids])
                    for values in cursor.fetchall():
                        row = dict(zip(fields, values, strict=True))
                        found[(row["source_system"], row["external_id"])] = row
        elif by_source:
            condition = Q()
            for source, ids in by_source.items():
                condition |= Q(source_system=source, external_id__in=ids)
            for row in (
                Facility.objects.filter(condition)
                .exclude(external_id="")
                .order_by()
                .values(*fields)
            ):
                found[(row["source_system"], row["external_id"])] = row
        internal = [r for r in records if r.key[0] == INTERNAL_SOURCE]
        if internal:
            pks = [int(r.key[1]) for r in internal if r.key[1].isdigit()]
            rows = {row["id"]: row for row in Facility.objects.filter(pk__in=pks).values(*fields)}
            for r in internal:
                row = rows.get(int(r.key[1])) if r.key[1].isdigit() else None
                if row is None:
                    self.error(r.row, "external_id", codes.IMP_UNKNOWN_INTERNAL_ID, key=r.key[1])
                    self.invalid_keys.add(r.key)
                    continue
                # The record keeps its own key: Tuoyu-made facilities have none.
                r.values["source_system"], r.values["external_id"] = (
                    row["source_system"],
                    row["external_id"],
                )
                found[r.key] = row
        return found

    # -- classes and staff -------------------------------------------------------------

    def _resolve_keys(self, keys: set[tuple[str, str]]) -> None:
        """Look up facilities named only by class or staff rows (not in the file's facility rows)."""
        from tuoyu.facilities.models import Facility

        missing = [k for k in keys if k not in self.keys]
        external = [k for k in missing if k[0] != INTERNAL_SOURCE]
        for i in range(0, len(external), BATCH):
            condition = Q()
            for source, ext in external[i : i + BATCH]:
                condition |= Q(source_system=source, external_id=ext)
            rows = (
                Facility.objects.filter(condition)
                .exclude(external_id="")
                .values_list("id", "source_system", "external_id", "filing_status", "name")
            )
            for pk, source, ext, status, name in rows:
                self.keys[(source, ext)] = FacilityState(pk, status, name)
        pks = [int(k[1]) for k in missing if k[0] == INTERNAL_SOURCE and k[1].isdigit()]
        for pk, status, name in Facility.objects.filter(pk__in=pks).values_list(
            "id", "filing_status", "name"
        ):
            self.keys[(INTERNAL_SOURCE, str(pk))] = FacilityState(pk, status, name)
        if self.scope is not None:
            self._drop_out_of_scope([k for k in missing if k in self.keys])

    def _drop_out_of_scope(self, keys: list[tuple[str, str]]) -> None:
        """Move stored facilities the importing user may not change to ``out_of_scope``."""
        from tuoyu.facilities.models import Facility

        ids = {self.keys[k].id: k for k in keys}
        if not ids:
            return
        rows = list(Facility.objects.filter(pk__in=ids).values_list("id", "operator_id", "division_id"))
        sponsors: dict[int, set[int]] = {}
        through = Facility.sponsors.through.objects.filter(facility_id__in=ids)
        for fid, oid in through.values_list("facility_id", "organization_id"):
            sponsors.setdefault(fid, set()).add(oid)
        self.scope.load_divisions(row[2] for row in rows)
        for fid, operator_id, division_id in rows:
            if not self.scope.permits(
                operator_id=operator_id, sponsor_ids=sponsors.get(fid, ()), division_id=division_id
            ):
                key = ids[fid]
                self.out_of_scope[key] = self.keys.pop(key).name

    def _state(self, r) -> FacilityState | None:
        if r.key in self.out_of_scope:
            self.error(r.row, "external_id", codes.IMP_OUT_OF_SCOPE, name=self.out_of_scope[r.key])
            return None
        state = self.keys.get(r.key)
        if state is None and r.key not in self.invalid_keys:
            self.error(r.row, "external_id", codes.IMP_UNKNOWN_FACILITY, key=r.key[1])
        return state

    def _lock_error(self, row: int, state: FacilityState) -> None:
        from tuoyu.facilities.models import Facility

        with translation.override("zh-hans"):
            status = str(Facility(filing_status=state.status).get_filing_status_display())
        self.error(row, "external_id", codes.IMP_LOCKED, name=state.name, status=status)

    def write_classes(self, records: list[ClassRecord], *, write: bool) -> None:
        """Check and upsert classes, keyed by (facility, class name)."""
        from tuoyu.facilities.models import FacilityClass

        before = len(self.errors)
        self._resolve_keys({r.key for r in records})
        first_rows: dict[tuple, int] = {}
        keep: list[tuple[ClassRecord, FacilityState]] = []
        for r in records:
            state = self._state(r)
            if state is None:
                continue
            k = (r.key, r.name)
            if k in first_rows:
                self.error(
                    r.row,
                    "class_name",
                    codes.IMP_DUPLICATE_CHILD,
                    key=r.name,
                    first_row=first_rows[k],
                )
                continue
            first_rows[k] = r.row
            self.file_classes.add(k)
            keep.append((r, state))
        ids = sorted({s.id for _, s in keep if s.id is not None})
        existing: dict[tuple[int, str], tuple[int, str, int]] = {}
        for i in range(0, len(ids), BATCH):
            for pk, fid, name, ctype, cap in FacilityClass.objects.filter(
                facility_id__in=ids[i : i + BATCH]
            ).values_list("id", "facility_id", "name", "class_type", "capacity"):
                existing[(fid, name)] = (pk, ctype, cap)
                self.class_ids[(fid, name)] = pk
        to_create, to_update = [], []
        now = timezone.now()
        for r, state in keep:
            old = existing.get((state.id, r.name)) if state.id is not None else None
            if old is None:
                self.classes.created += 1
                if state.status in LOCKED_STATUSES:
                    self._lock_error(r.row, state)
                elif state.id is not None:
                    to_create.append(
                        {
                            "facility_id": state.id,
                            "name": r.name,
                            "class_type": r.class_type,
                            "capacity": r.capacity,
                        }
                    )
            elif (old[1], old[2]) == (r.class_type, r.capacity):
                self.classes.unchanged += 1
            elif state.status in LOCKED_STATUSES:
                self._lock_error(r.row, state)
            else:
                self.classes.updated += 1
                to_update.append(
                    FacilityClass(
                        id=old[0], class_type=r.class_type, capacity=r.capacity, updated_at=now
                    )
                )
        if not write or len(self.errors) != before:
            return
        for pk, row in zip(insert_rows(FacilityClass, to_create), to_create, strict=True):
            self.class_ids[(row["facility_id"], row["name"])] = pk
        FacilityClass.objects.bulk_update(
            to_update, ["class_type", "capacity", "updated_at"], batch_size=BATCH
        )

    def write_staff(self, records: list[StaffRecord], *, write: bool) -> None:
        """Check and upsert staff, keyed by (facility, 人员编号) or else (facility, 姓名)."""
        from tuoyu.facilities.models import StaffMember

        before = len(self.errors)
        self._resolve_keys({r.key for r in records})
        self._load_classes(
            sorted(
                {
                    s.id
                    for s in (self.keys.get(r.key) for r in records if r.class_name)
                    if s and s.id
                }
            )
        )
        first_rows: dict[tuple, int] = {}
        keep: list[tuple[StaffRecord, FacilityState]] = []
        for r in records:
            state = self._state(r)
            if state is None:
                continue
            ident = r.staff_id or r.name
            k = (r.key, bool(r.staff_id), ident)
            if k in first_rows:
                column = "staff_id" if r.staff_id else "staff_name"
                self.error(
                    r.row, column, codes.IMP_DUPLICATE_CHILD, key=ident, first_row=first_rows[k]
                )
                continue
            first_rows[k] = r.row
            if (
                r.class_name
                and (r.key, r.class_name) not in self.file_classes
                and (state.id is None or (state.id, r.class_name) not in self.class_ids)
            ):
                self.error(r.row, "class_name", codes.IMP_UNKNOWN_CLASS, name=r.class_name)
                continue
            keep.append((r, state))
        ids = sorted({s.id for _, s in keep if s.id is not None})
        by_ext: dict[tuple[int, str], dict] = {}
        by_name: dict[tuple[int, str], dict] = {}
        for i in range(0, len(ids), BATCH):
            for row in StaffMember.objects.filter(facility_id__in=ids[i : i + BATCH]).values(
                "id", "facility_id", "external_id", *STAFF_FIELDS
            ):
                if row["external_id"]:
                    by_ext[(row["facility_id"], row["external_id"])] = row
                else:
                    by_name.setdefault((row["facility_id"], row["name"]), row)
        to_create, to_update = [], []
        now = timezone.now()
        for r, state in keep:
            values = dict(
                r.values,
                name=r.name,
                assigned_class_id=(
                    self.class_ids.get((state.id, r.class_name))
                    if r.class_name and state.id
                    else None
                ),
            )
            old = None
            if state.id is not None:
                old = (
                    by_ext.get((state.id, r.staff_id))
                    if r.staff_id
                    else by_name.get((state.id, r.name))
                )
            if old is None:
                self.staff.created += 1
                if state.status in LOCKED_STATUSES:
                    self._lock_error(r.row, state)
                elif state.id is not None:
                    to_create.append(dict(values, facility_id=state.id, external_id=r.staff_id))
                continue
            changed = [f for f in STAFF_FIELDS if values[f] != old[f]]
            if not changed:
                self.staff.unchanged += 1
            elif state.status in LOCKED_STATUSES:
                self._lock_error(r.row, state)
            else:
                self.staff.updated += 1
                to_update.append(StaffMember(id=old["id"], updated_at=now, **values))
        if not write or len(self.errors) != before:
            return
        insert_rows(StaffMember, to_create)
        StaffMember.objects.bulk_update(to_update, [*STAFF_FIELDS, "updated_at"], batch_size=BATCH)

    def _load_classes(self, ids: list[int]) -> None:
        from tuoyu.facilities.models import FacilityClass

        for i in range(0, len(ids), BATCH):
            for pk, fid, name in FacilityClass.objects.filter(
                facility_id__in=ids[i : i + BATCH]
            ).values_list("id", "facility_id", "name"):
                self.class_ids[(fid, name)] = pk
