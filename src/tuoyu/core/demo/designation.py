"""Demo designation campaigns (演示评选活动): a named 2025 unit and a 2026 list in publicity.

- 2025 campaign, closed: 北京中关村智联 (``employer-bj``) applies with its filed joint
  facility, the chain recommends it (海淀区总工会 → the Beijing city-step union → 北京市卫生
  健康委员会's opinion → 北京市总工会 → 中华全国总工会), an expert of 湖北 scores it, the
  national officer (``union-cn``) selects, publishes, and names it after publicity, with a
  certificate and a subsidy allocation; then ``employer-bj`` files the 2025 yearly report
  and the 2025 re-assessment runs once.
- 2026 campaign: the same chain for 上海张江 (``employer-sh``), published for publicity on
  the demo date, so the public list shows it and an objection can be made.

Built through the designation services (ADR 0006), back-dated with their ``today``/``now``
parameters; running it again adds nothing (a campaign is found by year and name).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

#: Name of both demo campaigns (the year tells them apart).
DEMO_CAMPAIGN_NAME = "全国爱心托育用人单位"
#: The chain's officers the demo creates besides the printed accounts: (username, org key,
#: role, display name).
CHAIN_OFFICERS = (
    ("union-hd", "union-110108", "union_officer", "钱工（海淀区总工会）"),
    ("union-sh-pd", "union-310115", "union_officer", "高工（浦东新区总工会）"),
    ("union-bj-city", "union-1101", "union_officer", "何工（北京市区级工会联合会）"),
    ("union-sh-city", "union-3101", "union_officer", "罗工（上海市区级工会联合会）"),
    ("health-bj-prov", "health-110000", "health_officer", "林卫（北京市卫生健康委员会）"),
    ("health-sh-prov", "health-310000", "health_officer", "梁卫（上海市卫生健康委员会）"),
    ("expert-hb", "expert-pool-420000", "expert", "曹教授（湖北省托育服务专家库）"),
)
#: Criteria points the demo expert gives (every default criterion gets this share of its max).
SCORE_SHARE = "0.9"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _chain_officers(builder) -> None:
    """The Beijing and Shanghai city-step unions, a provincial expert pool outside both
    provinces (an expert may not score an applicant of the pool's province, DES-040) and
    the chain's officers (once)."""
    for prov, county in (("110000", "110108"), ("310000", "310115")):
        builder.org(f"union-{prov[:2]}01",
                    kind="union", name=f"{builder.division(prov).name}区级工会联合会",
                    division=builder.division(county), level="prefecture",
                    parent=builder.orgs[f"union-{prov}"])
    builder.org("expert-pool-420000", kind="expert_pool", name="湖北省托育服务专家库",
                division=builder.division("420000"), level="provincial",
                parent=builder.orgs["expert-pool"])
    for username, org_key, role, display in CHAIN_OFFICERS:
        user = builder.user(username, display_name=display)
        builder.member(user, builder.orgs[org_key], role)


def _application_walk(builder, campaign, *, employer_key: str, facility_key: str,
                      admin: str, county_union: str, city_union: str, health: str,
                      province_union: str, days: list[date]) -> object | None:
    """Apply and walk one application to ``scored`` on the given ``days`` (7 dates).

    Returns the application, or None when the facility was not built.
    """
    from tuoyu.core.demo.catalogue import DEMO_SOURCE
    from tuoyu.designation import scoring, services
    from tuoyu.facilities.models import Facility

    facility = Facility.objects.filter(source_system=DEMO_SOURCE, external_id=facility_key).first()
    if facility is None:
        return None
    u = builder.users
    app = services.application_create(
        actor=u[admin], campaign=campaign, employer=builder.orgs[employer_key], today=days[0],
        facility=facility, no_safety_incident=True,
        # The registry's children were enrolled in the months before the demo date, so
        # for a back-dated application the employer declares its counts (DES-E03).
        declared_enrolled=40, declared_own_staff_children=34,
        self_assessment="托育中心主要招收本单位职工子女，收费低于当地普惠价格，全年无安全事故。")
    app = services.application_submit(actor=u[admin], application=app, today=days[0])
    app = services.application_recommend(actor=u[county_union], application=app,
                                         reason="材料齐全，同意推荐。", today=days[1])
    app = services.application_recommend(actor=u[city_union], application=app,
                                         reason="经核实，同意推荐。", today=days[2])
    app = services.application_health_opinion_record(
        actor=u[health], application=app, opinion="该托育机构已备案，近三年无卫生保健问题，同意推荐。")
    app = services.application_recommend(actor=u[province_union], application=app,
                                         reason="同意推荐至全国总工会。", today=days[3])
    app = services.application_recommend(actor=u["union-cn"], application=app,
                                         reason="进入全国审核。", today=days[4])
    app = scoring.scoring_start(actor=u["union-cn"], application=app)
    scoring.expert_assign(actor=u["union-cn"], application=app, expert=u["expert-hb"])
    points = {c.code: c.max_points * Decimal(SCORE_SHARE)
              for c in scoring.criteria_of(campaign)}
    scoring.scores_record(actor=u["expert-hb"], application=app, points=points)
    return scoring.scoring_finish(actor=u["union-cn"], application=app)


def _campaign(builder, year: int, opens_on: date, closes_on: date):
    from tuoyu.designation import services

    return services.campaign_create(
        actor=builder.users["union-cn"], year=year, name=DEMO_CAMPAIGN_NAME, opens_on=opens_on,
        closes_on=closes_on, number_to_name=100, price_caps={"11": "3000", "31": "4000"})


def demo_designation_build(builder) -> int:
    """Create the demo campaigns (once); see the module docstring.

    ``builder``: the :class:`~tuoyu.core.demo.builder.DemoBuilder` (its orgs and users).
    The 2025 campaign's dates are fixed (window 2025-03-03 – 2025-04-30, publicity from
    2025-07-01, named 2025-08-01, yearly report filed 2026-03-20, before its 31 March
    deadline); the campaign of the demo year closed 60 days before ``builder.as_of`` and
    its publicity starts on ``builder.as_of``.
    Skips a campaign whose facility was not built (``demo_build(facilities=…)``). Returns
    the number of campaigns created by this call (0 on a second run).
    """
    from tuoyu.designation.models import Campaign, Designation
    from tuoyu.designation.naming import campaign_name_units
    from tuoyu.designation.proposals import proposal_confirm, proposal_create
    from tuoyu.designation.publicity import publicity_publish
    from tuoyu.designation.reassessment import reassess_year, report_file

    _chain_officers(builder)
    national = builder.users["union-cn"]
    created = 0
    bj = {"employer_key": "emp-bj-zhilian", "facility_key": "fac-bj-joint", "admin": "employer-bj",
          "county_union": "union-hd", "city_union": "union-bj-city",
          "health": "health-bj-prov", "province_union": "union-bj"}
    sh = {"employer_key": "emp-sh-zhangjiang", "facility_key": "fac-sh-park2",
          "admin": "employer-sh", "county_union": "union-sh-pd", "city_union": "union-sh-city",
          "health": "health-sh-prov", "province_union": "union-sh"}

    if not Campaign.objects.filter(year=2025, name=DEMO_CAMPAIGN_NAME).exists():
        campaign = _campaign(builder, 2025, date(2025, 3, 3), date(2025, 4, 30))
        created += 1
        days = [date(2025, 4, 10), date(2025, 4, 21), date(2025, 5, 6), date(2025, 5, 16),
                date(2025, 5, 30)]
        app = _application_walk(builder, campaign, days=days, **bj)
        if app is not None:
            proposal, _result = proposal_create(actor=national, campaign=campaign)
            proposal_confirm(actor=national, proposal=proposal)
            publicity_publish(actor=national, proposal=proposal, today=date(2025, 7, 1))
            campaign_name_units(actor=national, campaign=campaign, now=_at(date(2025, 8, 1)))
    designation = Designation.objects.filter(year=2025, employer=builder.orgs["emp-bj-zhilian"]).first()
    if designation is not None and not designation.reports.filter(year=2025).exists():
        report_file(actor=builder.users["employer-bj"], designation=designation, year=2025,
                    now=_at(min(date(2026, 3, 20), builder.as_of)),
                    enrolled=40, own_staff_children=34,
                    narrative="2025 年托育中心持续运营，职工子女占比稳定，未发生安全事故。")
        reassess_year(actor=national, year=2025, as_of=builder.as_of)

    year = builder.as_of.year
    if year > 2025 and not Campaign.objects.filter(year=year, name=DEMO_CAMPAIGN_NAME).exists():
        # The window closed 60 days before the demo date; the chain took the weeks after.
        closes = builder.as_of - timedelta(days=60)
        campaign = _campaign(builder, year, closes - timedelta(days=58), closes)
        created += 1
        days = [closes - timedelta(days=20), *(closes + timedelta(days=n) for n in (10, 20, 30, 40))]
        app = _application_walk(builder, campaign, days=days, **sh)
        if app is not None:
            proposal, _result = proposal_create(actor=national, campaign=campaign)
            proposal_confirm(actor=national, proposal=proposal)
            publicity_publish(actor=national, proposal=proposal, today=builder.as_of)
    return created
