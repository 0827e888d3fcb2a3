"""Capability-based permission predicates (权限判断) of the accounts app.

Roles come only from active memberships (:class:`~tuoyu.accounts.models.Membership`) in
active organisations; Django groups and ``is_superuser`` grant nothing here (the Django
admin site keeps its own staff flag). A role grants *capabilities* (能力), listed in
:data:`ROLE_CAPABILITIES`; predicates ask for capabilities, never for group names.

*Where* a capability applies is a separate question:

- officials (health, union, department officers, inspectors and platform admins) act within a
  **jurisdiction** (辖区): the division-code prefix of their organisation, 6 digits for a
  county, 4 for a prefecture, 2 for a province, ``''`` for the whole country
  (:func:`jurisdiction_prefixes`, :func:`in_jurisdiction`, :func:`jurisdiction_q`);
- employer administrators and facility operators act for **their organisations**
  (:func:`organizations_of`).

Anonymous users (and ``None``) have no role, no capability, no jurisdiction and no
organisation.

The capability table (who holds what):

============================  ==================================================================
capability                    meaning
============================  ==================================================================
``view_facility``             see facilities (own organisations' or those in the jurisdiction)
``edit_facility``             create and change facilities, classes, staff, enrolment, documents
``submit_filing``             submit a filing or a change filing (备案/变更备案)
``cancel_filing``             cancel a filing (注销备案)
``review_filing``             file or return a submitted filing (县级卫健部门, 登记和备案办法 Art. 7)
``view_filing_queue``         see the filing queue of the jurisdiction
``export_facilities``         export the facilities one may see (CSV/XLSX)
``view_personal_data``        read staff and enrolment records (logged as data access)
``view_audit``                read the audit trail (own jurisdiction; platform admin: all)
``manage_organizations``      create and change organisations
``manage_users``              create people and grant or withdraw memberships
``manage_reference``          maintain reference data (e.g. working-day calendar years)
``score_assignment``          score applications and evaluations assigned (专家, later modules)
``record_inspection``         record inspection findings (检查人员, later modules)
``manage_surveys``            run the organisation's staff demand surveys and plans (需求调查)
``view_demand``               see aggregate survey demand beside supply in the jurisdiction
============================  ==================================================================

=======================  ==========================================================================
role                     capabilities
=======================  ==========================================================================
employer_admin           view_facility, edit_facility, submit_filing, cancel_filing,
                         export_facilities, view_personal_data, manage_surveys
facility_operator        view_facility, edit_facility, submit_filing, cancel_filing,
                         export_facilities, view_personal_data
health_officer           view_facility, review_filing, view_filing_queue, export_facilities,
                         view_personal_data, view_audit, view_demand
union_officer            view_facility, export_facilities, view_audit, view_demand
department_officer       view_facility, export_facilities, view_audit
expert                   score_assignment
inspector                view_facility, record_inspection
platform_admin           view_facility, export_facilities, view_audit, manage_organizations,
                         manage_users, manage_reference
=======================  ==========================================================================

Holding ``review_filing`` does not by itself let a provincial officer decide a county's
filing: the facilities app adds the county-level rule. Memberships are cached on the user
object (one query per request, as ``request.user`` is built afresh for each request); the
services that change memberships clear the cache with :func:`clear_cache`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuoyu.accounts.choices import OrganizationKind, Role

# --- capabilities --------------------------------------------------------------------------

VIEW_FACILITY = "view_facility"
EDIT_FACILITY = "edit_facility"
SUBMIT_FILING = "submit_filing"
CANCEL_FILING = "cancel_filing"
REVIEW_FILING = "review_filing"
VIEW_FILING_QUEUE = "view_filing_queue"
EXPORT_FACILITIES = "export_facilities"
VIEW_PERSONAL_DATA = "view_personal_data"
VIEW_AUDIT = "view_audit"
MANAGE_ORGANIZATIONS = "manage_organizations"
MANAGE_USERS = "manage_users"
MANAGE_REFERENCE = "manage_reference"
SCORE_ASSIGNMENT = "score_assignment"
RECORD_INSPECTION = "record_inspection"
MANAGE_SURVEYS = "manage_surveys"
VIEW_DEMAND = "view_demand"

#: Every capability with a one-line description (shown on the account page).
CAPABILITIES: dict[str, str] = {
    VIEW_FACILITY: _("查看本单位或辖区内的托育机构"),
    EDIT_FACILITY: _("登记和修改托育机构及其班级、人员、在托幼儿和材料"),
    SUBMIT_FILING: _("提交备案或变更备案"),
    CANCEL_FILING: _("注销备案"),
    REVIEW_FILING: _("办理备案（予以备案或退回）"),
    VIEW_FILING_QUEUE: _("查看辖区内待办备案"),
    EXPORT_FACILITIES: _("导出可查看的托育机构"),
    VIEW_PERSONAL_DATA: _("查看工作人员和在托幼儿记录（每次查看均留痕）"),
    VIEW_AUDIT: _("查看辖区内的审计日志"),
    MANAGE_ORGANIZATIONS: _("新建和修改机构"),
    MANAGE_USERS: _("新建用户，授予或停用角色"),
    MANAGE_REFERENCE: _("维护参考数据（如工作日历年份）"),
    SCORE_ASSIGNMENT: _("为分配给本人的申报和评估评分"),
    RECORD_INSPECTION: _("记录检查结果"),
    MANAGE_SURVEYS: _("开展本单位职工托育需求调查并制定托位规划"),
    VIEW_DEMAND: _("查看辖区内汇总的托育需求与供给"),
}

_OWN_ORG_CAPABILITIES = frozenset(
    {
        VIEW_FACILITY,
        EDIT_FACILITY,
        SUBMIT_FILING,
        CANCEL_FILING,
        EXPORT_FACILITIES,
        VIEW_PERSONAL_DATA,
    }
)

#: Role → the capabilities it grants (see the module docstring for the table).
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.EMPLOYER_ADMIN: _OWN_ORG_CAPABILITIES | {MANAGE_SURVEYS},
    Role.FACILITY_OPERATOR: _OWN_ORG_CAPABILITIES,
    Role.HEALTH_OFFICER: frozenset(
        {
            VIEW_FACILITY,
            REVIEW_FILING,
            VIEW_FILING_QUEUE,
            EXPORT_FACILITIES,
            VIEW_PERSONAL_DATA,
            VIEW_AUDIT,
            VIEW_DEMAND,
        }
    ),
    Role.UNION_OFFICER: frozenset({VIEW_FACILITY, EXPORT_FACILITIES, VIEW_AUDIT, VIEW_DEMAND}),
    Role.DEPARTMENT_OFFICER: frozenset({VIEW_FACILITY, EXPORT_FACILITIES, VIEW_AUDIT}),
    Role.EXPERT: frozenset({SCORE_ASSIGNMENT}),
    Role.INSPECTOR: frozenset({VIEW_FACILITY, RECORD_INSPECTION}),
    Role.PLATFORM_ADMIN: frozenset(
        {
            VIEW_FACILITY,
            EXPORT_FACILITIES,
            VIEW_AUDIT,
            MANAGE_ORGANIZATIONS,
            MANAGE_USERS,
            MANAGE_REFERENCE,
        }
    ),
}

#: Roles that act within a jurisdiction (division-code prefix of their organisation).
#: An inspector (检查人员) belongs to an agency (health commission, department or union)
#: and inspects within that agency's jurisdiction; what they may do there is still only
#: what their capabilities grant (view facilities, record inspections).
OFFICIAL_ROLES: frozenset[str] = frozenset(
    {
        Role.HEALTH_OFFICER,
        Role.UNION_OFFICER,
        Role.DEPARTMENT_OFFICER,
        Role.INSPECTOR,
        Role.PLATFORM_ADMIN,
    }
)

#: Roles that act for their own organisation (an employer or a provider).
ORGANIZATION_ROLES: frozenset[str] = frozenset({Role.EMPLOYER_ADMIN, Role.FACILITY_OPERATOR})

#: Role → the organisation kinds a membership with that role may be held in.
ROLE_ORGANIZATION_KINDS: dict[str, frozenset[str]] = {
    Role.EMPLOYER_ADMIN: frozenset({OrganizationKind.EMPLOYER}),
    Role.FACILITY_OPERATOR: frozenset({OrganizationKind.PROVIDER, OrganizationKind.EMPLOYER}),
    Role.UNION_OFFICER: frozenset({OrganizationKind.UNION}),
    Role.HEALTH_OFFICER: frozenset({OrganizationKind.HEALTH}),
    Role.DEPARTMENT_OFFICER: frozenset({OrganizationKind.DEPARTMENT}),
    Role.EXPERT: frozenset({OrganizationKind.EXPERT_POOL}),
    Role.INSPECTOR: frozenset(
        {OrganizationKind.HEALTH, OrganizationKind.DEPARTMENT, OrganizationKind.UNION}
    ),
    Role.PLATFORM_ADMIN: frozenset({OrganizationKind.PLATFORM}),
}

_CACHE_ATTR = "_tuoyu_memberships"
# Bumped whenever a membership, organisation or user is saved or deleted in this process.
_generation = 0


def role_fits_kind(role: str, kind: str) -> bool:
    """True when a membership with ``role`` may be held in an organisation of ``kind``."""
    return kind in ROLE_ORGANIZATION_KINDS.get(role, frozenset())


def roles_with(capability: str) -> frozenset[str]:
    """The roles that grant ``capability`` (empty for an unknown capability)."""
    return frozenset(r for r, caps in ROLE_CAPABILITIES.items() if capability in caps)


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def memberships_of(user) -> list:
    """The active memberships of ``user`` in active organisations, organisation and division loaded.

    Returns a list of :class:`~tuoyu.accounts.models.Membership` ordered by organisation
    and role; ``[]`` for anonymous or inactive users. The list is cached on the user
    object, so a request costs one query however many predicates it asks. Saving or
    deleting any membership, organisation or user in this process invalidates every
    cached list (see :func:`invalidate_all`); bulk ``update()`` does not, so call
    :func:`clear_cache` after one.
    """
    if not _authenticated(user) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None or cached[0] != _generation:
        rows = list(
            user.memberships.filter(is_active=True, organization__is_active=True)
            .select_related("organization__division")
            .order_by("organization__name", "organization_id", "role")
        )
        cached = (_generation, rows)
        setattr(user, _CACHE_ATTR, cached)
    return cached[1]


def clear_cache(user) -> None:
    """Forget the memberships cached on ``user`` (after a membership changes)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def invalidate_all(**kwargs) -> None:
    """Make every membership list cached in this process stale.

    Connected (in the app config) to ``post_save``/``post_delete`` of Membership,
    Organization and User: a cache-invalidation chore, not domain flow.
    """
    global _generation
    _generation += 1


def _role_set(roles: Iterable[str] | str | None, default: frozenset[str]) -> frozenset[str]:
    if roles is None:
        return default
    if isinstance(roles, str):
        return frozenset({roles})
    return frozenset(roles)


def roles_of(user) -> frozenset[str]:
    """The roles ``user`` holds through active memberships (empty for anonymous users)."""
    return frozenset(m.role for m in memberships_of(user))


def has_role(user, role: str, *, organization=None) -> bool:
    """True when ``user`` holds ``role`` (in ``organization``, when given) through an active membership."""
    org_id = getattr(organization, "pk", organization)
    return any(
        m.role == role and (org_id is None or m.organization_id == org_id)
        for m in memberships_of(user)
    )


def capabilities_of(user) -> frozenset[str]:
    """Every capability ``user``'s roles grant (empty for anonymous users)."""
    caps: set[str] = set()
    for m in memberships_of(user):
        caps |= ROLE_CAPABILITIES.get(m.role, frozenset())
    return frozenset(caps)


def has_capability(user, capability: str) -> bool:
    """True when any of ``user``'s roles grants ``capability`` (see :data:`ROLE_CAPABILITIES`).

    Says nothing about *where*: combine with :func:`in_jurisdiction` or
    :func:`organizations_of` for an object.
    """
    return capability in capabilities_of(user)


def _minimal_prefixes(prefixes: Iterable[str]) -> list[str]:
    """Drop prefixes covered by a shorter one; sorted. ``['11', '110108', '31']`` → ``['11', '31']``."""
    result: list[str] = []
    for p in sorted(set(prefixes), key=lambda s: (len(s), s)):
        if not any(p.startswith(q) for q in result):
            result.append(p)
    return sorted(result)


def _select_roles(roles, capability, default):
    selected = _role_set(roles, default)
    if capability is not None:
        selected = selected & roles_with(capability)
    return selected


def jurisdiction_prefixes(user, roles=None, *, capability: str | None = None) -> list[str]:
    """Division-code prefixes ``user`` oversees as an official; ``''`` means the whole country.

    ``roles`` (a role or an iterable of roles) defaults to :data:`OFFICIAL_ROLES`; only
    those roles count, and employer/provider memberships never give a jurisdiction.
    ``capability`` further restricts to roles granting it. Each prefix comes from
    ``Organization.jurisdiction_prefix`` (6 digits county, 4 prefecture, 2 province, ''
    national); prefixes covered by a shorter one are dropped. Returns a sorted list, ``[]``
    when none (anonymous users included).
    """
    selected = _select_roles(roles, capability, OFFICIAL_ROLES)
    prefixes = [
        m.organization.jurisdiction_prefix
        for m in memberships_of(user)
        if m.role in selected
        and m.role in OFFICIAL_ROLES
        and m.organization.kind not in (OrganizationKind.EMPLOYER, OrganizationKind.PROVIDER)
    ]
    return _minimal_prefixes(prefixes)


def in_jurisdiction(user, division_code, roles=None, *, capability: str | None = None) -> bool:
    """True when the 6-digit ``division_code`` (str or Division) lies in ``user``'s jurisdiction.

    ``roles``/``capability`` as in :func:`jurisdiction_prefixes`.
    """
    code = getattr(division_code, "code", division_code) or ""
    return any(
        code.startswith(p) for p in jurisdiction_prefixes(user, roles, capability=capability)
    )


def organizations_of(user, roles=None, *, capability: str | None = None) -> list:
    """The active organisations ``user`` acts for, de-duplicated, in name order.

    ``roles`` (a role or an iterable of roles) defaults to :data:`ORGANIZATION_ROLES`
    (employer administrators and facility operators: the employers and providers they act
    for). Pass other roles to get e.g. the health commissions of a health officer.
    ``capability`` further restricts to roles granting it. ``[]`` for anonymous users.
    """
    selected = _select_roles(roles, capability, ORGANIZATION_ROLES)
    seen: dict[int, object] = {}
    for m in memberships_of(user):
        if m.role in selected and m.organization_id not in seen:
            seen[m.organization_id] = m.organization
    return list(seen.values())


#: A condition no row meets (Django answers it without a query when used alone).
NOTHING = Q(pk__in=[])
#: A condition every row meets. Unlike ``Q()``, it survives ``|`` with another Q.
EVERYTHING = Q(pk__isnull=False)


def jurisdiction_q(
    user, field: str = "division__code", roles=None, *, capability: str | None = None
) -> Q:
    """A Q restricting a queryset to rows whose ``field`` (a division code) is in ``user``'s jurisdiction.

    ``field`` is the lookup path of a 6-digit division code, e.g. ``"division__code"`` or
    ``"facility__division__code"``. ``roles``/``capability`` as in
    :func:`jurisdiction_prefixes`. National officials get :data:`EVERYTHING` (safe to
    combine with ``|``); users with no jurisdiction get :data:`NOTHING`.
    """
    prefixes = jurisdiction_prefixes(user, roles, capability=capability)
    if not prefixes:
        return NOTHING
    if "" in prefixes:
        return EVERYTHING
    q = Q(**{f"{field}__startswith": prefixes[0]})
    for p in prefixes[1:]:
        q |= Q(**{f"{field}__startswith": p})
    return q


def acting_as(user, *, organization=None, capability: str | None = None) -> tuple:
    """``(organization, role)`` ``user`` is taken to act as, for the audit trail.

    The membership chosen is the first (in :func:`memberships_of` order) that is in
    ``organization`` when given and grants ``capability`` when given. Returns
    ``(None, "")`` when none fits (anonymous user, system actor ``None``).
    """
    org_id = getattr(organization, "pk", organization)
    for m in memberships_of(user):
        if org_id is not None and m.organization_id != org_id:
            continue
        if capability is not None and capability not in ROLE_CAPABILITIES.get(m.role, ()):
            continue
        return m.organization, m.role
    return None, ""


def can_manage_organizations(user) -> bool:
    """True when ``user`` may create and change organisations (platform administrators)."""
    return has_capability(user, MANAGE_ORGANIZATIONS)


def can_manage_users(user) -> bool:
    """True when ``user`` may create people and grant or withdraw memberships."""
    return has_capability(user, MANAGE_USERS)


def can_export_facilities(user) -> bool:
    """True when ``user`` holds ``export_facilities`` (what is exported is still scoped to
    what they may see). Experts and inspectors do not."""
    return has_capability(user, EXPORT_FACILITIES)


def can_view_audit(user) -> bool:
    """True when ``user`` may read the audit trail (of their jurisdiction)."""
    return has_capability(user, VIEW_AUDIT) and bool(
        jurisdiction_prefixes(user, capability=VIEW_AUDIT)
    )
