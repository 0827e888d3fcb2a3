"""The public page of rules in force, and the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tuoyu.audit.models import AuditEvent
from tuoyu.standards.models import Rule, RuleOverride

pytestmark = pytest.mark.django_db


def test_rule_list_is_public_and_lists_rules_in_force(client):
    response = client.get(reverse("standards:rule_list"), {"as_of": "2025-06-02"})
    assert response.status_code == 200
    assert "STD-CAP-INFANT" in response.content.decode()
    assert len(response.context["rules"]) == Rule.objects.count()


def test_rule_list_before_wst821_does_not_show_its_rules(client):
    response = client.get(reverse("standards:rule_list"), {"as_of": "2024-03-31"})
    assert "STD-FLOOR" not in response.content.decode()


def test_rule_list_for_a_province_shows_its_override_source(client):
    response = client.get(
        reverse("standards:rule_list"), {"as_of": "2025-06-02", "province": "330000"}
    )
    assert "浙江省2021年幼儿园托班指引" in response.content.decode()


def test_rule_list_with_an_invalid_date_falls_back_and_says_so(client):
    response = client.get(reverse("standards:rule_list"), {"as_of": "2025-13-40"})
    assert response.status_code == 200
    assert response.context["errors"] == ["as_of"]


def test_rule_list_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("standards:rule_list"))
    body = response.content.decode()
    assert "Infant class size limit" in body
    assert "Rules in force" in body


def test_rule_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get(reverse("standards:rule_list"), {"province": "330000"})


def test_admin_lists_rules_for_a_superuser(client):
    admin_user = UserFactory(username="admin-std", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert client.get(reverse("admin:standards_rule_changelist")).status_code == 200


def test_admin_override_save_is_audited(client):
    admin_user = UserFactory(username="admin-std", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:standards_ruleoverride_add"),
        {
            "rule_code": "STD-RATIO-MIXED",
            "province_code": "440000",
            "parameters": '{"children_per_carer": 6}',
            "severity": "",
            "source_document": "测试规定",
            "source_article": "",
            "effective_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    override = RuleOverride.objects.get(province_code="440000")
    assert AuditEvent.objects.filter(
        action="standards.override_save", object_id=str(override.pk)
    ).exists()


def test_admin_rejects_an_override_for_a_non_province_code(client):
    admin_user = UserFactory(username="admin-std", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    client.post(
        reverse("admin:standards_ruleoverride_add"),
        {
            "rule_code": "STD-RATIO-MIXED",
            "province_code": "440106",
            "parameters": "{}",
            "severity": "",
            "source_document": "测试规定",
            "source_article": "",
            "effective_from": "2025-01-01",
        },
    )
    assert not RuleOverride.objects.filter(province_code="440106").exists()
