"""Error codes of survey planning (``SUR-060`` … ``SUR-089``): projection, capacity plan,
cost-sharing model and scenarios.

Registered in the shared catalogue (:mod:`tuoyu.core.errors`); ``{name}`` placeholders
are filled from the error's ``params``. Codes ``SUR-070`` … ``SUR-074`` are *findings*
of the cost model (shown beside a scenario), not raised.
"""

from tuoyu.core.errors import register

SUR_PLAN_BIRTH_MONTH = register(
    "SUR-060",
    "出生（预产）月份必须是某月的1日：{value}",
    "A birth (due) month must be the 1st of a month: {value}",
)
SUR_PLAN_WINDOW = register(
    "SUR-061",
    "测算期须为1至120个月：{months}",
    "The projection window must be 1 to 120 months: {months}",
)
SUR_PLAN_SCALE = register(
    "SUR-062",
    "放大系数须大于0：{value}",
    "The scale factor must be greater than 0: {value}",
)
SUR_PLAN_INPUT = register(
    "SUR-063",
    "测算参数“{field}”无效：{detail}",
    "Scenario input “{field}” is invalid: {detail}",
)
SUR_PLAN_NAME_TAKEN = register(
    "SUR-064",
    "该调查已有名为“{name}”的测算方案。",
    "This survey already has a scenario named “{name}”.",
)
SUR_PLAN_TOO_MANY = register(
    "SUR-065",
    "每项调查最多{limit}个测算方案。",
    "A survey has at most {limit} scenarios.",
)
SUR_PLAN_SUPPRESSED = register(
    "SUR-066",
    "愿意使用的答卷少于{min_cell}份，不显示测算结果。",
    "Fewer than {min_cell} answers would use the facility; the plan is not shown.",
)
SUR_PLAN_BAD_DATE = register(
    "SUR-067",
    "日期无效：{value}（应为YYYY-MM-DD）",
    "Invalid date: {value} (expected YYYY-MM-DD)",
)

# Findings of the cost model (返回给页面，不抛出).
SUR_FEE_ABOVE_CAP = register(
    "SUR-070",
    "家长月费¥{fee}高于当地普惠托育价格上限¥{cap}。",
    "The parent fee of ¥{fee} a month is above the local affordable-care price cap of ¥{cap}.",
)
SUR_BREAK_EVEN_NEVER = register(
    "SUR-071",
    "每名在托幼儿的收入（¥{income}）不高于其变动成本（¥{cost}），任何入托率都无法收支平衡。",
    "Income per enrolled child (¥{income}) does not exceed its variable cost (¥{cost}); "
    "no occupancy breaks even.",
)
SUR_BREAK_EVEN_ABOVE_CAPACITY = register(
    "SUR-072",
    "收支平衡需要{children}名幼儿入托（入托率{pct}%），超过{places}个托位。",
    "Breaking even needs {children} enrolled children ({pct}% occupancy), more than the "
    "{places} places.",
)
SUR_NO_PLACES = register(
    "SUR-073",
    "托位数为0，无法计算每托位成本。",
    "There are no places, so no cost per place can be computed.",
)
