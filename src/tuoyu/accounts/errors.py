"""Error codes of the accounts app (``ACC-0xx``): organisations, people, memberships, sign-in."""

from tuoyu.core.errors import register

ACC_DIVISION_INACTIVE = register(
    "ACC-001",
    "行政区划代码“{code}”不存在或已不再使用。",
    "The division code “{code}” does not exist or is no longer in use.",
)
ACC_CREDIT_CODE_REQUIRED = register(
    "ACC-002",
    "用人单位必须填写统一社会信用代码。",
    "An employer needs a unified social credit code.",
)
ACC_CREDIT_CODE_TAKEN = register(
    "ACC-003",
    "统一社会信用代码 {code} 已被“{name}”使用。",
    "The unified social credit code {code} is already used by “{name}”.",
)
ACC_LEVEL_REQUIRED = register(
    "ACC-004",
    "{kind}必须注明层级（全国、省级、市级、县级或基层）。",
    "A {kind} needs a level (national, provincial, prefecture, county or grassroots).",
)
ACC_LEVEL_NOT_ALLOWED = register(
    "ACC-005",
    "{kind}没有层级。",
    "A {kind} has no level.",
)
ACC_LEVEL_DIVISION_MISMATCH = register(
    "ACC-006",
    "{level}机构应位于{division_level}行政区划，“{division}”不是。",
    "A {level} organisation sits in a {division_level} division; “{division}” is not one.",
)
ACC_PARENT_KIND = register(
    "ACC-007",
    "上级机构“{parent}”应为同类机构。",
    "The parent organisation “{parent}” must be of the same kind.",
)
ACC_PARENT_LEVEL = register(
    "ACC-008",
    "上级机构“{parent}”的层级应高于本机构。",
    "The parent organisation “{parent}” must be at a higher level.",
)
ACC_PARENT_JURISDICTION = register(
    "ACC-009",
    "本机构所在地不在上级机构“{parent}”的辖区内。",
    "This organisation lies outside the jurisdiction of its parent “{parent}”.",
)
ACC_ROLE_KIND = register(
    "ACC-010",
    "角色“{role}”不能设在{kind}中。",
    "The role “{role}” cannot be held in a {kind}.",
)
ACC_MEMBERSHIP_EXISTS = register(
    "ACC-011",
    "{user}已在“{organization}”担任该角色。",
    "{user} already holds this role in “{organization}”.",
)
ACC_USERNAME_TAKEN = register(
    "ACC-012",
    "用户名“{username}”已被使用。",
    "The username “{username}” is already taken.",
)
ACC_PASSWORD_REJECTED = register(
    "ACC-013",
    "密码不符合要求：{detail}",
    "The password is not acceptable: {detail}",
)
ACC_ORGANIZATION_INACTIVE = register(
    "ACC-014",
    "机构“{organization}”已停用。",
    "The organisation “{organization}” is no longer active.",
)
ACC_INDUSTRY_UNKNOWN = register(
    "ACC-015",
    "行业代码“{code}”不存在（GB/T 4754-2017）。",
    "The industry code “{code}” does not exist (GB/T 4754-2017).",
)
ACC_INVALID = register(
    "ACC-016",
    "机构或人员信息无效：{detail}",
    "Invalid organisation or person details: {detail}",
)
ACC_UNKNOWN_FIELD = register(
    "ACC-017",
    "不能修改字段“{name}”。",
    "The field “{name}” cannot be changed here.",
)
ACC_MEMBERSHIP_INACTIVE = register(
    "ACC-018",
    "该成员关系已停用。",
    "This membership is already inactive.",
)
ACC_LOGIN_LOCKED = register(
    "ACC-019",
    "登录失败次数过多，请 {minutes} 分钟后再试。",
    "Too many failed sign-ins; try again in {minutes} minutes.",
)
ACC_NAME_REQUIRED = register(
    "ACC-020",
    "名称不能为空。",
    "A name is required.",
)
ACC_USER_INACTIVE = register(
    "ACC-021",
    "用户“{user}”已停用。",
    "The user “{user}” is no longer active.",
)
