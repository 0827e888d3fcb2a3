"""Error codes of the facilities app (``FIL-0xx``), registered in the shared catalogue.

Each code has one zh-Hans and one English message; ``{name}`` placeholders are filled
from the error's ``params``. A ``{detail}`` param may be a lazy translation
(``gettext_lazy``/``format_lazy``), so it follows the language the message is shown in.
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
FIL_CLASS_NAME_TAKEN = register(
    "FIL-010",
    "该机构已有名为“{name}”的班级。",
    "A class named “{name}” already exists in this facility.",
)
FIL_SERVICE_NOT_OFFERED = register(
    "FIL-011",
    "服务形式：本机构未提供“{service}”，请先在机构信息中勾选该服务形式。",
    "Service form: this facility does not offer “{service}”; tick it in the facility's details first.",
)
FIL_CHILD_REF_TAKEN = register(
    "FIL-012",
    "该机构已有编号为“{ref}”的婴幼儿。",
    "A child with the reference “{ref}” is already recorded in this facility.",
)
FIL_REASON_TOO_LONG = register(
    "FIL-013",
    "理由过长：最多 {limit} 个字符，当前 {length} 个。",
    "The reason is too long: at most {limit} characters, this one has {length}.",
)
FIL_FEE_WITHOUT_SERVICE = register(
    "FIL-014",
    "填写了“{service}”的收费，但未勾选该服务形式。",
    "A fee is given for “{service}”, but that service form is not ticked.",
)
FIL_SPONSOR = register(
    "FIL-015",
    "举办用人单位“{name}”须为用人单位。",
    "The sponsoring employer “{name}” must be an employer.",
)
