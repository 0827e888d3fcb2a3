"""Error codes of the designation app (``DES-0xx``), registered in the shared catalogue.

``DES-001`` … ``DES-009`` concern the selection request as a whole (size, rules file);
``DES-010`` and above concern one candidate row and one column (row-level errors, see
:class:`tuoyu.designation.selection.RowError`). The file-level codes of the import
reader (``IMP-001`` … ``IMP-006``: format, encoding, size) are reused for the candidates
file.
"""

from tuoyu.core.errors import register

# Request-level (exit status 2 of ``tuoyu designation select``).
DES_SIZE = register(
    "DES-001",
    "入选数量 K 须为 1 至候选数 {count} 之间的整数，收到：{size}。",
    "The number to select K must be a whole number from 1 to the number of candidates "
    "({count}); got {size}.",
)
DES_RULES_INVALID = register(
    "DES-002",
    "遴选规则无效（{path}）：{detail}",
    "The selection rules are invalid ({path}): {detail}",
)
DES_RULES_UNREADABLE = register(
    "DES-003",
    "无法读取遴选规则文件：{detail}",
    "The selection rules file cannot be read: {detail}",
)
DES_CANDIDATES_INVALID = register(
    "DES-004",
    "候选名单有 {count} 处错误，未进行遴选。",
    "The candidate list has {count} error(s); nothing was selected.",
)
DES_MISSING_COLUMNS = register(
    "DES-005",
    "候选名单缺少必需的列：{columns}",
    "The candidate list lacks required columns: {columns}",
)
DES_NO_CANDIDATES = register(
    "DES-006",
    "候选名单为空。",
    "The candidate list is empty.",
)
DES_SOLVER_FAILED = register(
    "DES-007",
    "求解器未能给出最优解：{detail}",
    "The solver did not prove an optimum: {detail}",
)

# Row-level: one cell of one candidate is wrong.
DES_REQUIRED = register("DES-010", "必填项为空。", "A value is required.")
DES_DUPLICATE_ID = register(
    "DES-011",
    "编号“{value}”重复（首次出现在第 {first} 行）。",
    "The id “{value}” is repeated (first on row {first}).",
)
DES_PROVINCE = register(
    "DES-012",
    "“{value}”不是有效的省级行政区划代码（2 位，或 6 位代码的前 2 位）。",
    "“{value}” is not a valid province code (2 digits, or a 6-digit division code).",
)
DES_SCORE = register(
    "DES-013",
    "“{value}”不是有效得分（0 至 1000000，最多 4 位小数）。",
    "“{value}” is not a valid score (0 to 1,000,000, at most 4 decimal places).",
)
DES_CHOICE = register(
    "DES-014",
    "“{value}”不是允许的值；可填：{allowed}",
    "“{value}” is not an allowed value; use one of: {allowed}",
)
DES_COUNT = register(
    "DES-015",
    "“{value}”不是有效的非负整数。",
    "“{value}” is not a valid whole number of zero or more.",
)
