"""Writes of the accounts app (机构、人员、成员关系的写操作).

Every service takes keyword-only arguments and a required ``actor`` (a User, or ``None``
for the system itself, e.g. a command-line import), runs in one transaction, validates
with ``full_clean()`` and appends an audit event (:func:`tuoyu.audit.services.audit_record`)
in that same transaction. Rules broken raise :class:`~tuoyu.core.errors.DomainError` with
an ``ACC-0xx`` code (see :mod:`tuoyu.accounts.errors`), or the ``IDN``/``REF`` code of the
identifier or division check.

Services do not decide *who* may call them: views and the admin check
:func:`tuoyu.accounts.permissions.can_manage_organizations` /
:func:`~tuoyu.accounts.permissions.can_manage_users` first; imports run as the system.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from tuoyu.accounts import errors
from tuoyu.accounts.choices import AdminLevel, OrganizationKind, Role
from tuoyu.accounts.models import Membership, Organization, User
from tuoyu.accounts.permissions import (
    MANAGE_ORGANIZATIONS,
    MANAGE_USERS,
    acting_as,
    clear_cache,
    role_fits_kind,
)
from tuoyu.audit.services import audit_record, snapshot
from tuoyu.core.errors import DomainError
from tuoyu.core.identifiers import validate_credit_code
from tuoyu.core.text import normalize_search
from tuoyu.reference.choices import DivisionLevel, DivisionStatus
from tuoyu.reference.models import Division, Industry
from tuoyu.reference.selectors import division_get_active

#: Kinds that must have a level (工会、卫健委、其他部门 are organised by administrative level).
LEVELLED_KINDS = frozenset(
    {OrganizationKind.UNION, OrganizationKind.HEALTH, OrganizationKind.DEPARTMENT}
)
#: Kinds that never have a level (they oversee nothing but themselves).
UNLEVELLED_KINDS = frozenset({OrganizationKind.EMPLOYER, OrganizationKind.PROVIDER})

#: Higher levels have smaller ranks.
LEVEL_RANK = {
    AdminLevel.NATIONAL: 0,
    AdminLevel.PROVINCIAL: 1,
    AdminLevel.PREFECTURE: 2,
    AdminLevel.COUNTY: 3,
    AdminLevel.GRASSROOTS: 4,
}

#: The division level an organisation of a given administrative level sits in (national: any).
LEVEL_DIVISION = {
    AdminLevel.PROVINCIAL: DivisionLevel.PROVINCE,
    AdminLevel.PREFECTURE: DivisionLevel.PREFECTURE,
    AdminLevel.COUNTY: DivisionLevel.COUNTY,
    AdminLevel.GRASSROOTS: DivisionLevel.COUNTY,
}

#: Fields besides kind, name, division and credit code that organisation services accept.
ORGANIZATION_FIELDS = frozenset(
    {
        "level",
        "parent",
        "department_type",
        "industry",
        "ownership_type",
        "headcount",
        "address",
        "is_active",
        "source_system",
        "external_id",
    }
)

#: Fields kept by the database or derived from others: saved, not audited as changes.
DERIVED_FIELDS = frozenset({"created_at", "updated_at", "name_search"})

#: Fields of a person that user services accept besides username and password.
USER_FIELDS = frozenset({"phone", "email", "is_staff", "is_superuser"})

#: Fields of a person recorded in the audit trail (never the password hash).
USER_AUDIT_FIELDS = [
    "username",
    "display_name",
    "phone",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
]


# --- helpers ------------------------------------------------------------------------------


def _audit(*, actor, action: str, obj, before, after, capability: str) -> None:
    """Append the audit event, naming the organisation and role ``actor`` acted as."""
    organization, role = acting_as(actor, capability=capability)
    if organization is None:
        organization, role = acting_as(actor)
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        organization=organization,
        role=role,
    )


def _full_clean(obj, *, exclude: list[str] | None = None) -> None:
    """Run ``full_clean()``; turn a ValidationError into DomainError ACC-016."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "message_dict"):
            field = next(iter(exc.message_dict), None)
            detail = "; ".join(
                f"{name}: {' '.join(str(m) for m in msgs)}"
                for name, msgs in exc.message_dict.items()
            )
        else:
            field = None
            detail = " ".join(str(m) for m in exc.messages)
        raise DomainError(errors.ACC_INVALID, {"detail": detail}, field=field) from exc


def division_for(code, *, field: str = "division_code") -> Division:
    """The Division row in use for ``code`` (a 6-digit string, full-width allowed, or a Division).

    Raises DomainError IDN-005 (malformed), REF-001 (unknown), REF-002/REF-003 (retired;
    the message names the successor) from
    :func:`tuoyu.reference.selectors.division_get_active`, or ACC-001 for a Division row
    that is not in use.
    """
    if isinstance(code, Division):
        if code.status != DivisionStatus.ACTIVE:
            raise DomainError(errors.ACC_DIVISION_INACTIVE, {"code": code.code}, field=field)
        return code
    try:
        return division_get_active(code)
    except DomainError as exc:
        exc.field = field  # name the caller's argument
        raise


def _industry(value) -> Industry | None:
    if value in (None, ""):
        return None
    if isinstance(value, Industry):
        return value
    code = str(value).strip().upper()
    row = Industry.objects.filter(code=code).first()
    if row is None:
        raise DomainError(errors.ACC_INDUSTRY_UNKNOWN, {"code": code}, field="industry")
    return row


def _kind_label(kind: str) -> str:
    try:
        return str(OrganizationKind(kind).label)
    except ValueError:
        return kind


def _level_label(level: str) -> str:
    try:
        return str(AdminLevel(level).label)
    except ValueError:
        return level


def _municipal_city_level(org: Organization) -> bool:
    """True for a prefecture-level organisation placed in a district of a municipality.

    Municipalities (直辖市: 北京, 天津, 上海, 重庆) have no prefecture-level division, yet the
    designation chain has a city step there, taken by a prefecture-level union whose
    prefix (4 digits, e.g. 1101) covers the districts (ADR 0064 §1); such an
    organisation sits in one of those districts.
    """
    division = org.division
    return (org.level == AdminLevel.PREFECTURE and division.level == DivisionLevel.COUNTY
            and division.prefecture_name == "直辖")


def organization_validate(organization: Organization) -> None:
    """Check the cross-field rules of an (unsaved or changed) organisation.

    Rules: a name is required (ACC-020); an employer has a credit code (ACC-002), valid
    (IDN-00x) and not used by another organisation (ACC-003); unions, health commissions
    and departments have a level (ACC-004), employers and providers have none (ACC-005); a
    provincial/prefecture/county/grassroots organisation sits in a province/prefecture/
    county division (ACC-006); a parent, where given, is of the same kind (ACC-007), at a
    higher level (ACC-008), and its jurisdiction covers this organisation's division
    (ACC-009). Normalises ``credit_code`` (NFKC, upper case; blank → None) and
    ``name_search`` in place. Field-level checks are left to ``full_clean()``.
    """
    org = organization
    org.name = (org.name or "").strip()
    if not org.name:
        raise DomainError(errors.ACC_NAME_REQUIRED, field="name")
    org.name_search = normalize_search(org.name)

    if org.credit_code in (None, ""):
        org.credit_code = None
        if org.kind == OrganizationKind.EMPLOYER:
            raise DomainError(errors.ACC_CREDIT_CODE_REQUIRED, field="credit_code")
    else:
        org.credit_code = validate_credit_code(org.credit_code, field="credit_code")
        other = Organization.objects.filter(credit_code=org.credit_code).exclude(pk=org.pk).first()
        if other is not None:
            raise DomainError(
                errors.ACC_CREDIT_CODE_TAKEN,
                {"code": org.credit_code, "name": other.name},
                field="credit_code",
            )

    kind_label = _kind_label(org.kind)
    if org.kind in LEVELLED_KINDS and not org.level:
        raise DomainError(errors.ACC_LEVEL_REQUIRED, {"kind": kind_label}, field="level")
    if org.kind in UNLEVELLED_KINDS and org.level:
        raise DomainError(errors.ACC_LEVEL_NOT_ALLOWED, {"kind": kind_label}, field="level")

    division = org.division
    wanted = LEVEL_DIVISION.get(org.level)
    if wanted is not None and division.level != wanted and not _municipal_city_level(org):
        raise DomainError(
            errors.ACC_LEVEL_DIVISION_MISMATCH,
            {
                "level": _level_label(org.level),
                "division_level": str(DivisionLevel(wanted).label),
                "division": str(division),
            },
            field="division_code",
        )

    parent = org.parent
    if parent is not None:
        if org.pk is not None and parent.pk == org.pk:
            raise DomainError(errors.ACC_PARENT_LEVEL, {"parent": parent.name}, field="parent")
        if parent.kind != org.kind:
            raise DomainError(errors.ACC_PARENT_KIND, {"parent": parent.name}, field="parent")
        if org.kind in LEVELLED_KINDS or (org.level and parent.level):
            child_rank = LEVEL_RANK.get(org.level)
            parent_rank = LEVEL_RANK.get(parent.level)
            if child_rank is None or parent_rank is None or parent_rank >= child_rank:
                raise DomainError(errors.ACC_PARENT_LEVEL, {"parent": parent.name}, field="parent")
            if not division.code.startswith(parent.jurisdiction_prefix):
                raise DomainError(
                    errors.ACC_PARENT_JURISDICTION, {"parent": parent.name}, field="parent"
                )


def _apply_organization_fields(org: Organization, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in ORGANIZATION_FIELDS:
            raise DomainError(errors.ACC_UNKNOWN_FIELD, {"name": name}, field=name)
        if name == "industry":
            value = _industry(value)
        elif name in ("level", "department_type", "ownership_type", "address") and value is None:
            value = ""
        setattr(org, name, value)


# --- organisations ------------------------------------------------------------------------


@transaction.atomic
def organization_create(
    *,
    actor,
    kind: str,
    name: str,
    division_code,
    credit_code: str | None = None,
    **fields: Any,
) -> Organization:
    """Create an organisation (机构) of ``kind`` named ``name`` in division ``division_code``.

    ``division_code``: 6-digit GB/T 2260 code in use (full-width accepted) or a Division.
    ``credit_code``: unified social credit code (统一社会信用代码), required for employers,
    normalised and checked (GB 32100-2015). ``fields``: any of :data:`ORGANIZATION_FIELDS`
    (``level``, ``parent`` (Organization), ``department_type``, ``industry`` (Industry or
    its code, e.g. ``"65"``), ``ownership_type``, ``headcount`` (persons), ``address``,
    ``is_active``, ``source_system``, ``external_id``).

    Returns the saved Organization; appends audit event ``organization.create``.
    Raises DomainError: IDN-005/REF-001/REF-002/REF-003 (division), IDN-00x (credit code), ACC-002
    … ACC-009 (see :func:`organization_validate`), ACC-015 (industry), ACC-016 (other
    field errors), ACC-017 (unknown field).
    """
    org = Organization(kind=kind, name=name, credit_code=credit_code)
    org.division = division_for(division_code)
    _apply_organization_fields(org, fields)
    organization_validate(org)
    _full_clean(org)
    org.save()
    _audit(
        actor=actor,
        action="organization.create",
        obj=org,
        before=None,
        after=snapshot(org),
        capability=MANAGE_ORGANIZATIONS,
    )
    return org


@transaction.atomic
def organization_update(*, actor, organization: Organization, **fields: Any) -> Organization:
    """Change ``organization``: any of ``name``, ``kind``, ``credit_code``, ``division_code`` and
    :data:`ORGANIZATION_FIELDS`, with the same rules as :func:`organization_create`.

    The row is locked for the change. Returns the updated Organization; appends audit
    event ``organization.update`` with the changed fields before and after (none when
    nothing changed). Raises the DomainErrors of :func:`organization_create`, and ACC-010
    when a new ``kind`` no longer fits the role of an active membership.
    """
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(org)
    fields = dict(fields)
    if "name" in fields:
        org.name = fields.pop("name")
    if "kind" in fields:
        org.kind = fields.pop("kind")
    if "credit_code" in fields:
        org.credit_code = fields.pop("credit_code")
    if "division_code" in fields:
        org.division = division_for(fields.pop("division_code"))
    _apply_organization_fields(org, fields)
    organization_validate(org)
    _full_clean(org)
    if org.kind != before["kind"]:
        for membership in org.memberships.filter(is_active=True):
            if not role_fits_kind(membership.role, org.kind):
                raise DomainError(
                    errors.ACC_ROLE_KIND,
                    {"role": str(Role(membership.role).label), "kind": _kind_label(org.kind)},
                    field="kind",
                )
    after = snapshot(org)
    changed = [k for k in after if k not in DERIVED_FIELDS and after[k] != before.get(k)]
    if changed or after["name_search"] != before["name_search"]:
        org.save()
    if changed:
        _audit(
            actor=actor,
            action="organization.update",
            obj=org,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            capability=MANAGE_ORGANIZATIONS,
        )
    if organization is not org:
        organization.refresh_from_db()
    return org


# --- people -------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str | None,
    display_name: str = "",
    **fields: Any,
) -> User:
    """Create a person who signs in (用户).

    ``username``: unique regardless of case (ACC-012). ``password``: checked against
    ``AUTH_PASSWORD_VALIDATORS`` (ACC-013); ``None`` gives an unusable password (the
    person cannot sign in until one is set). ``fields``: ``phone``, ``email``, ``is_staff``
    and ``is_superuser`` (Django admin site access only: domain roles come only from
    memberships, :func:`membership_add`). Returns the saved User; appends audit
    event ``user.create`` (never with the password).
    """
    unknown = set(fields) - USER_FIELDS
    if unknown:
        name = sorted(unknown)[0]
        raise DomainError(errors.ACC_UNKNOWN_FIELD, {"name": name}, field=name)
    username = User.normalize_username((username or "").strip())
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(errors.ACC_USERNAME_TAKEN, {"username": username}, field="username")
    user = User(username=username, display_name=(display_name or "").strip(), **fields)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(
                errors.ACC_PASSWORD_REJECTED, {"detail": " ".join(exc.messages)}, field="password"
            ) from exc
        user.set_password(password)
    _full_clean(user)
    user.save()
    _audit(
        actor=actor,
        action="user.create",
        obj=user,
        before=None,
        after=snapshot(user, USER_AUDIT_FIELDS),
        capability=MANAGE_USERS,
    )
    return user


# --- memberships --------------------------------------------------------------------------


@transaction.atomic
def membership_add(*, actor, user: User, organization: Organization, role: str) -> Membership:
    """Give ``user`` the ``role`` in ``organization`` (成员关系).

    The role must fit the organisation's kind (ACC-010; see
    :data:`tuoyu.accounts.permissions.ROLE_ORGANIZATION_KINDS`: employer_admin only in an
    employer, facility_operator in a provider or an employer, union_officer in a union,
    health_officer in a health commission, department_officer in a department,
    expert in an expert pool, inspector in a health commission, department or union,
    platform_admin in the platform). The organisation and the user must be active
    (ACC-014, ACC-021). An inactive membership with the same role is reactivated; an
    active one raises ACC-011. Returns the Membership; appends audit event
    ``membership.add``.
    """
    if role not in Role.values:
        raise DomainError(errors.ACC_INVALID, {"detail": f"role {role!r}"}, field="role")
    if not role_fits_kind(role, organization.kind):
        raise DomainError(
            errors.ACC_ROLE_KIND,
            {"role": str(Role(role).label), "kind": _kind_label(organization.kind)},
            field="role",
        )
    if not organization.is_active:
        raise DomainError(
            errors.ACC_ORGANIZATION_INACTIVE,
            {"organization": organization.name},
            field="organization",
        )
    if not user.is_active:
        raise DomainError(errors.ACC_USER_INACTIVE, {"user": str(user)}, field="user")

    existing = (
        Membership.objects.select_for_update()
        .filter(user=user, organization=organization, role=role)
        .first()
    )
    if existing is not None and existing.is_active:
        raise DomainError(
            errors.ACC_MEMBERSHIP_EXISTS,
            {"user": str(user), "organization": organization.name},
            field="role",
        )
    if existing is not None:
        before = snapshot(existing, ["is_active"])
        existing.is_active = True
        _full_clean(existing)
        existing.save()
        membership = existing
    else:
        before = None
        membership = Membership(user=user, organization=organization, role=role)
        _full_clean(membership)
        membership.save()
    clear_cache(user)
    _audit(
        actor=actor,
        action="membership.add",
        obj=membership,
        before=before,
        after=snapshot(membership, ["user", "organization", "role", "is_active"]),
        capability=MANAGE_USERS,
    )
    return membership


@transaction.atomic
def membership_deactivate(*, actor, membership: Membership) -> Membership:
    """Withdraw a membership (停用): the person loses the role and what it grants.

    Rows are kept (never deleted) so the audit trail keeps its meaning. Raises ACC-018 if
    already inactive. Returns the Membership; appends audit event ``membership.deactivate``.
    """
    row = Membership.objects.select_for_update().get(pk=membership.pk)
    if not row.is_active:
        raise DomainError(errors.ACC_MEMBERSHIP_INACTIVE, field="membership")
    row.is_active = False
    row.save(update_fields=["is_active", "updated_at"])
    membership.is_active = False
    clear_cache(membership.user)
    _audit(
        actor=actor,
        action="membership.deactivate",
        obj=row,
        before={"is_active": True},
        after={"is_active": False},
        capability=MANAGE_USERS,
    )
    return row
