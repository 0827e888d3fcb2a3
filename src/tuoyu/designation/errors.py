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

# Expert scoring, selection from the database, publicity and naming (DES-040 …).
DES_CONFLICT_PROVINCE = register(
    "DES-040",
    "利益冲突：专家所在单位位于申报单位所在省份（{province}），不能评审该申报。",
    "Conflict of interest: the expert's organisation is in the applicant's province ({province}); "
    "the expert may not score this application.",
)
DES_CONFLICT_ORGANIZATION = register(
    "DES-041",
    "利益冲突：专家是申报单位的成员，不能评审该申报。",
    "Conflict of interest: the expert is a member of the applying organisation.",
)
DES_NOT_EXPERT = register(
    "DES-042",
    "所选人员不是有效的评审专家。",
    "The person chosen is not an active expert.",
)
DES_TOO_FEW_EXPERTS = register(
    "DES-043",
    "没有利益冲突的专家不足：需要 {needed} 名，只有 {available} 名。",
    "Not enough experts without a conflict of interest: {needed} needed, {available} available.",
)
DES_CRITERIA_WEIGHTS = register(
    "DES-044",
    "评分指标无效：{detail}",
    "The scoring criteria are invalid: {detail}",
)
DES_POINTS_RANGE = register(
    "DES-045",
    "指标“{criterion}”的得分须在 0 至 {max} 之间（最多 2 位小数），收到：{value}。",
    "The points for “{criterion}” must be from 0 to {max} (at most 2 decimal places); got {value}.",
)
DES_NOT_ASSIGNED = register(
    "DES-046",
    "该申报未分配给您评审，或已不在评审中。",
    "This application is not assigned to you for scoring, or scoring has closed.",
)
DES_SCORING_INCOMPLETE = register(
    "DES-047",
    "专家评分未完成：还缺 {missing} 项评分。",
    "Expert scoring is not complete: {missing} score(s) are missing.",
)
DES_NO_SCORED = register(
    "DES-048",
    "没有已完成专家评审的申报，无法遴选。",
    "No application has finished expert scoring; nothing to select from.",
)
DES_SELECTION_INFEASIBLE = register(
    "DES-049",
    "遴选规则无法同时满足，不能确认拟命名名单。",
    "The selection rules cannot all be met; the proposed list cannot be confirmed.",
)
DES_SELECTION_STATE = register(
    "DES-050",
    "拟命名名单处于“{state}”状态，不能执行该操作。",
    "The proposed list is “{state}”; this action is not possible now.",
)
DES_PUBLICITY_EXISTS = register(
    "DES-051",
    "该评选活动已发布公示。",
    "The campaign's list has already been published for publicity.",
)
DES_PUBLICITY_ENDED = register(
    "DES-052",
    "公示期已于 {end} 23:59:59 结束，不再受理异议。",
    "The publicity period ended on {end} at 23:59:59; objections are no longer accepted.",
)
DES_NO_PUBLICITY = register(
    "DES-053",
    "该评选活动尚未公示。",
    "The campaign's list has not been published for publicity.",
)
DES_OBJECTION_RESOLVED = register(
    "DES-054",
    "该异议已处理。",
    "This objection has already been resolved.",
)
DES_OPEN_OBJECTIONS = register(
    "DES-055",
    "还有 {count} 件异议未处理，不能命名。",
    "{count} objection(s) are still open; naming is not possible.",
)
DES_PUBLICITY_RUNNING = register(
    "DES-056",
    "公示期至 {end} 23:59:59 结束，结束后方可命名。",
    "The publicity period runs until {end} at 23:59:59; naming is possible after it ends.",
)
DES_ALREADY_NAMED = register(
    "DES-057",
    "该评选活动已命名。",
    "The campaign's units have already been named.",
)
DES_NOT_ON_LIST = register(
    "DES-058",
    "该单位不在公示名单上。",
    "This unit is not on the published list.",
)

# Yearly re-assessment and withdrawal of named units (DES-070 …; ADR 0091).
DES_REPORT_YEAR = register(
    "DES-070",
    "年度报告的年度须在 {first} 至 {last} 之间，收到：{year}。",
    "The report year must be from {first} to {last}; got {year}.",
)
DES_REPORT_EXISTS = register(
    "DES-071",
    "该命名单位 {year} 年度报告已报送，每个年度只能报送一次。",
    "The {year} yearly report of this named unit has already been filed; one report per year.",
)
DES_DESIGNATION_WITHDRAWN = register(
    "DES-072",
    "该命名已于 {date} 撤销。",
    "This designation was withdrawn on {date}.",
)
DES_WITHDRAW_REASON = register(
    "DES-073",
    "撤销命名须填写理由（将公开，1 至 500 字，不要写入个人信息）。",
    "A reason is required to withdraw a designation (published; 1 to 500 characters, "
    "no personal data).",
)
DES_WITHDRAW_FORBIDDEN = register(
    "DES-074",
    "只有全国总工会的工作人员可以撤销命名。",
    "Only an officer of the national union may withdraw a designation.",
)
DES_REPORT_FORBIDDEN = register(
    "DES-075",
    "只有命名单位的管理员可以报送年度报告。",
    "Only an administrator of the named employer may file its yearly report.",
)
DES_REPLAY_REFERENCE_MISSING = register(
    "DES-090",
    "参考数据缺失：{detail}。请先执行 tuoyu migrate（或 tuoyu load_reference）。",
    "Reference data missing: {detail}. Run tuoyu migrate (or tuoyu load_reference) first.",
)
