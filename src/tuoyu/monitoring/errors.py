"""Error codes of the monitoring app (``MON-1xx``), registered in the shared catalogue.

The rule codes of the alerts are ``MON-001`` … ``MON-099`` (see :mod:`.rules`); error
codes start at ``MON-101`` so the two never meet.
"""

from tuoyu.core.errors import register

MON_NOTE_REQUIRED = register(
    "MON-101",
    "确认预警必须填写处理说明。",
    "Acknowledging an alert needs a note.",
)
MON_ALREADY_HANDLED = register(
    "MON-102",
    "预警“{alert}”当前状态为“{status}”，不能再确认。",
    "Alert “{alert}” is {status}; it cannot be acknowledged again.",
)
MON_UNKNOWN_RULE = register(
    "MON-103",
    "没有编号为“{code}”的预警规则。",
    "There is no alert rule with the code “{code}”.",
)
MON_DATE_OUT_OF_RANGE = register(
    "MON-104",
    "预警只能按 {earliest} 至 {today} 之间的日期运行（不能早于上次运行，不能晚于今天），收到 {date}。",
    "Alerts can only run as of a date from {earliest} to {today} (not before the last run, "
    "not after today); got {date}.",
)
