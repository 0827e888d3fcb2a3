"""Workflow tables (工作流): explicit allowed transitions and the capability each needs.

Each lifecycle declares a :class:`Workflow` in its app's ``workflow.py``. A transition
service then: locks the row (``select_for_update``), asks :meth:`Workflow.transition` for
the transition (which raises ``GEN-005`` if the action is not allowed from the current
status), checks the capability with the app's predicates, updates the status, appends a
status-history row and an audit event, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tuoyu.core.errors import GEN_TRANSITION, DomainError


@dataclass(frozen=True)
class Transition:
    """One row of a workflow table: ``action`` moves ``sources`` → ``target``."""

    action: str
    sources: frozenset[str]
    target: str
    capability: str


class Workflow:
    """A named table of transitions. Actions are unique per source status."""

    def __init__(self, name: str, transitions: Iterable[Transition], *,
                 status_labels: Mapping[str, Any] | None = None,
                 action_labels: Mapping[str, Any] | None = None):
        """``status_labels`` and ``action_labels`` map codes to the words a user reads (e.g.
        a ``TextChoices``' ``dict(choices)``); GEN-005 names them instead of the codes."""
        self.name = name
        self.transitions = tuple(transitions)
        self.status_labels = dict(status_labels or {})
        self.action_labels = dict(action_labels or {})
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            for source in t.sources:
                key = (t.action, source)
                if key in seen:
                    raise ValueError(f"{name}: action {t.action} twice from {source}")
                seen.add(key)

    def transition(self, action: str, from_status: str) -> Transition:
        """Return the transition for ``action`` from ``from_status``; raise GEN-005 if none."""
        for t in self.transitions:
            if t.action == action and from_status in t.sources:
                return t
        raise DomainError(
            GEN_TRANSITION,
            params={"action": self.action_labels.get(action, action),
                    "from_status": self.status_labels.get(from_status, from_status)},
            details={"action": action, "from_status": from_status},
        )

    def actions_from(self, status: str) -> list[Transition]:
        """Return the transitions allowed from ``status``, in table order."""
        return [t for t in self.transitions if status in t.sources]

    def statuses(self) -> set[str]:
        """Return every status named in the table."""
        result: set[str] = set()
        for t in self.transitions:
            result |= set(t.sources)
            result.add(t.target)
        return result
