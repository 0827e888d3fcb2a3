"""Loading the shipped rule table, and the generated docs/rules.md."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tuoyu.core.errors import DomainError
from tuoyu.standards.documentation import rules_markdown
from tuoyu.standards.loaders import load_rules, read_rules_file
from tuoyu.standards.models import Rule, RuleOverride

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def test_migration_loaded_every_rule_of_the_data_file():
    data = read_rules_file()
    assert Rule.objects.count() == len(data["rules"])
    assert RuleOverride.objects.count() == len(data["overrides"])


def test_loading_twice_changes_nothing():
    before = list(Rule.objects.values().order_by("pk"))
    result = load_rules(Rule, RuleOverride)
    assert (result.created, result.updated) == (0, 0)
    assert list(Rule.objects.values().order_by("pk")) == before


def test_load_restores_a_changed_verified_rule():
    Rule.objects.filter(code="STD-CAP-INFANT").update(
        parameters={"class_type": "infant", "max_children": 99}
    )
    result = load_rules(Rule, RuleOverride)
    assert result.updated == 1
    assert Rule.objects.get(code="STD-CAP-INFANT").parameters["max_children"] == 10


def test_load_keeps_the_configured_parameters_of_a_configurable_rule():
    Rule.objects.filter(code="STD-RATIO-MIXED").update(
        parameters={"class_type": "mixed", "children_per_carer": 6}
    )
    load_rules(Rule, RuleOverride)
    assert Rule.objects.get(code="STD-RATIO-MIXED").parameters["children_per_carer"] == 6


def test_load_with_reset_overwrites_configured_parameters():
    Rule.objects.filter(code="STD-RATIO-MIXED").update(
        parameters={"class_type": "mixed", "children_per_carer": 6}
    )
    load_rules(Rule, RuleOverride, reset_configured=True)
    assert Rule.objects.get(code="STD-RATIO-MIXED").parameters["children_per_carer"] == 5


def test_load_rules_command_reports_unchanged_rows():
    out = StringIO()
    call_command("load_rules", stdout=out)
    assert "created 0, updated 0" in out.getvalue()


def test_load_rules_command_rejects_a_file_with_a_bad_severity(tmp_path):
    data = json.loads((REPO / "src/tuoyu/standards/data/rules.json").read_text(encoding="utf-8"))
    data["rules"][0]["severity"] = "fatal"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_rules", file=str(path))


def test_duplicate_rule_version_in_the_file_is_invalid(tmp_path):
    data = json.loads((REPO / "src/tuoyu/standards/data/rules.json").read_text(encoding="utf-8"))
    data["rules"].append(data["rules"][0])
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DomainError) as exc:
        read_rules_file(path)
    assert exc.value.code == "STD-002"


def test_every_unverified_rule_is_configurable():
    assert not Rule.objects.filter(certainty="U", configurable=False).exists()


def test_committed_rules_doc_matches_the_table():
    assert (REPO / "docs/rules.md").read_text(encoding="utf-8") == rules_markdown()


def test_rules_doc_command_writes_the_markdown(tmp_path):
    out = tmp_path / "rules.md"
    call_command("rules_doc", output=str(out), stdout=StringIO())
    assert out.read_text(encoding="utf-8") == rules_markdown()


def test_rules_doc_lists_every_rule_and_override():
    text = rules_markdown()
    assert all(f"`{code}`" in text for code in Rule.objects.values_list("code", flat=True))
    assert "| `STD-AREA-OUTDOOR` | 330000 |" in text
