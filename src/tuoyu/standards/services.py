"""Writes to the rule table made by people (through the admin), each audited.

The shipped table is loaded by ``tuoyu load_rules``; these services are for an
administrator who configures an unverified (U) rule or records a provincial override.
"""

from __future__ import annotations

from django.db import transaction

from tuoyu.audit.services import audit_record, snapshot
from tuoyu.standards.models import Rule, RuleOverride


@transaction.atomic
def rule_save(*, actor, rule: Rule) -> Rule:
    """Validate and save one rule version (new or changed); audit ``standards.rule_save``.

    Raises ``django.core.exceptions.ValidationError`` when the row is invalid.
    """
    before = snapshot(Rule.objects.get(pk=rule.pk)) if rule.pk else None
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor, action="standards.rule_save", obj=rule, before=before, after=snapshot(rule)
    )
    return rule


@transaction.atomic
def rule_override_save(*, actor, override: RuleOverride) -> RuleOverride:
    """Validate and save one provincial override; audit ``standards.override_save``.

    Raises ``django.core.exceptions.ValidationError`` when the row is invalid.
    """
    before = snapshot(RuleOverride.objects.get(pk=override.pk)) if override.pk else None
    override.full_clean()
    override.save()
    audit_record(
        actor=actor,
        action="standards.override_save",
        obj=override,
        before=before,
        after=snapshot(override),
    )
    return override


@transaction.atomic
def rule_override_delete(*, actor, override: RuleOverride) -> None:
    """Delete one provincial override; audit ``standards.override_delete`` with its last state."""
    before = snapshot(override)
    audit_record(actor=actor, action="standards.override_delete", obj=override, before=before)
    override.delete()
