"""Recommendation chain of a designation application (申报推荐流程).

    draft ──submit──▶ submitted ──recommend──▶ grassroots_recommended ──recommend──▶
    city_recommended ──recommend*──▶ provincial_recommended ──recommend──▶ national_review

    (*) the provincial step needs the provincial health commission's opinion first
        (a separate action, ``health_opinion``, which changes no status).

At every level ``return`` sends the application back to ``draft`` with a reason (the
employer corrects it and submits again) and ``reject`` ends it (``rejected``, final).
From ``national_review`` the national union starts expert scoring (``start_scoring`` →
``scoring``), closes it when every assigned expert has scored every criterion
(``finish_scoring`` → ``scored``), and names the units that survive selection and
publicity (``name`` → ``named``); see :mod:`tuoyu.designation.scoring` and
:mod:`tuoyu.designation.naming`. Procedure: 申报 → 推荐 → 审核 → 评审 → 公示 (全总办公厅、国家卫生健康委
办公厅 2022 notice; policy-facts §5).

Capabilities are the chain step that must act (``ChainStep``) or ``apply`` for the
employer; ``permissions.can_act_on_application`` maps them to people.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuoyu.core.workflow import Transition, Workflow
from tuoyu.designation.choices import ChainStep


class ApplicationStatus(models.TextChoices):
    """Status of a designation application (申报状态)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    GRASSROOTS_RECOMMENDED = "grassroots_recommended", _("基层工会已推荐")
    CITY_RECOMMENDED = "city_recommended", _("市级工会已推荐")
    PROVINCIAL_RECOMMENDED = "provincial_recommended", _("省级工会已推荐")
    NATIONAL_REVIEW = "national_review", _("全国审核中")
    SCORING = "scoring", _("专家评审中")
    SCORED = "scored", _("专家评审完成")
    NAMED = "named", _("已命名")
    REJECTED = "rejected", _("未予推荐")


class ApplicationAction(models.TextChoices):
    """An action recorded in an application's history (申报流程操作)."""

    SUBMIT = "submit", _("提交申报")
    RECOMMEND = "recommend", _("推荐")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不予推荐")
    HEALTH_OPINION = "health_opinion", _("省级卫生健康委意见")
    START_SCORING = "start_scoring", _("启动专家评审")
    FINISH_SCORING = "finish_scoring", _("完成专家评审")
    NAME = "name", _("命名")


S = ApplicationStatus

#: Capability of the employer's own action.
APPLY = "apply"

#: Status → the chain step that decides an application in it (and whose deadline runs).
STATUS_STEP: dict[str, str] = {
    S.SUBMITTED: ChainStep.GRASSROOTS,
    S.GRASSROOTS_RECOMMENDED: ChainStep.CITY,
    S.CITY_RECOMMENDED: ChainStep.PROVINCIAL,
    S.PROVINCIAL_RECOMMENDED: ChainStep.NATIONAL,
    S.NATIONAL_REVIEW: ChainStep.NATIONAL,
}

#: Statuses that count against a province's quota (推荐名额): recommended by the province.
QUOTA_STATUSES = frozenset({S.PROVINCIAL_RECOMMENDED, S.NATIONAL_REVIEW})

APPLICATION_WORKFLOW = Workflow(
    "designation_application",
    [
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, APPLY),
        Transition("recommend", frozenset({S.SUBMITTED}), S.GRASSROOTS_RECOMMENDED,
                   ChainStep.GRASSROOTS),
        Transition("recommend", frozenset({S.GRASSROOTS_RECOMMENDED}), S.CITY_RECOMMENDED,
                   ChainStep.CITY),
        Transition("recommend", frozenset({S.CITY_RECOMMENDED}), S.PROVINCIAL_RECOMMENDED,
                   ChainStep.PROVINCIAL),
        Transition("recommend", frozenset({S.PROVINCIAL_RECOMMENDED}), S.NATIONAL_REVIEW,
                   ChainStep.NATIONAL),
        *[Transition("return", frozenset({status}), S.DRAFT, step)
          for status, step in STATUS_STEP.items()],
        *[Transition("reject", frozenset({status}), S.REJECTED, step)
          for status, step in STATUS_STEP.items()],
        Transition("start_scoring", frozenset({S.NATIONAL_REVIEW}), S.SCORING, ChainStep.NATIONAL),
        Transition("finish_scoring", frozenset({S.SCORING}), S.SCORED, ChainStep.NATIONAL),
        Transition("name", frozenset({S.SCORED}), S.NAMED, ChainStep.NATIONAL),
    ],
)
