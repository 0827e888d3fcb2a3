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

# Campaigns, applications and the recommendation chain (DES-020 …).
DES_CAMPAIGN_FORBIDDEN = register(
    "DES-020",
    "只有全国总工会的工作人员可以设置评选活动。",
    "Only an officer of the national union may configure a campaign.",
)
DES_CAMPAIGN_CLOSED = register(
    "DES-021",
    "申报期为 {opens} 至 {closes}，今天（{today}）不在申报期内。",
    "Applications are accepted from {opens} to {closes}; today ({today}) is outside that window.",
)
DES_ALREADY_APPLIED = register(
    "DES-022",
    "本单位已申报该评选活动，每个单位每次活动只能申报一次。",
    "Your organisation has already applied to this campaign; one application per employer.",
)
DES_NOT_EMPLOYER = register(
    "DES-023",
    "只有用人单位管理员可以为本单位申报。",
    "Only an employer administrator may apply for their organisation.",
)
DES_FACILITY_NOT_OWN = register(
    "DES-024",
    "所选托育机构不是本单位举办或联合举办的机构。",
    "The facility chosen is not run by your organisation, alone or jointly.",
)
DES_BLOCKING_FINDINGS = register(
    "DES-025",
    "申报有 {count} 项不符合条件（{codes}），不能提交。",
    "The application fails {count} eligibility rule(s) ({codes}) and cannot be submitted.",
)
DES_NOT_EDITABLE = register(
    "DES-026",
    "申报处于“{status}”状态，不能修改。",
    "The application is “{status}” and cannot be changed.",
)
DES_REASON_REQUIRED = register(
    "DES-027",
    "退回或不予推荐须填写理由。",
    "A reason is required to return or reject an application.",
)
DES_HEALTH_OPINION_MISSING = register(
    "DES-028",
    "省级推荐前须先记录省级卫生健康委的意见。",
    "The provincial health commission's opinion must be recorded before the provincial recommendation.",
)
DES_QUOTA_EXHAUSTED = register(
    "DES-029",
    "本省推荐名额已用完（{used}/{quota}）。",
    "The province's recommendation quota is used up ({used} of {quota}).",
)
DES_MATERIAL_INVALID = register(
    "DES-030",
    "材料文件无效：{detail}",
    "The material file is not accepted: {detail}",
)
DES_INVALID_CONFIG = register(
    "DES-031",
    "评选活动设置无效：{detail}",
    "The campaign settings are invalid: {detail}",
)
DES_OPINION_NOT_NOW = register(
    "DES-032",
    "只能在申报处于“市级工会已推荐”时记录省级卫生健康委意见。",
    "The provincial health commission's opinion can only be recorded while the application is "
    "recommended by the city union.",
)
