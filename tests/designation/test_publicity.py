"""Publicity (公示): end date in working days, objections named or anonymous, resolution."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from tests.designation.award_support import published
from tests.designation.conftest import make_campaign
from tuoyu.core.errors import DomainError
from tuoyu.designation import publicity as pub
from tuoyu.designation.models import Objection

pytestmark = pytest.mark.django_db

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=SH), tick=False)


def test_publicity_end_counts_working_days_across_national_day_with_make_up_workday(acftu):
    # 2025: Sat 27 Sep off; Sun 28 Sep make-up workday; 1–8 Oct holiday; Fri 10 Oct.
    with _at(2025, 9, 26, 10, 0):
        campaign = make_campaign(acftu, publicity_working_days=5)
        publicity, _apps = published(campaign, acftu)
    assert (publicity.starts_on, publicity.ends_on) == (dt.date(2025, 9, 26), dt.date(2025, 10, 10))
    assert not publicity.ends_provisional


@pytest.fixture
def national_day(acftu):
    """A list published on 2025-09-26 for 5 working days (ends 2025-10-10)."""
    with _at(2025, 9, 26, 10, 0):
        campaign = make_campaign(acftu, publicity_working_days=5)
        publicity, apps = published(campaign, acftu)
    return publicity


def test_objection_on_the_last_day_before_midnight_is_accepted(national_day):
    entry = pub.publicity_entries(national_day).first()
    with _at(2025, 10, 10, 23, 59, 30):
        objection = pub.objection_submit(publicity=national_day, entry_id=entry.pk, text="材料不实")
    assert objection.status == "open"


def test_objection_after_the_end_is_refused(national_day):
    entry = pub.publicity_entries(national_day).first()
    with _at(2025, 10, 11, 0, 0, 1), pytest.raises(DomainError) as exc:
        pub.objection_submit(publicity=national_day, entry_id=entry.pk, text="材料不实")
    assert exc.value.code == "DES-052"
    assert "2025-10-10" in exc.value.message
    assert not Objection.objects.exists()


def test_anonymous_objection_keeps_no_name(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    objection = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="收费高于普惠价")
    assert (objection.name, objection.contact) == ("", "")


def test_empty_objection_is_refused(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    with pytest.raises(DomainError) as exc:
        pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="   ")
    assert exc.value.code == "GEN-004"


def test_upheld_objection_removes_the_unit_from_the_list(campaign, acftu):
    publicity, apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    objection = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="发生过安全事故",
                                     name="张三", contact="13800000000")
    pub.objection_resolve(actor=acftu, objection=objection, upheld=True, reason="经核实属实")
    assert entry.pk not in set(pub.publicity_entries(publicity).values_list("pk", flat=True))


def test_dismissed_objection_keeps_the_unit_on_the_list(campaign, acftu):
    publicity, apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    objection = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="不实举报")
    pub.objection_resolve(actor=acftu, objection=objection, upheld=False, reason="经核实不属实")
    assert pub.publicity_entries(publicity).filter(pk=entry.pk).exists()


def test_resolution_needs_a_reason(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    objection = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="异议")
    with pytest.raises(DomainError) as exc:
        pub.objection_resolve(actor=acftu, objection=objection, upheld=False, reason="")
    assert exc.value.code == "DES-027"


def test_provincial_union_cannot_resolve_objections(campaign, acftu, una):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    objection = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="异议")
    with pytest.raises(DomainError) as exc:
        pub.objection_resolve(actor=una, objection=objection, upheld=True, reason="理由")
    assert exc.value.code == "GEN-002"


def test_publishing_an_unconfirmed_proposal_is_refused(campaign, acftu):
    from tests.designation.award_support import scored_application
    from tuoyu.designation import proposals

    scored_application(campaign, code="440106", score="90")
    proposal, _ = proposals.proposal_create(actor=acftu, campaign=campaign)
    with pytest.raises(DomainError) as exc:
        pub.publicity_publish(actor=acftu, proposal=proposal)
    assert exc.value.code == "DES-050"


def test_objection_to_a_removed_unit_is_refused(campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    first = pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="异议")
    pub.objection_resolve(actor=acftu, objection=first, upheld=True, reason="属实")
    with pytest.raises(DomainError) as exc:
        pub.objection_submit(publicity=publicity, entry_id=entry.pk, text="再次异议")
    assert exc.value.code == "DES-058"


def test_publicity_end_is_provisional_when_it_runs_into_an_unpublished_calendar_year(acftu):
    from tuoyu.reference.calendar import is_year_known

    year = next(y for y in range(2026, 2100) if not is_year_known(y))
    with _at(year - 1, 12, 29, 10, 0):
        campaign = make_campaign(acftu, publicity_working_days=5)
        publicity, _apps = published(campaign, acftu)
    assert publicity.ends_provisional


# --------------------------------------------------------------------------- pages


def test_anonymous_visitor_sees_the_publicity_list_and_form(client, campaign, acftu):
    publicity, apps = published(campaign, acftu)
    response = client.get(f"/designation/publicity/{campaign.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert apps[0].employer.name in body and 'name="text"' in body


def test_anonymous_objection_through_the_page_is_recorded_and_escaped(client, campaign, acftu):
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    client.post(f"/designation/publicity/{campaign.pk}/",
                {"entry": entry.pk, "text": "<script>alert(1)</script>"})
    objection = Objection.objects.get()
    assert objection.name == ""
    client.force_login(acftu)
    body = client.get(f"/designation/campaigns/{campaign.pk}/objections/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_objections_are_throttled_per_client_ip(client, campaign, acftu, settings):
    settings.DESIGNATION_OBJECTION_RATE = (1, 3600)
    publicity, _apps = published(campaign, acftu)
    entry = pub.publicity_entries(publicity).first()
    url = f"/designation/publicity/{campaign.pk}/"
    client.post(url, {"entry": entry.pk, "text": "第一条"})
    response = client.post(url, {"entry": entry.pk, "text": "第二条"})
    assert response.status_code == 429
    assert Objection.objects.count() == 1


def test_page_after_the_end_shows_the_refusal_instead_of_the_form(client, national_day):
    with _at(2025, 10, 11, 9, 0):
        response = client.get(f"/designation/publicity/{national_day.campaign_id}/")
    body = response.content.decode()
    assert "2025-10-10 23:59:59" in body and 'name="text"' not in body


def test_late_objection_posted_through_the_page_is_refused_with_the_message(client, national_day):
    entry = pub.publicity_entries(national_day).first()
    with _at(2025, 10, 11, 9, 0):
        response = client.post(f"/designation/publicity/{national_day.campaign_id}/",
                               {"entry": entry.pk, "text": "迟到的异议"}, follow=True)
    assert "不再受理异议" in response.content.decode()
    assert not Objection.objects.exists()


def test_anonymous_visitor_cannot_open_the_objection_queue(client, campaign, acftu):
    published(campaign, acftu)
    response = client.get(f"/designation/campaigns/{campaign.pk}/objections/")
    assert response.status_code == 302
