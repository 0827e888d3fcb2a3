"""The demo data set (演示数据) behind ``tuoyu serve --demo`` and ``tuoyu demo``.

- :func:`demo_build` — the fixed, seeded set: organisations in all 31 provinces, unions,
  health commissions and departments at every level, facilities of every provision model
  in every filing state, a few that break rules, and one account per role;
- :func:`demo_extend` — N more generated facilities, bulk-created, for benchmarks;
- :func:`demo_accounts` — the accounts to print (username, password, role, organisation,
  province).
"""

from tuoyu.core.demo.builder import (
    DEFAULT_SEED,
    DemoAccount,
    DemoSummary,
    demo_accounts,
    demo_build,
)
from tuoyu.core.demo.bulk import demo_extend
from tuoyu.core.demo.catalogue import DEMO_PASSWORD

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoSummary",
    "demo_accounts",
    "demo_build",
    "demo_extend",
]
