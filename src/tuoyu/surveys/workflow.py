"""Survey lifecycle (调查状态): draft → open → closed.

    draft ──open──▶ open ──close──▶ closed
                     ▲                │
                     └────reopen──────┘

A draft can be edited (title, dates, extra questions); once open, the questionnaire is
fixed so that every answer answers the same questions. ``reopen`` lets an employer extend
a survey closed too early (the close date must then still be ahead). Answers are accepted
only while open and within the dates (:meth:`Survey.is_answerable`).
"""

from tuoyu.accounts.permissions import MANAGE_SURVEYS
from tuoyu.core.workflow import Transition, Workflow
from tuoyu.surveys.choices import SurveyStatus

S = SurveyStatus

SURVEY_WORKFLOW = Workflow(
    "survey",
    [
        Transition("open", frozenset({S.DRAFT}), S.OPEN, MANAGE_SURVEYS),
        Transition("close", frozenset({S.OPEN}), S.CLOSED, MANAGE_SURVEYS),
        Transition("reopen", frozenset({S.CLOSED}), S.OPEN, MANAGE_SURVEYS),
    ],
)
