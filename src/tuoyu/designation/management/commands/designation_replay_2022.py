"""``tuoyu designation replay-2022 [--seed N] [--json] [--time-limit SECONDS]`` (2022 年度遴选复盘)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from tuoyu.core.errors import DomainError, message_for


class Command(BaseCommand):
    """Replay the 2022 round of 全国爱心托育用人单位 on a synthetic 189-candidate pool.

    Builds the pool for ``--seed`` (default 2022; the same seed gives the same pool), chooses
    75 with the service of ``tuoyu designation select`` (at least one per province, every
    industry section and provision model of the pool) and prints the provinces, industry
    sections and provision models covered by the selection against the published 27 / 15 /
    5 and against the plain top 75 by score, the score given up, the solve time (seconds)
    and whether the optimum is proven. ``--json`` prints the same as one JSON object
    (keys in docs/designation-select.md, "Replay of the 2022 round"). Progress goes to
    stderr. Source of the figures: 工人日报 2023-05-05 (policy facts of the 2022 round);
    everything else about the pool is an assumption (docs/adr/0090).
    Exit status: 0 a selection proven optimal; 1 no proven optimum within ``--time-limit``
    (DES-007) or the rules cannot be met; 2 the reference data is missing (DES-090).
    """

    help = (
        "Replay the 2022 round: choose 75 of a synthetic 189-candidate pool and compare coverage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=None, help="seed of the pool (default 2022)"
        )
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=120.0,
            metavar="SECONDS",
            help="limit of each solve (default 120)",
        )

    def handle(self, *args, **options):
        from tuoyu.designation.selection.replay import DEFAULT_SEED, replay_run

        seed = DEFAULT_SEED if options["seed"] is None else options["seed"]
        quiet = options["verbosity"] < 1

        def progress(line: str) -> None:
            if not quiet:
                self.stderr.write(f"… {line}")

        try:
            report = replay_run(seed=seed, time_limit=options["time_limit"], progress=progress)
        except DomainError as exc:
            self.stderr.write(f"{exc.code}: {message_for(exc.code, exc.params, 'zh-hans')}")
            self.stderr.write(f"{exc.code}: {message_for(exc.code, exc.params, 'en')}")
            raise CommandError(str(exc), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._text(report)
        if not report.proven_optimal:
            raise CommandError("no selection proven optimal; see the output above", returncode=1)

    def _text(self, report) -> None:
        from tuoyu.designation.selection.candidates import DIMENSION_LABELS
        from tuoyu.designation.selection.replay import (
            PUBLISHED_CANDIDATES,
            PUBLISHED_INDUSTRIES,
            PUBLISHED_MODELS,
            PUBLISHED_PROVINCES,
            PUBLISHED_SOURCE,
        )

        out = self.stdout
        pool = report.pool_summary()
        k = report.size
        out.write(
            f"2022 年度遴选复盘：{pool['candidates']} 家模拟候选单位（种子 {report.seed}），选出 {k} 家"
        )
        out.write(
            f"Replay of the 2022 round: {pool['candidates']} simulated candidates "
            f"(seed {report.seed}), choose {k}"
        )
        out.write(
            f"scores {pool['score_min']}–{pool['score_max']} (mean {pool['score_mean']}); "
            f"candidates per province {min(pool['per_province'].values())}–"
            f"{max(pool['per_province'].values())}"
        )
        out.write("")
        # English label first, the Chinese one last: CJK characters are double width.
        out.write(
            f"{'coverage':<24}{'pool':>6}{'selection':>11}{f'top-{k}':>8}{'published':>11}  覆盖"
        )
        for row in report.coverage:
            zh, en = DIMENSION_LABELS[row.dimension]
            selection = "-" if row.selection is None else row.selection
            published = "-" if row.published is None else row.published
            out.write(f"{en:<24}{row.pool:>6}{selection:>11}{row.top_k:>8}{published:>11}  {zh}")
        out.write("")
        data = report.as_dict()
        if report.proven_optimal:
            out.write(
                f"total score {data['total_score']}   top-{k} {data['top_k_score']}   "
                f"given up {data['score_given_up']}"
            )
        else:
            out.write(f"top-{k} {data['top_k_score']}   no selection")
        out.write(
            f"solve time {report.seconds:.2f} s   proven optimal: "
            f"{'yes 是' if report.proven_optimal else 'no 否'}"
        )
        out.write("")
        if report.error is not None:
            out.write(message_for(report.error.code, report.error.params, "zh-hans"))
            out.write(message_for(report.error.code, report.error.params, "en"))
        if report.result is not None:
            for message in (*report.result.notes, *report.result.messages):
                out.write(message.zh)
                out.write(message.en)
        out.write("")
        out.write(
            f"候选池为模拟数据：公开的只有总数（{PUBLISHED_CANDIDATES} 选 {k}、"
            f"{PUBLISHED_PROVINCES} 个省份、{PUBLISHED_INDUSTRIES} 个行业、{PUBLISHED_MODELS} 种模式）。"
        )
        out.write(f"The pool is simulated; only the totals are published: {PUBLISHED_SOURCE}.")
