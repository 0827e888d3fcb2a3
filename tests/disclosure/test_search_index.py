"""The public keyword search's gram index (ADR 0041): same results as the substring filter,
used by PostgreSQL; the lean public serializer and the page's result rows."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from rest_framework import serializers as drf

from tests.disclosure.conftest import filed
from tuoyu.disclosure import selectors
from tuoyu.facilities import search_index
from tuoyu.facilities.api.serializers import PublicFacilityOutputSerializer
from tuoyu.facilities.models import Facility

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the gram index exists on PostgreSQL only"
)

#: Keywords with the tricky characters of a tsquery, LIKE and quoting, plus ordinary ones.
KEYWORDS = (
    "托育", "托育中心", "中", "海淀 托育", "託育中心", "O'Brien", "a\\b", "50%", "a_b", "宝贝 园",
    "不存在", "：", "路 88号", "'", "&", "!", "(", "a:*", "ｏ'brien",
)


def _plain(words):
    """The substring filter alone, as before the index."""
    qs = selectors._filed()
    for word in words:
        qs = qs.filter(name_search__contains=word) | qs.filter(address__contains=word)
    return set(qs.values_list("pk", flat=True))


@pytest.fixture
def odd_register(register):
    """The portal register plus names and addresses with quotes, backslashes, % and _."""
    filed("O'Brien托育", number=11, address="海淀路 88号")
    filed("a\\b 托育", number=12, address="50% 路")
    filed("a_b托育中心", number=13, address="中关村 (东) 路")
    filed("托 育", number=14, address="托育:*")
    return register


def test_a_word_of_one_character_is_its_own_gram():
    assert search_index.word_grams("托") == ["托"]


def test_a_longer_word_becomes_its_bigrams():
    assert search_index.word_grams("托育中心") == ["托育", "育中", "中心"]


def test_the_tsquery_ands_each_gram_once():
    assert search_index.grams_tsquery(["托育", "托育中"]) == "'托育' & '育中'"


def test_quotes_and_backslashes_are_escaped_in_the_tsquery():
    assert search_index.grams_tsquery(["a'\\"]) == "'a''' & '''\\\\'"


def test_no_words_give_an_empty_tsquery():
    assert search_index.grams_tsquery([], "11") == ""


def test_the_place_joins_the_tsquery_as_a_code_prefix():
    assert search_index.grams_tsquery(["托"], "1101") == "'托' & 'division:1101'"


def test_a_place_that_is_not_a_code_prefix_is_refused():
    with pytest.raises(ValueError):
        search_index.grams_tsquery(["托"], "11' | '")


@pytest.mark.parametrize(("place", "expected"), [
    ({"province": "310000"}, {"pudong"}),
    ({"province": "110000", "city": "110100", "county": "110105"}, {"chaoyang"}),
])
def test_a_place_and_a_keyword_find_what_the_substring_filter_finds_there(odd_register, place, expected):
    found = {f.pk for f in selectors.public_facilities({"q": "托育", **place})}
    assert found == {odd_register[key].pk for key in expected}


@pytest.mark.parametrize("place", ["11", "1101", "110108", "110105", "31", "310115", "44"])
@pytest.mark.parametrize("keyword", KEYWORDS)
def test_a_keyword_in_a_place_finds_what_the_substring_and_code_filters_find(odd_register, keyword, place):
    # On PostgreSQL the place is decided by the gram index's division lexemes
    # (search_index.place_in_keyword_index) whenever the keyword gives grams.
    words = selectors.search_words(keyword)
    filters = {"q": keyword, "province": place[:2], "city": place[:4], "county": place[:6]}
    found = set(selectors.public_facilities(filters).values_list("pk", flat=True))
    there = set(selectors._filed().filter(division__code__startswith=place).values_list("pk", flat=True))
    assert found == _plain(words) & there


@on_postgresql
def test_the_place_is_left_to_the_gram_index_when_the_keyword_gives_grams(db):
    from tuoyu.facilities.search_index import place_in_keyword_index

    assert (place_in_keyword_index(["托育"], "11"), place_in_keyword_index([], "11"),
            place_in_keyword_index(["托育"], "")) == (True, False, False)


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_the_keyword_search_finds_exactly_what_the_substring_filter_finds(odd_register, keyword):
    words = selectors.search_words(keyword)
    found = set(selectors.public_facilities({"q": keyword}).values_list("pk", flat=True))
    assert found == _plain(words)


def test_a_facility_found_by_address_words_and_name_words_together(odd_register):
    found = [f.name for f in selectors.public_facilities({"q": "O'BRIEN 88号"})]
    assert found == ["O'Brien托育"]


@on_postgresql
def test_the_gram_function_returns_characters_and_pairs_without_spaces(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tuoyu_search_grams('托育 a', '1号', id)::text FROM reference_division "
            "WHERE code = '110108' AND status = 'active'"
        )
        lexemes = set(cursor.fetchone()[0].replace("'", "").split())
    assert lexemes == {"托", "育", "托育", "a", "1", "号", "1号",
                       "division:11", "division:1101", "division:110108"}


@on_postgresql
def test_the_index_covers_public_facilities_only(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [search_index.GRAMS_INDEX])
        definition = cursor.fetchone()[0]
    assert "USING gin (tuoyu_search_grams(" in definition
    assert "'filed'" in definition and "'change_submitted'" in definition


@on_postgresql
def test_postgresql_uses_the_gram_index_for_a_keyword_search(odd_register):
    queryset = selectors.public_facilities({"q": "托育中心"})
    with connection.cursor() as cursor:
        # A handful of rows: a sequential scan, a primary-key scan or the status index would
        # win, so they are taken away for this transaction (rolled back after the test).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'facilities_facility' "
            "AND indexdef LIKE '%%USING btree (filing_status%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        plan = queryset.explain()
    assert search_index.GRAMS_INDEX in plan


@on_postgresql
def test_the_index_follows_a_renamed_facility_without_any_rebuild(odd_register):
    Facility.objects.filter(pk=odd_register["zgc"].pk).update(name="新名字托育园", name_search="新名字托育园")
    assert [f.pk for f in selectors.public_facilities({"q": "新名字"})] == [odd_register["zgc"].pk]


def test_the_lean_public_serializer_equals_the_generic_field_walk(odd_register):
    facilities = list(selectors.public_facilities({"sort": "name"}))
    serializer = PublicFacilityOutputSerializer()
    for facility in facilities:
        generic = drf.Serializer.to_representation(serializer, facility)
        assert serializer.to_representation(facility) == dict(generic)


def test_the_public_list_answers_the_lean_rows(client, odd_register):
    body = client.get("/api/v1/public/facilities/", {"q": "朝阳"}).json()
    assert [row["name"] for row in body["results"]] == ["朝阳职工托育室"]
    assert body["results"][0]["lowest_fee"] == "60.00"


def test_result_rows_link_to_the_facility_page(client, register):
    rows = client.get(reverse("disclosure:search"), {"q": "朝阳"}).context["facilities"]
    assert [row.url for row in rows] == [reverse("disclosure:facility", args=[register["chaoyang"].pk])]


def test_division_lists_are_kept_until_cleared(django_assert_num_queries, db):
    selectors.reference_cache_clear()
    first = selectors.division_children("44", "prefecture")
    with django_assert_num_queries(0):
        again = selectors.division_children("44", "prefecture")
    assert again == first and ("440100", "广州市") in first


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no gram index")
def test_the_rebuild_command_says_when_there_is_no_index(db):
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "substring filter" in out.getvalue()


@on_postgresql
def test_the_rebuild_command_recreates_the_index(odd_register):
    out = StringIO()
    with connection.cursor() as cursor:  # the test's inserts: check their foreign keys now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("rebuild_search_index", stdout=out)
    assert f"{search_index.GRAMS_INDEX} rebuilt" in out.getvalue()
    assert [f.name for f in selectors.public_facilities({"q": "O'Brien"})] == ["O'Brien托育"]


@on_postgresql
def test_the_check_finds_the_index_equal_to_the_substring_filter(odd_register):
    out = StringIO()
    call_command("rebuild_search_index", "--check", stdout=out)
    assert "indexed search = substring filter" in out.getvalue()
