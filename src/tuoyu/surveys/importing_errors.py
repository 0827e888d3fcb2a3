"""Error codes of paper-answer import and survey results (``SUR-030`` … ``SUR-059``).

Registered in the shared catalogue (:mod:`tuoyu.core.errors`). The import also uses the
generic import codes (``IMP-001`` … ``IMP-012``, :mod:`tuoyu.facilities.importing.codes`)
for file-level and plain cell problems, and the answer codes of
:mod:`tuoyu.surveys.errors` (``SUR-009`` … ``SUR-014``, ``SUR-021``) for children, so a
paper answer is held to the same rules as one given online.
"""

from tuoyu.core.errors import register

SUR_IMPORT_DUPLICATE_REF = register(
    "SUR-030",
    "问卷编号“{value}”在文件中重复（第{first}行已出现）。",
    "Paper reference “{value}” appears twice in the file (first on row {first}).",
)
SUR_IMPORT_REF_TOO_LONG = register(
    "SUR-031",
    "问卷编号不能超过{limit}个字符。",
    "The paper reference must not be longer than {limit} characters.",
)
SUR_IMPORT_HOURS = register(
    "SUR-032",
    "“{value}”不是有效时段（格式 08:00-17:30，结束须晚于开始）。",
    "“{value}” is not a valid time span (format 08:00-17:30, the end after the start).",
)
SUR_IMPORT_DAYS = register(
    "SUR-033",
    "每周天数“{value}”须为1至7的整数。",
    "Days per week “{value}” must be a whole number from 1 to 7.",
)
SUR_IMPORT_COMMUTE = register(
    "SUR-034",
    "通勤时间“{value}”须为0至{limit}的整数（分钟）。",
    "Commute time “{value}” must be a whole number of minutes from 0 to {limit}.",
)
SUR_IMPORT_ANSWER_DATE = register(
    "SUR-035",
    "填写日期“{value}”无效或晚于今天（格式 2026-11-20）。",
    "Answer date “{value}” is invalid or after today (format 2026-11-20).",
)
SUR_IMPORT_DRAFT = register(
    "SUR-036",
    "调查仍为草稿，不能导入纸质答卷；请先发布调查。",
    "The survey is still a draft; open it before importing paper answers.",
)
SUR_IMPORT_NO_CONSENT = register(
    "SUR-037",
    "该答卷未同意个人信息保护说明，不能导入。",
    "This answer did not agree to the privacy notice and cannot be imported.",
)
SUR_IMPORT_EXTRA = register(
    "SUR-038",
    "“{value}”不是附加问题{position}的有效回答：{detail}",
    "“{value}” is not a valid answer to extra question {position}: {detail}",
)
SUR_IMPORT_NO_FILE = register(
    "SUR-039",
    "请选择要导入的 CSV 或 XLSX 文件。",
    "Choose a CSV or XLSX file to import.",
)
SUR_IMPORT_ANSWER_DATE_PERIOD = register(
    "SUR-040",
    "填写日期“{value}”须在调查期间内（{start}至{end}）。",
    "Answer date “{value}” must fall within the survey period ({start} to {end}).",
)
SUR_IMPORT_NUMBER = register(
    "SUR-041",
    "“{value}”不是附加问题{position}的有效数字：须为普通写法的数字（不用科学计数法），"
    "绝对值不超过{limit}，最多4位小数。",
    "“{value}” is not a valid number for extra question {position}: write a plain number "
    "(no exponent), at most {limit} in absolute value, with at most 4 decimals.",
)
