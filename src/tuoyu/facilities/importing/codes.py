"""Error codes of the facility import (``IMP-0xx``), registered in the shared catalogue.

``IMP-001`` … ``IMP-009`` concern the file as a whole (the command exits with 2);
``IMP-010`` and above concern one row and one column (exit 1, nothing written).
"""

from tuoyu.core.errors import register

# File-level: the file cannot be read (exit status 2).
IMP_FORMAT = register(
    "IMP-001",
    "无法识别的文件格式：{detail}（支持 .csv 和 .xlsx）。",
    "Unknown file format: {detail} (.csv and .xlsx are supported).",
)
IMP_ENCODING = register(
    "IMP-002",
    "无法识别文件编码（支持 UTF-8、UTF-8 BOM、GBK、GB18030）：{detail}",
    "Cannot decode the file (UTF-8, UTF-8 with BOM, GBK and GB18030 are supported): {detail}",
)
IMP_TOO_LARGE = register(
    "IMP-003",
    "文件过大或压缩比异常，已拒绝：{detail}",
    "The file is too large or abnormally compressed and was refused: {detail}",
)
IMP_TOO_MANY_ROWS = register(
    "IMP-004",
    "文件行数超过上限 {limit} 行。",
    "The file has more than the limit of {limit} rows.",
)
IMP_MISSING_HEADERS = register(
    "IMP-005",
    "缺少必需的列：{columns}",
    "Required columns are missing: {columns}",
)
IMP_UNREADABLE = register(
    "IMP-006",
    "文件无法读取：{detail}",
    "The file cannot be read: {detail}",
)
IMP_WRITE_FAILED = register(
    "IMP-007",
    "写入数据库失败，已全部回滚：{detail}",
    "Writing to the database failed and everything was rolled back: {detail}",
)

# Row-level: one cell is wrong (exit status 1).
IMP_REQUIRED = register("IMP-010", "必填项为空。", "A value is required.")
IMP_CHOICE = register(
    "IMP-011",
    "“{value}”不是允许的值；可填：{allowed}",
    "“{value}” is not an allowed value; use one of: {allowed}",
)
IMP_NUMBER = register(
    "IMP-012",
    "“{value}”不是有效的{kind}。",
    "“{value}” is not a valid {kind}.",
)
IMP_DATE = register(
    "IMP-013",
    "“{value}”不是有效日期（格式 2025-09-01）。",
    "“{value}” is not a valid date (write 2025-09-01).",
)
IMP_BOOLEAN = register(
    "IMP-014",
    "“{value}”应填“是”或“否”。",
    "“{value}” must be 是/yes or 否/no.",
)
IMP_CREDIT_CODE = register(
    "IMP-015",
    "统一社会信用代码无效：{detail}",
    "Invalid unified social credit code: {detail}",
)
IMP_DIVISION_UNKNOWN = register(
    "IMP-016",
    "“{code}”不是在用的县级行政区划代码。",
    "“{code}” is not a county-level division code in use.",
)
IMP_DIVISION_RETIRED = register(
    "IMP-017",
    "行政区划代码“{code}”（{name}）已于{year}年停用，请改用：{successors}。",
    "Division code “{code}” ({name}) was retired in {year}; use {successors} instead.",
)
IMP_DUPLICATE_KEY = register(
    "IMP-018",
    "外部编号“{key}”与第{first_row}行重复。",
    "External key “{key}” repeats row {first_row}.",
)
IMP_UNKNOWN_FACILITY = register(
    "IMP-019",
    "外部编号“{key}”没有对应的机构行，系统中也不存在该机构。",
    "No facility row with external key “{key}” in the file, and no such facility in the system.",
)
IMP_OPERATOR_NAME = register(
    "IMP-020",
    "信用代码“{code}”对应的单位不在系统中，请填写运营单位名称以便创建。",
    "No organisation with credit code “{code}” exists; give the operator's name so it can be created.",
)
IMP_INDUSTRY = register(
    "IMP-021",
    "“{value}”不是国民经济行业分类（GB/T 4754-2017）代码。",
    "“{value}” is not an industry code of GB/T 4754-2017.",
)
IMP_LOCKED = register(
    "IMP-022",
    "机构“{name}”备案状态为“{status}”，不能通过导入修改，请办理备案变更。",
    "Facility “{name}” is “{status}”; it cannot be changed by import, file a change instead.",
)
IMP_DUPLICATE_CHILD = register(
    "IMP-023",
    "同一机构内“{key}”与第{first_row}行重复。",
    "“{key}” repeats row {first_row} for the same facility.",
)
IMP_UNKNOWN_CLASS = register(
    "IMP-024",
    "机构中没有名为“{name}”的班级。",
    "The facility has no class named “{name}”.",
)
IMP_RECORD_TYPE = register(
    "IMP-025",
    "记录类型“{value}”无效；可填：机构、班级、人员。",
    "Record type “{value}” is not valid; use 机构/facility, 班级/class or 人员/staff.",
)
IMP_TOO_LONG = register(
    "IMP-026",
    "内容过长（最多{limit}个字符）。",
    "Too long (at most {limit} characters).",
)
IMP_DATE_ORDER = register(
    "IMP-027",
    "{later}不能早于{earlier}。",
    "{later} cannot be earlier than {earlier}.",
)
IMP_FEE_WITHOUT_SERVICE = register(
    "IMP-028",
    "填写了{service}的收费，但服务形式中没有{service}。",
    "A fee is given for {service}, but {service} is not among the service types.",
)
IMP_UNKNOWN_SPONSOR = register(
    "IMP-029",
    "举办用人单位“{code}”不在系统中，也不是本文件前面行的运营单位。",
    "Sponsor “{code}” is not in the system and is not the operator of an earlier row.",
)
IMP_UNKNOWN_INTERNAL_ID = register(
    "IMP-030",
    "系统中没有编号为“{key}”的机构。",
    "There is no facility with internal number “{key}”.",
)
IMP_OUT_OF_RANGE = register(
    "IMP-031",
    "“{value}”超出允许范围（{low}–{high}）。",
    "“{value}” is out of range ({low}–{high}).",
)
IMP_OUT_OF_SCOPE = register(
    "IMP-032",
    "您无权登记或修改机构“{name}”：只能导入本单位运营或举办的机构（官员：辖区内的机构）。",
    "You may not create or change the facility “{name}”: only facilities your organisation "
    "operates or sponsors (officials: facilities in your jurisdiction) can be imported.",
)
IMP_FORMULA_WITHOUT_VALUE = register(
    "IMP-033",
    "单元格是没有计算结果的公式；请先在 Excel 中打开并保存文件，或直接填写数值。",
    "The cell is a formula without a computed value; save the file in Excel first or type "
    "the value.",
)
