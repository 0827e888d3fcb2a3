"""A child reference (婴幼儿编号) is opaque: no names, no ID numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tuoyu.core.identifiers import validate_child_ref


@pytest.mark.parametrize("ref", ["C00001", "2024-a_17", "x" * 40])
def test_opaque_refs_are_accepted(ref):
    validate_child_ref(ref)


@pytest.mark.parametrize("ref", ["张三", "张三 110101202401011234", "C 1", "", "x" * 41, "a/b"])
def test_names_spaces_and_other_characters_are_refused(ref):
    with pytest.raises(ValidationError):
        validate_child_ref(ref)


@pytest.mark.parametrize("ref", ["110101202401011234", "11010120240101123X", "C110101240101123"])
def test_id_numbers_are_refused(ref):
    with pytest.raises(ValidationError) as exc:
        validate_child_ref(ref)
    assert exc.value.code == "child_ref_id_number"
