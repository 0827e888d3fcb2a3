"""The recommendation chain (推荐流程): grassroots → city → provincial (with the health
commission's opinion) → national review; return, reject, quota, jurisdiction, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import _official
from tests.designation.conftest import make_application, make_campaign
from tuoyu.audit.models import AuditEvent
from tuoyu.core.errors import DomainError
from tuoyu.designation import selectors, services
from tuoyu.designation.models import ApplicationEvent

pytestmark = pytest.mark.django_db


def _to_city_recommended(app, alice, hdunion, bjcity):
    services.application_submit(actor=alice, application=app)
    services.application_recommend(actor=hdunion, application=app)
    services.application_recommend(actor=bjcity, application=app)
    return app


def test_full_chain_reaches_national_review(alice, application, hdunion, bjcity, una, bjhealth,
                                            acftu):
    app = _to_city_recommended(application, alice, hdunion, bjcity)
    services.application_health_opinion_record(actor=bjhealth, application=app, opinion="同意推荐")
    services.application_recommend(actor=una, application=app)
    services.application_recommend(actor=acftu, application=app)
    app.refresh_from_db()
    assert app.status == "national_review"
    assert list(ApplicationEvent.objects.filter(application=app).values_list("action", flat=True)) == [
        "submit", "recommend", "recommend", "health_opinion", "recommend", "recommend"]


def test_each_transition_writes_an_audit_event(alice, application, hdunion):
    services.application_submit(actor=alice, application=application)
    services.application_recommend(actor=hdunion, application=application)
    actions = set(AuditEvent.objects.filter(object_id=str(application.pk)).values_list(
        "action", flat=True))
    assert {"designation.application.submit", "designation.application.recommend"} <= actions


def test_provincial_recommendation_needs_the_health_opinion_first(alice, application, hdunion,
                                                                  bjcity, una):
    app = _to_city_recommended(application, alice, hdunion, bjcity)
    with pytest.raises(DomainError) as exc:
        services.application_recommend(actor=una, application=app)
    assert exc.value.code == "DES-028"


def test_county_health_officer_may_not_record_the_provincial_opinion(alice, application, hdunion,
                                                                    bjcity, hana):
    app = _to_city_recommended(application, alice, hdunion, bjcity)
    with pytest.raises(DomainError) as exc:
        services.application_health_opinion_record(actor=hana, application=app, opinion="同意")
    assert exc.value.code == "GEN-002"


def test_health_opinion_before_the_city_step_is_refused(alice, application, bjhealth):
    services.application_submit(actor=alice, application=application)
    with pytest.raises(DomainError) as exc:
        services.application_health_opinion_record(actor=bjhealth, application=application,
                                                   opinion="同意")
    assert exc.value.code == "DES-032"


def test_provincial_union_may_not_take_the_grassroots_step(alice, application, una):
    services.application_submit(actor=alice, application=application)
    with pytest.raises(DomainError) as exc:
        services.application_recommend(actor=una, application=application)
    assert exc.value.code == "GEN-002"


def test_county_union_of_another_county_may_not_recommend(alice, application, cyunion):
    services.application_submit(actor=alice, application=application)
    with pytest.raises(DomainError) as exc:
        services.application_recommend(actor=cyunion, application=application)
    assert exc.value.code == "GEN-002"


def test_return_sends_back_to_draft_and_employer_resubmits(alice, application, hdunion, bjcity):
    services.application_submit(actor=alice, application=application)
    services.application_recommend(actor=hdunion, application=application)
    services.application_return(actor=bjcity, application=application, reason="补充职工子女名单")
    assert application.status == "draft"
    services.application_update(actor=alice, application=application, self_assessment="已补充")
    services.application_submit(actor=alice, application=application)
    application.refresh_from_db()
    assert application.status == "submitted"
    returned = ApplicationEvent.objects.get(application=application, action="return")
    assert (returned.reason, returned.step) == ("补充职工子女名单", "city")


def test_resubmission_after_the_window_closed_is_allowed(alice, application, hdunion, acftu,
                                                         campaign):
    services.application_submit(actor=alice, application=application)
    services.application_return(actor=hdunion, application=application, reason="补充材料")
    services.campaign_update(actor=acftu, campaign=campaign, opens_on=dt.date(2020, 1, 1),
                             closes_on=dt.date(2020, 2, 1), year=2022)
    application.refresh_from_db()
    services.application_submit(actor=alice, application=application)
    assert application.status == "submitted"


def test_return_at_the_provincial_step_clears_the_health_opinion(alice, application, hdunion,
                                                                 bjcity, una, bjhealth):
    app = _to_city_recommended(application, alice, hdunion, bjcity)
    services.application_health_opinion_record(actor=bjhealth, application=app, opinion="同意")
    services.application_return(actor=una, application=app, reason="补充材料")
    app.refresh_from_db()
    assert (app.status, app.health_opinion) == ("draft", "")


def test_return_without_reason_is_refused(alice, application, hdunion):
    services.application_submit(actor=alice, application=application)
    with pytest.raises(DomainError) as exc:
        services.application_return(actor=hdunion, application=application, reason="  ")
    assert exc.value.code == "DES-027"


def test_reject_is_final(alice, application, hdunion):
    services.application_submit(actor=alice, application=application)
    services.application_reject(actor=hdunion, application=application, reason="不符合条件")
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=alice, application=application)
    assert exc.value.code == "GEN-005"


def test_stale_expected_version_is_a_conflict(alice, application, hdunion):
    services.application_submit(actor=alice, application=application)
    with pytest.raises(DomainError) as exc:
        services.application_recommend(actor=hdunion, application=application, expected_version=0)
    assert exc.value.code == "GEN-003"


# --- quota


def _provincially_recommend(owner, campaign, hdunion, bjcity, una, bjhealth):
    app = make_application(owner, campaign)
    _to_city_recommended(app, owner, hdunion, bjcity)
    services.application_health_opinion_record(actor=bjhealth, application=app, opinion="同意")
    services.application_recommend(actor=una, application=app)
    return app


@pytest.fixture
def alice2(db):
    """A second employer administrator in 海淀区."""
    from tests.conftest import _persona
    from tests.factories import division

    return _persona(db, "alice2", "employer_admin", {"name": "海淀第二科技", "division": division("110108")})


def test_quota_exhausted_at_the_provincial_step(alice, alice2, acftu, campaign, hdunion, bjcity,
                                                una, bjhealth):
    services.campaign_quota_set(actor=acftu, campaign=campaign, province_code="11",
                                max_recommended=1)
    _provincially_recommend(alice, campaign, hdunion, bjcity, una, bjhealth)
    app = make_application(alice2, campaign)
    _to_city_recommended(app, alice2, hdunion, bjcity)
    services.application_health_opinion_record(actor=bjhealth, application=app, opinion="同意")
    with pytest.raises(DomainError) as exc:
        services.application_recommend(actor=una, application=app)
    assert (exc.value.code, exc.value.params) == ("DES-029", {"used": 1, "quota": 1})


def test_rejected_application_frees_no_quota_it_never_used(alice, alice2, acftu, campaign,
                                                           hdunion, bjcity, una, bjhealth):
    services.campaign_quota_set(actor=acftu, campaign=campaign, province_code="11",
                                max_recommended=1)
    first = make_application(alice, campaign)
    services.application_submit(actor=alice, application=first)
    services.application_reject(actor=hdunion, application=first, reason="不符合")
    app = _provincially_recommend(alice2, campaign, hdunion, bjcity, una, bjhealth)
    assert app.status == "provincial_recommended"


# --- jurisdiction and queues


def test_officer_of_another_province_gets_not_found(application, shunion):
    with pytest.raises(DomainError) as exc:
        selectors.application_get_for_user(shunion, application.pk)
    assert exc.value.code == "GEN-001"


def test_other_employer_gets_not_found(application, bob):
    with pytest.raises(DomainError) as exc:
        selectors.application_get_for_user(bob, application.pk)
    assert exc.value.code == "GEN-001"


def test_queue_shows_only_applications_at_the_officers_step(alice, application, hdunion, bjcity):
    services.application_submit(actor=alice, application=application)
    assert list(selectors.application_queue_for(hdunion)) == [application]
    assert list(selectors.application_queue_for(bjcity)) == []


def test_health_queue_lists_applications_waiting_for_an_opinion(alice, application, hdunion,
                                                                bjcity, bjhealth):
    _to_city_recommended(application, alice, hdunion, bjcity)
    assert list(selectors.application_queue_for(bjhealth)) == [application]


# --- deadlines in working days


@time_machine.travel(dt.datetime(2025, 9, 30, 10, 0, tzinfo=dt.UTC))
def test_grassroots_deadline_counts_working_days_across_national_day(alice, acftu):
    # 1–8 Oct 2025 are holidays; Sat 11 Oct is a make-up workday:
    # 9, 10, 11, 13, 14 Oct are the 5 working days.
    campaign = make_campaign(acftu, grassroots_working_days=5)
    app = make_application(alice, campaign)
    services.application_submit(actor=alice, application=app)
    app.refresh_from_db()
    assert (app.stage_entered_on, app.stage_deadline) == (dt.date(2025, 9, 30), dt.date(2025, 10, 14))
    assert app.stage_deadline_provisional is False


def test_application_past_its_deadline_is_overdue(alice, application, acftu):
    services.application_submit(actor=alice, application=application)
    application.refresh_from_db()
    assert not application.is_overdue
    with time_machine.travel(dt.datetime.combine(application.stage_deadline, dt.time(18),
                                                 tzinfo=dt.UTC)):
        assert application.is_overdue


def test_recommending_starts_the_next_steps_deadline(alice, application, hdunion, acftu, campaign):
    services.application_submit(actor=alice, application=application)
    first = application.stage_deadline
    services.campaign_update(actor=acftu, campaign=campaign, city_working_days=30)
    services.application_recommend(actor=hdunion, application=application)
    assert application.stage_deadline > first


def test_national_union_officer_in_any_province_reviews(bob, acftu, campaign):
    # bob's employer is in Shanghai; the national union acts everywhere.
    pudong_union = _official(None, "pdunion", "union_officer", "union", "浦东新区总工会",
                             "310115", "county")
    app = make_application(bob, campaign)
    services.application_submit(actor=bob, application=app)
    services.application_recommend(actor=pudong_union, application=app)
    assert selectors.application_get_for_user(acftu, app.pk) == app
