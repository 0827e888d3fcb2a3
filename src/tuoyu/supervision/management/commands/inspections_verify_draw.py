"""``tuoyu inspections verify-draw DRAW_ID`` (核验抽取结果)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Recompute a stored draw from its frozen lists and seed; print MATCH or MISMATCH.

    Input: the draw's id. Output: ``MATCH`` with the hashes and seed (exit 0), or
    ``MISMATCH`` followed by each difference found (exit 1): a frozen list that no longer
    hashes to its published hash, or a stored result that differs from the recomputed
    one. Exit 2 when no draw has that id. The algorithm is docs/draw-algorithm.md.
    """

    help = "Recompute a stored double-random draw and say MATCH or MISMATCH."

    def add_arguments(self, parser):
        parser.add_argument("draw_id", type=int, help="id of the draw")

    def handle(self, *args, **options):
        from tuoyu.supervision.models import Draw
        from tuoyu.supervision.selectors import draw_verify

        draw = Draw.objects.select_related("plan__draw_list").filter(pk=options["draw_id"]).first()
        if draw is None:
            raise CommandError(f"no draw with id {options['draw_id']}", returncode=2)
        outcome = draw_verify(draw)
        if outcome.match:
            self.stdout.write(
                f"MATCH draw {draw.pk} {draw.algorithm} seed={draw.seed} "
                f"entities={draw.result['entities']['sha256']} "
                f"inspectors={draw.result['inspectors']['sha256']}"
            )
            return
        self.stdout.write(f"MISMATCH draw {draw.pk}")
        for problem in outcome.problems:
            self.stdout.write(f"  {problem}")
        raise CommandError("the stored draw does not match its recomputation", returncode=1)
