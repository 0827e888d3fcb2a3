"""Error codes of the supervision app (``SUP-0xx``), registered in the shared catalogue.

Each code has one zh-Hans and one English message; ``{name}`` placeholders are filled
from the error's ``params``.
"""

from tuoyu.core.errors import register

SUP_INVALID_VALUE = register(
    "SUP-001",
    "第{row}行“{column}”列：{detail}",
    "Row {row}, column “{column}”: {detail}",
)
SUP_MISSING_COLUMN = register(
    "SUP-002",
    "文件缺少必需的列：{column}",
    "The file lacks a required column: {column}",
)
SUP_DUPLICATE_ID = register(
    "SUP-003",
    "第{row}行：编号“{id}”重复出现。",
    "Row {row}: the id “{id}” appears more than once.",
)
SUP_INVALID_PARAMETER = register(
    "SUP-004",
    "抽取参数“{name}”无效：{detail}",
    "The draw parameter “{name}” is invalid: {detail}",
)
SUP_NOT_ENOUGH_INSPECTORS = register(
    "SUP-005",
    "检查对象“{entity}”只有{eligible}名可回避冲突的检查人员，需要{needed}名，无法抽取。",
    "Target “{entity}” has only {eligible} eligible inspector(s) without a conflict; "
    "{needed} are needed, so the draw is impossible.",
)
SUP_EMPTY_POPULATION = register(
    "SUP-006",
    "检查对象名录为空，无法抽取。",
    "The list of inspection targets is empty; nothing can be drawn.",
)
SUP_FILE_UNREADABLE = register(
    "SUP-007",
    "无法读取文件{path}：{detail}",
    "Cannot read the file {path}: {detail}",
)
SUP_REDRAW_REASON = register(
    "SUP-010",
    "重新抽取必须填写理由，首次抽取结果将保留备查。",
    "A re-draw needs a reason; the first draw stays on record.",
)
SUP_LISTS_NOT_FROZEN = register(
    "SUP-011",
    "名录尚未冻结公布，不能抽取。",
    "The lists have not been frozen and published; the draw cannot run yet.",
)
SUP_LISTS_FROZEN = register(
    "SUP-012",
    "名录已冻结公布，不能再次冻结。",
    "The lists are already frozen and published; they cannot be frozen again.",
)
SUP_SCOPE = register(
    "SUP-015",
    "检查范围“{scope}”不在您的辖区内。",
    "The scope “{scope}” is outside your jurisdiction.",
)

# --- inspections, rectification and publication (SUP-020…SUP-099) ------------------------

SUP_INSPECTION_CLOSED = register(
    "SUP-020",
    "检查已结束，检查记录不能再修改。",
    "The inspection is closed; its record can no longer be changed.",
)
SUP_ITEMS_UNANSWERED = register(
    "SUP-021",
    "还有{count}个检查项未填写结果，不能结束检查。",
    "{count} checklist item(s) have no result yet; the inspection cannot be closed.",
)
SUP_ITEM_INVALID = register(
    "SUP-022",
    "检查项“{item}”的结果无效：{detail}",
    "The result of checklist item “{item}” is invalid: {detail}",
)
SUP_DRAW_NOT_IN_FORCE = register(
    "SUP-023",
    "该抽取结果已被重新抽取取代，不能据此安排检查。",
    "This draw was replaced by a re-draw; inspections cannot be created from it.",
)
SUP_INSPECTOR_NOT_ELIGIBLE = register(
    "SUP-024",
    "“{inspector}”不是辖区内该机构的检查人员。",
    "“{inspector}” is not an inspector with this facility in their jurisdiction.",
)
SUP_TOO_FEW_INSPECTORS = register(
    "SUP-025",
    "每次检查至少需要{needed}名检查人员。",
    "Each inspection needs at least {needed} inspectors.",
)
SUP_RESPONSE_REQUIRED = register(
    "SUP-026",
    "请填写整改情况说明。",
    "Please describe the rectification.",
)
SUP_REOPEN_REASON = register(
    "SUP-027",
    "退回重新整改必须填写理由。",
    "Reopening an order needs a reason.",
)
SUP_TARGET_UNKNOWN = register(
    "SUP-028",
    "抽取结果中的检查对象“{entity}”不是现有的托育机构。",
    "The draw target “{entity}” is not an existing facility.",
)
SUP_DEADLINE_DAYS = register(
    "SUP-029",
    "整改期限须为1至{limit}个工作日。",
    "The rectification deadline must be 1 to {limit} working days.",
)
SUP_EVIDENCE_TYPE = register(
    "SUP-030",
    "文件“{name}”不是允许的类型（JPEG、PNG、WebP、HEIC 图片或 PDF）。",
    "The file “{name}” is not an allowed type (JPEG, PNG, WebP or HEIC image, or PDF).",
)
SUP_EVIDENCE_SIZE = register(
    "SUP-031",
    "文件“{name}”超过{limit_mb}MB或为空。",
    "The file “{name}” is larger than {limit_mb} MB or empty.",
)
SUP_EVIDENCE_COUNT = register(
    "SUP-032",
    "一次最多提交{limit}个文件，本次选择了{count}个。",
    "At most {limit} files can be sent at once; {count} were chosen.",
)

# --- annual reports (SUP-050…SUP-059) ---------------------------------------------------------

SUP_ANNUAL_REPORT_EXISTS = register(
    "SUP-050",
    "{facility}的{year}年度年报已经存在。",
    "The {year} annual report of {facility} already exists.",
)
SUP_ANNUAL_REPORT_NOT_FILED = register(
    "SUP-051",
    "{facility}不是已备案的托育机构，无需报送年报。",
    "{facility} is not a filed facility; it does not submit annual reports.",
)
SUP_ANNUAL_REPORT_YEAR = register(
    "SUP-052",
    "年报年度须为已结束的年度（{earliest}年至{latest}年）。",
    "The report year must be a year that has ended ({earliest} to {latest}).",
)
SUP_ANNUAL_REPORT_INCOMPLETE = register(
    "SUP-053",
    "年报还有{count}项必填数据未填写：{fields}",
    "The annual report lacks {count} required figure(s): {fields}",
)
SUP_ANNUAL_REPORT_LOCKED = register(
    "SUP-054",
    "年报已报送，只有退回修改后才能更改。",
    "The annual report has been submitted; it can be changed only after it is returned.",
)
SUP_ANNUAL_REPORT_RETURN_REASON = register(
    "SUP-055",
    "退回修改必须填写理由。",
    "Returning a report for correction needs a reason.",
)
SUP_ANNUAL_REPORT_FIGURE = register(
    "SUP-056",
    "“{figure}”的数值无效：{detail}",
    "The figure “{figure}” is invalid: {detail}",
)
SUP_ESCALATION_MISMATCH = register(
    "SUP-060",
    "该逾期处理记录不属于本机构，或其处理阶段（{step}）与所作决定不符。",
    "That escalation step is not about this facility, or its step ({step}) does not match the decision.",
)
SUP_ESCALATION_DONE = register(
    "SUP-061",
    "该逾期处理记录已经作出备案处理决定。",
    "A filing decision has already been taken on that escalation step.",
)
