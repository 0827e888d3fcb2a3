"""Output serializer of the alerts API (预警). Read-only: there is no input serializer.

Whitelists what the alert pages show a health officer: the rule, the facility, the
sentence and the figures behind it, the status and its dates, and the acknowledgement's
time and note — not the officer who acknowledged it (ADR 0096).
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from tuoyu.monitoring.models import Alert
from tuoyu.monitoring.rules import RULES_BY_CODE, alert_message
from tuoyu.supervision.api.serializers import FacilityFields


class AlertOutputSerializer(FacilityFields, serializers.ModelSerializer):
    """An alert (预警) about one facility.

    ``rule_code`` (``MON-001`` …) and ``rule_title`` name the rule (see the rules page);
    ``subject_key`` what within the facility it is about (``staff:12``, ``order:7``,
    ``year:2025``; '' for the facility as a whole); ``message`` the page's sentence in the
    request's language and ``details`` the figures behind it. ``raised_on``: the local date
    of the run that first found the condition; ``last_seen_on``: the last run that still
    found it; ``resolved_on``: the run that found it gone (null while open or
    acknowledged).
    """

    rule_title = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    details = serializers.DictField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = (
            "id", "rule_code", "rule_title", "facility", "facility_name", "division_code",
            "division_name", "subject_key", "message", "details", "status", "raised_on",
            "last_seen_on", "resolved_on", "acknowledged_at", "acknowledgement_note", "page_url",
        )

    def get_rule_title(self, obj) -> str:
        """The rule's title in the request's language ('' for a rule no longer known)."""
        rule = RULES_BY_CODE.get(obj.rule_code)
        return str(rule.title) if rule else ""

    def get_message(self, obj) -> str:
        """:func:`~tuoyu.monitoring.rules.alert_message`: the sentence the pages show."""
        return alert_message(obj)

    def get_page_url(self, obj) -> str:
        """Path of the alert's page."""
        return reverse("monitoring:alert_detail", args=[obj.pk])
