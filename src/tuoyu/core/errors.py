"""One exception type with stable error codes (错误代码).

Every domain error raised by a service or validator is a :class:`DomainError` with a code
from :data:`CATALOGUE`. Each code has one message in zh-Hans and one in English; the
message may take ``str.format`` parameters. The API maps a DomainError to one JSON shape::

    {"code": "FIL-001", "message": "...", "field": "...", "details": {...}}

Codes are grouped by prefix: ``GEN`` general, ``IDN`` identifiers, ``REF`` reference
data, ``STD`` standards, ``ACC`` accounts and permissions, ``FIL`` facilities and filing,
``IMP`` import. Apps add their own codes with :func:`register`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language


@dataclass(frozen=True)
class ErrorMessage:
    """The two texts of one error code; ``{name}`` placeholders are filled from params."""

    zh: str
    en: str


CATALOGUE: dict[str, ErrorMessage] = {}


def register(code: str, zh: str, en: str) -> str:
    """Add ``code`` to the catalogue and return it. Raises ValueError on a duplicate code."""
    if code in CATALOGUE and CATALOGUE[code] != ErrorMessage(zh, en):
        raise ValueError(f"error code {code} registered twice with different texts")
    CATALOGUE[code] = ErrorMessage(zh, en)
    return code


def message_for(code: str, params: dict[str, Any] | None = None, language: str | None = None) -> str:
    """Return the message of ``code`` in ``language`` (default: the active one), filled in."""
    entry = CATALOGUE.get(code)
    if entry is None:
        return code
    lang = (language or get_language() or "zh-hans").lower()
    template = entry.en if lang.startswith("en") else entry.zh
    try:
        return template.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template


@dataclass
class DomainError(Exception):
    """A rule was broken. ``code`` is stable; ``field`` names the input that is wrong.

    ``params`` fill the message; ``details`` carry structured data (e.g. a list of
    compliance findings) for the API.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    field: str | None = None
    details: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        super().__init__(self.code)

    @property
    def message(self) -> str:
        """The message in the active language."""
        return message_for(self.code, self.params)

    def __str__(self) -> str:
        return f"{self.code}: {message_for(self.code, self.params, 'en')}"

    def as_dict(self) -> dict[str, Any]:
        """The one JSON shape of an error."""
        return {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "details": self.details or {},
        }


# General codes
GEN_NOT_FOUND = register("GEN-001", "对象不存在或无权查看。", "Not found, or you may not see it.")
GEN_FORBIDDEN = register("GEN-002", "您无权执行此操作。", "You are not allowed to do this.")
GEN_CONFLICT = register(
    "GEN-003",
    "该记录已被他人修改（当前状态：{status}），请刷新后重试。",
    "Someone else changed this record first (it is now {status}); reload and try again.",
)
GEN_INVALID = register("GEN-004", "输入无效：{detail}", "Invalid input: {detail}")
GEN_TRANSITION = register(
    "GEN-005",
    "不能从“{from_status}”执行“{action}”。",
    "“{action}” is not allowed from “{from_status}”.",
)
