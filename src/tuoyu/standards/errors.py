"""Error codes of the standards app (``STD-0xx``), registered in the shared catalogue."""

from tuoyu.core.errors import register

STD_RULE_NOT_IN_FORCE = register(
    "STD-001",
    "规则 {code} 在 {as_of} 没有生效的版本。",
    "Rule {code} has no version in force on {as_of}.",
)
STD_RULES_FILE_INVALID = register(
    "STD-002",
    "规则数据文件无效：{detail}",
    "The rules data file is invalid: {detail}",
)
STD_UNKNOWN_CLASS_TYPE = register(
    "STD-003",
    "未知班型：{class_type}。",
    "Unknown class type: {class_type}.",
)
STD_RULE_PARAMETERS_INVALID = register(
    "STD-004",
    "规则 {code} 的参数无法使用（{problems}），请平台管理员在规则表中修正。",
    "The parameters of rule {code} are unusable ({problems}); a platform administrator must correct them in the rule table.",
)
