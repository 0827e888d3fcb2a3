"""Text normalisation for identifiers and search."""

from __future__ import annotations

from tuoyu.core.text import normalize_identifier, normalize_search, to_simplified


def test_search_folds_full_width_letters_and_digits():
    assert normalize_search("ＡＢＣ托育１２３") == "abc托育123"


def test_search_converts_traditional_to_simplified():
    assert normalize_search("愛心託育中心") == normalize_search("爱心托育中心")


def test_to_simplified_converts_traditional_characters():
    assert to_simplified("體育館") == "体育馆"


def test_search_collapses_ideographic_space():
    assert normalize_search("海淀\u3000\u3000托育  中心 ") == "海淀 托育 中心"


def test_search_of_empty_or_none_is_empty():
    assert normalize_search(None) == ""
    assert normalize_search("") == ""


def test_identifier_drops_ideographic_space_and_full_width_hyphen():
    assert normalize_identifier("９１\u3000１１０－１０８") == "91110108"
