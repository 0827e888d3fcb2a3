"""Reads of the accounts app (查询), already scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tuoyu.accounts.models import Organization
from tuoyu.accounts.permissions import (
    CAPABILITIES,
    capabilities_of,
    jurisdiction_prefixes,
    jurisdiction_q,
    memberships_of,
)
from tuoyu.reference.choices import DivisionStatus
from tuoyu.reference.models import Division


def jurisdiction_label(prefix: str) -> str:
    """A readable name for a division-code prefix: ``''`` → 全国, ``'11'`` → 北京市,
    ``'1101'``/``'4401'`` → the prefecture, ``'110108'`` → 北京市 海淀区.

    Falls back to the prefix itself when no division in use matches.
    """
    if not prefix:
        return _("全国")
    code = prefix.ljust(6, "0")
    row = (
        Division.objects.filter(code=code, status=DivisionStatus.ACTIVE)
        .only("name", "province_name", "prefecture_name")
        .first()
    )
    if row is None:
        return prefix
    parts = [row.province_name, row.prefecture_name, row.name] if len(prefix) == 6 else [row.name]
    seen: list[str] = []
    for part in parts:
        # Municipalities and directly administered counties carry "直辖" as prefecture.
        if part and part not in seen and "直辖" not in part:
            seen.append(part)
    return " ".join(seen)


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction (辖区) shown to a user: its prefix and its readable name."""

    prefix: str
    label: str


@dataclass(frozen=True)
class AccountSummary:
    """What the account page shows: memberships, jurisdictions and capabilities (code, description)."""

    memberships: list
    jurisdictions: list[Jurisdiction]
    capabilities: list[tuple[str, str]]


def account_summary(user) -> AccountSummary:
    """The account page's content for ``user`` (their own memberships only)."""
    return AccountSummary(
        memberships=memberships_of(user),
        jurisdictions=[Jurisdiction(p, jurisdiction_label(p)) for p in jurisdiction_prefixes(user)],
        capabilities=[
            (code, str(CAPABILITIES.get(code, code))) for code in sorted(capabilities_of(user))
        ],
    )


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Organisations ``user`` may see: those in their jurisdiction plus their own (employers, providers).

    Anonymous users see none.
    """
    own = [m.organization_id for m in memberships_of(user)]
    return Organization.objects.filter(jurisdiction_q(user) | Q(pk__in=own))
