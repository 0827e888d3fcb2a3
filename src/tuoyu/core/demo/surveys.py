"""Demo demand survey (演示需求调查) of the Beijing demo employer.

One open survey of 智联 (``emp-bj-zhilian``, administrator ``employer-bj``) with 50
personal links, the open link enabled, one extra question and 40 answers (34 through
personal links, 6 through the open link), drawn from the seeded generator, so that
results, projections and plans have something to show. Built through the survey
services, like the rest of the demo data (ADR 0006).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from tuoyu.surveys.dates import add_months

DEMO_SURVEY_TITLE = "2026年职工托育服务需求调查"
#: Personal links issued, and answers through them and through the open link.
DEMO_LINKS, DEMO_PERSONAL_ANSWERS, DEMO_OPEN_ANSWERS = 50, 34, 6


def _answer(rng: random.Random, as_of):
    from tuoyu.surveys.services import AnswerData, ChildEntry

    children = [ChildEntry(add_months(as_of, -rng.randint(0, 34))) for _ in range(rng.choice([1, 1, 1, 2]))]
    if rng.random() < 0.2:
        children.append(ChildEntry(add_months(as_of, rng.randint(1, 9)), expected=True))
    start = rng.choice([time(7, 30), time(8, 0), time(8, 30)])
    return AnswerData(
        children=children,
        current_care=rng.choice(["grandparents"] * 4 + ["parents"] * 3 + ["nanny", "facility", "other"]),
        wanted_services=rng.choice([["full_day"]] * 5 + [["half_day"], ["full_day", "occasional"], ["hourly"]]),
        days_per_week=rng.choice([5, 5, 5, 3, 4]),
        hours_from=start, hours_to=time(start.hour + 10, start.minute),
        fee_band=rng.choice(["1000_1999", "2000_2999", "2000_2999", "3000_3999", "lt1000", "4000_5999"]),
        would_use=rng.choice(["on_site"] * 5 + ["nearby"] * 2 + ["either", "no"]),
        commute_minutes=rng.choice([10, 20, 30, 40, 60]),
        extra_answers={"1": rng.choice(["东区", "西区", "总部"])},
    )


def demo_survey_build(builder) -> None:
    """Add the demo survey unless it exists. ``builder`` is the running DemoBuilder
    (its employer, users, seed and ``as_of`` date are used)."""
    from tuoyu.surveys import services
    from tuoyu.surveys.models import Survey
    from tuoyu.surveys.services import QuestionSpec

    employer = builder.orgs.get("emp-bj-zhilian")
    actor = builder.users.get("employer-bj")
    if employer is None or actor is None or Survey.objects.filter(employer=employer, title=DEMO_SURVEY_TITLE).exists():
        return
    as_of = builder.as_of
    rng = random.Random(builder.seed + 4)
    survey = services.survey_create(
        actor=actor, employer=employer, title=DEMO_SURVEY_TITLE,
        description="了解职工3岁以下子女的托育需求，为单位自建托育中心规划托位。",
        opens_on=as_of - timedelta(days=14), closes_on=as_of + timedelta(days=16), staff_count=60,
        questions=[QuestionSpec(text="您的工作地点", kind="single", choices=("东区", "西区", "总部"))],
    )
    survey = services.survey_transition(actor=actor, survey=survey, action="open", today=as_of)
    survey = services.survey_open_link_set(actor=actor, survey=survey, enabled=True)
    links = services.invitations_create(
        actor=actor, survey=survey, text="\n".join(f"ZL{n:04d}" for n in range(1, DEMO_LINKS + 1))
    ).created
    now = timezone.make_aware(datetime.combine(as_of, time(12, 0)))
    for link in links[:DEMO_PERSONAL_ANSWERS]:
        services.response_submit(survey=survey, data=_answer(rng, as_of), source="personal",
                                 consented=True, invitation=link, now=now)
    for _n in range(DEMO_OPEN_ANSWERS):
        services.response_submit(survey=survey, data=_answer(rng, as_of), source="open",
                                 consented=True, now=now)
    builder.created = True
