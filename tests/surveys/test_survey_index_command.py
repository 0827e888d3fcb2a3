"""``tuoyu survey`` alone lists the survey subcommands."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_survey_command_lists_the_project_subcommand():
    out = StringIO()
    call_command("survey", stdout=out)
    assert "survey project" in out.getvalue()


def test_two_word_survey_project_still_resolves_to_its_command():
    from tuoyu.cli import _resolve

    assert _resolve(["tuoyu", "survey", "project", "3"]) == ["tuoyu", "survey_project", "3"]
