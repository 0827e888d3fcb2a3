"""Display labels of planning figures (class types, cost and income lines, comparison rows)."""

from django.utils.translation import gettext_lazy as _

CLASS_TYPE_LABELS = {
    "infant": _("乳儿班（6–12个月）"),
    "toddler": _("托小班（12–24个月）"),
    "older": _("托大班（24–36个月）"),
    "mixed": _("混合编班（18–36个月）"),
}

COST_LINE_LABELS = {
    "carers": _("保育人员工资"),
    "other_staff": _("其他人员工资"),
    "rent": _("租金"),
    "meals": _("伙食费"),
    "utilities": _("水电燃气等"),
    "depreciation": _("装修设备折旧"),
    "other": _("其他支出"),
}

INCOME_LINE_LABELS = {
    "employer": _("单位出资"),
    "union": _("工会经费"),
    "subsidy_operating": _("政府运营补贴"),
    "subsidy_new_places": _("新增托位补贴（分摊）"),
    "parent_fees": _("家长保育费"),
}

COMPARISON_LABELS = {
    "total_cost": _("月运营成本（满员，元）"),
    "cost_per_place": _("每托位月成本（元）"),
    "employer_per_place": _("单位分担（元/托位/月）"),
    "union_per_place": _("工会分担（元/托位/月）"),
    "government_per_place": _("政府补贴（元/托位/月）"),
    "parent_per_place": _("家长保育费（元/托位/月）"),
    "balance_per_place": _("结余（元/托位/月）"),
    "balance": _("月结余（满员，元）"),
    "break_even_whole": _("收支平衡所需在托幼儿（人）"),
    "break_even_pct": _("收支平衡入托率（%）"),
    "break_even_fee": _("满员时保本保育费（元/月）"),
}
