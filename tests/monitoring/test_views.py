"""The officers' alert pages: scoping, filters, links, acknowledgement, rules page, English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import StaffMemberFactory
from tests.monitoring.conftest import AS_OF
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.monitoring.choices import AlertStatus
from tuoyu.monitoring.models import Alert
from tuoyu.monitoring.selectors import alerts_visible_to
from tuoyu.monitoring.services import alert_acknowledge, run_alerts

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def alert(facility):
    """An open MON-002 alert about an expired certificate at the 海淀 facility."""
    StaffMemberFactory(facility=facility, health_certificate_expiry=AS_OF - dt.timedelta(days=3))
    run_alerts(AS_OF)
    return Alert.objects.get()


def page(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


# --- scoping -----------------------------------------------------------------------------------


def test_county_officer_sees_the_alert_of_a_facility_in_the_county(alert, hana):
    assert list(alerts_visible_to(hana)) == [alert]


def test_provincial_officer_sees_the_alerts_of_the_province(alert, bjhealth):
    assert list(alerts_visible_to(bjhealth)) == [alert]


def test_officer_of_another_province_sees_nothing(alert, pudong, client):
    assert list(alerts_visible_to(pudong)) == []
    response = page(client, pudong, "monitoring:alert_list")
    assert response.status_code == 200 and alert.facility.name not in response.content.decode()


def test_officer_of_another_county_sees_nothing(alert, chen):
    assert list(alerts_visible_to(chen)) == []


def test_officer_of_another_province_gets_not_found_for_the_alert(alert, pudong, client):
    assert page(client, pudong, "monitoring:alert_detail", alert.pk).status_code == 404


def test_union_officer_may_not_open_the_alerts_page(alert, una, client):
    assert page(client, una, "monitoring:alert_list").status_code == 403
    assert list(alerts_visible_to(una)) == []


def test_facility_operator_sees_no_alerts(alert, otto, client):
    assert page(client, otto, "monitoring:alert_list").status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("monitoring:alert_list"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- the list -------------------------------------------------------------------------------------


def test_list_links_each_alert_to_its_rule_and_facility(alert, hana, client):
    html = page(client, hana, "monitoring:alert_list").content.decode()
    assert f'{reverse("monitoring:rule_list")}#MON-002' in html
    assert reverse("facilities:detail", args=[alert.facility_id]) in html
    assert reverse("monitoring:alert_detail", args=[alert.pk]) in html


def test_list_shows_open_alerts_by_default_and_filters_by_status(alert, hana, client):
    alert_acknowledge(actor=hana, alert=alert, note="已督促整改")
    link = reverse("monitoring:alert_detail", args=[alert.pk])
    assert link not in page(client, hana, "monitoring:alert_list").content.decode()
    assert link in page(client, hana, "monitoring:alert_list", status="acknowledged").content.decode()
    assert link in page(client, hana, "monitoring:alert_list", status="").content.decode()


def test_list_filters_by_rule(alert, hana, client):
    link = reverse("monitoring:alert_detail", args=[alert.pk])
    assert link in page(client, hana, "monitoring:alert_list", rule="MON-002").content.decode()
    assert link not in page(client, hana, "monitoring:alert_list", rule="MON-005").content.decode()


def test_list_costs_a_fixed_number_of_queries(facility, hana, client, django_assert_max_num_queries):
    StaffMemberFactory.create_batch(5, facility=facility, health_certificate_expiry=AS_OF - dt.timedelta(days=3))
    run_alerts(AS_OF)
    client.force_login(hana)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("monitoring:alert_list"))
    assert response.content.decode().count("/monitoring/alerts/") >= 5


def test_navigation_shows_the_alerts_link_to_health_officers_only(alert, hana, una, client):
    link = reverse("monitoring:alert_list")
    assert f'href="{link}"' in page(client, hana, "monitoring:rule_list").content.decode()
    assert f'href="{link}"' not in page(client, una, "monitoring:rule_list").content.decode().split("<main")[0]


# --- acknowledgement ------------------------------------------------------------------------------


def test_officer_acknowledges_with_a_note(alert, hana, client):
    client.force_login(hana)
    response = client.post(reverse("monitoring:alert_acknowledge", args=[alert.pk]), {"note": "已电话督促"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledgement_note, alert.acknowledged_by) == (
        AlertStatus.ACKNOWLEDGED, "已电话督促", hana
    )


def test_acknowledging_without_a_note_is_refused(alert, hana, client):
    client.force_login(hana)
    response = client.post(reverse("monitoring:alert_acknowledge", args=[alert.pk]), {"note": "  "})
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_service_refuses_an_empty_note_with_its_code(alert, hana):
    with pytest.raises(DomainError) as exc:
        alert_acknowledge(actor=hana, alert=alert, note="")
    assert (exc.value.code, exc.value.field) == ("MON-101", "note")


def test_acknowledgement_is_audited_with_the_note_and_the_commission(alert, hana):
    from tests.conftest import org_of

    alert_acknowledge(actor=hana, alert=alert, note="已督促更换健康证")
    event = AuditEvent.objects.get(action="monitoring.alert_acknowledge")
    assert (event.actor, event.note, event.object_id) == (hana, "已督促更换健康证", str(alert.pk))
    assert (event.organization, event.role) == (org_of(hana), "health_officer")
    assert (event.before["status"], event.after["status"]) == ("open", "acknowledged")


def test_an_acknowledged_alert_cannot_be_acknowledged_again(alert, hana):
    alert_acknowledge(actor=hana, alert=alert, note="第一次")
    with pytest.raises(DomainError) as exc:
        alert_acknowledge(actor=hana, alert=alert, note="第二次")
    assert exc.value.code == "MON-102"


def test_officer_of_another_county_may_not_acknowledge(alert, chen):
    with pytest.raises(DomainError) as exc:
        alert_acknowledge(actor=chen, alert=alert, note="越权")
    assert exc.value.code == "GEN-002"
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_officer_of_another_province_cannot_post_an_acknowledgement(alert, pudong, client):
    client.force_login(pudong)
    response = client.post(reverse("monitoring:alert_acknowledge", args=[alert.pk]), {"note": "越权"})
    assert response.status_code == 404


# --- rules page and English -----------------------------------------------------------------------------


def test_rules_page_lists_every_rule_with_its_anchor_threshold_and_source(hana, client):
    html = page(client, hana, "monitoring:rule_list").content.decode()
    for code in ("MON-001", "MON-002", "MON-003", "MON-004", "MON-005"):
        assert f'<tr id="{code}">' in html
    row = re.search(r'<tr id="MON-001">.*?</tr>', html, re.S).group(0)
    assert "1:3" in row and "第二十条" in row


def test_alert_pages_are_complete_in_english(alert, hana, client):
    client.cookies["django_language"] = "en"
    listing = page(client, hana, "monitoring:alert_list").content.decode()
    detail = page(client, hana, "monitoring:alert_detail", alert.pk).content.decode()
    assert "Expired staff health certificate" in listing and "expired on" in listing
    for html in (listing, detail):
        main = html.split("<main", 1)[1]
        for text in (alert.facility.name, alert.facility.division.name):
            main = main.replace(text, "")
        assert CJK.findall(main) == []


def test_rules_page_is_complete_in_english_but_for_document_titles(hana, client):
    client.cookies["django_language"] = "en"
    html = page(client, hana, "monitoring:rule_list").content.decode()
    for code in ("MON-001", "MON-002", "MON-003", "MON-004", "MON-005"):
        row = re.search(rf'<tr id="{code}">.*?</tr>', html, re.S).group(0)
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        assert CJK.findall(" ".join(cells[:3])) == [], code
