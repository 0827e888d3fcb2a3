"""The rules page in English: no Chinese annotations, parameters shown readably."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_page(client):
    client.cookies["django_language"] = "en"
    return client.get(reverse("standards:rule_list")).content.decode()


def test_sources_carry_no_chinese_annotation(english_page):
    assert "未核实" not in english_page and "未规定" not in english_page


def test_director_rule_description_is_english_only(english_page):
    row = re.search(r'<tr id="STD-QUAL-DIRECTOR">.*?</tr>', english_page, re.S).group(0)
    assert "大专" not in row


def test_parameters_are_labelled_not_raw_python(english_page):
    row = re.search(r'<tr id="STD-STAFF-COOK">.*?</tr>', english_page, re.S).group(0)
    assert "[&#x27;full_day&#x27;]" not in row and "['full_day']" not in row
    assert "Full-day" in row or "full-day" in row.lower()


def test_unset_parameter_reads_not_checked(english_page):
    row = re.search(r'<tr id="STD-AREA-BUILDING">.*?</tr>', english_page, re.S).group(0)
    assert "None" not in row
