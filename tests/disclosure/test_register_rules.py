"""Who is on the public register, and how the search reads its input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.disclosure.conftest import filed
from tuoyu.disclosure.selectors import public_facilities
from tuoyu.facilities.services import filing_lift_suspension, filing_revoke, filing_suspend

pytestmark = pytest.mark.django_db


def test_a_facility_with_a_pending_change_filing_stays_on_the_register(register):
    register["zgc"].filing_status = "change_submitted"
    register["zgc"].save()
    assert register["zgc"] in public_facilities({"q": "中关村"})


def test_a_suspended_facility_is_not_on_the_register(register, hana):
    filing_suspend(actor=hana, facility=register["zgc"], reason="逾期未整改")
    assert register["zgc"] not in public_facilities({"q": "中关村"})


def test_the_page_of_a_suspended_facility_is_not_found(client, register, hana):
    filing_suspend(actor=hana, facility=register["zgc"], reason="逾期未整改")
    assert client.get(reverse("disclosure:facility", args=[register["zgc"].pk])).status_code == 404


def test_the_page_of_a_revoked_facility_is_not_found(client, register, hana):
    filing_revoke(actor=hana, facility=register["zgc"], reason="拒不整改")
    assert client.get(reverse("disclosure:facility", args=[register["zgc"].pk])).status_code == 404


def test_lifting_a_suspension_puts_the_page_back(client, register, hana):
    filing_suspend(actor=hana, facility=register["zgc"], reason="逾期未整改")
    filing_lift_suspension(actor=hana, facility=register["zgc"], reason="整改已核实")
    assert client.get(reverse("disclosure:facility", args=[register["zgc"].pk])).status_code == 200


def test_the_facility_page_marks_changes_not_yet_filed(client, register):
    facility = register["zgc"]
    facility.version, facility.filed_version = 3, 2
    facility.save()
    body = client.get(reverse("disclosure:facility", args=[facility.pk])).content.decode()
    assert "信息变更尚未备案" in body


def test_the_facility_page_of_an_unchanged_filing_has_no_notice(client, register):
    body = client.get(reverse("disclosure:facility", args=[register["zgc"].pk])).content.decode()
    assert "信息变更尚未备案" not in body


def test_every_word_of_the_keyword_must_match(register):
    bank = filed("中原银行职工托育中心", number=9)
    assert list(public_facilities({"q": "中原 托育"})) == [bank]


def test_a_page_number_below_one_shows_the_first_page(client, register):
    response = client.get(reverse("disclosure:search"), {"page": "0", "sort": "name"})
    assert response.context["page"].number == 1


def test_a_six_digit_province_code_filters_like_its_prefix(register):
    assert set(public_facilities({"province": "110000"})) == set(public_facilities({"province": "11"}))


def test_the_search_page_accepts_a_two_digit_province_prefix(client, register):
    response = client.get(reverse("disclosure:search"), {"province": "31"})
    assert not response.context["form"].errors
    assert [f.pk for f in response.context["facilities"]] == [register["pudong"].pk]


def test_a_fee_limit_of_zero_is_a_filter_not_ignored(client, register):
    response = client.get(reverse("disclosure:search"), {"fee_max": "0"})
    assert response.context["count"] == 0
