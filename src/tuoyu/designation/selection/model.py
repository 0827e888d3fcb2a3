"""The integer programme behind representative selection, built for scipy's HiGHS MILP.

Variables: ``x_i`` ∈ {0, 1} (candidate i chosen), one ``y_{c,v}`` ∈ {0, 1} per value v of
each "distinct values" constraint c (value v counts as covered only if a chosen unit has
it: ``y_{c,v} ≤ Σ_{i has v} x_i``), and, in the elastic form used to explain infeasible
targets, a slack ``s_c`` ≥ 0 per constraint and a switch ``z_g`` ∈ {0, 1} per constraint
group (``s_c ≤ U_c · z_g``).

Every constraint is ``activity(c) ≥ bound`` or ``activity(c) ≤ bound`` where activity is a
count of chosen units (or of covered values). ``Σ x_i = K`` is always hard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

#: HiGHS must prove the optimum: no relative gap (its default of 1e-4 would accept a
#: total one point short on a 10,000-point total). Presolve is off: these models are
#: count rows over binaries that presolve cannot shrink, and on 10,000 candidates it took
#: longer than the solve itself (ADR 0060).
MIP_OPTIONS = {"mip_rel_gap": 0.0, "disp": False, "presolve": False}


@dataclass(frozen=True)
class Constraint:
    """One linear constraint on the chosen set.

    ``group`` is the stable key of the group it belongs to (``province_cap``,
    ``province_min``, ``coverage.industry``, ``rule.2`` …); ``key`` tells it apart inside
    the group (a province code, a value); ``members`` are candidate positions counted;
    for a distinct-values constraint ``classes`` holds one tuple of positions per value
    and ``members`` is empty. ``sense`` is ``">="`` or ``"<="``; ``bound`` a count.
    ``label`` is a (zh-Hans, English) pair for explanations.
    """

    group: str
    key: str
    sense: str
    bound: int
    members: tuple[int, ...] = ()
    classes: tuple[tuple[int, ...], ...] | None = None
    label: tuple[str, str] = ("", "")

    def activity(self, chosen: set[int]) -> int:
        """The left-hand side for the chosen positions: a count of units or of values."""
        if self.classes is not None:
            return sum(1 for members in self.classes if any(i in chosen for i in members))
        return sum(1 for i in self.members if i in chosen)


@dataclass(frozen=True)
class Solved:
    """Outcome of one MILP solve: ``status`` 0 optimal, 1 limit reached, 2 infeasible,
    other values failure (scipy's codes); ``chosen`` the positions with x = 1;
    ``slack`` per constraint index and ``relaxed`` group keys (elastic form only)."""

    status: int
    message: str
    chosen: frozenset[int] = frozenset()
    slack: tuple[int, ...] = ()
    relaxed: tuple[str, ...] = ()


def solve(
    n: int,
    size: int,
    constraints: Sequence[Constraint],
    *,
    objective: Sequence[float],
    maximise: bool,
    score_floor: tuple[Sequence[int], int] | None = None,
    elastic: bool = False,
    time_limit: float | None = None,
) -> Solved:
    """Solve the selection MILP over ``n`` candidates choosing exactly ``size``.

    ``objective`` gives one coefficient per candidate (maximised or minimised);
    ``score_floor`` = (integer scores, floor) adds ``Σ score_i x_i ≥ floor``; ``elastic``
    adds slack per constraint and a switch per group and *replaces* the objective by
    "fewest groups relaxed, then least total slack". ``time_limit`` in seconds.
    """
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    row = 0

    def add_row(entries, lo, hi):
        nonlocal row
        for col, val in entries:
            rows.append(row)
            cols.append(col)
            vals.append(val)
        lower.append(lo)
        upper.append(hi)
        row += 1

    n_vars = n
    y_start: dict[int, int] = {}
    for index, c in enumerate(constraints):
        if c.classes is not None:
            y_start[index] = n_vars
            n_vars += len(c.classes)
    slack_start = n_vars
    groups: list[str] = []
    if elastic:
        n_vars += len(constraints)
        groups = sorted({c.group for c in constraints})
    z_start = n_vars
    n_vars += len(groups)

    add_row([(i, 1.0) for i in range(n)], size, size)
    for index, c in enumerate(constraints):
        if c.classes is not None:
            base = y_start[index]
            for offset, members in enumerate(c.classes):
                add_row([(base + offset, 1.0), *((i, -1.0) for i in members)], -np.inf, 0)
            entries = [(base + offset, 1.0) for offset in range(len(c.classes))]
        else:
            entries = [(i, 1.0) for i in c.members]
        if elastic:
            entries.append((slack_start + index, 1.0 if c.sense == ">=" else -1.0))
        if c.sense == ">=":
            add_row(entries, c.bound, np.inf)
        else:
            add_row(entries, -np.inf, c.bound)
    var_upper = np.ones(n_vars)
    weights = np.zeros(n_vars)
    if elastic:
        total_bound = 0
        for index, c in enumerate(constraints):
            limit = c.bound if c.sense == ">=" else size
            var_upper[slack_start + index] = limit
            total_bound += limit
            add_row(
                [(slack_start + index, 1.0), (z_start + groups.index(c.group), -float(limit))],
                -np.inf,
                0,
            )
        weights[slack_start:z_start] = 1.0
        weights[z_start:] = float(total_bound + 1)
    else:
        weights[:n] = [(-v if maximise else v) for v in objective]
    if score_floor is not None:
        scores, floor = score_floor
        add_row([(i, float(s)) for i, s in enumerate(scores) if s], floor - 0.5, np.inf)

    matrix = coo_array((vals, (rows, cols)), shape=(row, n_vars)).tocsr()
    options = dict(MIP_OPTIONS)
    if time_limit:
        options["time_limit"] = float(time_limit)
    result = milp(
        weights,
        integrality=np.ones(n_vars),
        bounds=Bounds(np.zeros(n_vars), var_upper),
        constraints=LinearConstraint(matrix, np.array(lower), np.array(upper)),
        options=options,
    )
    if result.x is None or result.status != 0:
        return Solved(result.status, str(result.message))
    x = np.rint(result.x).astype(int)
    chosen = frozenset(int(i) for i in np.flatnonzero(x[:n]))
    slack: tuple[int, ...] = ()
    relaxed: tuple[str, ...] = ()
    if elastic:
        slack = tuple(int(v) for v in x[slack_start:z_start])
        relaxed = tuple(g for k, g in enumerate(groups) if x[z_start + k])
    return Solved(0, str(result.message), chosen, slack, relaxed)
