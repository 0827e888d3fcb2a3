"""Choices of the surveys app (职工托育需求调查).

Wanted service types reuse :class:`tuoyu.facilities.choices.ServiceType`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyStatus(models.TextChoices):
    """Lifecycle of a survey (see ``surveys/workflow.py``)."""

    DRAFT = "draft", _("草稿")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class CareArrangement(models.TextChoices):
    """Who looks after the child now (目前照料方式)."""

    PARENTS = "parents", _("父母照料")
    GRANDPARENTS = "grandparents", _("祖辈照料")
    NANNY = "nanny", _("保姆")
    FACILITY = "facility", _("托育机构")
    KINDERGARTEN = "kindergarten", _("幼儿园托班")
    OTHER = "other", _("其他")


class FeeBand(models.TextChoices):
    """Monthly fee the employee would pay (可承受月托育费), ¥ per month."""

    LT1000 = "lt1000", _("1000元以下")
    B1000 = "1000_1999", _("1000–1999元")
    B2000 = "2000_2999", _("2000–2999元")
    B3000 = "3000_3999", _("3000–3999元")
    B4000 = "4000_5999", _("4000–5999元")
    GE6000 = "ge6000", _("6000元及以上")


#: (minimum, maximum) ¥ per month of each fee band, both inclusive; ``None`` = open-ended.
FEE_BAND_RANGES: dict[str, tuple[int, int | None]] = {
    FeeBand.LT1000: (0, 999),
    FeeBand.B1000: (1000, 1999),
    FeeBand.B2000: (2000, 2999),
    FeeBand.B3000: (3000, 3999),
    FeeBand.B4000: (4000, 5999),
    FeeBand.GE6000: (6000, None),
}


class WouldUse(models.TextChoices):
    """Whether and where the employee would use employer-provided care (是否愿意使用)."""

    ON_SITE = "on_site", _("单位内")
    NEARBY = "nearby", _("单位附近")
    EITHER = "either", _("均可")
    NO = "no", _("不使用")


#: ``would_use`` answers whose children count as demand for a facility (单位内、单位附近、
#: 均可): the results, the officers' demand page and the planning projection all count
#: these; ``no`` and unanswered are left out.
WOULD_USE_DEMAND = frozenset({WouldUse.ON_SITE, WouldUse.NEARBY, WouldUse.EITHER})


class ResponseSource(models.TextChoices):
    """How an answer reached the platform (答卷来源)."""

    PERSONAL = "personal", _("个人链接")
    OPEN = "open", _("公开链接")
    PAPER = "paper", _("纸质录入")


class QuestionKind(models.TextChoices):
    """Kind of an extra question (附加问题类型)."""

    TEXT = "text", _("文字")
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    NUMBER = "number", _("数字")
