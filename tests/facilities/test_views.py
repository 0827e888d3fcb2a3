"""Page behaviour: forms, messages for domain errors, the public register, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import org_of
from tests.facilities.conftest import make_facility
from tests.factories import EnrolmentFactory, FacilityClassFactory, StaffMemberFactory
from tuoyu.audit.models import DataAccessEvent
from tuoyu.core.dates import local_today
from tuoyu.facilities import services
from tuoyu.facilities.models import Facility
from tuoyu.facilities.workflow import FilingStatus
from tuoyu.standards.checks import facility_check, has_blocking

pytestmark = pytest.mark.django_db

S = FilingStatus


@pytest.fixture
def clean_check(monkeypatch):
    monkeypatch.setattr(services.filing, "facility_check", lambda facility, *, as_of: [])


def _filed(facility):
    Facility.objects.filter(pk=facility.pk).update(
        filing_status=S.FILED, receipt_number=f"备110108202600{facility.pk:03d}",
        filed_on=dt.date(2026, 3, 2))
    return facility


FACILITY_POST = {
    "name": "新建托育中心", "provision_model": "employer_built", "address": "北京市海淀区1号",
    "division_code": "１１０１０８", "children_floor": "1", "premises_tenure": "owned",
    "places_infant": "10", "places_toddler": "15", "places_older": "0", "places_mixed": "0",
    "service_full_day": "on", "fee_full_day": "2800.00",
}


def test_create_page_creates_the_facility_with_its_services(client, alice):
    client.force_login(alice)
    response = client.post(reverse("facilities:create"),
                           {**FACILITY_POST, "operator": org_of(alice).pk})
    facility = Facility.objects.get(name="新建托育中心")
    assert response.status_code == 302
    assert (facility.division.code, facility.services.get().service_type) == ("110108", "full_day")


def test_create_page_reports_a_retired_division_code_on_the_field(client, alice):
    client.force_login(alice)
    # 110102 西城区 is active; 110103 崇文区 was merged into 东城区 (110101) in 2010.
    response = client.post(reverse("facilities:create"),
                           {**FACILITY_POST, "division_code": "110103",
                            "operator": org_of(alice).pk})
    assert response.status_code == 200
    assert "110101" in response.content.decode()
    assert not Facility.objects.filter(name="新建托育中心").exists()


def test_edit_page_saves_changes(client, alice, haidian_facility):
    client.force_login(alice)
    data = {**FACILITY_POST, "name": "改名后的中心", "version": haidian_facility.version}
    response = client.post(reverse("facilities:edit", args=[haidian_facility.pk]), data)
    haidian_facility.refresh_from_db()
    assert (response.status_code, haidian_facility.name) == (302, "改名后的中心")


def test_edit_with_a_stale_version_shows_the_conflict(client, alice, haidian_facility):
    services.facility_update(actor=alice, facility=haidian_facility, name="别人先改了")
    client.force_login(alice)
    data = {**FACILITY_POST, "name": "我的修改", "version": 0}
    response = client.post(reverse("facilities:edit", args=[haidian_facility.pk]), data)
    haidian_facility.refresh_from_db()
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert haidian_facility.name == "别人先改了"


def test_blocked_submission_lists_the_findings_with_rule_codes(client, alice, haidian_facility):
    findings = facility_check(haidian_facility, as_of=local_today())
    assert has_blocking(findings), "precondition: a bare facility breaks blocking rules"
    client.force_login(alice)
    response = client.post(reverse("facilities:submit", args=[haidian_facility.pk]), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "FIL-001" not in body  # codes of the error catalogue are not shown to people
    for f in findings:
        assert f.rule_code in body
    haidian_facility.refresh_from_db()
    assert haidian_facility.filing_status == S.DRAFT


def test_check_page_shows_rule_code_source_and_severity(client, alice, haidian_facility):
    findings = facility_check(haidian_facility, as_of=local_today())
    client.force_login(alice)
    body = client.get(reverse("facilities:check", args=[haidian_facility.pk])).content.decode()
    first = findings[0]
    assert first.rule_code in body and first.source_document in body
    assert "阻止提交" in body


def test_filing_shows_the_receipt_number(client, hana, haidian_facility):
    Facility.objects.filter(pk=haidian_facility.pk).update(filing_status=S.SUBMITTED)
    client.force_login(hana)
    response = client.post(reverse("facilities:file", args=[haidian_facility.pk]), follow=True)
    haidian_facility.refresh_from_db()
    assert haidian_facility.receipt_number
    assert haidian_facility.receipt_number in response.content.decode()


def test_return_without_reason_shows_a_message_and_changes_nothing(client, hana, haidian_facility):
    Facility.objects.filter(pk=haidian_facility.pk).update(filing_status=S.SUBMITTED)
    client.force_login(hana)
    response = client.post(reverse("facilities:return", args=[haidian_facility.pk]),
                           {"reason": ""}, follow=True)
    haidian_facility.refresh_from_db()
    assert "请填写理由" in response.content.decode()
    assert haidian_facility.filing_status == S.SUBMITTED


def test_second_decision_on_a_stale_page_shows_a_conflict(client, hana, haidian_facility):
    Facility.objects.filter(pk=haidian_facility.pk).update(filing_status=S.SUBMITTED)
    client.force_login(hana)
    client.post(reverse("facilities:file", args=[haidian_facility.pk]), {"version": 0})
    response = client.post(reverse("facilities:return", args=[haidian_facility.pk]),
                           {"version": 0, "reason": "x"}, follow=True)
    body = response.content.decode()
    assert "已被他人修改" in body or "不能从" in body
    haidian_facility.refresh_from_db()
    assert haidian_facility.filing_status == S.FILED


def test_provincial_officer_review_page_has_no_decision_forms(client, bjhealth, haidian_facility):
    Facility.objects.filter(pk=haidian_facility.pk).update(filing_status=S.SUBMITTED)
    client.force_login(bjhealth)
    body = client.get(reverse("facilities:review", args=[haidian_facility.pk])).content.decode()
    assert reverse("facilities:file", args=[haidian_facility.pk]) not in body


def test_union_officer_does_not_see_staff_names(client, una, haidian_facility):
    StaffMemberFactory(facility=haidian_facility, name="李保育")
    client.force_login(una)
    body = client.get(reverse("facilities:detail", args=[haidian_facility.pk])).content.decode()
    assert "李保育" not in body


def test_health_officer_reading_staff_is_logged(client, hana, haidian_facility):
    StaffMemberFactory(facility=haidian_facility, name="李保育")
    client.force_login(hana)
    body = client.get(reverse("facilities:detail", args=[haidian_facility.pk])).content.decode()
    assert "李保育" in body
    purposes = set(DataAccessEvent.objects.filter(actor=hana).values_list("purpose", flat=True))
    assert purposes == {"facility.staff.view", "facility.enrolment.view"}


def test_own_employer_reading_staff_is_not_logged(client, alice, haidian_facility):
    StaffMemberFactory(facility=haidian_facility, name="李保育")
    client.force_login(alice)
    client.get(reverse("facilities:detail", args=[haidian_facility.pk]))
    assert not DataAccessEvent.objects.exists()


def test_enrolment_form_asks_for_no_name(client, alice, haidian_facility):
    client.force_login(alice)
    body = client.get(reverse("facilities:enrolment_add", args=[haidian_facility.pk])).content.decode()
    assert 'name="birth_date"' in body and 'name="name"' not in body


def test_public_search_with_traditional_and_full_width_input(client, alice):
    _filed(make_facility(alice, name="海淀ABC爱心托育中心"))
    _filed(make_facility(alice, name="海淀阳光托育园"))
    response = client.get(reverse("facilities:public_list"), {"q": "ａｂｃ愛心"}, follow=True)
    assert [f.name for f in response.context["facilities"]] == ["海淀ABC爱心托育中心"]
    assert response.context["count"] == 1


def test_public_list_keeps_the_query_in_page_links(client, alice):
    for i in range(21):
        _filed(make_facility(alice, name=f"托育{i:02d}"))
    body = client.get(reverse("facilities:public_list"), {"q": "托育"}, follow=True).content.decode()
    assert "q=%E6%89%98%E8%82%B2&amp;page=2" in body


def test_public_detail_shows_no_staff_and_no_children(client, alice, haidian_facility):
    StaffMemberFactory(facility=haidian_facility, name="李保育")
    EnrolmentFactory(facility=haidian_facility, child_ref="CHILD-7")
    _filed(haidian_facility)
    body = client.get(reverse("facilities:public_detail", args=[haidian_facility.pk]), follow=True).content.decode()
    assert haidian_facility.name in body
    assert "李保育" not in body and "CHILD-7" not in body


@pytest.mark.parametrize("url_name", ["facilities:public_list", "home"])
def test_public_pages_use_no_inline_script_or_style(client, alice, url_name):
    _filed(make_facility(alice))
    body = client.get(reverse(url_name), follow=True).content.decode()
    assert "<script" not in body and "style=" not in body


def test_detail_page_uses_no_inline_script_or_style(client, alice, haidian_facility):
    client.force_login(alice)
    body = client.get(reverse("facilities:detail", args=[haidian_facility.pk])).content.decode()
    assert "<script" not in body and "style=" not in body


def test_public_list_query_count_does_not_grow_with_rows(client, alice, django_assert_max_num_queries):
    for i in range(25):
        _filed(make_facility(alice, name=f"托育{i:02d}"))
    with django_assert_max_num_queries(6):
        client.get(reverse("facilities:public_list"), follow=True)


def test_my_facilities_query_count_does_not_grow_with_rows(client, alice, django_assert_max_num_queries):
    for i in range(25):
        f = make_facility(alice, name=f"托育{i:02d}")
        FacilityClassFactory(facility=f)
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        client.get(reverse("facilities:list"))


def test_queue_query_count_does_not_grow_with_rows(client, alice, hana, django_assert_max_num_queries):
    for i in range(25):
        f = make_facility(alice, name=f"托育{i:02d}")
        Facility.objects.filter(pk=f.pk).update(filing_status=S.SUBMITTED)
    client.force_login(hana)
    with django_assert_max_num_queries(8):
        client.get(reverse("facilities:queue"))


def test_english_page_is_translated(client, alice):
    _filed(make_facility(alice))
    response = client.get(reverse("facilities:public_list"), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    body = response.content.decode()
    assert "Public register" in body and "备案机构公示" not in body


def test_home_page_shows_filed_facilities_and_places(client, alice):
    _filed(make_facility(alice, places_infant=10, places_toddler=15, places_older=20))
    make_facility(alice, places_infant=99)
    response = client.get(reverse("home"))
    summary = response.context["summary"]
    assert (summary.facilities, summary.places) == (1, 45)


@pytest.mark.parametrize(("persona", "queue_link", "list_label"), [
    ("alice", False, "我的机构"),
    ("hana", True, "辖区机构"),
    ("una", False, "辖区机构"),
])
def test_navigation_follows_the_role(client, request, persona, queue_link, list_label):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("home")).content.decode()
    assert (reverse("facilities:queue") in body) is queue_link
    assert list_label in body


def test_anonymous_navigation_has_no_private_links(client):
    body = client.get(reverse("home")).content.decode()
    assert reverse("facilities:queue") not in body
    assert 'href="' + reverse("facilities:list") + '"' not in body


def test_list_filters_by_status_county_and_name(client, alice):
    _filed(make_facility(alice, name="海淀阳光托育"))
    make_facility(alice, name="海淀星星托育")
    client.force_login(alice)
    response = client.get(reverse("facilities:list"),
                          {"status": "filed", "county": "1101", "q": "陽光"})
    assert [f.name for f in response.context["facilities"]] == ["海淀阳光托育"]


def test_list_counts_classes_and_current_children(client, alice, haidian_facility):
    FacilityClassFactory(facility=haidian_facility)
    EnrolmentFactory(facility=haidian_facility)
    EnrolmentFactory(facility=haidian_facility, left_on=dt.date(2025, 12, 31))
    client.force_login(alice)
    row = client.get(reverse("facilities:list")).context["facilities"][0]
    assert (row.class_count, row.child_count) == (1, 1)


def test_list_pages_fifty_at_a_time(client, bjhealth, alice):
    for i in range(51):
        make_facility(alice, name=f"托育{i:02d}")
    client.force_login(bjhealth)
    first = client.get(reverse("facilities:list"))
    second = client.get(reverse("facilities:list"), {"page": 2})
    assert (len(first.context["facilities"]), len(second.context["facilities"])) == (50, 1)


def test_list_links_to_the_export_with_its_filters(client, alice):
    client.force_login(alice)
    body = client.get(reverse("facilities:list"), {"status": "filed"}).content.decode()
    assert reverse("facility_export:download", args=["csv"]) + "?status=filed" in body


def test_returned_facility_shows_the_return_reason(client, alice, hana, haidian_facility):
    Facility.objects.filter(pk=haidian_facility.pk).update(filing_status=S.SUBMITTED)
    haidian_facility.refresh_from_db()
    services.filing_return(actor=hana, facility=haidian_facility, reason="缺少消防安全检查合格证明")
    client.force_login(alice)
    body = client.get(reverse("facilities:detail", args=[haidian_facility.pk])).content.decode()
    assert "缺少消防安全检查合格证明" in body


def test_document_download_sends_the_file(client, alice, haidian_facility, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    doc = services.document_add(actor=alice, facility=haidian_facility, doc_type="licence",
                                file=SimpleUploadedFile("licence.pdf", b"%PDF-1.4 body"))
    client.force_login(alice)
    response = client.get(reverse("facilities:document_download",
                                  args=[haidian_facility.pk, doc.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 body"


def test_hidden_facility_gets_the_friendly_not_found_page(client, chen, haidian_facility):
    client.force_login(chen)
    response = client.get(reverse("facilities:detail", args=[haidian_facility.pk]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_action_gets_the_friendly_forbidden_page(client, hana, haidian_facility):
    client.force_login(hana)
    response = client.get(reverse("facilities:edit", args=[haidian_facility.pk]))
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()


@pytest.mark.parametrize("version", ["abc", ""])
def test_decision_with_a_malformed_version_is_a_conflict(client, hana, haidian_facility, version):
    Facility.objects.filter(pk=haidian_facility.pk).update(filing_status=S.SUBMITTED)
    client.force_login(hana)
    response = client.post(reverse("facilities:file", args=[haidian_facility.pk]), {"version": version},
                           follow=True)
    haidian_facility.refresh_from_db()
    assert haidian_facility.filing_status == S.SUBMITTED
    assert "已被他人修改" in response.content.decode()
