"""Error codes of survey creation, distribution and answering (``SUR-001`` … ``SUR-029``).

Registered in the shared catalogue (:mod:`tuoyu.core.errors`); ``{name}`` placeholders
are filled from the error's ``params``.
"""

from tuoyu.core.errors import register

SUR_NOT_EDITABLE = register(
    "SUR-001",
    "调查当前状态为“{status}”，问卷不能再修改。",
    "The survey is “{status}”; its questionnaire can no longer be changed.",
)
SUR_NOT_EMPLOYER = register(
    "SUR-002", "只有用人单位可以开展职工托育需求调查。", "Only an employer can run a staff survey."
)
SUR_BAD_QUESTION = register(
    "SUR-003", "附加问题{position}无效：{detail}", "Extra question {position} is invalid: {detail}"
)
SUR_TOO_MANY_LINKS = register(
    "SUR-004",
    "每项调查最多{limit}个个人链接（已有{existing}个，本次新增{new}个）。",
    "A survey has at most {limit} personal links ({existing} exist, {new} new).",
)
SUR_NO_LABELS = register(
    "SUR-005", "请至少填写一个标识（工号或部门）。", "Enter at least one label (staff number or department)."
)
SUR_LABEL_TOO_LONG = register(
    "SUR-006",
    "第{line}行的标识超过{limit}个字符。",
    "The label on line {line} is longer than {limit} characters.",
)
SUR_NOT_ANSWERABLE = register(
    "SUR-007",
    "该调查目前不接受答卷（{reason}）。",
    "This survey is not accepting answers ({reason}).",
)
SUR_CONSENT_REQUIRED = register(
    "SUR-008",
    "请先阅读个人信息保护说明并同意后再答题。",
    "Please read the privacy notice and agree before answering.",
)
SUR_BIRTH_MONTH_FUTURE = register(
    "SUR-009",
    "出生月份{month}在未来；如为预产，请填在“预产月份”中。",
    "Birth month {month} is in the future; for an expected birth use “due month”.",
)
SUR_BIRTH_MONTH_TOO_OLD = register(
    "SUR-010",
    "出生月份{month}距答题时已满36个月，孩子已不在3岁以下，无需填写。",
    "Birth month {month} is 36 or more months ago: the child is no longer under 3, so leave it out.",
)
SUR_DUE_MONTH_RANGE = register(
    "SUR-011",
    "预产月份{month}须在答题当月起{months}个月内。",
    "Due month {month} must be within {months} months of now.",
)
SUR_BAD_ANSWER = register(
    "SUR-012", "第{position}题的回答无效：{detail}", "The answer to question {position} is invalid: {detail}"
)
SUR_ANSWER_REQUIRED = register(
    "SUR-013", "第{position}题为必答题。", "Question {position} must be answered."
)
SUR_TOO_MANY_CHILDREN = register(
    "SUR-014", "最多填写{limit}个子女或预产。", "Enter at most {limit} children or expected births."
)
SUR_OPEN_LINK_DISABLED = register(
    "SUR-015", "该调查未启用公开链接。", "This survey has no open link."
)
SUR_THROTTLED = register(
    "SUR-016", "提交过于频繁，请稍后再试。", "Too many submissions; please try again later."
)
SUR_TOO_FAST = register(
    "SUR-017",
    "提交过快，请检查您的回答后再提交。",
    "Submitted too quickly; please check your answers and submit again.",
)
SUR_FORM_EXPIRED = register(
    "SUR-018",
    "表单已失效，请重新打开链接后再填写。",
    "The form has expired; please open the link again.",
)
SUR_CLOSE_BEFORE_OPEN = register(
    "SUR-019", "截止日期不能早于开始日期。", "The close date cannot be before the open date."
)
SUR_CLOSE_DATE_PASSED = register(
    "SUR-020",
    "截止日期{closes_on}已过，请先修改截止日期。",
    "The close date {closes_on} has passed; change it first.",
)
SUR_BAD_BIRTH_MONTH = register(
    "SUR-021", "月份格式无效：{value}（应为YYYY-MM）。", "Invalid month: {value} (use YYYY-MM)."
)
SUR_DUE_MONTH_PAST = register(
    "SUR-022",
    "预产月份{month}已过；孩子已出生的，请填在“出生年月”中。",
    "Due month {month} is in the past; if the child has been born, enter the birth month instead.",
)
SUR_OPENS_AFTER_ANSWERS = register(
    "SUR-023",
    "最早的答卷填写于{day}，开始日期不能晚于这一天。",
    "The earliest answer was given on {day}; the open date cannot be later than that.",
)
SUR_CLOSES_BEFORE_ANSWERS = register(
    "SUR-024",
    "最晚的答卷填写于{day}，截止日期不能早于这一天。",
    "The latest answer was given on {day}; the close date cannot be earlier than that.",
)
SUR_STAFF_BELOW_ANSWERS = register(
    "SUR-025",
    "调查职工人数（{count}人）少于已收到的答卷数（{answers}份），请填写实际调查的人数。",
    "The number of staff surveyed ({count}) is less than the answers received ({answers}); "
    "enter the number of staff actually surveyed.",
)
SUR_DATE_OUT_OF_RANGE = register(
    "SUR-026",
    "日期须在{first}至{last}之间。",
    "Dates must be between {first} and {last}.",
)
SUR_PERIOD_TOO_LONG = register(
    "SUR-027",
    "调查期限不能超过{days}天。",
    "A survey cannot run longer than {days} days.",
)
SUR_LINKS_CLOSED = register(
    "SUR-028",
    "调查已结束，不能再生成个人链接。",
    "The survey has closed; no more personal links can be made.",
)
SUR_QUESTION_NO_TEXT = register(
    "SUR-029",
    "附加问题{position}填写了选项或设为必答，但没有填写问题。",
    "Extra question {position} has options or is required but has no text.",
)
