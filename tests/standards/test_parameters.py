"""Rule parameters are checked against the declared schema: admin, model, loader, check."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory
from tests.standards.conftest import AS_OF
from tuoyu.core.errors import DomainError
from tuoyu.standards.checks import facility_check
from tuoyu.standards.loaders import RULES_FILE, read_rules_file
from tuoyu.standards.models import Rule, RuleOverride
from tuoyu.standards.parameters import parameter_errors
from tuoyu.standards.selectors import class_cap

pytestmark = pytest.mark.django_db


def cap_infant():
    return Rule.objects.get(code="STD-CAP-INFANT")


def test_every_shipped_rule_fits_its_schema():
    data = read_rules_file()
    assert [r["code"] for r in data["rules"] if parameter_errors(r["code"], r["parameters"])] == []


def test_a_text_where_a_number_is_required_is_a_parameter_error():
    rule = cap_infant()
    rule.parameters = {"class_type": "infant", "max_children": "abc"}
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "parameters" in exc.value.message_dict


def test_a_missing_required_parameter_is_a_parameter_error():
    rule = cap_infant()
    rule.parameters = {"class_type": "infant"}
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "max_children" in " ".join(exc.value.message_dict["parameters"])


def test_a_number_out_of_range_is_a_parameter_error():
    assert parameter_errors("STD-CAP-INFANT", {"class_type": "infant", "max_children": 0})


def test_an_override_may_set_only_some_parameters():
    override = RuleOverride(
        rule_code="STD-CAP-INFANT",
        province_code="110000",
        parameters={"max_children": 8},
        source_document="示例",
        effective_from=AS_OF,
    )
    override.full_clean()


def test_an_override_with_a_bad_parameter_is_rejected():
    override = RuleOverride(
        rule_code="STD-CAP-INFANT",
        province_code="110000",
        parameters={"max_children": "ten"},
        source_document="示例",
        effective_from=AS_OF,
    )
    with pytest.raises(ValidationError) as exc:
        override.full_clean()
    assert "parameters" in exc.value.message_dict


def test_admin_shows_a_field_error_and_keeps_the_rule(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    rule = cap_infant()
    url = reverse("admin:standards_rule_change", args=[rule.pk])
    form = {
        f.name: getattr(rule, f.attname)
        for f in Rule._meta.concrete_fields
        if f.name not in ("id", "parameters")
    }
    form = {k: ("" if v is None else ("on" if v is True else v)) for k, v in form.items() if v is not False}
    form["parameters"] = json.dumps({"class_type": "infant", "max_children": "abc"})
    response = client.post(url, form)
    assert response.status_code == 200
    assert "max_children: " in response.content.decode()
    assert cap_infant().parameters["max_children"] == 10


def test_loader_rejects_a_file_with_a_bad_parameter(tmp_path):
    raw = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    for row in raw["rules"]:
        if row["code"] == "STD-CAP-INFANT":
            row["parameters"]["max_children"] = "abc"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DomainError) as exc:
        read_rules_file(path)
    assert "STD-CAP-INFANT" in str(exc.value.message)


def test_check_names_a_rule_with_unusable_parameters_instead_of_failing(site):
    Rule.objects.filter(code="STD-CAP-INFANT").update(
        parameters={"class_type": "infant", "max_children": "abc"}
    )
    findings = facility_check(site.facility, as_of=AS_OF)
    broken = [f for f in findings if f.rule_code == "STD-CAP-INFANT"]
    assert len(broken) == 1
    assert "STD-CAP-INFANT" in broken[0].message


def test_class_cap_raises_a_domain_error_for_unusable_parameters():
    Rule.objects.filter(code="STD-CAP-INFANT").update(parameters={"class_type": "infant"})
    with pytest.raises(DomainError) as exc:
        class_cap("infant", as_of=AS_OF)
    assert exc.value.code == "STD-004"
