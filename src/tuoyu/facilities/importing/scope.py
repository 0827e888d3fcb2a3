"""Which facilities an importing user may create or change (导入权限范围).

An import run with a user (``tuoyu import facilities F --user U``) may only touch what
that user could change by hand: facilities their organisation operates or sponsors
(employer administrators, facility operators), or, for officials, facilities whose
division lies in their jurisdiction. Rows outside get the row error ``IMP-032`` and, as
with every row error, nothing is written. An import without a user (an operator's
command) is not limited.
"""

from __future__ import annotations

from collections.abc import Iterable


class ActorScope:
    """The organisations and jurisdiction of one importing user.

    :meth:`permits` answers for one facility state (operator id, sponsor ids, division
    id); division codes are looked up in bulk with :meth:`load_divisions` first.
    """

    def __init__(self, actor) -> None:
        from tuoyu.accounts.permissions import jurisdiction_prefixes
        from tuoyu.facilities.permissions import own_organization_ids

        self.own: set[int] = own_organization_ids(actor)
        self.prefixes: list[str] = jurisdiction_prefixes(actor)
        self._codes: dict[int, str] = {}

    def load_divisions(self, ids: Iterable[int | None]) -> None:
        """Read the codes of the divisions ``ids`` not yet known (one query)."""
        from tuoyu.reference.models import Division

        missing = {i for i in ids if i is not None and i not in self._codes}
        if missing:
            self._codes.update(Division.objects.filter(pk__in=missing).values_list("id", "code"))

    def permits(
        self, *, operator_id: int | None, sponsor_ids: Iterable[int | None], division_id
    ) -> bool:
        """True when the user acts for the operator or a sponsor, or oversees the division."""
        orgs = {operator_id, *sponsor_ids} - {None}
        if orgs & self.own:
            return True
        code = self._codes.get(division_id, "")
        return bool(code) and any(code.startswith(p) for p in self.prefixes)
