"""The search form's fields are kept field by field (disclosure.views._form_fields): the
same HTML as the whole form's template, whatever was kept before."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from tuoyu.disclosure import views
from tuoyu.disclosure.cache import process_memos_clear
from tuoyu.disclosure.forms import PortalSearchForm

QUERIES = (
    "",
    "q=托育",
    "q=托育&province=110000",
    "q=宝贝&province=130000&city=130100",
    "province=110000&city=110100&county=110108&sort=fee",
    "province=310000&provision_model=park&service_type=full_day&fee_min=100&fee_max=3000&free_places=on",
    "county=110105",
    "q=<b>&province=310000",
)


def whole(form):
    return render_to_string("disclosure/_search_fields.html", {"form": form})


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_fields_kept_one_by_one_give_the_whole_forms_html(db, language):
    process_memos_clear()
    with translation.override(language):
        # Twice through: the second pass is built from kept fields of other searches.
        for _ in range(2):
            for query in QUERIES:
                form = PortalSearchForm(QueryDict(query) if query else None)
                form.filters()
                assert str(views._form_fields(form)) == whole(form), query


def test_city_options_follow_the_province_after_another_province_was_kept(db):
    # No city chosen in either: the city field's own value is the same, its choices are not.
    process_memos_clear()
    views._form_fields(_valid("province=130000"))
    html = str(views._form_fields(_valid("province=320000")))
    assert 'value="320100"' in html and 'value="130100"' not in html


def test_form_with_errors_is_rendered_with_its_errors(db):
    form = PortalSearchForm(QueryDict("province=abc"))
    form.filters()
    assert 'role="alert"' in str(views._form_fields(form))


def _valid(query):
    form = PortalSearchForm(QueryDict(query))
    assert form.is_valid(), form.errors
    return form
