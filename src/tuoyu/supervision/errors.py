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
