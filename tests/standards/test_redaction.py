"""Findings about a child show its reference only to readers who may see personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.standards.conftest import AS_OF
from tests.standards.test_checks import add_child
from tuoyu.standards.checks import facility_check, redact_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def band_findings(site):
    child = add_child(site, "infant", birth=dt.date(2023, 1, 1))  # far too old for 乳儿班
    findings = [f for f in facility_check(site.facility, as_of=AS_OF) if f.subject_type == "child"]
    assert findings
    return child.child_ref, findings


def test_child_ref_is_hidden_from_readers_without_personal_data(band_findings):
    ref, findings = band_findings
    shown = redact_children(findings, may_see_personal_data=False)
    assert all(ref not in f.message and ref not in f.subject and f.subject_id is None for f in shown)


def test_child_ref_is_kept_for_readers_with_personal_data(band_findings):
    ref, findings = band_findings
    shown = redact_children(findings, may_see_personal_data=True)
    assert all(ref in f.message for f in shown)
