"""Error codes of the complaints app (CMP-0xx), registered with :func:`tuoyu.core.errors.register`."""

from tuoyu.core.errors import register

CMP_NO_TARGET = register(
    "CMP-001", "请选择被投诉的托育机构或用人单位。", "Choose the facility or the employer the complaint is about."
)
CMP_CONSENT = register(
    "CMP-002", "请阅读并同意个人信息处理说明。", "Please read and accept the notice on personal information."
)
CMP_CONTACT = register(
    "CMP-003", "联系方式“{value}”不是有效的手机号或电子邮箱。", "“{value}” is not a valid mobile number or email address."
)
CMP_FILE_TYPE = register(
    "CMP-010", "文件“{name}”不是JPEG、PNG或PDF文件。", "The file “{name}” is not a JPEG, PNG or PDF file."
)
CMP_FILE_SIZE = register(
    "CMP-011", "文件“{name}”为空或超过{limit_mb} MB。", "The file “{name}” is empty or larger than {limit_mb} MB."
)
CMP_FILE_COUNT = register(
    "CMP-012", "最多上传{limit}个文件。", "Upload at most {limit} files."
)
CMP_FILE_BROKEN = register(
    "CMP-013", "文件“{name}”已损坏，无法读取。", "The file “{name}” is damaged and cannot be read."
)
CMP_REASON_REQUIRED = register("CMP-020", "请填写理由。", "Give a reason.")
CMP_ANSWER_REQUIRED = register("CMP-021", "请填写答复内容。", "Write the answer.")
CMP_REOPEN_USED = register(
    "CMP-022", "该投诉已重新办理过一次，不能再次申请。", "This complaint has already been reopened once."
)
CMP_REOPEN_LATE = register(
    "CMP-023", "办结已超过{days}天，不能申请重新办理。", "More than {days} days have passed since closing; it cannot be reopened."
)
CMP_FEEDBACK_STATE = register(
    "CMP-024", "投诉办结后才能评价。", "Feedback can be given only after the complaint is closed."
)
CMP_FEEDBACK_GIVEN = register("CMP-025", "已评价过。", "Feedback has already been given.")
CMP_SATISFACTION = register("CMP-026", "满意度应为1至5。", "Satisfaction must be from 1 to 5.")
CMP_REASSIGN_SAME = register(
    "CMP-027", "转办目标与当前承办部门相同。", "The complaint is already with that office."
)
CMP_DIVISION = register("CMP-028", "区划代码“{code}”无效。", "“{code}” is not a valid county code.")
CMP_INSPECTION_TARGET = register(
    "CMP-030", "只有卫生健康部门承办的托育机构投诉可以转为检查。",
    "Only a complaint about a facility handled by the health commission can become an inspection.",
)
CMP_INSPECTION_EXISTS = register(
    "CMP-031", "该投诉已转为检查。", "An inspection has already been opened from this complaint."
)
CMP_NO_INSPECTORS = register(
    "CMP-032", "该机构所在地区没有可选派的检查人员，请先配置检查人员。",
    "No inspectors are eligible for this facility's area; set up inspectors first.",
)
