"""The platform starts: reference data is loaded by migration and personas can be built."""

from tests.conftest import org_of
from tuoyu.reference.models import Division, Industry


def test_reference_divisions_are_loaded_by_migration(db):
    assert Division.objects.filter(code="110108", status="active").exists()


def test_reference_industries_include_childcare_class(db):
    assert Industry.objects.get(code="8020").parent_id == "802"


def test_persona_has_organisation_in_its_division(alice):
    assert org_of(alice).division.code == "110108"
