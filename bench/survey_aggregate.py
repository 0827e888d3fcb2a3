"""Benchmark of the survey results aggregation against hand-written SQL (issue 4, item 4).

Usage (PostgreSQL only; the URL is the *admin* connection, e.g. the ``postgres`` database)::

    TUOYU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python bench/survey_aggregate.py [--answers 1000000] [--repeat 5] [--keep] [--reuse]

What it does, all in one run:

1. creates a fresh database ``--database`` (default ``tuoyu_bench_surveys``; dropped first)
   and migrates it; with ``--reuse`` a kept database with its answers is used as it is;
2. makes one employer, one open survey and ``--answers`` answers with about 0.8 children
   each (birth months spread over 40 months, 10 % expected births), written by SQL
   ``generate_series`` (deterministic: every value is a function of the row number),
   then ``VACUUM ANALYZE``;
3. measures, ``--repeat`` times each and interleaved so both share the same conditions:

   - **orm** — :func:`tuoyu.surveys.results.survey_results`, everything the results page
     computes (one conditional-count query over the answers, one grouped query over the
     children, the response rate and the suppression);
   - **raw** — the same figures written by hand in SQL: one ``COUNT(*) FILTER`` query over
     the answers and one ``GROUP BY`` over the children with the age band as a ``CASE``
     over birth-month ranges;

4. prints a JSON summary with the medians in ms and ``ratio`` = orm / raw (target ≤ 1.5)
   and checks that both give the same counts; drops the database unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = "tuoyu_bench_surveys"
AS_OF = dt.date(2026, 11, 29)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _setup(url: str, name: str, reuse: bool) -> None:
    if not reuse:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(url, f'CREATE DATABASE "{name}"')
    env = {**os.environ, "TUOYU_DATABASE_URL": _with_database(url, name)}
    subprocess.run(
        [sys.executable, "-m", "tuoyu", "migrate", "--noinput", "-v", "0"],
        check=True, cwd=REPO, env=env,
    )


def _populate(answers: int) -> int:
    """Make the employer, survey and answers; return the survey id."""
    from django.db import connection
    from tests.factories import OrganizationFactory, UserFactory

    from tuoyu.surveys.models import Survey

    employer = OrganizationFactory(name="基准测试单位")
    user = UserFactory(username="bench-admin")
    survey = Survey.objects.create(
        employer=employer, title="基准调查", opens_on=dt.date(2026, 10, 1),
        closes_on=dt.date(2026, 12, 31), status="open", staff_count=answers * 2, created_by=user,
    )
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO surveys_surveyresponse
              (survey_id, source, paper_ref, consent_at, submitted_at, updated_at, current_care,
               wanted_services, days_per_week, hours_from, hours_to, fee_band, would_use,
               commute_minutes, extra_answers)
            SELECT %s, 'open', '', now(), now(), now(),
              (ARRAY['parents','grandparents','nanny','facility','kindergarten','other',''])[g %% 7 + 1],
              (ARRAY['["full_day"]','["half_day"]','["full_day", "hourly"]','[]','["occasional"]'])[g %% 5 + 1]::jsonb,
              CASE WHEN g %% 9 = 0 THEN NULL ELSE g %% 7 + 1 END,
              CASE WHEN g %% 11 = 0 THEN NULL ELSE time '06:30' + (g %% 6) * interval '30 minutes' END,
              CASE WHEN g %% 11 = 0 THEN NULL ELSE time '15:30' + (g %% 8) * interval '30 minutes' END,
              (ARRAY['lt1000','1000_1999','2000_2999','3000_3999','4000_5999','ge6000',''])[g %% 7 + 1],
              (ARRAY['on_site','nearby','either','no',''])[g %% 5 + 1],
              CASE WHEN g %% 13 = 0 THEN NULL ELSE g %% 90 END,
              '{}'::jsonb
            FROM generate_series(1, %s) AS g
            """,
            [survey.pk, answers],
        )
        # 0.8 children per answer: none for every 5th answer, birth months over 40 months.
        cur.execute(
            """
            INSERT INTO surveys_responsechild (response_id, birth_month, expected)
            SELECT r.id,
              CASE WHEN r.id %% 10 = 0
                   THEN date '2026-12-01' + ((r.id / 10) %% 10) * interval '1 month'
                   ELSE date '2026-11-01' - ((r.id * 7) %% 40) * interval '1 month' END,
              r.id %% 10 = 0
            FROM surveys_surveyresponse r
            WHERE r.survey_id = %s AND r.id %% 5 <> 0
            """,
            [survey.pk],
        )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE surveys_surveyresponse")
        cur.execute("VACUUM ANALYZE surveys_responsechild")
    return survey.pk


def _raw_sql(survey_id: int) -> dict:
    """The results' figures by hand-written SQL (band boundaries computed once, like the ORM)."""
    from django.db import connection

    from tuoyu.surveys.dates import add_months
    from tuoyu.surveys.results import age_band_of

    # Birth-month boundaries of the bands on AS_OF (months before it) — precomputed, as a
    # hand-written query would have them as literals.
    months, bounds = [], {}
    first = dt.date(AS_OF.year - 4, AS_OF.month, 1)
    month = first
    while month <= AS_OF.replace(day=1):
        band = age_band_of(month, expected=False, as_of=AS_OF)
        bounds.setdefault(band, [month, month])[1] = month
        months.append(month)
        month = add_months(month, 1)
    case = " ".join(
        f"WHEN birth_month BETWEEN '{lo}' AND '{hi}' THEN '{band}'"
        for band, (lo, hi) in bounds.items()
    )
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(*),
              count(*) FILTER (WHERE current_care = 'parents'),
              count(*) FILTER (WHERE current_care = 'grandparents'),
              count(*) FILTER (WHERE current_care = 'nanny'),
              count(*) FILTER (WHERE current_care = 'facility'),
              count(*) FILTER (WHERE current_care = 'kindergarten'),
              count(*) FILTER (WHERE current_care = 'other'),
              count(*) FILTER (WHERE would_use = 'on_site'),
              count(*) FILTER (WHERE would_use = 'nearby'),
              count(*) FILTER (WHERE would_use = 'either'),
              count(*) FILTER (WHERE would_use = 'no'),
              count(*) FILTER (WHERE fee_band = 'lt1000'),
              count(*) FILTER (WHERE fee_band = '1000_1999'),
              count(*) FILTER (WHERE fee_band = '2000_2999'),
              count(*) FILTER (WHERE fee_band = '3000_3999'),
              count(*) FILTER (WHERE fee_band = '4000_5999'),
              count(*) FILTER (WHERE fee_band = 'ge6000'),
              count(*) FILTER (WHERE wanted_services ? 'full_day'),
              count(*) FILTER (WHERE wanted_services ? 'half_day'),
              count(*) FILTER (WHERE wanted_services ? 'hourly'),
              count(*) FILTER (WHERE wanted_services ? 'occasional'),
              count(*) FILTER (WHERE wanted_services = '[]'),
              count(*) FILTER (WHERE days_per_week = 1),
              count(*) FILTER (WHERE days_per_week = 2),
              count(*) FILTER (WHERE days_per_week = 3),
              count(*) FILTER (WHERE days_per_week = 4),
              count(*) FILTER (WHERE days_per_week = 5),
              count(*) FILTER (WHERE days_per_week = 6),
              count(*) FILTER (WHERE days_per_week = 7),
              count(*) FILTER (WHERE hours_from < '07:00'),
              count(*) FILTER (WHERE hours_from >= '07:00' AND hours_from < '08:00'),
              count(*) FILTER (WHERE hours_from >= '08:00' AND hours_from < '09:00'),
              count(*) FILTER (WHERE hours_from >= '09:00'),
              count(*) FILTER (WHERE hours_to < '16:00'),
              count(*) FILTER (WHERE hours_to >= '16:00' AND hours_to < '17:00'),
              count(*) FILTER (WHERE hours_to >= '17:00' AND hours_to < '18:00'),
              count(*) FILTER (WHERE hours_to >= '18:00' AND hours_to < '19:00'),
              count(*) FILTER (WHERE hours_to >= '19:00'),
              count(*) FILTER (WHERE commute_minutes < 15),
              count(*) FILTER (WHERE commute_minutes >= 15 AND commute_minutes < 30),
              count(*) FILTER (WHERE commute_minutes >= 30 AND commute_minutes < 45),
              count(*) FILTER (WHERE commute_minutes >= 45 AND commute_minutes < 60),
              count(*) FILTER (WHERE commute_minutes >= 60)
            FROM surveys_surveyresponse WHERE survey_id = %s
            """,
            [survey_id],
        )
        answers = cur.fetchone()
        cur.execute(
            f"""
            SELECT band, count(*), count(DISTINCT response_id) FROM (
              SELECT c.response_id,
                CASE WHEN c.expected THEN 'expected'
                     WHEN birth_month < '{months[0]}' THEN 'over36' {case}
                     ELSE 'under6' END AS band
              FROM surveys_responsechild c
              JOIN surveys_surveyresponse r ON r.id = c.response_id
              WHERE r.survey_id = %s) AS t
            GROUP BY band
            """,  # noqa: S608 - literals computed above, not input
            [survey_id],
        )
        children = {band: (n, a) for band, n, a in cur.fetchall()}
        cur.execute(
            """SELECT count(*), count(DISTINCT c.response_id) FROM surveys_responsechild c
               JOIN surveys_surveyresponse r ON r.id = c.response_id WHERE r.survey_id = %s""",
            [survey_id],
        )
        total = cur.fetchone()
        cur.execute("SELECT count(*) FROM surveys_surveyinvitation WHERE survey_id = %s", [survey_id])
        cur.fetchone()
    return {"answers": answers[0], "children": children, "children_total": total}


def _orm(survey_id: int):
    from tuoyu.surveys.models import Survey
    from tuoyu.surveys.results import survey_results

    survey = Survey.objects.get(pk=survey_id)
    return survey_results(survey, as_of=AS_OF)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default=BENCH_DB)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database and its answers")
    args = parser.parse_args()
    admin_url = os.environ.get("TUOYU_DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        sys.exit("TUOYU_DATABASE_URL must point at PostgreSQL")
    started = time.perf_counter()
    _setup(admin_url, args.database, args.reuse)
    os.environ["TUOYU_DATABASE_URL"] = _with_database(admin_url, args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuoyu.config.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from tuoyu.surveys.models import Survey

    if args.reuse and Survey.objects.filter(title="基准调查").exists():
        survey_id = Survey.objects.filter(title="基准调查").values_list("pk", flat=True).first()
    else:
        survey_id = _populate(args.answers)
    prepared = time.perf_counter() - started
    orm_times, raw_times = [], []
    _orm(survey_id), _raw_sql(survey_id)  # warm the cache once
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = _orm(survey_id)
        orm_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        raw = _raw_sql(survey_id)
        raw_times.append(time.perf_counter() - t)
    children = next(b for b in result.breakdowns if b.key == "children")
    same = result.answers == raw["answers"] and all(
        (c.count or 0) == raw["children"].get(c.key, (0, 0))[0] for c in children.cells
    )
    orm_ms, raw_ms = statistics.median(orm_times) * 1000, statistics.median(raw_times) * 1000
    print(json.dumps({
        "answers": result.answers,
        "children": children.total,
        "orm_median_ms": round(orm_ms, 1),
        "raw_median_ms": round(raw_ms, 1),
        "ratio": round(orm_ms / raw_ms, 2),
        "target": 1.5,
        "same_counts": same,
        "repeat": args.repeat,
        "setup_seconds": round(prepared, 1),
    }, indent=2))
    from django.db import connections

    connections.close_all()
    if not args.keep:
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
