"""Pages of the facilities app: input limits, messages users can read, labels, markup."""

from __future__ import annotations

import logging
import re

import pytest
from django.urls import reverse

from tests.factories import FacilityClassFactory
from tuoyu.facilities import services
from tuoyu.facilities.forms import FacilityForm
from tuoyu.facilities.models import Facility, FilingEvent
from tuoyu.facilities.templatetags.facilities_tags import filing_action_label, place_name
from tuoyu.facilities.workflow import FilingStatus
from tuoyu.reference.models import Division

pytestmark = pytest.mark.django_db

S = FilingStatus
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _at(facility, status, **fields):
    Facility.objects.filter(pk=facility.pk).update(filing_status=status, **fields)
    facility.refresh_from_db()
    return facility


def _filed(facility):
    return _at(facility, S.FILED, receipt_number=f"备110108202600{facility.pk:03d}")


# ---------------------------------------------------------------- compliance check date (1, 19)


def test_check_with_a_far_future_date_is_a_field_error_not_a_crash(client, alice, haidian_facility):
    client.force_login(alice)
    response = client.get(reverse("facilities:check", args=[haidian_facility.pk]),
                          {"as_of": "9999-12-31"})
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["as_of"])


def test_check_with_year_one_is_a_field_error(client, alice, haidian_facility):
    client.force_login(alice)
    response = client.get(reverse("facilities:check", args=[haidian_facility.pk]),
                          {"as_of": "0001-01-01"})
    assert list(response.context["form"].errors) == ["as_of"]


def test_check_before_any_rule_says_no_rules_were_in_force(client, alice, haidian_facility):
    client.force_login(alice)
    body = client.get(reverse("facilities:check", args=[haidian_facility.pk]),
                      {"as_of": "2010-01-01"}).content.decode()
    assert "没有生效的设置标准规则" in body and "未发现不符合设置标准的问题" not in body


# ---------------------------------------------------------------- return reason (9)


def test_too_long_return_reason_says_so_and_keeps_the_text(client, hana, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    client.force_login(hana)
    reason = "材料不全" * 501  # 2,004 characters
    response = client.post(reverse("facilities:return", args=[haidian_facility.pk]),
                           {"reason": reason, "version": haidian_facility.version})
    body = response.content.decode()
    assert (response.status_code, "2000" in body, reason in body, "请填写理由" in body) == (
        400, True, True, False)


def test_too_long_return_reason_leaves_the_filing_submitted(client, hana, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    client.force_login(hana)
    client.post(reverse("facilities:return", args=[haidian_facility.pk]),
                {"reason": "x" * 2001, "version": haidian_facility.version})
    assert Facility.objects.get(pk=haidian_facility.pk).filing_status == S.SUBMITTED


def test_return_reason_over_the_limit_is_refused_by_the_service(hana, haidian_facility):
    from tuoyu.core.errors import DomainError

    _at(haidian_facility, S.SUBMITTED)
    with pytest.raises(DomainError) as exc:
        services.filing_return(actor=hana, facility=haidian_facility, reason="x" * 2001)
    assert (exc.value.code, exc.value.field) == ("FIL-013", "reason")


# ---------------------------------------------------------------- history labels (12)


@pytest.mark.parametrize("lang,label", [("zh-hans", "提交变更备案"), ("en", "Submit change filing")])
def test_history_action_codes_have_labels(lang, label):
    from django.utils import translation

    with translation.override(lang):
        assert filing_action_label("submit_change") == label


def test_detail_history_shows_no_raw_action_codes(client, alice, haidian_facility):
    FilingEvent.objects.create(facility=haidian_facility, action="return_change",
                               from_status=S.CHANGE_SUBMITTED, to_status=S.FILED, reason="r")
    client.force_login(alice)
    body = client.get(reverse("facilities:detail", args=[haidian_facility.pk]), **EN).content.decode()
    assert "<td>return_change</td>" not in body and "Change filing returned" in body


# ---------------------------------------------------------------- place names (14)


def test_place_name_omits_the_placeholder_prefecture():
    haidian = Division.objects.get(code="110108")
    assert place_name(haidian) == "北京市 海淀区"


def test_detail_page_does_not_show_the_placeholder_prefecture(client, alice, haidian_facility):
    client.force_login(alice)
    body = client.get(reverse("facilities:detail", args=[haidian_facility.pk])).content.decode()
    assert "直辖" not in body


# ---------------------------------------------------------------- public register (15)


# ---------------------------------------------------------------- 403s (19)


def test_editing_a_submitted_facility_says_the_status_is_the_reason(client, alice, haidian_facility):
    _at(haidian_facility, S.SUBMITTED)
    client.force_login(alice)
    response = client.get(reverse("facilities:edit", args=[haidian_facility.pk]))
    body = response.content.decode()
    assert (response.status_code, "不能修改" in body, "角色或辖区" in body) == (403, True, False)


def test_a_403_logs_no_traceback(client, bob, caplog):
    client.force_login(bob)  # an employer admin: no filing queue
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(reverse("facilities:queue"))
    assert [r for r in caplog.records if r.exc_info] == []


def test_a_403_is_logged_on_one_line(client, bob, caplog):
    client.force_login(bob)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("facilities:queue"))
    assert response.status_code == 403 and len(caplog.records) == 1


# ---------------------------------------------------------------- forms and markup (6, 8, 20)


FACILITY_POST = {
    "name": "新建托育中心", "provision_model": "employer_built", "address": "北京市海淀区1号",
    "division_code": "110108", "children_floor": "1", "premises_tenure": "owned",
    "places_infant": "10", "places_toddler": "15", "places_older": "0", "places_mixed": "0",
    "service_full_day": "on", "fee_full_day": "2800.00",
}


def test_fee_for_an_unticked_service_is_a_form_error(alice):
    form = FacilityForm({**FACILITY_POST, "fee_hourly": "50"}, organizations=[])
    assert not form.is_valid() and "fee_hourly" in form.errors


def test_places_over_the_limit_are_an_error_on_the_field_with_its_label(client, alice):
    from tests.conftest import org_of

    client.force_login(alice)
    response = client.post(reverse("facilities:create"), {
        **FACILITY_POST, "operator": org_of(alice).pk, "places_toddler": "99999999999"})
    errors = response.context["form"].errors
    assert "places_toddler" in errors and "9223372036854775807" not in str(errors)


def test_lease_error_from_the_model_lands_on_the_lease_end_field(client, alice):
    from tests.conftest import org_of

    client.force_login(alice)
    response = client.post(reverse("facilities:create"), {
        **FACILITY_POST, "operator": org_of(alice).pk, "premises_tenure": "leased",
        "lease_start": "2026-01-01", "lease_end": "2025-01-01"})
    assert "lease_end" in response.context["form"].errors


def test_credit_code_input_takes_hyphens_and_spaces(client, alice):
    client.force_login(alice)
    body = client.get(reverse("facilities:create")).content.decode()
    field = re.search(r'<input[^>]*name="credit_code"[^>]*>', body).group(0)
    assert 'maxlength="30"' in field


def test_sponsors_are_a_fieldset_with_a_legend(client, alice):
    client.force_login(alice)
    body = client.get(reverse("facilities:create")).content.decode()
    assert re.search(r"<fieldset[^>]*>\s*<legend>举办用人单位</legend>", body)


def test_help_text_id_matches_aria_describedby(client, alice):
    client.force_login(alice)
    body = client.get(reverse("facilities:create")).content.decode()
    described = re.search(r'name="division_code"[^>]*aria-describedby="([^"]+)"', body) or \
        re.search(r'aria-describedby="([^"]+)"[^>]*name="division_code"', body)
    assert f'id="{described.group(1)}"' in body


def test_class_form_shows_the_duplicate_name_on_the_name_field(client, alice, haidian_facility):
    FacilityClassFactory(facility=haidian_facility, name="小一班")
    client.force_login(alice)
    response = client.post(reverse("facilities:class_add", args=[haidian_facility.pk]),
                           {"name": "小一班", "class_type": "infant", "capacity": "8"})
    assert "name" in response.context["form"].errors


# ---------------------------------------------------------------- English pages (21)


def test_english_review_page_uses_ascii_punctuation_in_lists(client, hana, haidian_facility):
    FacilityClassFactory(facility=haidian_facility, name="Sunflowers", capacity=12)
    services.document_add(actor=None, facility=haidian_facility, doc_type="other",
                          reference="REF-1")
    _at(haidian_facility, S.SUBMITTED)
    client.force_login(hana)
    body = client.get(reverse("facilities:review", args=[haidian_facility.pk]), **EN).content.decode()
    assert ("Sunflowers (Toddler class, capacity 12)" in body, ": REF-1" in body,
            "（" in body.split("Sunflowers")[1][:5]) == (True, True, False)


def test_english_footer_is_the_same_signed_in_and_out(client, alice):
    footer = re.compile(r"<footer.*?</footer>", re.S)
    anonymous = footer.search(client.get(reverse("home"), **EN).content.decode()).group(0)
    client.force_login(alice)
    signed_in = footer.search(client.get(reverse("facilities:list"), **EN).content.decode()).group(0)
    assert anonymous == signed_in and "用人单位" not in signed_in
