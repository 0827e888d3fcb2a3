"""Division codes (GB/T 2260): active, renamed, reused, retired with successors, unknown."""

from __future__ import annotations

import csv

import pytest
from django.utils import translation

from tuoyu.core.errors import DomainError
from tuoyu.reference.loaders import DATA_DIR
from tuoyu.reference.selectors import (
    active_division_ids,
    division_children,
    division_get_active,
    division_resolve,
    divisions_in,
    organization_category_for,
    province_code_of,
    provinces,
)


def _file_rows() -> list[dict[str, str]]:
    with open(DATA_DIR / "areacodes-history.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_active_code_returns_its_row_in_use(db):
    row = division_get_active("110108")
    assert (row.code, row.name, row.status) == ("110108", "海淀区", "active")


def test_active_code_in_full_width_digits_is_accepted(db):
    assert division_get_active("１１０ １０８").code == "110108"


def test_active_code_costs_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        division_get_active("310115")


def test_active_division_ids_cover_the_active_set(db):
    ids = active_division_ids()
    assert ids["110108"] == division_get_active("110108").pk
    assert "370284" not in ids
    assert len(ids) == sum(1 for r in _file_rows() if r["状态"] == "在用")


def test_retired_jiaonan_is_recognised_and_huangdao_suggested(db):
    with pytest.raises(DomainError) as exc:
        division_get_active("370284")
    assert exc.value.code == "REF-002"
    assert exc.value.details == {"successors": ["370211"]}
    assert "胶南市" in exc.value.message
    assert "370211 黄岛区" in exc.value.message
    assert "2012" in exc.value.message


def test_retired_chongwen_suggests_dongcheng(db):
    with pytest.raises(DomainError) as exc:
        division_get_active("110103")
    assert exc.value.code == "REF-002"
    assert "110101 东城区" in exc.value.message


def test_retired_code_message_in_english_names_the_successor(db):
    with pytest.raises(DomainError) as exc:
        division_get_active("110103")
    with translation.override("en"):
        message = exc.value.message
    assert message.startswith("Division code “110103” (崇文区) was retired in 2010")
    assert "110101 东城区" in message


def test_successor_chain_is_followed_to_the_code_in_use_today(db):
    # 130122 获鹿县 → 130185 鹿泉市 (itself retired in 2014) → 130110 鹿泉区.
    resolution = division_resolve("130122")
    assert resolution.status == "retired"
    assert [d.code for d in resolution.successors] == ["130110"]
    assert resolution.successors[0].is_active


def test_retired_code_without_successor_says_so(db):
    with pytest.raises(DomainError) as exc:
        division_get_active("132100")  # 邯郸地区, retired 1993
    assert exc.value.code == "REF-003"


def test_renamed_code_is_active_under_its_new_name(db):
    # 120110 was 东郊区 until 1992 and is 东丽区 since: same code, new name.
    assert division_get_active("120110").name == "东丽区"


def test_renamed_code_resolves_to_its_old_name_in_an_earlier_year(db):
    resolution = division_resolve("120110", as_of_year=1985)
    assert resolution.status == "active"
    assert resolution.row.name == "东郊区"
    assert resolution.current.name == "东丽区"


def test_year_of_change_gives_the_new_row(db):
    assert division_resolve("120110", as_of_year=1992).row.name == "东丽区"


def test_reused_code_counts_as_active(db):
    # 130107 went to 130121 in 1989 and was given to 井陉矿区 again later.
    resolution = division_resolve("130107")
    assert resolution.status == "active"
    assert division_resolve("130107", as_of_year=1990).row is None


def test_unknown_code_raises_ref_001(db):
    with pytest.raises(DomainError) as exc:
        division_get_active("999999")
    assert exc.value.code == "REF-001"
    assert division_resolve("999999").status == "unknown"


def test_malformed_code_raises_idn_005(db):
    with pytest.raises(DomainError) as exc:
        division_resolve("11010")
    assert exc.value.code == "IDN-005"


def test_divisions_in_prefix_and_level_match_the_file(db):
    expected = sorted(
        r["代码"] for r in _file_rows()
        if r["状态"] == "在用" and r["级别"] == "县级" and r["代码"].startswith("11")
    )
    assert list(divisions_in("11", level="county").values_list("code", flat=True)) == expected


def test_divisions_in_empty_prefix_is_the_whole_active_set(db):
    assert divisions_in("").count() == sum(1 for r in _file_rows() if r["状态"] == "在用")


def test_provinces_are_the_31_mainland_ones_by_default(db):
    codes = list(provinces().values_list("code", flat=True))
    assert len(codes) == 31
    assert not {"710000", "810000", "820000"} & set(codes)


def test_provinces_can_include_taiwan_hong_kong_and_macao(db):
    assert {"710000", "810000", "820000"} <= set(
        provinces(mainland_only=False).values_list("code", flat=True)
    )


def test_children_of_a_municipality_are_its_districts(db):
    codes = [d.code for d in division_children("110000")]
    assert "110108" in codes
    assert all(c.startswith("1101") for c in codes)


def test_children_of_a_province_include_directly_administered_counties(db):
    codes = [d.code for d in division_children("410000")]
    assert "410100" in codes  # 郑州市
    assert "419001" in codes  # 济源市, 省直辖县级
    assert "410102" not in codes  # a district of 郑州市


def test_children_of_a_prefecture_are_its_counties(db):
    codes = [d.code for d in division_children("130100")]
    assert "130110" in codes
    assert all(c.startswith("1301") and c != "130100" for c in codes)


def test_county_has_no_children(db):
    assert division_children("110108") == []


def test_province_code_of_full_width_code():
    assert province_code_of("３１０１１５") == "310000"


def test_organization_category_of_an_enterprise_code(db):
    category = organization_category_for("91110000600037341L")
    assert (category.code, category.name) == ("91", "企业")


def test_organization_category_of_lower_case_letter_department(db):
    assert organization_category_for("n2110108MA01ABC3X").code == "N2"


@pytest.mark.parametrize("value", ["", None, "9", "X9110108"])
def test_organization_category_is_none_when_unknown(db, value):
    assert organization_category_for(value) is None


def test_error_names_the_field_it_was_asked_for(db):
    with pytest.raises(DomainError) as exc:
        division_get_active("370284", field="county")
    assert exc.value.field == "county"
    with pytest.raises(DomainError) as exc:
        division_get_active("12ab", field="county")
    assert exc.value.field == "county"
