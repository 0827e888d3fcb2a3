"""Error codes of the facilities app (``FIL-0xx``), registered in the shared catalogue.

Each code has one zh-Hans and one English message; ``{name}`` placeholders are filled
from the error's ``params``.
"""

from tuoyu.core.errors import register

FIL_BLOCKING_FINDINGS = register(
    "FIL-001",
    "存在{count}项不符合设置标准的问题，不能提交备案：{codes}。",
    "{count} problem(s) against the setting standard stop this filing: {codes}.",
)
FIL_REASON_REQUIRED = register(
    "FIL-002", "请填写理由。", "Please give a reason."
)
FIL_NOT_EDITABLE = register(
    "FIL-003",
    "机构当前状态为“{status}”，不能修改。",
    "The facility is “{status}” and cannot be changed now.",
)
FIL_CLASS_OTHER_FACILITY = register(
    "FIL-004", "班级不属于该机构。", "That class belongs to another facility."
)
FIL_ENROLMENT_DATES = register(
    "FIL-005",
    "日期无效：{detail}",
    "Invalid dates: {detail}",
)
FIL_ENROLMENT_LEFT = register(
    "FIL-006", "该婴幼儿已离托。", "This child has already left."
)
FIL_DIVISION_LEVEL = register(
    "FIL-007",
    "机构所在地须为在用的县级行政区划代码：{code}",
    "The facility's division must be a county-level code in use: {code}",
)
FIL_DOCUMENT_INVALID = register(
    "FIL-008",
    "文件不符合要求：{detail}",
    "The file is not acceptable: {detail}",
)
FIL_NOT_MEMBER = register(
    "FIL-009",
    "您不是该举办/运营单位的成员。",
    "You are not a member of that operating organisation.",
)
