"""How an audit event's before/after snapshots are shown to a reader (审计日志展示).

Snapshots hold every field of the changed row, including personal data (个人信息) of
staff and children. :data:`PERSONAL_FIELDS` declares, per model, the fields that are
personal; a reader sees their values only when they hold ``view_personal_data`` over the
event's jurisdiction (the division of the organisation the actor acted for; national
readers with the capability: every event). Others see "hidden". :data:`SECRET_FIELDS`
(password hashes) are hidden from everyone.

:func:`event_changes` turns one event into rows of (field label, before, after) — only
the fields that changed on an update — ready for a small table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from tuoyu.accounts.permissions import VIEW_PERSONAL_DATA, jurisdiction_prefixes

#: Model label → the fields of its snapshots that are personal data.
PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    "facilities.staffmember": frozenset(
        {
            "name",
            "qualification",
            "education",
            "years_experience",
            "health_certificate_expiry",
            "no_criminal_record",
            "start_date",
            "end_date",
            "external_id",
        }
    ),
    "facilities.enrolment": frozenset(
        {"child_ref", "birth_date", "enrolled_on", "left_on", "external_id"}
    ),
    "facilities.facility": frozenset({"contact_phone"}),
    "accounts.user": frozenset({"display_name", "first_name", "last_name", "email", "phone"}),
}
#: Fields never shown, whoever reads.
SECRET_FIELDS = frozenset({"password"})


@dataclass(frozen=True)
class Change:
    """One row of an event's change table: field label, value before and after (text)."""

    field: str
    label: str
    before: str
    after: str


class PersonalDataScope:
    """Whether a reader may see personal values in events of a given organisation division."""

    def __init__(self, reader) -> None:
        self.prefixes = jurisdiction_prefixes(reader, capability=VIEW_PERSONAL_DATA)

    def allows(self, event) -> bool:
        """True when the reader holds ``view_personal_data`` over ``event``'s jurisdiction."""
        if "" in self.prefixes:
            return True
        org = event.organization
        code = org.division.code if org is not None and org.division_id else ""
        return bool(code) and any(code.startswith(p) for p in self.prefixes)


def _label(model, name: str) -> str:
    """The verbose name of ``model``'s field ``name``; for a reverse relation (e.g. a
    facility's ``services``), which has none, its related model's plural name; else ``name``."""
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    label = getattr(field, "verbose_name", None)
    if label is None and field.related_model is not None:
        label = field.related_model._meta.verbose_name_plural
    return str(label) if label is not None else name


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def event_changes(event, *, may_see_personal_data: bool) -> list[Change]:
    """The rows of ``event``'s change table, personal fields hidden unless allowed.

    An update lists only the fields whose value changed; a creation (no ``before``) or a
    deletion (no ``after``) lists every field. Values are text (``—`` for empty, 是/否 for
    booleans, JSON for nested values); hidden values read ``（已隐去）``.
    """
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    try:
        model = apps.get_model(event.object_type) if "." in event.object_type else None
    except (LookupError, ValueError):
        model = None
    personal = PERSONAL_FIELDS.get(event.object_type, frozenset())
    hidden = _("（已隐去）")
    names = list(dict.fromkeys([*before, *after]))
    rows = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if before and after and old == new:
            continue
        if name in SECRET_FIELDS or (name in personal and not may_see_personal_data):
            old_text = hidden if name in before else ""
            new_text = hidden if name in after else ""
        else:
            old_text = _text(old) if name in before else ""
            new_text = _text(new) if name in after else ""
        rows.append(Change(name, _label(model, name), old_text, new_text))
    return rows
