"""Regulatory measures on a filing (监管措施, ADR 0097): suspend (暂停备案), lift (恢复备案),
revoke (撤销备案) — table, permissions, reasons, history, audit, pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from tests.facilities.conftest import make_facility
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.facilities import permissions as perms
from tuoyu.facilities import services
from tuoyu.facilities.models import Facility, FilingEvent
from tuoyu.facilities.workflow import FilingStatus

pytestmark = pytest.mark.django_db

S = FilingStatus

SERVICES = {
    "suspend": services.filing_suspend,
    "lift_suspension": services.filing_lift_suspension,
    "revoke": services.filing_revoke,
}
#: The table as decided in ADR 0097, written out (not read from the workflow).
ALLOWED = {
    "suspend": {S.FILED: S.SUSPENDED, S.CHANGE_SUBMITTED: S.SUSPENDED},
    "lift_suspension": {S.SUSPENDED: S.FILED},
    "revoke": {S.FILED: S.REVOKED, S.SUSPENDED: S.REVOKED},
}


def _at(facility, status, **fields):
    Facility.objects.filter(pk=facility.pk).update(filing_status=status, **fields)
    facility.refresh_from_db()
    return facility


@pytest.fixture
def filed_facility(alice):
    """A filed facility of alice's employer in 海淀区 with a receipt number."""
    facility = make_facility(alice, name="海淀监管测试托育中心")
    return _at(facility, S.FILED, receipt_number="备110108202600077", version=3, filed_version=3)


# ---------------------------------------------------------------- the table


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("status", list(S))
def test_measure_is_allowed_exactly_from_the_statuses_of_the_table(hana, filed_facility, action, status):
    _at(filed_facility, status)
    expected = ALLOWED[action].get(status)
    if expected is None:
        with pytest.raises(DomainError) as exc:
            SERVICES[action](actor=hana, facility=filed_facility, reason="理由")
        assert exc.value.code == "GEN-005"
        assert Facility.objects.get(pk=filed_facility.pk).filing_status == status
    else:
        SERVICES[action](actor=hana, facility=filed_facility, reason="理由")
        assert Facility.objects.get(pk=filed_facility.pk).filing_status == expected


def test_suspension_of_a_pending_change_keeps_its_changes_flagged_after_lifting(hana, filed_facility):
    _at(filed_facility, S.CHANGE_SUBMITTED, version=5, filed_version=4)
    services.filing_suspend(actor=hana, facility=filed_facility, reason="逾期未整改")
    services.filing_lift_suspension(actor=hana, facility=filed_facility, reason="整改已核实")
    filed_facility.refresh_from_db()
    assert (filed_facility.filing_status, filed_facility.filed_version,
            filed_facility.has_unfiled_changes) == (S.FILED, 4, True)


def test_lifting_restores_the_filing_with_its_receipt(hana, filed_facility):
    services.filing_suspend(actor=hana, facility=filed_facility, reason="逾期未整改")
    services.filing_lift_suspension(actor=hana, facility=filed_facility, reason="整改已核实")
    filed_facility.refresh_from_db()
    assert (filed_facility.filing_status, filed_facility.receipt_number) == (
        S.FILED, "备110108202600077")


def test_revoked_filing_keeps_its_receipt_number_on_record(hana, filed_facility):
    services.filing_revoke(actor=hana, facility=filed_facility, reason="提供虚假材料")
    filed_facility.refresh_from_db()
    assert (filed_facility.filing_status, filed_facility.receipt_number) == (
        S.REVOKED, "备110108202600077")


# ---------------------------------------------------------------- reasons, history, audit


@pytest.mark.parametrize("reason", ["", "   "])
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_measure_requires_a_reason(hana, filed_facility, action, reason):
    _at(filed_facility, S.SUSPENDED if action == "lift_suspension" else S.FILED)
    with pytest.raises(DomainError) as exc:
        SERVICES[action](actor=hana, facility=filed_facility, reason=reason)
    assert (exc.value.code, exc.value.field) == ("FIL-002", "reason")


def test_reason_over_two_thousand_characters_is_refused(hana, filed_facility):
    with pytest.raises(DomainError) as exc:
        services.filing_suspend(actor=hana, facility=filed_facility, reason="理" * 2001)
    assert exc.value.code == "FIL-013"


def test_suspension_appends_a_filing_event_with_actor_and_reason(hana, filed_facility):
    services.filing_suspend(actor=hana, facility=filed_facility, reason="逾期未整改")
    event = FilingEvent.objects.get(facility=filed_facility)
    assert (event.action, event.from_status, event.to_status, event.actor, event.reason) == (
        "suspend", S.FILED, S.SUSPENDED, hana, "逾期未整改")


def test_each_measure_adds_one_event_to_the_history(hana, filed_facility):
    services.filing_suspend(actor=hana, facility=filed_facility, reason="逾期未整改")
    services.filing_lift_suspension(actor=hana, facility=filed_facility, reason="整改已核实")
    services.filing_suspend(actor=hana, facility=filed_facility, reason="再次逾期")
    services.filing_revoke(actor=hana, facility=filed_facility, reason="拒不整改")
    actions = list(FilingEvent.objects.filter(facility=filed_facility).values_list("action", flat=True))
    assert actions == ["suspend", "lift_suspension", "suspend", "revoke"]


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_measure_writes_an_audit_event_with_the_actor(hana, filed_facility, action):
    _at(filed_facility, S.SUSPENDED if action == "lift_suspension" else S.FILED)
    SERVICES[action](actor=hana, facility=filed_facility, reason="理由")
    event = AuditEvent.objects.get(action=f"facility.filing.{action}", object_id=str(filed_facility.pk))
    assert (event.actor, event.note) == (hana, "理由")


def test_stale_version_is_a_conflict_and_changes_nothing(hana, filed_facility):
    with pytest.raises(DomainError) as exc:
        services.filing_suspend(actor=hana, facility=filed_facility, reason="x", expected_version=1)
    assert exc.value.code == "GEN-003"
    assert Facility.objects.get(pk=filed_facility.pk).filing_status == S.FILED


# ---------------------------------------------------------------- who may act


@pytest.mark.parametrize("persona", ["chen", "pudong", "bjhealth", "una", "dora", "root", "alice"])
@pytest.mark.parametrize("action", ["suspend", "revoke"])
def test_only_the_county_commission_may_take_a_measure(request, filed_facility, persona, action):
    actor = request.getfixturevalue(persona)
    with pytest.raises(DomainError) as exc:
        SERVICES[action](actor=actor, facility=filed_facility, reason="理由")
    assert exc.value.code == "GEN-002"
    assert Facility.objects.get(pk=filed_facility.pk).filing_status == S.FILED


def test_anonymous_user_may_not_suspend(filed_facility):
    with pytest.raises(DomainError) as exc:
        services.filing_suspend(actor=AnonymousUser(), facility=filed_facility, reason="理由")
    assert exc.value.code == "GEN-002"


def test_operator_may_not_lift_a_suspension(alice, hana, filed_facility):
    services.filing_suspend(actor=hana, facility=filed_facility, reason="逾期未整改")
    with pytest.raises(DomainError) as exc:
        services.filing_lift_suspension(actor=alice, facility=filed_facility, reason="已整改")
    assert exc.value.code == "GEN-002"


def test_operator_cannot_cancel_a_suspended_filing_to_escape_it(alice, hana, filed_facility):
    services.filing_suspend(actor=hana, facility=filed_facility, reason="逾期未整改")
    with pytest.raises(DomainError) as exc:
        services.filing_cancel(actor=alice, facility=filed_facility, reason="停止服务")
    assert exc.value.code == "GEN-005"


def test_suspended_facility_stays_editable_by_its_operator(alice, hana, filed_facility):
    services.filing_suspend(actor=hana, facility=filed_facility, reason="逾期未整改")
    filed_facility.refresh_from_db()
    assert perms.can_edit_facility(alice, filed_facility) is True


def test_edit_while_suspended_shows_as_unfiled_after_lifting(alice, hana, filed_facility):
    services.filing_suspend(actor=hana, facility=filed_facility, reason="逾期未整改")
    filed_facility.refresh_from_db()
    services.class_create(actor=alice, facility=filed_facility, name="新托小班",
                          class_type="toddler", capacity=10)
    filed_facility.refresh_from_db()
    services.filing_lift_suspension(actor=hana, facility=filed_facility, reason="整改已核实")
    filed_facility.refresh_from_db()
    assert filed_facility.has_unfiled_changes is True


def test_revoked_facility_cannot_be_edited(alice, hana, filed_facility):
    services.filing_revoke(actor=hana, facility=filed_facility, reason="拒不整改")
    filed_facility.refresh_from_db()
    assert perms.can_edit_facility(alice, filed_facility) is False


# ---------------------------------------------------------------- pages


def test_review_page_offers_suspension_and_revocation_to_the_county_officer(client, hana, filed_facility):
    client.force_login(hana)
    body = client.get(reverse("facilities:review", args=[filed_facility.pk])).content.decode()
    assert reverse("facilities:suspend", args=[filed_facility.pk]) in body
    assert reverse("facilities:revoke", args=[filed_facility.pk]) in body
    assert reverse("facilities:lift_suspension", args=[filed_facility.pk]) not in body


def test_review_page_of_a_suspended_facility_offers_lifting(client, hana, filed_facility):
    _at(filed_facility, S.SUSPENDED)
    client.force_login(hana)
    body = client.get(reverse("facilities:review", args=[filed_facility.pk])).content.decode()
    assert reverse("facilities:lift_suspension", args=[filed_facility.pk]) in body
    assert reverse("facilities:suspend", args=[filed_facility.pk]) not in body


def test_review_page_shows_no_measures_to_the_provincial_officer(client, bjhealth, filed_facility):
    client.force_login(bjhealth)
    body = client.get(reverse("facilities:review", args=[filed_facility.pk])).content.decode()
    assert reverse("facilities:suspend", args=[filed_facility.pk]) not in body


def test_county_officer_suspends_from_the_page(client, hana, filed_facility):
    client.force_login(hana)
    response = client.post(reverse("facilities:suspend", args=[filed_facility.pk]),
                           {"reason": "逾期未整改", "version": filed_facility.version})
    assert response.status_code == 302
    assert Facility.objects.get(pk=filed_facility.pk).filing_status == S.SUSPENDED


def test_page_without_a_reason_comes_back_with_the_error(client, hana, filed_facility):
    client.force_login(hana)
    response = client.post(reverse("facilities:suspend", args=[filed_facility.pk]),
                           {"reason": "", "version": filed_facility.version})
    assert response.status_code == 400 and "请填写理由" in response.content.decode()
    assert Facility.objects.get(pk=filed_facility.pk).filing_status == S.FILED


def test_page_refuses_an_officer_who_can_see_but_not_decide(client, una, filed_facility):
    client.force_login(una)
    response = client.post(reverse("facilities:suspend", args=[filed_facility.pk]), {"reason": "x"})
    assert response.status_code == 403


def test_page_hides_the_facility_from_another_province(client, pudong, filed_facility):
    client.force_login(pudong)
    response = client.post(reverse("facilities:revoke", args=[filed_facility.pk]), {"reason": "x"})
    assert response.status_code == 404


def test_page_sends_an_anonymous_visitor_to_login(client, filed_facility):
    response = client.post(reverse("facilities:suspend", args=[filed_facility.pk]), {"reason": "x"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert Facility.objects.get(pk=filed_facility.pk).filing_status == S.FILED


def test_operator_sees_the_suspension_and_its_reason(client, alice, hana, filed_facility):
    services.filing_suspend(actor=hana, facility=filed_facility, reason="监控设备逾期未修复")
    client.force_login(alice)
    body = client.get(reverse("facilities:detail", args=[filed_facility.pk])).content.decode()
    assert "备案已暂停" in body and "监控设备逾期未修复" in body


def test_review_page_in_english_names_the_measures(client, hana, filed_facility):
    client.force_login(hana)
    body = client.get(reverse("facilities:review", args=[filed_facility.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Regulatory measures" in body and "Suspend with reasons" in body


def test_refused_measure_names_the_status_and_the_measure_in_words(hana, filed_facility):
    _at(filed_facility, S.REVOKED)
    with pytest.raises(DomainError) as exc:
        services.filing_lift_suspension(actor=hana, facility=filed_facility, reason="理由")
    with translation.override("zh-hans"):
        message = exc.value.message
    assert (message, exc.value.details) == (
        "不能从“已撤销备案”执行“恢复备案”。", {"action": "lift_suspension", "from_status": "revoked"},
    )
