"""selectors.public_facility_values: the search page's plain rows agree with the facilities
of public_facility_rows (names, places, free places, fees, unfiled changes)."""

from __future__ import annotations

from tuoyu.disclosure import selectors
from tuoyu.facilities.models import Facility


def from_rows(ids):
    return [
        (f.pk, f.name, f.division.province_name, f.division.name, f.provision_model, f.places,
         f.free_places, f.lowest_fee, f.has_unfiled_changes)
        for f in selectors.public_facility_rows(ids)
    ]


def test_values_equal_the_rows_of_the_same_ids(register):
    ids = [register[k].pk for k in ("pudong", "union", "chaoyang", "zgc")]
    assert selectors.public_facility_values(ids) == from_rows(ids)


def test_values_show_unfiled_changes(register):
    Facility.objects.filter(pk=register["union"].pk).update(version=3, filed_version=2)
    (row,) = selectors.public_facility_values([register["union"].pk])
    assert row[-1] is True


def test_values_leave_out_facilities_not_on_the_register(register):
    ids = [register["draft"].pk, register["union"].pk]
    assert [row[0] for row in selectors.public_facility_values(ids)] == [register["union"].pk]
